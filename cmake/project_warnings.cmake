# Warnings are errors in the project's own code. Third-party headers come in as SYSTEM
# includes, so their warnings do not stop the build.
function(kiosk_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                           -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# Warnings are errors in the project's own code. Third-party headers come in as SYSTEM
# includes, so their warnings do not stop the build.
#
# The layers of ARCHITECTURE.md are enforced here: a library target sees only its own folder
# (through an include root of its own in the build tree, holding a link to that folder) and
# the include roots of the targets it links. So `#include "sync/client/..."` in kiosk/ui,
# or `#include "kiosk/store/..."` in kiosk-hq, fails to compile. Tests and benchmarks may use
# anything and see the whole source tree.
#
# NO_SQLITE: the layer may not use SQLite. sqlite3.h sits in the system include path, which no
# include root can hide, so the layer's files get cmake/no_sqlite.h forced in first: it poisons
# the name `sqlite3`, and including sqlite3.h then fails to compile.
function(kiosk_target_defaults target)
  cmake_parse_arguments(LAYER "NO_SQLITE" "" "" ${ARGN})
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                           -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion)
  if(LAYER_NO_SQLITE)
    target_compile_options(${target} PRIVATE -include ${PROJECT_SOURCE_DIR}/cmake/no_sqlite.h)
  endif()
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  if(folder MATCHES "^(tests|bench)(/|$)")
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    return()
  endif()
  set(root ${PROJECT_BINARY_DIR}/layers/${target})
  get_filename_component(parent ${root}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${root}/${folder})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()

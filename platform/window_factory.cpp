// create_window(): the one place that picks a backend. The SDL2 one is reached through
// libkiosk_sdl2.so (sdl2_module.h); GLFW and null are linked in.
#include <cstdlib>

#include "platform/backends.h"
#include "platform/null_window.h"
#include "platform/window.h"

namespace platform {

std::unique_ptr<Window> create_window(Backend backend, const WindowOptions& options,
                                      std::string* error) {
  if (backend == Backend::null) return create_null_window(options);
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((display == nullptr || *display == '\0') && (wayland == nullptr || *wayland == '\0')) {
    detail::set_error(error, "No display: set DISPLAY or run under xvfb-run.");
    return nullptr;
  }
  switch (backend) {
    case Backend::sdl2:
      return detail::create_sdl2_window(options, error);
    case Backend::glfw:
      return detail::create_glfw_window(options, error);
    case Backend::null:
      break;
  }
  detail::set_error(error, "Unknown window backend.");
  return nullptr;
}

}  // namespace platform

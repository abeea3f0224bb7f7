// The SDL2 backend (the default: SDL2 turns touches into pointer events). One of the two files
// in the project that include SDL or GLFW.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "platform/backends.h"

namespace platform::detail {
namespace {

class Sdl2Window final : public Window {
 public:
  Sdl2Window(SDL_Window* window, SDL_GLContext gl, Uint32 wake_event)
      : window_(window), gl_(gl), wake_event_(wake_event) {}

  ~Sdl2Window() override {
    if (imgui_ready_) {
      ImGui_ImplSDL2_Shutdown();
      shutdown_renderer_and_context();
    }
    SDL_GL_DeleteContext(gl_);
    SDL_DestroyWindow(window_);
    SDL_Quit();
  }

  Sdl2Window(const Sdl2Window&) = delete;
  Sdl2Window& operator=(const Sdl2Window&) = delete;

  bool init(const WindowOptions& options, std::string* error) {
    create_imgui_context();
    if (!ImGui_ImplSDL2_InitForOpenGL(window_, gl_) || !init_renderer()) {
      ImGui::DestroyContext();
      set_error(error, "Could not start Dear ImGui on the SDL2 window.");
      return false;
    }
    imgui_ready_ = true;
    float ddpi = 0.0f;
    const int display = SDL_GetWindowDisplayIndex(window_);
    float dpi_scale = 1.0f;
    if (SDL_GetDisplayDPI(display < 0 ? 0 : display, &ddpi, nullptr, nullptr) == 0 && ddpi > 0.0f) {
      dpi_scale = ddpi / 96.0f;
    }
    finish_setup(dpi_scale, options);
    if (options.hide_cursor) SDL_ShowCursor(SDL_DISABLE);
    return true;
  }

  Backend backend() const override { return Backend::sdl2; }
  bool should_close() const override { return close_requested_; }
  void request_close() override { close_requested_ = true; }
  void cancel_close() override { close_requested_ = false; }
  bool cursor_visible() const override { return SDL_ShowCursor(SDL_QUERY) == SDL_ENABLE; }

  bool wait_events(double timeout_seconds) override {
    SDL_Event event;
    bool input = false;
    if (timeout_seconds < 0.0) {
      if (SDL_WaitEvent(&event) != 0) input = handle(event);
    } else {
      const double ms = std::min(timeout_seconds * 1000.0, 24.0 * 3600.0 * 1000.0);
      if (SDL_WaitEventTimeout(&event, static_cast<int>(std::ceil(ms))) != 0) input = handle(event);
    }
    return poll_events() || input;
  }

  bool poll_events() override {
    SDL_Event event;
    bool input = false;
    while (SDL_PollEvent(&event) != 0) input = handle(event) || input;
    return input;
  }

  void wake() override {
    SDL_Event event;
    SDL_zero(event);
    event.type = wake_event_;
    SDL_PushEvent(&event);  // thread-safe by SDL's contract
  }

  int width() const override {
    int w = 0;
    int h = 0;
    SDL_GL_GetDrawableSize(window_, &w, &h);
    return w;
  }

  int height() const override {
    int w = 0;
    int h = 0;
    SDL_GL_GetDrawableSize(window_, &w, &h);
    return h;
  }

 protected:
  void backend_new_frame() override { ImGui_ImplSDL2_NewFrame(); }
  void swap_buffers() override { SDL_GL_SwapWindow(window_); }

 private:
  // True for anything but our own wake-up event.
  bool handle(const SDL_Event& event) {
    if (event.type == wake_event_) return false;
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) close_requested_ = true;
    // Alt+F4 closes like the window manager's close, also where there is none (a bare X).
    if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_F4 &&
        (event.key.keysym.mod & KMOD_ALT) != 0)
      close_requested_ = true;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(window_)) {
      close_requested_ = true;
    }
    return true;
  }

  SDL_Window* window_;        // owned
  SDL_GLContext gl_;          // owned
  Uint32 wake_event_;         // user event type pushed by wake()
  bool imgui_ready_ = false;  // ImGui context and both ImGui backends are initialised
  bool close_requested_ = false;
};

}  // namespace

std::unique_ptr<Window> create_sdl2_window(const WindowOptions& options, std::string* error) {
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    set_error(error, std::string("Could not start SDL2 video: ") + SDL_GetError() + ".");
    return nullptr;
  }
  const Uint32 wake_event = SDL_RegisterEvents(1);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

  int x = SDL_WINDOWPOS_CENTERED;
  int y = SDL_WINDOWPOS_CENTERED;
  int w = options.width;
  int h = options.height;
  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
  if (options.fullscreen) {
    // Without a window manager (Xvfb, bare kiosk X) a fullscreen request may not fill the
    // screen, so size a borderless window from the monitor ourselves.
    SDL_Rect bounds{};
    if (SDL_GetDisplayBounds(0, &bounds) == 0) {
      x = bounds.x;
      y = bounds.y;
      w = bounds.w;
      h = bounds.h;
    }
    flags |= SDL_WINDOW_BORDERLESS;
  } else {
    flags |= SDL_WINDOW_RESIZABLE;
  }
  SDL_Window* window = SDL_CreateWindow(options.title.c_str(), x, y, w, h, flags);
  if (window == nullptr) {
    set_error(error, std::string("Could not open an SDL2 window: ") + SDL_GetError() + ".");
    SDL_Quit();
    return nullptr;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (gl == nullptr) {
    set_error(error,
              std::string("Could not create an OpenGL 3.0 context: ") + SDL_GetError() + ".");
    SDL_DestroyWindow(window);
    SDL_Quit();
    return nullptr;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(options.vsync ? 1 : 0);
  auto result = std::make_unique<Sdl2Window>(window, gl, wake_event);
  if (!result->init(options, error)) return nullptr;
  return result;
}

}  // namespace platform::detail

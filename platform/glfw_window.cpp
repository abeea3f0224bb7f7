// The GLFW backend. One of the two files in the project that include SDL or GLFW. GLFW on
// Linux has no touch events: the X server hands it emulated pointer events.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <algorithm>

#include "platform/backends.h"

namespace platform::detail {
namespace {

std::string glfw_error_text() {
  const char* description = nullptr;
  glfwGetError(&description);
  return description != nullptr ? description : "unknown error";
}

class GlfwWindow final : public Window {
 public:
  explicit GlfwWindow(GLFWwindow* window) : window_(window) {}

  ~GlfwWindow() override {
    if (imgui_ready_) {
      ImGui_ImplGlfw_Shutdown();
      shutdown_renderer_and_context();
    }
    glfwDestroyWindow(window_);
    glfwTerminate();
  }

  GlfwWindow(const GlfwWindow&) = delete;
  GlfwWindow& operator=(const GlfwWindow&) = delete;

  bool init(const WindowOptions& options, std::string* error) {
    create_imgui_context();
    install_input_counter();  // before ImGui's backend, which chains to these callbacks
    if (!ImGui_ImplGlfw_InitForOpenGL(window_, true) || !init_renderer()) {
      ImGui::DestroyContext();
      set_error(error, "Could not start Dear ImGui on the GLFW window.");
      return false;
    }
    imgui_ready_ = true;
    float sx = 1.0f;
    float sy = 1.0f;
    glfwGetWindowContentScale(window_, &sx, &sy);
    finish_setup(std::max(sx, sy), options);
    if (options.hide_cursor) glfwSetInputMode(window_, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    return true;
  }

  Backend backend() const override { return Backend::glfw; }
  bool should_close() const override { return glfwWindowShouldClose(window_) != 0; }
  void request_close() override { glfwSetWindowShouldClose(window_, GLFW_TRUE); }
  void cancel_close() override { glfwSetWindowShouldClose(window_, GLFW_FALSE); }
  bool cursor_visible() const override {
    return glfwGetInputMode(window_, GLFW_CURSOR) == GLFW_CURSOR_NORMAL;
  }

  bool wait_events(double timeout_seconds) override {
    const auto before = input_events_;
    if (timeout_seconds < 0.0) {
      glfwWaitEvents();
    } else if (timeout_seconds == 0.0) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(timeout_seconds);
    }
    return input_events_ != before;
  }

  bool poll_events() override {
    const auto before = input_events_;
    glfwPollEvents();
    return input_events_ != before;
  }
  void wake() override { glfwPostEmptyEvent(); }  // thread-safe by GLFW's contract

  int width() const override {
    int w = 0;
    int h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return w;
  }

  int height() const override {
    int w = 0;
    int h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return h;
  }

 protected:
  void backend_new_frame() override { ImGui_ImplGlfw_NewFrame(); }
  void swap_buffers() override { glfwSwapBuffers(window_); }

 private:
  // GLFW does not say why glfwWaitEventsTimeout returned; count input and window events in
  // callbacks so a wake() or a timeout can be told apart from a tap.
  void install_input_counter() {
    glfwSetWindowUserPointer(window_, this);
    static constexpr auto count = [](GLFWwindow* w) {
      ++static_cast<GlfwWindow*>(glfwGetWindowUserPointer(w))->input_events_;
    };
    glfwSetCursorPosCallback(window_, [](GLFWwindow* w, double, double) { count(w); });
    glfwSetMouseButtonCallback(window_, [](GLFWwindow* w, int, int, int) { count(w); });
    glfwSetScrollCallback(window_, [](GLFWwindow* w, double, double) { count(w); });
    glfwSetKeyCallback(window_, [](GLFWwindow* w, int key, int, int action, int mods) {
      count(w);
      // Alt+F4 closes like the window manager's close, also where there is none (a bare X).
      if (key == GLFW_KEY_F4 && action == GLFW_PRESS && (mods & GLFW_MOD_ALT) != 0)
        glfwSetWindowShouldClose(w, GLFW_TRUE);
    });
    glfwSetCharCallback(window_, [](GLFWwindow* w, unsigned int) { count(w); });
    glfwSetCursorEnterCallback(window_, [](GLFWwindow* w, int) { count(w); });
    glfwSetWindowFocusCallback(window_, [](GLFWwindow* w, int) { count(w); });
    glfwSetFramebufferSizeCallback(window_, [](GLFWwindow* w, int, int) { count(w); });
    glfwSetWindowRefreshCallback(window_, [](GLFWwindow* w) { count(w); });
  }

  GLFWwindow* window_;              // owned
  unsigned long input_events_ = 0;  // input and window events seen, see install_input_counter
  bool imgui_ready_ = false;        // ImGui context and both ImGui backends are initialised
};

}  // namespace

std::unique_ptr<Window> create_glfw_window(const WindowOptions& options, std::string* error) {
  if (glfwInit() == GLFW_FALSE) {
    set_error(error, "Could not start GLFW: " + glfw_error_text() + ".");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
  int w = options.width;
  int h = options.height;
  int x = -1;
  int y = -1;
  if (options.fullscreen) {
    // Size a borderless window from the monitor: without a window manager a fullscreen
    // request may not fill the screen.
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor(); monitor != nullptr) {
      if (const GLFWvidmode* mode = glfwGetVideoMode(monitor); mode != nullptr) {
        w = mode->width;
        h = mode->height;
      }
      glfwGetMonitorPos(monitor, &x, &y);
    }
    glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
    glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  }
  GLFWwindow* window = glfwCreateWindow(w, h, options.title.c_str(), nullptr, nullptr);
  if (window == nullptr) {
    set_error(error, "Could not open a GLFW window with OpenGL 3.0: " + glfw_error_text() + ".");
    glfwTerminate();
    return nullptr;
  }
  if (x >= 0 && y >= 0) glfwSetWindowPos(window, x, y);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(options.vsync ? 1 : 0);
  auto result = std::make_unique<GlfwWindow>(window);
  if (!result->init(options, error)) return nullptr;
  return result;
}

}  // namespace platform::detail

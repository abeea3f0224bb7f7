// Window: the backend-independent half (frame order, scripted input, screenshots, fonts, scale).
//
// [SECTION] Backend names and factory
// [SECTION] ImGui context and renderer
// [SECTION] Fonts and scale
// [SECTION] Frame
// [SECTION] Screenshots
#include "platform/window.h"

#include <GL/gl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "platform/backends.h"

namespace platform {

// [SECTION] Backend names and factory ------------------------------------------------------

std::optional<Backend> parse_backend(std::string_view name) {
  if (name == "sdl2") return Backend::sdl2;
  if (name == "glfw") return Backend::glfw;
  return std::nullopt;
}

std::string_view to_string(Backend backend) {
  return backend == Backend::sdl2 ? "sdl2" : "glfw";
}

std::unique_ptr<Window> create_window(Backend backend, const WindowOptions& options,
                                      std::string* error) {
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
  }
  detail::set_error(error, "Unknown window backend.");
  return nullptr;
}

Window::~Window() = default;

// [SECTION] ImGui context and renderer -----------------------------------------------------

namespace detail {

void create_imgui_context() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout on disk
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
}

bool init_renderer() {
  return ImGui_ImplOpenGL3_Init("#version 130");
}

void shutdown_renderer_and_context() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext();
}

}  // namespace detail

// [SECTION] Fonts and scale ----------------------------------------------------------------

namespace {

constexpr float base_font_px = 20.0f;  // touch-sized body text at scale 1
constexpr float heading_font_ratio = 1.4f;

// Latin, Latin Extended A/B and Additional, Greek, Cyrillic, general punctuation, currency,
// letterlike symbols, arrows, math operators, geometric shapes, misc symbols. Zero-terminated;
// ImGui keeps the pointer, so it lives for the whole program.
constexpr ImWchar glyph_ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F,
                                    0x1E00, 0x1EFF, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F,
                                    0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0x2600, 0x26FF,
                                    0x2700, 0x27BF, 0xFFFD, 0xFFFD, 0};

ImFont* add_font(const std::string& path, float size_px) {
  if (path.empty() || !std::filesystem::exists(path)) return nullptr;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), size_px, &config, glyph_ranges);
}

}  // namespace

std::string default_font_path() {
  const char* candidates[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                              "/usr/share/fonts/TTF/DejaVuSans.ttf"};
  for (const char* c : candidates) {
    if (std::filesystem::exists(c)) return c;
  }
  return {};
}

float resolve_ui_scale(const WindowOptions& options, float dpi_scale) {
  if (options.ui_scale > 0.0f) return std::clamp(options.ui_scale, 0.5f, 4.0f);
  if (!(dpi_scale > 0.0f)) dpi_scale = 1.0f;
  return std::clamp(dpi_scale, 1.0f, 3.0f);
}

void Window::finish_setup(float dpi_scale, const WindowOptions& options) {
  ui_scale_ = resolve_ui_scale(options, dpi_scale);
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const std::string regular = default_font_path();
  std::string bold = regular;
  if (!bold.empty()) bold.replace(bold.rfind(".ttf"), 4, "-Bold.ttf");
  body_font_ = add_font(regular, base_font_px * ui_scale_);
  heading_font_ = body_font_ != nullptr
                      ? add_font(bold, base_font_px * heading_font_ratio * ui_scale_)
                      : nullptr;
  if (body_font_ == nullptr) {
    ImFontConfig config;
    config.SizePixels = 13.0f * ui_scale_;
    body_font_ = io.Fonts->AddFontDefault(&config);
  }
  if (heading_font_ == nullptr) heading_font_ = body_font_;
  io.FontDefault = body_font_;
  io.Fonts->Build();
  // A finger wobbles more than a mouse: start drags a little later.
  io.MouseDragThreshold = 10.0f * ui_scale_;
}

void Window::set_clear_color(float r, float g, float b) {
  clear_[0] = r;
  clear_[1] = g;
  clear_[2] = b;
}

// [SECTION] Frame ---------------------------------------------------------------------------

void Window::inject_pointer(float x, float y, bool down) {
  injected_ = true;
  injected_x_ = x;
  injected_y_ = y;
  injected_down_ = down;
}

void Window::clear_injected_pointer() {
  injected_ = false;
}

void Window::begin_frame() {
  ImGui_ImplOpenGL3_NewFrame();
  backend_new_frame();
  if (injected_) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(injected_x_, injected_y_);
    io.MouseDown[0] = injected_down_;
  }
  ImGui::NewFrame();
}

void Window::render_draw_data() const {
  glViewport(0, 0, width(), height());
  glClearColor(clear_[0], clear_[1], clear_[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (ImDrawData* data = ImGui::GetDrawData(); data != nullptr)
    ImGui_ImplOpenGL3_RenderDrawData(data);
}

void Window::end_frame() {
  ImGui::Render();
  render_draw_data();
  swap_buffers();
}

// [SECTION] Screenshots ---------------------------------------------------------------------

bool Window::read_pixels(Image& out) const {
  // The back buffer is undefined after a swap, so draw the last frame's draw data again
  // (valid until the next NewFrame) and read that back without swapping.
  if (ImGui::GetDrawData() == nullptr) return false;
  const int w = width();
  const int h = height();
  if (w <= 0 || h <= 0) return false;
  render_draw_data();
  glFinish();
  std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) *
                                      4U);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  if (glGetError() != GL_NO_ERROR) return false;
  out.width = w;
  out.height = h;
  out.rgba.resize(bottom_up.size());
  const std::size_t row = static_cast<std::size_t>(w) * 4U;
  for (int y = 0; y < h; ++y) {
    std::memcpy(out.rgba.data() + static_cast<std::size_t>(y) * row,
                bottom_up.data() + static_cast<std::size_t>(h - 1 - y) * row, row);
  }
  return true;
}

}  // namespace platform

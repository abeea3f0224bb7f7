// Window: the backend-independent half (frame order, scripted input, screenshots, fonts, scale).
//
// [SECTION] Backend names
// [SECTION] ImGui context and renderer
// [SECTION] Fonts and scale
// [SECTION] Frame
// [SECTION] Screenshots
#include "platform/window.h"

#include <GL/gl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <span>

#include "platform/backends.h"
#include "platform/font_coverage.h"

namespace platform {

// [SECTION] Backend names ------------------------------------------------------

std::optional<Backend> parse_backend(std::string_view name) {
  if (name == "sdl2") return Backend::sdl2;
  if (name == "glfw") return Backend::glfw;
  if (name == "null") return Backend::null;
  return std::nullopt;
}

std::string_view to_string(Backend backend) {
  switch (backend) {
    case Backend::sdl2:
      return "sdl2";
    case Backend::glfw:
      return "glfw";
    case Backend::null:
      return "null";
  }
  return "unknown";
}

Window::~Window() = default;

// [SECTION] ImGui context and renderer -----------------------------------------------------

namespace detail {

void create_imgui_context() {
  IMGUI_CHECKVERSION();
  // Current even when another copy of ImGui (the SDL2 module's) made and ended the last one.
  ImGui::SetCurrentContext(ImGui::CreateContext());
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

// The font atlas costs memory three times (ImGui's alpha copy, an RGBA copy for the GL
// backend, the driver's texture) and start-up time per glyph. The fonts may hold what the
// kiosk shows: Latin (English, Spanish and the rest of western and central Europe) with
// combining accents, Greek and Cyrillic, Hebrew and Arabic for mentions, punctuation (quotes,
// dashes, the ellipsis of cut-off posts), currency signs and the replacement character. Text
// outside what the font file then holds is replaced before it is drawn
// (Window::drawable_ranges(), kiosk/core/drawable_text.h). Of that, the atlas starts with
// Latin-1 and the UI's own symbols (kStartGlyphs); the rest is added when text brings it
// (Window::request_glyphs()).
constexpr CodepointRange body_glyph_ranges[] = {
    {0x0020, 0x024F}, {0x0300, 0x036F}, {0x0370, 0x03FF}, {0x0400, 0x04FF}, {0x0590, 0x05FF},
    {0x0600, 0x06FF}, {0x2010, 0x205E}, {0x20A0, 0x20C0}, {0xFFFD, 0xFFFD}};
// Headings show the store's name and screen titles.
constexpr CodepointRange heading_glyph_ranges[] = {
    {0x0020, 0x017F}, {0x2010, 0x205E}, {0xFFFD, 0xFFFD}};
// In the atlas from the start: Latin-1 (English and Spanish screens), the dashes, quotes,
// bullet and ellipsis the screens and substitutes draw, the euro sign, and the replacement
// character ImGui draws for anything else.
constexpr CodepointRange kStartGlyphs[] = {
    {0x0020, 0x00FF}, {0x2010, 0x2027}, {0x2039, 0x203A}, {0x20AC, 0x20AC}, {0xFFFD, 0xFFFD}};

constexpr char32_t kBmpSize = 0x10000;  // ImWchar is 16 bits: the atlas holds no more

static_assert(sizeof(ImWchar) == sizeof(std::uint16_t));

bool covers(const std::vector<CodepointRange>& runs, char32_t c) {
  const auto it = std::upper_bound(runs.begin(), runs.end(), c,
                                   [](char32_t v, const CodepointRange& r) { return v < r.first; });
  return it != runs.begin() && c <= std::prev(it)->last;
}

// ImGui's zero-terminated range list of what was asked for and the font covers.
std::vector<std::uint16_t> atlas_ranges(const std::vector<CodepointRange>& cover,
                                        const std::vector<std::uint64_t>& asked) {
  std::vector<std::uint16_t> out;
  for (const CodepointRange& r : cover) {
    for (char32_t c = r.first; c <= r.last && c < kBmpSize; ++c) {
      if ((asked[c / 64] & (std::uint64_t{1} << (c % 64))) == 0) continue;
      const auto c16 = static_cast<std::uint16_t>(c);
      if (!out.empty() && static_cast<char32_t>(out.back()) + 1 == c)
        out.back() = c16;
      else
        out.insert(out.end(), {c16, c16});
    }
  }
  out.push_back(0);
  return out;
}

// into: rebuild this font in place (the screens keep their ImFont pointers); nullptr: a new
// font in the atlas.
ImFont* add_font(const std::string& path, float size_px, const std::vector<std::uint16_t>& ranges,
                 ImFont* into) {
  if (path.empty() || !std::filesystem::exists(path)) return nullptr;
  ImFontConfig config;
  // At touch sizes (20 px and up) horizontal oversampling is not visible; it would double
  // the atlas.
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  config.DstFont = into;
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  ImFont* font = atlas->AddFontFromFileTTF(path.c_str(), size_px, &config,
                                           reinterpret_cast<const ImWchar*>(ranges.data()));
  if (font != nullptr && into != nullptr) {
    // AddFont always appends a new ImFont; this one writes into `into`: drop the empty one.
    IM_DELETE(atlas->Fonts.back());
    atlas->Fonts.pop_back();
  }
  return font;
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
  // A hidden pointer stays hidden: ImGui's backends would show it again for each cursor shape.
  cursor_hidden_ = options.hide_cursor;
  if (cursor_hidden_) io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  io.Fonts->Clear();
  body_path_ = default_font_path();
  heading_path_ = body_path_;
  if (!heading_path_.empty()) heading_path_.replace(heading_path_.rfind(".ttf"), 4, "-Bold.ttf");
  if (!std::filesystem::exists(heading_path_)) heading_path_.clear();
  // Until the files' character maps are read, a font covers all of its ranges.
  body_cover_.assign(std::begin(body_glyph_ranges), std::end(body_glyph_ranges));
  heading_cover_.assign(std::begin(heading_glyph_ranges), std::end(heading_glyph_ranges));
  asked_.assign(kBmpSize / 64, 0);
  for (const CodepointRange& r : kStartGlyphs)
    for (char32_t c = r.first; c <= r.last; ++c) asked_[c / 64] |= std::uint64_t{1} << (c % 64);
  build_fonts();
  // A finger wobbles more than a mouse: start drags a little later.
  io.MouseDragThreshold = 10.0f * ui_scale_;
}

void Window::build_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  ImFontAtlas* atlas = io.Fonts;
  const bool first = body_font_ == nullptr;
  atlas->ClearInputData();
  atlas->ClearTexData();
  body_ranges_ = atlas_ranges(body_cover_, asked_);
  heading_ranges_ = atlas_ranges(heading_cover_, asked_);
  const bool heading_own = first ? true : heading_font_ != body_font_;
  ImFont* body = add_font(body_path_, base_font_px * ui_scale_, body_ranges_, body_font_);
  ImFont* heading = body != nullptr && heading_own
                        ? add_font(heading_path_, base_font_px * heading_font_ratio * ui_scale_,
                                   heading_ranges_, heading_font_)
                        : nullptr;
  if (first) {
    body_font_ = body;
    heading_font_ = heading;
    if (body_font_ == nullptr) {
      // No DejaVu: ImGui's built-in font, whole, once; nothing to add later.
      ImFontConfig config;
      config.SizePixels = 13.0f * ui_scale_;
      body_font_ = atlas->AddFontDefault(&config);
      asked_.clear();
    } else {
      // What each file really has: a range may name code points the file lacks.
      const auto bytes = [&](int i) {
        const ImFontConfig& c = atlas->ConfigData[i];
        return std::span<const unsigned char>(static_cast<const unsigned char*>(c.FontData),
                                              static_cast<std::size_t>(c.FontDataSize));
      };
      body_cover_ = detail::font_coverage(bytes(0), body_cover_);
      if (heading_font_ != nullptr)
        heading_cover_ = detail::font_coverage(bytes(1), heading_cover_);
    }
    if (heading_font_ == nullptr) heading_font_ = body_font_;
    io.FontDefault = body_font_;
  }
  atlas->Build();
  ++font_atlas_builds_;
  if (!first) return;
  if (!asked_.empty()) {
    drawable_ = body_cover_;
    return;
  }
  // The built-in font: what it holds is what was built.
  std::vector<char32_t> glyphs;
  glyphs.reserve(static_cast<std::size_t>(body_font_->Glyphs.Size));
  for (const ImFontGlyph& g : body_font_->Glyphs)
    glyphs.push_back(static_cast<char32_t>(g.Codepoint));
  std::sort(glyphs.begin(), glyphs.end());
  drawable_.clear();
  for (const char32_t c : glyphs) {
    if (!drawable_.empty() && c <= drawable_.back().last + 1)
      drawable_.back().last = std::max(drawable_.back().last, c);
    else
      drawable_.push_back({c, c});
  }
}

bool Window::ask_glyph(char32_t c) {
  if (c >= kBmpSize || asked_.empty()) return false;
  std::uint64_t& word = asked_[c / 64];
  const std::uint64_t bit = std::uint64_t{1} << (c % 64);
  if ((word & bit) != 0) return false;
  word |= bit;
  if (!covers(body_cover_, c) && !covers(heading_cover_, c)) return false;
  glyphs_pending_ = true;
  return true;
}

bool Window::request_glyphs(std::string_view text) {
  bool added = false;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    p += n > 0 ? n : 1;
    if (ask_glyph(static_cast<char32_t>(c))) added = true;
  }
  return added;
}

bool Window::apply_glyph_requests() {
  if (!glyphs_pending_) return false;
  glyphs_pending_ = false;
  build_fonts();
  reupload_font_atlas();
  return true;
}

void Window::reupload_font_atlas() {
  // Not uploaded yet: the renderer's first NewFrame uploads the atlas as it is now.
  if (!font_uploaded_) return;
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  shrink_font_texture();
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

void Window::inject_text(std::string text) {
  injected_text_ += text;
}

void Window::inject_key(int imgui_key) {
  injected_key_ = imgui_key;
}

void Window::clear_injected_pointer() {
  injected_ = false;
}

void Window::renderer_new_frame() {
  ImGui_ImplOpenGL3_NewFrame();  // uploads the font atlas on the first call
  if (font_uploaded_) return;
  font_uploaded_ = true;
  shrink_font_texture();
}

// The OpenGL 3 backend uploads the atlas as RGBA (4 bytes a pixel, of which only alpha
// carries anything). Where the driver can swizzle (GL 3.3 or ARB_texture_swizzle, which Mesa
// has), store it again as one byte a pixel read back as (1, 1, 1, alpha); either way, free the
// CPU-side copies, which nothing needs after the upload.
void Window::shrink_font_texture() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* alpha = nullptr;
  int w = 0;
  int h = 0;
  io.Fonts->GetTexDataAsAlpha8(&alpha, &w, &h);
  const auto texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(io.Fonts->TexID));
  if (alpha != nullptr && texture != 0) {
    constexpr GLenum swizzle_rgba = 0x8E46;  // GL_TEXTURE_SWIZZLE_RGBA (GL 3.3)
    constexpr GLenum r8 = 0x8229;            // GL_R8
    constexpr GLenum red = 0x1903;           // GL_RED
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    glBindTexture(GL_TEXTURE_2D, texture);
    while (glGetError() != GL_NO_ERROR) {
    }
    const GLint one_one_one_red[] = {GL_ONE, GL_ONE, GL_ONE, static_cast<GLint>(red)};
    glTexParameteriv(GL_TEXTURE_2D, swizzle_rgba, one_one_one_red);
    if (glGetError() == GL_NO_ERROR) {
      glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
      glTexImage2D(GL_TEXTURE_2D, 0, static_cast<GLint>(r8), w, h, 0, red, GL_UNSIGNED_BYTE, alpha);
      font_texture_bytes_per_pixel_ = glGetError() == GL_NO_ERROR ? 1 : 4;
      if (font_texture_bytes_per_pixel_ == 4) {
        // The RGBA image is still there: read it as it is.
        const GLint identity[] = {GL_RED, GL_GREEN, GL_BLUE, GL_ALPHA};
        glTexParameteriv(GL_TEXTURE_2D, swizzle_rgba, identity);
      }
    }
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
  }
  io.Fonts->ClearTexData();
  io.Fonts->ClearInputData();  // the TTF files' bytes (about 1.4 MiB): the glyphs are baked
}

void Window::present() {
  render_draw_data();
  swap_buffers();
}

void Window::begin_frame() {
  frame_began_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  apply_glyph_requests();  // text the view brings: in the atlas before the frame draws it
  renderer_new_frame();
  backend_new_frame();
  if (injected_) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(injected_x_, injected_y_);
    io.MouseDown[0] = injected_down_;
  }
  if (!injected_text_.empty()) {
    ImGui::GetIO().AddInputCharactersUTF8(injected_text_.c_str());
    injected_text_.clear();
  }
  // Typed characters are drawn in this very frame: add their glyphs first.
  for (const ImWchar c : ImGui::GetIO().InputQueueCharacters) {
    if (c >= 0x80) ask_glyph(static_cast<char32_t>(c));
  }
  apply_glyph_requests();
  // ImGui 1.86 reads keys from io.KeysDown[] through io.KeyMap[].
  ImGuiIO& keys = ImGui::GetIO();
  if (released_key_ >= 0 && released_key_ < ImGuiKey_COUNT) {
    const int index = keys.KeyMap[released_key_];
    if (index >= 0 && index < IM_ARRAYSIZE(keys.KeysDown)) keys.KeysDown[index] = false;
    released_key_ = -1;
  }
  if (injected_key_ >= 0 && injected_key_ < ImGuiKey_COUNT) {
    const int index = keys.KeyMap[injected_key_];
    if (index >= 0 && index < IM_ARRAYSIZE(keys.KeysDown)) keys.KeysDown[index] = true;
    released_key_ = injected_key_;
    injected_key_ = -1;
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
  present();
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

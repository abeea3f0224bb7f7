#pragma once
// One window with an OpenGL 3 context and a Dear ImGui context, behind one small interface.
// The backend (SDL2 or GLFW) is chosen at run time; only sdl2_window.cpp and glfw_window.cpp
// include SDL or GLFW (and sdl2_audio.cpp SDL2's audio). SDL2 is loaded from libkiosk_sdl2.so
// only when the SDL2 window or the chime needs it (sdl2_module.h). This layer knows nothing of
// mentions or stores.
//
// Frame order (one UI thread):
//   window->wait_events(timeout);   // or poll_events() while something animates
//   window->begin_frame();          // backend NewFrame, scripted input, ImGui::NewFrame
//   ... ImGui calls ...
//   window->end_frame();            // ImGui::Render, clear, draw, swap
//   window->read_pixels(image);     // optional, between end_frame and the next begin_frame
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/image.h"

struct ImFont;

namespace platform {

// null: no display and no GL (platform/null_window.h); ImGui runs, nothing is rasterised.
enum class Backend { sdl2, glfw, null };

// "sdl2", "glfw" or "null"; anything else gives nullopt.
std::optional<Backend> parse_backend(std::string_view name);
std::string_view to_string(Backend backend);

struct WindowOptions {
  std::string title = "Frontline Kiosk";
  int width = 1280;  // ignored when fullscreen: the monitor's size is used
  int height = 800;
  bool fullscreen = false;  // borderless, sized from the monitor (Xvfb has no window manager)
  bool vsync = true;
  float ui_scale = 0.0f;     // 0: from the monitor's DPI; otherwise used as is (fonts and theme)
  bool hide_cursor = false;  // a touchscreen: no pointer drawn over the screens (kiosk mode)
};

// A run of code points, first to last inclusive.
struct CodepointRange {
  char32_t first = 0;
  char32_t last = 0;
};

class Window {
 public:
  virtual ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  virtual Backend backend() const = 0;
  virtual bool should_close() const = 0;  // the user or the OS asked the window to close
  virtual void request_close() = 0;
  // Takes back a close the user or the OS asked for: a kiosk asks for a manager first.
  virtual void cancel_close() = 0;
  // Whether the pointer is drawn over the window (false with WindowOptions::hide_cursor).
  virtual bool cursor_visible() const { return !cursor_hidden_; }
  // Blocks until an event arrives, wake() is called, or the timeout passes (a negative timeout:
  // no timeout, 0: just poll); an idle kiosk uses no CPU. Events are handed to ImGui. Returns true
  // when input or a window event (resize, expose, focus) arrived, false for a wake() or the
  // timeout, so the app can skip drawing when nothing it shows has changed.
  virtual bool wait_events(double timeout_seconds) = 0;
  virtual bool poll_events() = 0;  // the same without blocking
  virtual void wake() = 0;         // thread-safe: ends a wait_events() early
  virtual int width() const = 0;   // framebuffer size in pixels
  virtual int height() const = 0;

  void begin_frame();
  void end_frame();
  // When the last begin_frame() began (wall clock, ns): what input that frame could have read,
  // for the benches' frame traces.
  std::int64_t frame_began_ns() const { return frame_began_ns_; }
  // The last frame drawn by end_frame(), top-down RGBA. Call before the next begin_frame().
  // False when there is nothing to read (the null backend has no pixels).
  virtual bool read_pixels(Image& out) const;

  // Scripted pointer for tests and demos: from the next begin_frame() on, it replaces the real
  // pointer (io.MousePos, io.MouseDown[0]) until clear_injected_pointer(). A tap is down for at
  // least one frame, then up for one frame (ImGui 1.86 has no input event queue).
  void inject_pointer(float x, float y, bool down);
  void clear_injected_pointer();
  // Scripted typing: the text reaches the focused text field in the next begin_frame(), as
  // characters from a keyboard would.
  void inject_text(std::string text);
  // Scripted key: the ImGui key (ImGuiKey_Escape, ...) is down for the next frame, up after.
  void inject_key(int imgui_key);

  float ui_scale() const { return ui_scale_; }  // DPI x touch scale the fonts were built at
  // The code points the body font can draw, sorted (read from the font file's character map,
  // within the scripts the kiosk shows): text outside these would draw as ImGui's fallback "?",
  // so the app replaces it before it reaches a screen. The atlas holds only part of them at
  // first (Latin-1 and the UI's own symbols); request_glyphs() adds the rest as text needs it.
  const std::vector<CodepointRange>& drawable_ranges() const { return drawable_; }
  // Text (UTF-8) about to be shown: the glyphs of it the fonts can draw but the atlas lacks are
  // added before the next frame (begin_frame() rebuilds and re-uploads the atlas once for all
  // of them). Code points asked for before cost one bit test; ASCII costs nothing. Returns
  // whether anything new was asked for. Characters typed on a keyboard are asked for by
  // begin_frame() itself, before the frame that draws them.
  bool request_glyphs(std::string_view text);
  // Rebuilds the atlas now if request_glyphs() asked for new glyphs (begin_frame() calls it;
  // between frames only). Returns whether it rebuilt.
  bool apply_glyph_requests();
  int font_atlas_builds() const { return font_atlas_builds_; }  // the start-up one included
  ImFont* body_font() const { return body_font_; }
  ImFont* heading_font() const { return heading_font_; }  // bold, larger; body font if missing
  void set_clear_color(float r, float g, float b);
  // 1 when the GL font texture is stored as one byte a pixel, 4 for RGBA.
  int font_texture_bytes_per_pixel() const { return font_texture_bytes_per_pixel_; }

 protected:
  Window() = default;
  virtual void backend_new_frame() = 0;  // ImGui_Impl*_NewFrame
  virtual void swap_buffers() = 0;
  virtual void renderer_new_frame();  // ImGui_ImplOpenGL3_NewFrame
  virtual void present();             // clear, render the draw data, swap
  // Shared set-up once the GL context is current and the backend is initialised.
  void finish_setup(float dpi_scale, const WindowOptions& options);
  // After a rebuild of the atlas between frames: hand the new pixels to the renderer (the GL
  // backends destroy and create the font texture, then store it as one byte a pixel again).
  virtual void reupload_font_atlas();

 private:
  void render_draw_data() const;
  void shrink_font_texture();
  void build_fonts();
  bool ask_glyph(char32_t c);

  float ui_scale_ = 1.0f;
  ImFont* body_font_ = nullptr;
  ImFont* heading_font_ = nullptr;
  float clear_[3] = {0.08f, 0.09f, 0.11f};
  bool cursor_hidden_ = false;            // WindowOptions::hide_cursor
  std::vector<CodepointRange> drawable_;  // the body font's glyphs, as runs
  // The fonts' files and what each could hold (its ranges that the file has glyphs for); empty
  // paths: ImGui's built-in font, built once.
  std::string body_path_;
  std::string heading_path_;
  std::vector<CodepointRange> body_cover_;
  std::vector<CodepointRange> heading_cover_;
  std::vector<std::uint16_t> body_ranges_;  // ImGui's range lists the atlas was built from
  std::vector<std::uint16_t> heading_ranges_;
  // Code points of the Basic Multilingual Plane asked for so far (the start set included), one
  // bit each; the atlas holds those the fonts cover.
  std::vector<std::uint64_t> asked_;
  bool glyphs_pending_ = false;  // asked for glyphs the atlas lacks: rebuild before drawing
  int font_atlas_builds_ = 0;
  bool font_uploaded_ = false;            // the renderer has uploaded the font atlas
  int font_texture_bytes_per_pixel_ = 4;  // GL texture format of the atlas
  bool injected_ = false;                 // a scripted pointer overrides the real one
  float injected_x_ = 0.0f;
  float injected_y_ = 0.0f;
  bool injected_down_ = false;
  std::string injected_text_;  // typed in the next frame
  int injected_key_ = -1;      // ImGuiKey_ pressed in the next frame, -1: none
  int released_key_ = -1;      // ImGuiKey_ to let go of in the frame after
  std::int64_t frame_began_ns_ = 0;
};

// Creates the window, its GL 3.0 context (GLSL "#version 130") and the ImGui context, loads
// fonts. On failure returns nullptr and sets *error (if given) to one clear sentence.
std::unique_ptr<Window> create_window(Backend backend, const WindowOptions& options,
                                      std::string* error);

// The one place that turns a monitor's DPI scale and the options into the UI scale.
float resolve_ui_scale(const WindowOptions& options, float dpi_scale);

// Where the UI font lives (DejaVu Sans), or empty when it is not installed.
std::string default_font_path();

}  // namespace platform

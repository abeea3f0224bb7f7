// Prints the size of the font atlas the platform layer builds (on the null backend, so no
// display is needed): how many glyphs, its width and height, the time to build it, and what
// it costs in memory as alpha (ImGui), RGBA (the copy a GL backend uploads from) and in the GL
// driver. First the atlas at start-up (Latin-1 and the UI's symbols), then after a page of
// posts in Greek, Hebrew, Cyrillic, Arabic and accented Latin arrives (the rebuild between two
// frames). For comparison, in the same run, the atlas the project built before (the same two
// DejaVu fonts with wide symbol ranges and 2x horizontal oversampling). Figures for
// docs/performance.md; nothing is asserted.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "platform/null_window.h"

namespace {

void print(const char* name, const ImFontAtlas& atlas, double build_ms, int gl_bytes_per_px) {
  int glyphs = 0;
  for (const ImFont* font : atlas.Fonts) glyphs += font->Glyphs.Size;
  const double px = static_cast<double>(atlas.TexWidth) * atlas.TexHeight;
  const double mib = 1024.0 * 1024.0;
  std::printf(
      "%-8s glyphs=%5d atlas=%4dx%-4d build=%6.1f ms  alpha=%5.1f MiB  rgba=%5.1f MiB  gl=%5.1f "
      "MiB\n",
      name, glyphs, atlas.TexWidth, atlas.TexHeight, build_ms, px / mib, px * 4 / mib,
      px * gl_bytes_per_px / mib);
}

// The atlas as the project built it before: wide ranges, OversampleH 2.
void before(const std::string& regular) {
  static constexpr ImWchar ranges[] = {
      0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F, 0x1E00, 0x1EFF,
      0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF,
      0x25A0, 0x25FF, 0x2600, 0x26FF, 0x2700, 0x27BF, 0xFFFD, 0xFFFD, 0};
  std::string bold = regular;
  bold.replace(bold.rfind(".ttf"), 4, "-Bold.ttf");
  const auto t0 = std::chrono::steady_clock::now();
  ImFontAtlas atlas;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  atlas.AddFontFromFileTTF(regular.c_str(), 20.0f, &config, ranges);
  atlas.AddFontFromFileTTF(bold.c_str(), 28.0f, &config, ranges);
  atlas.Build();  // rasterises into the alpha copy, as the null window's set-up does
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  print("before", atlas, ms, 4);
}

}  // namespace

int main() {
  const auto t0 = std::chrono::steady_clock::now();
  platform::NullWindow::Options options;
  options.stepped = true;
  platform::NullWindow window(options);  // builds the fonts exactly as a real window does
  const double build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const std::string regular = platform::default_font_path();
  if (regular.empty()) {
    std::fprintf(stderr, "font_atlas: DejaVu Sans is not installed (fonts-dejavu-core)\n");
    return 1;
  }
  // The GL figure assumes the one-byte texture a real window stores where GL can swizzle.
  print("start", *ImGui::GetIO().Fonts, build_ms, 1);
  // A page of posts as the view builder would hand them over.
  const char* page[] = {
      "\xce\x9a\xce\xb1\xce\xbb\xce\xae \xce\xb5\xce\xbe\xcf\x85\xcf\x80\xce\xb7\xcf\x81\xce"
      "\xad\xcf\x84\xce\xb7\xcf\x83\xce\xb7, \xce\xbf\xce\xb9 \xcf\x84\xce\xb9\xce\xbc\xce\xad"
      "\xcf\x82 \xcf\x88\xce\xb7\xce\xbb\xce\xad\xcf\x82 \xce\xb3\xce\xb9\xce\xb1 \xce\xb6\xcf"
      "\x89\xce\xae",
      "\xd7\xa9\xd7\x99\xd7\xa8\xd7\x95\xd7\xaa \xd7\x9e\xd7\xa2\xd7\x95\xd7\x9c\xd7\x94 \xd7"
      "\x90\xd7\x91\xd7\x9c \xd7\x94\xd7\xaa\xd7\x95\xd7\xa8 \xd7\x92\xd7\x93\xd7\x95\xd7\x9c"
      " \xd7\x9b\xd7\xa1\xd7\xa3 \xd7\x96\xd7\x9f \xd7\x98\xd7\xa2\xd7\x9d \xd7\xa7\xd7\xa5"
      " \xd7\xa4\xd7\xa5",
      "\xd0\x9e\xd1\x87\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb4\xd1\x8c \xd0\xb4\xd0\xbb\xd0\xb8\xd0"
      "\xbd\xd0\xbd\xd0\xb0\xd1\x8f, \xd0\xba\xd0\xb0\xd1\x81\xd1\x81\xd0\xb0 \xd0\xb7\xd0\xb0"
      "\xd0\xba\xd1\x80\xd1\x8b\xd1\x82\xd0\xb0",
      "\xd8\xae\xd8\xaf\xd9\x85\xd8\xa9 \xd9\x85\xd9\x85\xd8\xaa\xd8\xa7\xd8\xb2\xd8\xa9 \xd8"
      "\xb4\xd9\x83\xd8\xb1\xd8\xa7",
      "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85 ja\xc5\xba\xc5\x84, \xc5"
      "\x99"
      "e\xc5\xa1\xc4\x8d\xc5\xbe\xc3\xbd\xc3\xa1\xc3\xad\xc3\xa9, Cafe\xcc\x81",
  };
  const auto t1 = std::chrono::steady_clock::now();
  for (const char* post : page) window.request_glyphs(post);
  window.apply_glyph_requests();
  const double page_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  print("page", *ImGui::GetIO().Fonts, page_ms, 1);
  // The same page again: every glyph was asked for already, nothing is rebuilt.
  const auto t2 = std::chrono::steady_clock::now();
  bool again = false;
  for (const char* post : page) again = window.request_glyphs(post) || again;
  const double again_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t2).count();
  std::printf("again    new glyphs=%s, %.1f us to check the page, atlas builds=%d\n",
              again ? "yes" : "no", again_us, window.font_atlas_builds());
  before(regular);
  return 0;
}

// Prints the size of the font atlas the platform layer builds (on the null backend, so no
// display is needed): how many glyphs, its width and height, the time to build it, and what
// it costs in memory as alpha (ImGui), RGBA (the copy a GL backend uploads from) and in the GL
// driver. For comparison, in the same run, the atlas the project built before (the same two
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
  print("now", *ImGui::GetIO().Fonts, build_ms, 1);
  before(regular);
  return 0;
}

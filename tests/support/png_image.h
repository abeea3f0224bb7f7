#pragma once
// Reading a screenshot back in a test: its pixels, and how much of it is one colour (a theme's
// background, say).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::testing {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

struct PngImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4
  Rgb at(int x, int y) const;
};

// nullopt when the file is missing or not a PNG.
std::optional<PngImage> read_png(const std::string& path);

// The share of pixels (0..1) within tolerance of colour on each channel.
double share_of(const PngImage& image, Rgb colour, int tolerance = 3);

// A 0..1 colour channel as a byte, as the window's framebuffer holds it.
inline int to_byte(float channel) {
  return static_cast<int>(channel * 255.0f + 0.5f);
}

}  // namespace kiosk::testing

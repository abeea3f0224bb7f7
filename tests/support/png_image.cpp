// The one translation unit that holds stb_image's implementation (tests only).
#include "tests/support/png_image.h"

#include <cstdlib>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

namespace kiosk::testing {

Rgb PngImage::at(int x, int y) const {
  const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                         static_cast<std::size_t>(x)) *
                        4U;
  return {rgba[i], rgba[i + 1], rgba[i + 2]};
}

std::optional<PngImage> read_png(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (pixels == nullptr) return std::nullopt;
  PngImage image;
  image.width = w;
  image.height = h;
  image.rgba.assign(pixels,
                    pixels + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4U);
  stbi_image_free(pixels);
  return image;
}

double share_of(const PngImage& image, Rgb colour, int tolerance) {
  if (image.width <= 0 || image.height <= 0) return 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i + 3 < image.rgba.size(); i += 4) {
    if (std::abs(image.rgba[i] - colour.r) <= tolerance &&
        std::abs(image.rgba[i + 1] - colour.g) <= tolerance &&
        std::abs(image.rgba[i + 2] - colour.b) <= tolerance)
      ++n;
  }
  return static_cast<double>(n) /
         (static_cast<double>(image.width) * static_cast<double>(image.height));
}

}  // namespace kiosk::testing

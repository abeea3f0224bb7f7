// The one translation unit that holds stb_image_write's implementation.
#include "platform/png_writer.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace platform {

bool write_png(const std::string& path, const Image& image, std::string* error) {
  const auto expected =
      static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4U;
  if (image.width <= 0 || image.height <= 0 || image.rgba.size() != expected) {
    if (error != nullptr) *error = "The image is empty or its pixel buffer has the wrong size.";
    return false;
  }
  const int ok = stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(),
                                image.width * 4);
  if (ok == 0) {
    if (error != nullptr) *error = "Could not write the PNG file " + path + ".";
    return false;
  }
  return true;
}

}  // namespace platform

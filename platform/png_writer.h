#pragma once
// Writes an Image as a PNG file (screenshots for tests and support tickets).
#include <string>

#include "platform/image.h"

namespace platform {

// Returns false and sets *error (if given) to one sentence when the image is empty or the file
// cannot be written.
bool write_png(const std::string& path, const Image& image, std::string* error);

}  // namespace platform

#pragma once
// A screenshot in memory: tightly packed 8-bit RGBA rows, top row first.
#include <cstdint>
#include <vector>

namespace platform {

struct Image {
  int width = 0;                   // pixels
  int height = 0;                  // pixels
  std::vector<std::uint8_t> rgba;  // width * height * 4 bytes, top-down
};

}  // namespace platform

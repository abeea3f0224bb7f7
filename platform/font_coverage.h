#pragma once
// Which code points a TrueType font file has glyphs for, read from its character map without
// rasterising anything: the window tells the app everything its fonts can draw while the
// atlas holds only what was shown so far (window.cpp, "Fonts and scale").
#include <cstddef>
#include <span>
#include <vector>

#include "platform/window.h"

namespace platform::detail {

// The code points of `wanted` (runs, sorted, not overlapping) that the font in `ttf` (the
// whole file's bytes) maps to a glyph, as sorted runs. Empty when the bytes are not a font.
std::vector<CodepointRange> font_coverage(std::span<const unsigned char> ttf,
                                          std::span<const CodepointRange> wanted);

}  // namespace platform::detail

#include "platform/font_coverage.h"

// stb_truetype from Debian's libstb, the same library libimgui builds its atlas with.
#include <stb_truetype.h>

namespace platform::detail {

std::vector<CodepointRange> font_coverage(std::span<const unsigned char> ttf,
                                          std::span<const CodepointRange> wanted) {
  std::vector<CodepointRange> out;
  if (ttf.size() < 12) return out;
  stbtt_fontinfo info{};
  const int offset = stbtt_GetFontOffsetForIndex(ttf.data(), 0);
  if (offset < 0 || stbtt_InitFont(&info, ttf.data(), offset) == 0) return out;
  for (const CodepointRange& r : wanted) {
    for (char32_t c = r.first; c <= r.last; ++c) {
      if (stbtt_FindGlyphIndex(&info, static_cast<int>(c)) == 0) continue;
      if (!out.empty() && out.back().last + 1 == c)
        out.back().last = c;
      else
        out.push_back({c, c});
    }
  }
  return out;
}

}  // namespace platform::detail

#pragma once
// Text made drawable by the kiosk's font before it reaches a screen. The font holds no emoji
// and few symbols, and ImGui draws a missing glyph as a box or "?", so a post such as
// "Love it 😍🔥🔥" would read "Love it ???". Instead, each emoji or symbol the font cannot draw
// becomes its short name in brackets ("[heart eyes]", "[fire ×2]"), from a table of the common
// ones (faces, hands, hearts, thumbs, fire, stars, check marks, clocks, flags); anything else
// it cannot draw becomes a neutral placeholder ("[emoji]", "[symbol]", "[…]"). Variation
// selectors, skin tones, keycap and tag marks are dropped, and a zero-width-joiner sequence is
// named by its first emoji. Combining accents are composed onto their letter where Latin has
// one letter for both, and right-to-left runs (Hebrew, Arabic) are put in visual order,
// because ImGui lays every line out left to right.
//
// Pure: the caller says what the font can draw (the platform reads it from the built font
// atlas). Meant to run once when a text enters the view, not per frame.
#include <span>
#include <string>
#include <string_view>

namespace kiosk::core {

// A run of code points the font has glyphs for, first to last inclusive.
struct GlyphRange {
  char32_t first = 0;
  char32_t last = 0;
};

// The emoji's or symbol's short name ("thumbs up"), or empty when the table lacks it.
std::string_view emoji_name(char32_t cp);

// text with everything the font cannot draw replaced as above. drawable must be sorted by
// first and not overlap; invalid UTF-8 reads as U+FFFD.
std::string drawable_text(std::string_view text, std::span<const GlyphRange> drawable);

}  // namespace kiosk::core

#pragma once
// Text from the outside (social payloads, notes typed on the kiosk, HQ responses) must be
// valid UTF-8 before it is stored or drawn.
#include <string>
#include <string_view>

namespace kiosk::core {

bool is_valid_utf8(std::string_view s);
// Replaces each invalid sequence with U+FFFD, so nothing is silently dropped.
std::string repair_utf8(std::string_view s);
// The code point at s[i], advancing i past it; an invalid byte reads as U+FFFD and advances
// by one, like repair_utf8(). i must be < s.size().
char32_t decode_utf8(std::string_view s, std::size_t& i);
// Appends cp as UTF-8 (U+FFFD for a surrogate or a value past U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

// Drops characters that only modify the one before them (emoji variation selectors U+FE0E
// and U+FE0F, zero-width joiner U+200D): the kiosk's font has no glyphs for them, and
// without that it would draw a box after every "red heart" emoji.
std::string strip_presentation_modifiers(std::string_view s);

}  // namespace kiosk::core

// Text the kiosk's font cannot draw, made drawable before it reaches a screen: emoji by their
// short names, the marks that only modify them dropped, unknown symbols as a neutral
// placeholder, accents composed and right-to-left runs in reading order. Never a box or "?".
#include <doctest/doctest.h>

#include <vector>

#include "kiosk/core/drawable_text.h"

using kiosk::core::drawable_text;
using kiosk::core::emoji_name;
using kiosk::core::GlyphRange;

namespace {

// What the kiosk's body font holds (platform/window.cpp), in the same shape the window hands
// over: Latin, combining accents, Greek, Cyrillic, Hebrew, Arabic, punctuation, currency.
const std::vector<GlyphRange> kFont = {{0x20, 0x24F},    {0x300, 0x36F},   {0x370, 0x3FF},
                                       {0x400, 0x4FF},   {0x590, 0x5FF},   {0x600, 0x6FF},
                                       {0x2010, 0x205E}, {0x20A0, 0x20C0}, {0xFFFD, 0xFFFD}};

std::string shown(const std::string& text) {
  return drawable_text(text, kFont);
}

}  // namespace

TEST_CASE("[text] emoji become their short names, in brackets, as words of their own") {
  CHECK(shown("Great service \xF0\x9F\x91\x8D") == "Great service [thumbs up]");
  CHECK(shown("Still waiting\xF0\x9F\x98\xA0!") == "Still waiting [angry face]!");
  CHECK(shown("\xF0\x9F\x94\xA5 deals") == "[fire] deals");
  CHECK(shown("Made my day \xE2\x9D\xA4\xEF\xB8\x8F") == "Made my day [red heart]");
  CHECK(shown("\xE2\x9C\x85 fixed at \xE2\x8F\xB0 9") == "[check mark] fixed at [alarm clock] 9");
  CHECK(shown("\xF0\x9F\x95\x92") == "[clock]");
  CHECK(shown("5 \xE2\xAD\x90") == "5 [star]");
  CHECK(emoji_name(0x1F60D) == "heart eyes");
  CHECK(emoji_name(0x41).empty());
}

TEST_CASE("[text] repeats are counted, skin tones and joiners drop cleanly") {
  CHECK(shown("\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5") ==
        "[fire \xC3\x97"
        "3]");
  CHECK(shown("\xF0\x9F\x98\x8D \xF0\x9F\x98\x8D") ==
        "[heart eyes \xC3\x97"
        "2]");
  // Thumbs up, medium skin tone.
  CHECK(shown("ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD") == "ok [thumbs up]");
  // Man + ZWJ + woman + ZWJ + girl: one family, named by its first emoji.
  CHECK(shown("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 here") ==
        "[emoji] here");
  // Heart on fire: red heart, VS16, ZWJ, fire.
  CHECK(shown("\xE2\x9D\xA4\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x94\xA5") == "[red heart]");
  // Keycap one: the digit stays, its marks go.
  CHECK(shown("1\xEF\xB8\x8F\xE2\x83\xA3 item") == "1 item");
  // Flags by their two letters.
  CHECK(shown("\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8") == "[flag ES]");
}

TEST_CASE("[text] unknown symbols and scripts get a neutral placeholder, never a box or ?") {
  const std::string unknown_emoji = shown("\xF0\x9F\xA6\x84 unicorn");  // U+1F984
  CHECK(unknown_emoji == "[emoji] unicorn");
  CHECK(shown("\xE2\x99\xBB") == "[emoji]");                             // recycling, U+267B
  CHECK(shown("\xE2\x88\x9E love") == "[symbol] love");                  // infinity, U+221E
  CHECK(shown("\xE5\xA5\xBD\xE5\x90\x83 yum") == "[\xE2\x80\xA6] yum");  // two CJK letters: one
  for (const std::string& text :
       {std::string("\xF0\x9F\x98\x80\xF0\x9F\xA5\xB3\xF0\x9F\xAB\xA0"),
        std::string("\xE2\x98\x83"),
        std::string("\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88")}) {
    const std::string out = shown(text);
    CHECK(out.find('?') == std::string::npos);
    CHECK(out.find("\xE2\x96\xA1") == std::string::npos);  // no drawn box either
    CHECK_FALSE(out.empty());
  }
  // Invisible controls and direction marks go; newlines stay.
  CHECK(shown("a\xE2\x80\x8B"
              "b\nc") == "ab\nc");
}

TEST_CASE("[text] combining accents and right-to-left text stay readable") {
  // e + combining acute: one letter the font draws.
  CHECK(shown("cafe\xCC\x81") == "caf\xC3\xA9");
  CHECK(shown("pin\xCC\x83"
              "a") ==
        "pi\xC3\xB1"
        "a");
  // A mark with no precomposed letter stays: the font draws it over its letter.
  CHECK(shown("q\xCC\x81") == "q\xCC\x81");
  // Hebrew "shalom" (shin, lamed, vav, mem-final) in reading order for a left-to-right layout.
  CHECK(shown("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D ok") == "\xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9 ok");
  // Plain text passes through untouched.
  CHECK(shown("Caf\xC3\xA9 \xE2\x80\x94 \xE2\x82\xAC"
              "5") ==
        "Caf\xC3\xA9 \xE2\x80\x94 \xE2\x82\xAC"
        "5");
}

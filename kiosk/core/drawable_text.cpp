#include "kiosk/core/drawable_text.h"

#include <algorithm>
#include <array>
#include <vector>

#include "kiosk/core/utf8.h"

namespace kiosk::core {
namespace {

struct Named {
  char32_t cp;
  const char* name;
};

// Sorted by code point. Short names, close to Unicode's, for what posts about a store use.
constexpr Named kNames[] = {
    {0x2122, "trademark"},
    {0x2190, "left arrow"},
    {0x2191, "up arrow"},
    {0x2192, "right arrow"},
    {0x2193, "down arrow"},
    {0x231A, "watch"},
    {0x231B, "hourglass"},
    {0x23F0, "alarm clock"},
    {0x23F1, "stopwatch"},
    {0x23F3, "hourglass"},
    {0x2600, "sun"},
    {0x2601, "cloud"},
    {0x2605, "star"},
    {0x2606, "star"},
    {0x260E, "telephone"},
    {0x2611, "check box"},
    {0x2614, "umbrella"},
    {0x2615, "hot drink"},
    {0x261D, "pointing up"},
    {0x2639, "frowning face"},
    {0x263A, "smiling face"},
    {0x2665, "heart"},
    {0x26A0, "warning"},
    {0x26A1, "high voltage"},
    {0x26D4, "no entry"},
    {0x2705, "check mark"},
    {0x270A, "raised fist"},
    {0x270B, "raised hand"},
    {0x270C, "victory hand"},
    {0x2713, "check mark"},
    {0x2714, "check mark"},
    {0x2716, "cross mark"},
    {0x2717, "cross mark"},
    {0x2728, "sparkles"},
    {0x274C, "cross mark"},
    {0x274E, "cross mark"},
    {0x2753, "question mark"},
    {0x2757, "exclamation mark"},
    {0x2763, "heart exclamation"},
    {0x2764, "red heart"},
    {0x27A1, "right arrow"},
    {0x2B05, "left arrow"},
    {0x2B06, "up arrow"},
    {0x2B07, "down arrow"},
    {0x2B50, "star"},
    {0x1F195, "new"},
    {0x1F197, "ok"},
    {0x1F198, "sos"},
    {0x1F308, "rainbow"},
    {0x1F31F, "glowing star"},
    {0x1F354, "burger"},
    {0x1F355, "pizza"},
    {0x1F377, "wine"},
    {0x1F37A, "beer"},
    {0x1F381, "gift"},
    {0x1F382, "birthday cake"},
    {0x1F389, "party popper"},
    {0x1F38A, "confetti"},
    {0x1F3C6, "trophy"},
    {0x1F3EA, "store"},
    {0x1F3EC, "store"},
    {0x1F440, "eyes"},
    {0x1F446, "pointing up"},
    {0x1F447, "pointing down"},
    {0x1F448, "pointing left"},
    {0x1F449, "pointing right"},
    {0x1F44A, "fist"},
    {0x1F44B, "waving hand"},
    {0x1F44C, "ok hand"},
    {0x1F44D, "thumbs up"},
    {0x1F44E, "thumbs down"},
    {0x1F44F, "clapping hands"},
    {0x1F450, "open hands"},
    {0x1F47F, "angry devil"},
    {0x1F480, "skull"},
    {0x1F494, "broken heart"},
    {0x1F495, "two hearts"},
    {0x1F496, "sparkling heart"},
    {0x1F497, "growing heart"},
    {0x1F498, "heart with arrow"},
    {0x1F499, "blue heart"},
    {0x1F49A, "green heart"},
    {0x1F49B, "yellow heart"},
    {0x1F49C, "purple heart"},
    {0x1F49D, "heart with ribbon"},
    {0x1F49E, "revolving hearts"},
    {0x1F49F, "heart"},
    {0x1F4A1, "light bulb"},
    {0x1F4A2, "anger"},
    {0x1F4A4, "zzz"},
    {0x1F4A5, "collision"},
    {0x1F4A6, "sweat drops"},
    {0x1F4A9, "pile of poo"},
    {0x1F4AA, "flexed biceps"},
    {0x1F4AF, "hundred points"},
    {0x1F4B0, "money bag"},
    {0x1F4B3, "credit card"},
    {0x1F4B5, "banknote"},
    {0x1F4B8, "money with wings"},
    {0x1F4DE, "telephone"},
    {0x1F4E6, "package"},
    {0x1F4F1, "mobile phone"},
    {0x1F525, "fire"},
    {0x1F570, "clock"},
    {0x1F590, "raised hand"},
    {0x1F595, "middle finger"},
    {0x1F5A4, "black heart"},
    {0x1F600, "grinning face"},
    {0x1F601, "beaming face"},
    {0x1F602, "tears of joy"},
    {0x1F603, "grinning face"},
    {0x1F604, "grinning face"},
    {0x1F605, "sweat smile"},
    {0x1F606, "laughing face"},
    {0x1F607, "smiling face with halo"},
    {0x1F608, "smiling devil"},
    {0x1F609, "winking face"},
    {0x1F60A, "smiling face"},
    {0x1F60B, "yum"},
    {0x1F60C, "relieved face"},
    {0x1F60D, "heart eyes"},
    {0x1F60E, "sunglasses"},
    {0x1F60F, "smirk"},
    {0x1F610, "neutral face"},
    {0x1F611, "expressionless face"},
    {0x1F612, "unamused face"},
    {0x1F613, "downcast face"},
    {0x1F614, "pensive face"},
    {0x1F615, "confused face"},
    {0x1F616, "confounded face"},
    {0x1F617, "kissing face"},
    {0x1F618, "blowing a kiss"},
    {0x1F619, "kissing face"},
    {0x1F61A, "kissing face"},
    {0x1F61B, "tongue out"},
    {0x1F61C, "winking tongue"},
    {0x1F61D, "squinting tongue"},
    {0x1F61E, "disappointed face"},
    {0x1F61F, "worried face"},
    {0x1F620, "angry face"},
    {0x1F621, "enraged face"},
    {0x1F622, "crying face"},
    {0x1F623, "persevering face"},
    {0x1F624, "huffing face"},
    {0x1F625, "sad face"},
    {0x1F626, "frowning face"},
    {0x1F627, "anguished face"},
    {0x1F628, "fearful face"},
    {0x1F629, "weary face"},
    {0x1F62A, "sleepy face"},
    {0x1F62B, "tired face"},
    {0x1F62C, "grimacing face"},
    {0x1F62D, "loudly crying"},
    {0x1F62E, "open mouth"},
    {0x1F62F, "hushed face"},
    {0x1F630, "anxious face"},
    {0x1F631, "screaming face"},
    {0x1F632, "astonished face"},
    {0x1F633, "flushed face"},
    {0x1F634, "sleeping face"},
    {0x1F635, "dizzy face"},
    {0x1F636, "face without mouth"},
    {0x1F637, "face with mask"},
    {0x1F641, "frowning face"},
    {0x1F642, "smiling face"},
    {0x1F643, "upside-down face"},
    {0x1F644, "rolling eyes"},
    {0x1F645, "gesturing no"},
    {0x1F646, "gesturing ok"},
    {0x1F647, "bowing"},
    {0x1F64B, "raising hand"},
    {0x1F64C, "raising hands"},
    {0x1F64F, "folded hands"},
    {0x1F697, "car"},
    {0x1F69A, "delivery truck"},
    {0x1F6AB, "prohibited"},
    {0x1F6CD, "shopping bags"},
    {0x1F6D2, "shopping cart"},
    {0x1F90D, "white heart"},
    {0x1F90E, "brown heart"},
    {0x1F910, "zipper mouth"},
    {0x1F911, "money face"},
    {0x1F912, "sick face"},
    {0x1F913, "nerd face"},
    {0x1F914, "thinking face"},
    {0x1F915, "bandaged face"},
    {0x1F917, "hugging face"},
    {0x1F918, "horns sign"},
    {0x1F919, "call me hand"},
    {0x1F91D, "handshake"},
    {0x1F91E, "crossed fingers"},
    {0x1F91F, "love-you gesture"},
    {0x1F921, "clown face"},
    {0x1F922, "nauseated face"},
    {0x1F923, "rolling on the floor laughing"},
    {0x1F924, "drooling face"},
    {0x1F925, "lying face"},
    {0x1F926, "facepalm"},
    {0x1F927, "sneezing face"},
    {0x1F928, "raised eyebrow"},
    {0x1F929, "star-struck"},
    {0x1F92A, "zany face"},
    {0x1F92C, "cursing face"},
    {0x1F92E, "vomiting face"},
    {0x1F92F, "exploding head"},
    {0x1F937, "shrug"},
    {0x1F947, "gold medal"},
    {0x1F964, "cup with straw"},
    {0x1F970, "smiling face with hearts"},
    {0x1F971, "yawning face"},
    {0x1F972, "smiling face with tear"},
    {0x1F973, "partying face"},
    {0x1F974, "woozy face"},
    {0x1F975, "hot face"},
    {0x1F976, "cold face"},
    {0x1F97A, "pleading face"},
    {0x1F9D0, "monocle face"},
    {0x1F9E1, "orange heart"},
};

// Marks that only modify what comes before them: variation selectors, skin tones, the
// keycap's enclosing mark, tags (subdivision flags) and the zero-width joiner.
bool is_modifier(char32_t cp) {
  return cp == 0xFE0E || cp == 0xFE0F || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

bool is_regional_indicator(char32_t cp) {
  return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

// Pictographs: their unknown ones read "[emoji]".
bool is_pictograph(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2B00 && cp <= 0x2BFF);
}

// Other symbol blocks (letterlike, arrows, maths, technical, boxes, dingbats): "[symbol]".
bool is_symbol(char32_t cp) {
  return (cp >= 0x2100 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFFF9 && cp <= 0xFFFC);
}

bool is_combining(char32_t cp) {
  return cp >= 0x0300 && cp <= 0x036F;
}

bool is_rtl(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF);
}

// The one Latin letter for a letter and a combining accent (grave, acute, circumflex, tilde,
// diaeresis, cedilla), or 0.
char32_t compose(char32_t base, char32_t mark) {
  struct Row {
    char32_t mark;
    const char* bases;  // ASCII letters
    const char32_t* composed;
  };
  static constexpr char32_t grave[] = {0xC0, 0xC8, 0xCC, 0xD2, 0xD9, 0xE0, 0xE8, 0xEC, 0xF2, 0xF9};
  static constexpr char32_t acute[] = {0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xDD,
                                       0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xFD};
  static constexpr char32_t circumflex[] = {0xC2, 0xCA, 0xCE, 0xD4, 0xDB,
                                            0xE2, 0xEA, 0xEE, 0xF4, 0xFB};
  static constexpr char32_t tilde[] = {0xC3, 0xD1, 0xD5, 0xE3, 0xF1, 0xF5};
  static constexpr char32_t diaeresis[] = {0xC4, 0xCB, 0xCF, 0xD6, 0xDC, 0xE4,
                                           0xEB, 0xEF, 0xF6, 0xFC, 0xFF};
  static constexpr char32_t cedilla[] = {0xC7, 0xE7};
  static constexpr Row rows[] = {
      {0x0300, "AEIOUaeiou", grave},      {0x0301, "AEIOUYaeiouy", acute},
      {0x0302, "AEIOUaeiou", circumflex}, {0x0303, "ANOano", tilde},
      {0x0308, "AEIOUaeiouy", diaeresis}, {0x0327, "Cc", cedilla}};
  if (base > 0x7F) return 0;
  for (const Row& row : rows) {
    if (row.mark != mark) continue;
    const std::string_view bases(row.bases);
    const auto at = bases.find(static_cast<char>(base));
    return at == std::string_view::npos ? 0 : row.composed[at];
  }
  return 0;
}

bool can_draw(char32_t cp, std::span<const GlyphRange> drawable) {
  const auto it = std::upper_bound(drawable.begin(), drawable.end(), cp,
                                   [](char32_t c, const GlyphRange& r) { return c < r.first; });
  return it != drawable.begin() && cp <= std::prev(it)->last;
}

// One piece of the output: drawable text as code points, or a bracketed substitute.
struct Piece {
  std::u32string text;     // drawable code points (empty for a substitute)
  std::string substitute;  // "heart eyes", "emoji", ...
  int repeat = 1;          // the same substitute this many times in a row
};

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\n' || cp == '\t' || cp == 0xA0;
}

// A letter or digit (not a space or punctuation): a substitute before it needs a space.
bool starts_word(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
         cp >= 0xC0;
}

// Reverses each run of right-to-left letters (with the spaces and marks between them) so that
// a left-to-right layout shows them in reading order.
void reorder_rtl(std::u32string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_rtl(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    std::size_t last_rtl = i;
    while (end < text.size() &&
           (is_rtl(text[end]) || is_space(text[end]) || is_combining(text[end]))) {
      if (is_rtl(text[end])) last_rtl = end;
      ++end;
    }
    std::reverse(text.begin() + static_cast<std::ptrdiff_t>(i),
                 text.begin() + static_cast<std::ptrdiff_t>(last_rtl) + 1);
    i = last_rtl + 1;
  }
}

}  // namespace

std::string_view emoji_name(char32_t cp) {
  if (cp >= 0x1F550 && cp <= 0x1F567) return "clock";
  if (cp >= 0x1F638 && cp <= 0x1F640) return "cat face";
  const auto it = std::lower_bound(std::begin(kNames), std::end(kNames), cp,
                                   [](const Named& n, char32_t c) { return n.cp < c; });
  return it != std::end(kNames) && it->cp == cp ? std::string_view(it->name) : std::string_view();
}

std::string drawable_text(std::string_view text, std::span<const GlyphRange> drawable) {
  std::vector<char32_t> cps;
  cps.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) cps.push_back(decode_utf8(text, i));

  std::vector<Piece> pieces;
  const auto add_text = [&](char32_t cp) {
    if (pieces.empty() || !pieces.back().substitute.empty()) pieces.emplace_back();
    pieces.back().text.push_back(cp);
  };
  // Letters of a script the font lacks are one placeholder however many there are.
  const auto counted = [](const std::string& name) { return name != "\xE2\x80\xA6"; };
  const auto add_substitute = [&](std::string name) {
    if (!pieces.empty() && pieces.back().substitute == name) {
      if (counted(name)) ++pieces.back().repeat;
      return;
    }
    // "😍 😍 😍" counts as a run too: the spaces between equal substitutes go.
    if (pieces.size() >= 2 && pieces[pieces.size() - 2].substitute == name) {
      const std::u32string& between = pieces.back().text;
      if (std::all_of(between.begin(), between.end(), is_space)) {
        pieces.pop_back();
        if (counted(name)) ++pieces.back().repeat;
        return;
      }
    }
    Piece p;
    p.substitute = std::move(name);
    pieces.push_back(std::move(p));
  };

  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    if (is_modifier(cp)) continue;
    if (cp == 0x200D) {
      // A zero-width-joiner sequence (family, "heart on fire") is named by its first emoji:
      // skip what it joins, with that one's own modifiers.
      while (i + 1 < cps.size() && (is_modifier(cps[i + 1]) || cps[i + 1] == 0x200D)) ++i;
      if (i + 1 < cps.size() && (is_pictograph(cps[i + 1]) || !emoji_name(cps[i + 1]).empty())) {
        ++i;
        while (i + 1 < cps.size() && is_modifier(cps[i + 1])) ++i;
      }
      continue;
    }
    if (is_regional_indicator(cp)) {
      // A flag: two regional indicators spell its country code.
      std::string name = "flag";
      if (i + 1 < cps.size() && is_regional_indicator(cps[i + 1])) {
        name += ' ';
        name += static_cast<char>('A' + (cp - 0x1F1E6));
        name += static_cast<char>('A' + (cps[i + 1] - 0x1F1E6));
        ++i;
      }
      add_substitute(std::move(name));
      continue;
    }
    if (is_combining(cp)) {
      // An accent after a letter: the one letter that holds both, when Latin has it.
      if (!pieces.empty() && pieces.back().substitute.empty() && !pieces.back().text.empty()) {
        if (const char32_t c = compose(pieces.back().text.back(), cp); c != 0) {
          pieces.back().text.back() = c;
          continue;
        }
      }
      if (can_draw(cp, drawable)) add_text(cp);
      continue;  // an accent the font cannot draw goes; its letter stays readable
    }
    if (cp == '\n' || cp == '\t' || can_draw(cp, drawable)) {
      // A digit, # or * before the keycap mark (dropped above) stays as it is.
      add_text(cp);
      continue;
    }
    if (const std::string_view name = emoji_name(cp); !name.empty()) {
      add_substitute(std::string(name));
    } else if (is_pictograph(cp)) {
      add_substitute("emoji");
    } else if (is_symbol(cp)) {
      add_substitute("symbol");
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x200B && cp <= 0x200F) ||
               (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      // Controls and invisible direction marks: nothing to show (tabs and newlines are drawable).
      continue;
    } else {
      add_substitute("\xE2\x80\xA6");  // "[…]": a letter of a script the font lacks
    }
  }

  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    Piece& p = pieces[k];
    if (p.substitute.empty()) {
      reorder_rtl(p.text);
      for (const char32_t c : p.text) append_utf8(out, c);
      continue;
    }
    // Its own word: a space on each side where the text runs into it.
    if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    out += '[';
    out += p.substitute;
    if (p.repeat > 1) out += " \xC3\x97" + std::to_string(p.repeat);  // "×3"
    out += ']';
    if (k + 1 < pieces.size() && pieces[k + 1].substitute.empty() &&
        starts_word(pieces[k + 1].text.front()))
      out += ' ';
  }
  return out;
}

}  // namespace kiosk::core

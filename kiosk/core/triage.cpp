#include "kiosk/core/triage.h"

// Sections: lexicon tables and parsing · tokens · valence rules (VADER) · customer-service
// signals · triage decision.
//
// The valence rules follow the VADER paper: each lexicon word's valence, raised or lowered by
// up to three boosters before it, flipped and damped by a negation within three words, raised
// when written in CAPS among lower-case words; words before "but" count half, after it one
// and a half; "!" and "??" push the sum further the way it already leans; the sum is
// normalised to [-1, 1] as x / sqrt(x^2 + 15).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace kiosk::core {

// [SECTION] lexicon tables and parsing ---------------------------------------------------

namespace {

// Tags of customer-service entries (assets/lexicons/customer_service.tsv).
enum Tag : std::uint32_t {
  kComplaint = 1u << 0,  // only complaints say this
  kNow = 1u << 1,        // happening now, in the store
  kWait = 1u << 2,       // a long wait
  kHelp = 1u << 3,       // asks for help
  kManager = 1u << 4,    // wants a manager
  kStaff = 1u << 5,      // a staff role: "cashier", "guy"
  kPlace = 1u << 6,      // a place in the store: "bakery", "till"
  kBooster = 1u << 7,    // raises the next sentiment word (value: the scalar)
  kDampener = 1u << 8,   // lowers it
  kNegation = 1u << 9,   // flips it
  kContrast = 1u << 10,  // "but": what follows counts more
  kSarcasm = 1u << 11,   // "thanks for nothing", "love how"
  kThanks = 1u << 12,    // gratitude
  kNotName = 1u << 13,   // capitalised at a sentence start but never a person's name
};

struct TagName {
  std::string_view name;
  std::uint32_t bit;
};
constexpr std::array<TagName, 14> kTagNames = {{{"complaint", kComplaint},
                                                {"now", kNow},
                                                {"wait", kWait},
                                                {"help", kHelp},
                                                {"manager", kManager},
                                                {"staff", kStaff},
                                                {"place", kPlace},
                                                {"booster", kBooster},
                                                {"dampener", kDampener},
                                                {"negation", kNegation},
                                                {"contrast", kContrast},
                                                {"sarcasm", kSarcasm},
                                                {"thanks", kThanks},
                                                {"notname", kNotName}}};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

// One customer-service entry of two or more tokens, found through its first token.
struct Phrase {
  std::vector<std::string> rest;  // the tokens after the first
  std::string text;               // as written in the lexicon, for "the words that decided"
  float valence = 0;
  bool has_valence = false;  // "-" in the file: the words keep their VADER valences
  std::uint32_t tags = 0;
  int category = -1;
};

struct WordInfo {
  float vader = 0;  // VADER valence, when in_vader
  bool in_vader = false;
  bool in_cs = false;  // a single-token customer-service entry
  float cs = 0;        // its valence (or booster scalar), when cs_has_valence
  bool cs_has_valence = false;
  std::uint32_t tags = 0;
  int category = -1;
  std::vector<std::uint32_t> phrases;  // indices into LexiconData::phrases, longest first
};

// Every single-token entry in one open-addressing table (one probe per word in most cases,
// no pointer chasing): built once from `words` when parsing ends.
class FlatWords {
 public:
  void build(std::unordered_map<std::string, WordInfo, StringHash, std::equal_to<>>&& words) {
    std::size_t cap = 16;
    while (cap < words.size() * 3) cap *= 2;
    slots_.assign(cap, Slot{});
    keys_.clear();
    infos_.clear();
    keys_.reserve(words.size());
    infos_.reserve(words.size());
    for (auto& [key, info] : words) {
      const auto h = hash(key);
      std::size_t at = h & (cap - 1);
      while (slots_[at].index != 0) at = (at + 1) & (cap - 1);
      keys_.push_back(key);
      infos_.push_back(std::move(info));
      slots_[at] = Slot{h, static_cast<std::uint32_t>(keys_.size())};
    }
  }
  const WordInfo* find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const auto h = hash(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.index == 0) return nullptr;
      if (slot.hash == h && keys_[slot.index - 1] == key) return &infos_[slot.index - 1];
    }
  }
  std::size_t size() const { return keys_.size(); }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index = 0;  // 1-based into keys_/infos_, 0 = empty
  };
  static std::uint32_t hash(std::string_view s) {  // FNV-1a
    std::uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
  }
  std::vector<Slot> slots_;
  std::vector<std::string> keys_;
  std::vector<WordInfo> infos_;
};

struct LexiconData {
  std::unordered_map<std::string, WordInfo, StringHash, std::equal_to<>> words;  // while parsing
  FlatWords lookup;                                // the same entries, for scoring
  std::unordered_map<std::uint32_t, float> emoji;  // code point -> valence of its description
  std::vector<Phrase> phrases;
  std::size_t single_words = 0;
};

Lexicon::Lexicon() : data_(std::make_unique<LexiconData>()) {}
Lexicon::~Lexicon() = default;
Lexicon::Lexicon(Lexicon&&) noexcept = default;
Lexicon& Lexicon::operator=(Lexicon&&) noexcept = default;
std::size_t Lexicon::word_count() const {
  return data_->single_words;
}
std::size_t Lexicon::phrase_count() const {
  return data_->phrases.size();
}

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Splits text into lines without their "\r\n" / "\n".
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    if (!f(line, line_no)) return;
  }
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s = s.substr(at + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<float> parse_number(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  float v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Decodes one UTF-8 code point at s[i] (the text is valid UTF-8; anything else reads as one
// byte). Returns its length.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  if (i + len > s.size() || (c & 0xC0) == 0x80) {
    cp = c;
    return 1;
  }
  cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  return len;
}

// Tokens of a lexicon phrase: lower case, split on spaces ("<n>" stands for any number).
std::vector<std::string> phrase_tokens(std::string_view phrase) {
  std::vector<std::string> out;
  for (auto part : split(phrase, ' ')) {
    if (part.empty()) continue;
    out.push_back(lower(part));
  }
  return out;
}

std::string failure_at(std::string_view origin, std::size_t line_no, std::string_view what) {
  return std::string(origin) + " line " + std::to_string(line_no) + ": " + std::string(what);
}

std::optional<std::string> parse_vader(LexiconData& d, std::string_view text) {
  std::optional<std::string> error;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (line.empty()) return true;
    const auto cols = split(line, '\t');
    const auto v = cols.size() >= 2 ? parse_number(cols[1]) : std::nullopt;
    if (cols[0].empty() || !v) {
      error = failure_at("vader_lexicon.txt", n,
                         "expected a token, a tab and its mean valence (e.g. \"good\\t1.9\")");
      return false;
    }
    auto& w = d.words[lower(cols[0])];
    w.in_vader = true;
    w.vader = *v;
    return true;
  });
  return error;
}

std::optional<std::string> parse_emoji(LexiconData& d, std::string_view text) {
  std::optional<std::string> error;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (line.empty()) return true;
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      error = failure_at("emoji_utf8_lexicon.txt", n, "expected an emoji, a tab and its words");
      return false;
    }
    std::uint32_t cp = 0;
    const auto len = decode(line, 0, cp);
    // Sequences (flags, skin tones, families) are scored by their first code point, the way
    // the scanner below meets them; the first entry for a code point wins.
    if (len == tab || !d.emoji.count(cp)) {
      float sum = 0;
      for (auto word : split(line.substr(tab + 1), ' ')) {
        const auto it = d.words.find(lower(word));
        if (it != d.words.end() && it->second.in_vader) sum += it->second.vader;
      }
      d.emoji[cp] = sum;
    }
    return true;
  });
  return error;
}

std::optional<std::string> parse_customer_service(LexiconData& d, std::string_view text) {
  std::optional<std::string> error;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (trim(line).empty() || line.front() == '#') return true;
    const auto cols = split(line, '\t');
    const auto fail = [&](std::string_view what) {
      error = failure_at("customer_service.tsv", n, what);
      return false;
    };
    if (cols.size() < 2 || cols.size() > 3)
      return fail("expected: phrase TAB value TAB tags (value \"-\" keeps the words' own)");
    const auto tokens = phrase_tokens(trim(cols[0]));
    if (tokens.empty()) return fail("the phrase is empty");
    Phrase p;
    p.text = std::string(trim(cols[0]));
    if (trim(cols[1]) != "-") {
      const auto v = parse_number(cols[1]);
      if (!v || *v < -4 || *v > 4) return fail("the value must be a number from -4 to 4, or -");
      p.valence = *v;
      p.has_valence = true;
    }
    if (cols.size() == 3)
      for (auto tag : split(cols[2], ',')) {
        tag = trim(tag);
        if (tag.empty() || tag == "-") continue;
        if (const auto c = parse_category(tag)) {
          p.category = static_cast<int>(*c);
          continue;
        }
        const auto known = std::find_if(kTagNames.begin(), kTagNames.end(),
                                        [&](const TagName& t) { return t.name == tag; });
        if (known == kTagNames.end())
          return fail("unknown tag \"" + std::string(tag) +
                      "\" (a category from category.h, or complaint, now, wait, help, manager, "
                      "staff, place, booster, dampener, negation, contrast, sarcasm, thanks, "
                      "notname)");
        p.tags |= known->bit;
      }
    auto& first = d.words[tokens[0]];
    if (tokens.size() == 1) {
      first.in_cs = true;
      first.cs = p.valence;
      first.cs_has_valence = p.has_valence;
      first.tags |= p.tags;
      if (p.category >= 0) first.category = p.category;
      return true;
    }
    p.rest.assign(tokens.begin() + 1, tokens.end());
    first.phrases.push_back(static_cast<std::uint32_t>(d.phrases.size()));
    d.phrases.push_back(std::move(p));
    return true;
  });
  if (error) return error;
  for (auto& [_, w] : d.words)
    std::stable_sort(w.phrases.begin(), w.phrases.end(), [&](std::uint32_t a, std::uint32_t b) {
      return d.phrases[a].rest.size() > d.phrases[b].rest.size();
    });
  return std::nullopt;
}

}  // namespace

Result<Lexicon> parse_lexicon(const LexiconTexts& texts) {
  Lexicon lex;
  auto& d = *lex.data_;
  // VADER first: the emoji descriptions are scored through its words.
  if (auto e = parse_vader(d, texts.vader)) return Result<Lexicon>::failure(*e);
  if (auto e = parse_emoji(d, texts.emoji)) return Result<Lexicon>::failure(*e);
  if (auto e = parse_customer_service(d, texts.customer_service))
    return Result<Lexicon>::failure(*e);
  d.single_words = d.words.size() + d.emoji.size();
  d.lookup.build(std::move(d.words));
  d.words.clear();
  return lex;
}

// [SECTION] tokens ------------------------------------------------------------------------

namespace {

constexpr double kBoost = 0.293;         // a booster's push (VADER B_INCR)
constexpr double kCapsBoost = 0.733;     // an ALL-CAPS word among lower-case ones (C_INCR)
constexpr double kNegate = -0.74;        // a negated word's valence factor (N_SCALAR)
constexpr double kExclaim = 0.292;       // each "!" up to four
constexpr double kQuestion = 0.18;       // each "?" from two to three
constexpr double kNormAlpha = 15.0;      // compound = x / sqrt(x^2 + alpha)
constexpr double kLooseNegation = -0.8;  // a negation with nothing to flip, said to a business

struct Token {
  std::string_view original;  // as written (CAPS checks)
  std::string_view lowered;   // lookup key (points into Analysis::lower_buffer)
  const WordInfo* info = nullptr;
  float emoji = 0;  // valence of an emoji token
  bool is_emoji = false;
  bool is_number = false;
  bool hashtag = false;         // written "#word"
  bool sentence_start = false;  // first word of the text or after . ! ?
};

bool is_ascii_punct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_upper_word(std::string_view w) {
  bool any_alpha = false;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') any_alpha = true;
  }
  return any_alpha;
}

// Code points drawn as pictures: emoji blocks, dingbats and symbols.
bool is_pictograph(std::uint32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x203C ||
         cp == 0x2049 || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299;
}

// The working state of one scored text. Triage reads the tokens and signals; score_sentiment
// returns only the numbers.
// Tokens point into its buffers: it is filled in place and never copied or moved.
struct Analysis {
  Analysis() = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;
  std::string normalized;  // the text with curly apostrophes made straight, when it had any
  std::string lower_buffer;
  std::vector<Token> tokens;
  std::vector<double> valence;         // per token, after the rules
  std::vector<int> phrase_of;          // per token: index of the phrase starting there, or -1
  std::vector<unsigned char> covered;  // per token: inside a phrase that started earlier
  std::uint32_t tags = 0;              // every customer-service tag met
  std::array<double, kCategoryCount> votes{};
  std::array<std::vector<std::pair<std::size_t, std::size_t>>, kCategoryCount>
      vote_words;         // per category: (first token, count) of the words that voted
  int max_punct_run = 0;  // longest run of ! and ?
  SentimentScore score;
};

// Keeps "ok" from "ok!!" but an emoticon such as ":)" whole; plain VADER keeps any token
// whose stripped form is two characters or fewer (its emoticon rule).
std::string_view strip_punct(std::string_view t, bool plain, const LexiconData& d) {
  std::string_view s = t;
  while (!s.empty() && is_ascii_punct(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_punct(s.back())) s.remove_suffix(1);
  if (plain) return s.size() <= 2 ? t : s;
  if (s.size() == t.size()) return s;
  // Customer-service rules: the whole token if it is a lexicon entry (":(", "/s", "<3").
  std::array<char, 16> key{};
  if (t.size() > key.size()) return s;  // emoticons are short
  for (std::size_t k = 0; k < t.size(); ++k) key[k] = ascii_lower(t[k]);
  const WordInfo* w = d.lookup.find(std::string_view(key.data(), t.size()));
  if (w && (w->in_vader || w->in_cs)) return t;
  return s;
}

void push_token(Analysis& a, const LexiconData& d, std::string_view word, bool sentence_start,
                bool hashtag = false) {
  Token t;
  t.original = word;
  const auto start = a.lower_buffer.size();
  for (char c : word) a.lower_buffer.push_back(ascii_lower(c));
  t.lowered = std::string_view(a.lower_buffer).substr(start, word.size());
  t.is_number = std::all_of(word.begin(), word.end(),
                            [](char c) { return is_digit(c) || c == '.' || c == ','; }) &&
                is_digit(word.front());
  t.info = d.lookup.find(t.is_number ? std::string_view("<n>") : t.lowered);
  t.sentence_start = sentence_start;
  t.hashtag = hashtag;
  a.tokens.push_back(t);
}

// Splits text into words, emoticons and emoji the way VADER does (whitespace, then
// punctuation off the ends), with the customer-service additions: @handles and links
// dropped, "#tag" read as "tag", "40min" read as "40 min", curly apostrophes as straight.
void tokenize(Analysis& a, const LexiconData& d, std::string_view text, bool plain) {
  a.lower_buffer.reserve(text.size() + 16);  // tokens point into it: no reallocation
  a.tokens.reserve(text.size() / 4 + 8);
  std::string_view src = text;
  if (!plain && text.find("\xE2\x80\x99") != std::string_view::npos) {
    a.normalized.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 3, "\xE2\x80\x99") == 0) {
        a.normalized.push_back('\'');
        i += 2;
      } else {
        a.normalized.push_back(text[i]);
      }
    }
    src = a.normalized;
  }

  int run = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if (c == '!' || c == '?') {
      ++run;
      a.max_punct_run = std::max(a.max_punct_run, run);
      if (c == '!') ++a.score.exclamation_marks;
      if (c == '?') ++a.score.question_marks;
    } else {
      run = 0;
    }
  }

  bool sentence_start = true;
  std::size_t i = 0;
  while (i < src.size()) {
    while (i < src.size() && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r'))
      ++i;
    std::size_t j = i;
    while (j < src.size() && src[j] != ' ' && src[j] != '\t' && src[j] != '\n' && src[j] != '\r')
      ++j;
    if (j == i) break;
    std::string_view raw = src.substr(i, j - i);
    i = j;
    if (!plain) {
      if (raw.front() == '@' && raw.size() > 1) continue;
      if (raw.starts_with("http://") || raw.starts_with("https://") || raw.starts_with("www."))
        continue;
    }
    const bool hashtag = !plain && raw.size() > 1 && raw.front() == '#';
    if (hashtag) raw.remove_prefix(1);
    // Emoji inside the token become tokens of their own; the rest is the word.
    std::string_view word = raw;
    std::size_t first_pict = std::string_view::npos;
    std::vector<float> emoji_values;
    for (std::size_t k = 0; k < raw.size();) {
      std::uint32_t cp = 0;
      const auto len = decode(raw, k, cp);
      if (len > 1) {
        const auto e = d.emoji.find(cp);
        if (e != d.emoji.end() || is_pictograph(cp)) {
          if (first_pict == std::string_view::npos) first_pict = k;
          emoji_values.push_back(e != d.emoji.end() ? e->second : 0.0f);
        }
      }
      k += len;
    }
    if (first_pict != std::string_view::npos) word = raw.substr(0, first_pict);
    const bool ends_sentence =
        !raw.empty() && (raw.back() == '.' || raw.back() == '!' || raw.back() == '?');
    word = strip_punct(word, plain, d);
    // Plain VADER drops one-character tokens; customer-service phrases need "a" and "3".
    if (word.size() > 1 || (!plain && word.size() == 1)) {
      std::size_t digits = 0;
      while (!plain && digits < word.size() && is_digit(word[digits])) ++digits;
      if (digits > 0 && digits < word.size() && is_alpha(word[digits])) {
        push_token(a, d, word.substr(0, digits), sentence_start);
        push_token(a, d, word.substr(digits), false);
      } else {
        push_token(a, d, word, sentence_start, hashtag);
      }
      sentence_start = false;
    }
    for (float v : emoji_values) {
      Token t;
      t.is_emoji = true;
      t.emoji = v;
      a.tokens.push_back(t);
    }
    if (ends_sentence) sentence_start = true;
  }
}

// [SECTION] valence rules (VADER) -------------------------------------------------------------

bool has_tag(const Token& t, std::uint32_t tag) {
  return t.info && (t.info->tags & tag);
}

bool is_negation(const Token& t) {
  return has_tag(t, kNegation) || t.lowered.find("n't") != std::string_view::npos;
}

bool in_sentiment_lexicon(const Token& t, bool plain) {
  if (!t.info) return false;
  if (!plain && t.info->in_cs && t.info->cs_has_valence && !(t.info->tags & (kBooster | kDampener)))
    return t.info->cs != 0;
  return t.info->in_vader;
}

// A booster's push on the word after it, signed like that word; CAPS boosters push more.
double booster_scalar(const Token& t, double valence, bool cap_diff) {
  if (!t.info || !(t.info->tags & (kBooster | kDampener))) return 0;
  double s = t.info->cs_has_valence ? t.info->cs : (t.info->tags & kBooster ? kBoost : -kBoost);
  if (valence < 0) s = -s;
  if (cap_diff && is_upper_word(t.original)) s += valence > 0 ? kCapsBoost : -kCapsBoost;
  return s;
}

double base_valence(const Token& t, bool plain) {
  if (t.is_emoji) return t.emoji;
  if (!t.info) return 0;
  if (!plain && t.info->in_cs && t.info->cs_has_valence && !(t.info->tags & (kBooster | kDampener)))
    return t.info->cs;
  return t.info->in_vader ? t.info->vader : 0;
}

// "#storefail", "#badservice", "UNITEDFAIL": a run-together word read through its strongest
// beginning or end that the VADER lexicon knows (three letters or more).
double run_together_valence(const LexiconData& d, std::string_view w) {
  if (w.size() < 6) return 0;
  for (std::size_t len = std::min<std::size_t>(w.size() - 3, 12); len >= 3; --len)
    for (auto part : {w.substr(0, len), w.substr(w.size() - len)}) {
      const WordInfo* it = d.lookup.find(part);
      if (it && it->in_vader && std::abs(it->vader) >= 1.0) return it->vader;
    }
  return 0;
}

bool phrase_matches(const Analysis& a, std::size_t i, const Phrase& p) {
  if (i + p.rest.size() >= a.tokens.size()) return false;
  for (std::size_t k = 0; k < p.rest.size(); ++k) {
    const Token& t = a.tokens[i + 1 + k];
    if (t.is_emoji) return false;
    if (p.rest[k] == "<n>" ? !t.is_number : t.lowered != p.rest[k]) return false;
  }
  return true;
}

// The words of the text a phrase matched, e.g. "40 minutes" for "<n> minutes".
std::string matched_words(const Analysis& a, std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t k = first; k < first + count && k < a.tokens.size(); ++k) {
    if (!out.empty()) out.push_back(' ');
    out += a.tokens[k].lowered;
  }
  return out;
}

void vote(Analysis& a, int category, double weight, std::size_t first, std::size_t count) {
  if (category < 0) return;
  const auto c = static_cast<std::size_t>(category);
  a.votes[c] += weight;
  if (a.vote_words[c].size() < 4) a.vote_words[c].emplace_back(first, count);
}

// The words that voted for a category, each once, in the order they appear.
std::vector<std::string> vote_words(const Analysis& a, std::size_t category) {
  std::vector<std::string> out;
  for (const auto& [first, count] : a.vote_words[category]) {
    auto words = matched_words(a, first, count);
    if (std::find(out.begin(), out.end(), words) == out.end()) out.push_back(std::move(words));
  }
  return out;
}

void apply_rules(Analysis& a, const LexiconData& d, bool plain) {
  const auto n = a.tokens.size();
  a.valence.assign(n, 0.0);
  a.phrase_of.assign(n, -1);
  a.covered.assign(n, 0);

  // Customer-service phrases first: a phrase's valence replaces its words' own.
  if (!plain)
    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = a.tokens[i];
      if (a.covered[i] || !t.info) continue;
      for (auto idx : t.info->phrases) {
        const Phrase& p = d.phrases[idx];
        if (!phrase_matches(a, i, p)) continue;
        a.phrase_of[i] = static_cast<int>(idx);
        for (std::size_t k = 1; k <= p.rest.size(); ++k) a.covered[i + k] = 1;
        break;
      }
    }

  int upper = 0, words = 0;
  for (const auto& t : a.tokens) {
    if (t.is_emoji || t.is_number) continue;
    ++words;
    if (is_upper_word(t.original)) ++upper;
    if (is_upper_word(t.original) && t.original.size() >= 3) ++a.score.shouted_words;
  }
  a.score.words = words;
  const bool cap_diff = upper > 0 && upper < words;

  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = a.tokens[i];
    if (a.covered[i]) continue;
    const Phrase* phrase =
        a.phrase_of[i] >= 0 ? &d.phrases[static_cast<std::size_t>(a.phrase_of[i])] : nullptr;
    double v = 0;
    bool scored = false;
    if (phrase) {
      std::uint32_t tags = phrase->tags;
      a.tags |= tags;
      if (tags & kComplaint) ++a.score.complaint_signals;
      if (tags & kSarcasm) a.score.sarcasm_marker = true;
      if (phrase->has_valence) {
        v = phrase->valence;
        scored = v != 0;
      } else {
        // The words keep their own valences; score the covered ones in place.
        for (std::size_t k = 1; k <= phrase->rest.size(); ++k) a.covered[i + k] = 0;
        v = base_valence(t, plain);
        scored = v != 0;
      }
      vote(a, phrase->category, std::max(1.0, std::abs(v)), i, phrase->rest.size() + 1);
    } else {
      if (t.info && t.info->tags & (kBooster | kDampener)) continue;  // boosters score nothing
      // "kind of" is a dampener, not kindness.
      if (t.lowered == "kind" && i + 1 < n && a.tokens[i + 1].lowered == "of") continue;
      v = base_valence(t, plain);
      if (!plain && v == 0 && !t.info && (t.hashtag || (is_upper_word(t.original))))
        v = run_together_valence(d, t.lowered);
      scored = v != 0;
      if (!plain && t.info && t.info->in_cs) {
        a.tags |= t.info->tags;
        if (t.info->tags & kComplaint) ++a.score.complaint_signals;
        if (t.info->tags & kSarcasm) a.score.sarcasm_marker = true;
        vote(a, t.info->category, std::max(1.0, std::abs(v)), i, 1);
      }
    }
    if (!scored) continue;

    // "no" before another sentiment word is a negation, not a sentiment of its own.
    if (t.lowered == "no" && i + 1 < n && base_valence(a.tokens[i + 1], plain) != 0) continue;
    if ((i > 0 && a.tokens[i - 1].lowered == "no") || (i > 1 && a.tokens[i - 2].lowered == "no"))
      v *= kNegate;
    if (cap_diff && !t.is_emoji && is_upper_word(t.original)) v += v > 0 ? kCapsBoost : -kCapsBoost;
    for (std::size_t back = 0; back < 3; ++back) {
      if (i <= back) break;
      const std::size_t p = i - back - 1;
      const Token& prev = a.tokens[p];
      if (in_sentiment_lexicon(prev, plain)) continue;
      if (!plain && (a.phrase_of[p] >= 0 || a.covered[p])) continue;  // "nothing but great"
      double s = booster_scalar(prev, v, cap_diff);
      if (back == 1) s *= 0.95;
      if (back == 2) s *= 0.9;
      v += s;
      if (back == 0) {
        if (is_negation(prev)) v *= kNegate;
      } else {
        const Token& next = a.tokens[i - back];
        if (prev.lowered == "never" && (next.lowered == "so" || next.lowered == "this"))
          v *= 1.25;
        else if (!(prev.lowered == "without" && next.lowered == "doubt") && is_negation(prev))
          v *= kNegate;
      }
    }
    a.valence[i] = v;
  }

  // Customer service: "can't", "didn't", "never" said to a business, with no feeling word
  // for them to flip, are themselves the complaint ("I can't check in", "it never came").
  if (!plain)
    for (std::size_t i = 0; i < n; ++i) {
      if (a.valence[i] != 0 || a.covered[i] || a.phrase_of[i] >= 0 || !is_negation(a.tokens[i]))
        continue;
      bool flips_something = false;
      for (std::size_t k = i + 1; k < n && k <= i + 3; ++k)
        flips_something = flips_something || a.valence[k] != 0;
      if (!flips_something) a.valence[i] = kLooseNegation;
    }

  // "but": what comes before counts half, what follows one and a half.
  for (std::size_t i = 0; i < n; ++i) {
    if (!has_tag(a.tokens[i], kContrast)) continue;
    a.score.contrast = true;
    for (std::size_t k = 0; k < n; ++k) a.valence[k] *= k < i ? 0.5 : k > i ? 1.5 : 1.0;
    break;
  }

  // Sarcasm: praise words in a post that also complains ("love how I'm still waiting").
  if (!plain && a.score.sarcasm_marker && a.score.complaint_signals > 0)
    for (auto& v : a.valence)
      if (v > 0) v = -0.5 * v;

  double sum = 0;
  for (double v : a.valence) {
    sum += v;
    if (v > 0) a.score.positive_sum += v;
    if (v < 0) a.score.negative_sum += v;
  }
  if (sum != 0) {
    double emphasis = std::min(a.score.exclamation_marks, 4) * kExclaim;
    if (a.score.question_marks > 1)
      emphasis += a.score.question_marks <= 3 ? a.score.question_marks * kQuestion : 0.96;
    sum += sum > 0 ? emphasis : -emphasis;
  }
  a.score.compound = std::clamp(sum / std::sqrt(sum * sum + kNormAlpha), -1.0, 1.0);
}

void analyze(Analysis& a, const LexiconData& d, std::string_view text, SentimentRules rules) {
  const bool plain = rules == SentimentRules::plain_vader;
  tokenize(a, d, text, plain);
  apply_rules(a, d, plain);
}

}  // namespace

SentimentScore score_sentiment(const Lexicon& lexicon, std::string_view text,
                               SentimentRules rules) {
  Analysis a;
  analyze(a, lexicon.data(), text, rules);
  return a.score;
}

// [SECTION] triage decision ----------------------------------------------------------------

namespace {

constexpr std::array<std::string_view, kReasonCount> kReasonKeys = {
    "still_in_store", "safety",        "names_staff", "wants_manager", "shouting", "wide_reach",
    "long_wait",      "asks_for_help", "low_rating",  "high_rating",   "sarcasm",  "praise"};
constexpr std::array<std::string_view, kReasonCount> kReasonWords = {
    "still in store", "safety",        "names staff", "wants a manager", "shouting", "wide reach",
    "long wait",      "asks for help", "low rating",  "high rating",     "sarcasm",  "praise"};

bool is_capitalised_name(const Token& t) {
  if (t.is_emoji || t.is_number || t.original.size() < 2) return false;
  if (!(t.original[0] >= 'A' && t.original[0] <= 'Z')) return false;
  for (std::size_t k = 1; k < t.original.size(); ++k)
    if (!(t.original[k] >= 'a' && t.original[k] <= 'z')) return false;
  // Lexicon words ("Great", "Thanks") and function words ("Today") are not names.
  return !(t.info && (t.info->in_vader || t.info->in_cs));
}

bool is_determiner(const Token& t) {
  return t.lowered == "the" || t.lowered == "this" || t.lowered == "that" || t.lowered == "a" ||
         t.lowered == "your" || t.lowered == "one" || t.lowered == "an" || t.lowered == "our";
}

// The place after "in/at/from/on (the|your)?" starting at token i, e.g. "at the bakery".
std::optional<std::string> place_after(const Analysis& a, const LexiconData& d, std::size_t i) {
  const auto& ts = a.tokens;
  if (i >= ts.size()) return std::nullopt;
  const auto prep = ts[i].lowered;
  if (prep != "in" && prep != "at" && prep != "from" && prep != "on" && prep != "behind")
    return std::nullopt;
  std::size_t k = i + 1;
  if (k < ts.size() && is_determiner(ts[k])) ++k;
  if (k >= ts.size()) return std::nullopt;
  // A two-word place ("fish counter") or one word ("bakery").
  if (a.phrase_of[k] >= 0) {
    const Phrase& p = d.phrases[static_cast<std::size_t>(a.phrase_of[k])];
    if (p.tags & kPlace) return p.text;
  }
  if (has_tag(ts[k], kPlace)) return std::string(ts[k].lowered);
  return std::nullopt;
}

// "the guy in the bakery", "Maria at the till", "a cashier named Maria", "thanks Maria".
std::optional<StaffMention> find_staff(const Analysis& a, const LexiconData& d) {
  const auto& ts = a.tokens;
  std::optional<StaffMention> role_only;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const Token& t = ts[i];
    const bool role = has_tag(t, kStaff);
    const bool name = is_capitalised_name(t) && !has_tag(t, kNotName);
    if (!role && !name) continue;
    if (role) {
      std::string who(t.lowered);
      if (i > 0 && is_determiner(ts[i - 1])) who = std::string(ts[i - 1].lowered) + " " + who;
      // "a cashier named Maria": the name is who.
      if (i + 2 < ts.size() && (ts[i + 1].lowered == "named" || ts[i + 1].lowered == "called") &&
          ts[i + 2].original.size() > 1)
        return StaffMention{std::string(ts[i + 2].original), std::string(t.lowered)};
      if (auto where = place_after(a, d, i + 1)) return StaffMention{who, *where};
      if (!role_only) role_only = StaffMention{who, ""};
      continue;
    }
    // A capitalised unknown word: a name if a place, a role or thanks is next to it.
    if (auto where = place_after(a, d, i + 1)) return StaffMention{std::string(t.original), *where};
    if (i + 2 < ts.size() && ts[i + 1].lowered == "the" && has_tag(ts[i + 2], kStaff))
      return StaffMention{std::string(t.original), std::string(ts[i + 2].lowered)};
    if (i > 0 && has_tag(ts[i - 1], kThanks) && !t.sentence_start)
      return StaffMention{std::string(t.original), ""};
  }
  return role_only;
}

constexpr double kPraise = 0.45;              // compound from which a post is praise
constexpr double kPraiseOverComplaint = 0.8;  // ... when it also has a complaint phrase
constexpr double kSourNote = -0.3;            // summed negative valence that counts
constexpr double kKindToSour = 12.0;          // kind words needed per unit of sour ones

double clamp_score(double x) {
  return std::clamp(x, -1.0, 1.0);
}

}  // namespace

std::string_view to_string(Sentiment s) {
  switch (s) {
    case Sentiment::negative:
      return "negative";
    case Sentiment::positive:
      return "positive";
    case Sentiment::neutral:
      break;
  }
  return "neutral";
}

std::string_view to_string(Urgency u) {
  constexpr std::array<std::string_view, 4> names = {"none", "low", "high", "urgent"};
  return names[static_cast<std::size_t>(u)];
}

std::string_view to_string(Attention a) {
  constexpr std::array<std::string_view, 3> names = {"none", "needs_attention", "needs_thank_you"};
  return names[static_cast<std::size_t>(a)];
}

std::string_view to_string(Reason r) {
  return kReasonKeys[static_cast<std::size_t>(r)];
}

std::string_view reason_words(Reason r) {
  return kReasonWords[static_cast<std::size_t>(r)];
}

std::optional<Reason> parse_reason(std::string_view key) {
  for (std::size_t i = 0; i < kReasonCount; ++i)
    if (kReasonKeys[i] == key) return static_cast<Reason>(i);
  return std::nullopt;
}

TriageColumns to_columns(const Triage& t) {
  TriageColumns c;
  c.sentiment = t.sentiment == Sentiment::negative   ? -1
                : t.sentiment == Sentiment::positive ? 1
                                                     : 0;
  c.urgency = static_cast<std::int64_t>(t.urgency);
  c.category = std::string(to_string(t.category));
  c.priority = t.priority;
  for (const Reason r : t.reasons) {
    if (!c.reasons.empty()) c.reasons.push_back(',');
    c.reasons += to_string(r);
  }
  return c;
}

Triage from_columns(const TriageColumns& c) {
  Triage t;
  t.sentiment = c.sentiment < 0   ? Sentiment::negative
                : c.sentiment > 0 ? Sentiment::positive
                                  : Sentiment::neutral;
  t.urgency = static_cast<Urgency>(std::clamp<std::int64_t>(c.urgency, 0, 3));
  t.category = parse_category(c.category).value_or(Category::other);
  t.priority = static_cast<int>(c.priority);
  t.attention = t.priority >= kPriorityNeedsAttention ? Attention::needs_attention
                : t.priority >= kPriorityThankYou     ? Attention::needs_thank_you
                                                      : Attention::none;
  for (std::size_t at = 0; at <= c.reasons.size();) {
    const std::size_t comma = std::min(c.reasons.find(',', at), c.reasons.size());
    if (auto r = parse_reason(std::string_view(c.reasons).substr(at, comma - at)))
      t.reasons.push_back(*r);
    at = comma + 1;
  }
  return t;
}

Triage triage(const Lexicon& lexicon, const TriageInput& input) {
  const LexiconData& d = lexicon.data();
  Analysis a;
  analyze(a, d, input.text, SentimentRules::customer_service);
  const SentimentScore& s = a.score;
  Triage out;

  // Sentiment from the text, read as a message to a business. Complaints weigh more than
  // kind words: a complaint phrase needs strong praise to outweigh it, and any sour note
  // needs twelve times its weight in kind words. Praise needs a clear lean.
  // (Thresholds checked on the train split of the airline tweets; bench/triage_quality.)
  const double text = s.compound;
  Sentiment from_text = Sentiment::neutral;
  // ... unless the writer turned to kind words last ("a bit slow, but so friendly").
  const bool sour = s.negative_sum <= kSourNote && s.positive_sum < kKindToSour * -s.negative_sum &&
                    !(s.contrast && text >= kPraiseOverComplaint);
  if (text <= -0.05 || (s.complaint_signals > 0 && text < kPraiseOverComplaint) || sour)
    from_text = Sentiment::negative;
  else if (text >= kPraise)
    from_text = Sentiment::positive;

  const int stars = input.rating.value_or(0);
  const bool rated = stars >= 1 && stars <= 5;  // out-of-range ratings are ignored
  if (rated) {
    // Stars dominate: the text only shades the score, and decides a three-star review.
    out.score = clamp_score(0.7 * (stars - 3) / 2.0 + 0.3 * text);
    out.sentiment = stars <= 2 ? Sentiment::negative : stars >= 4 ? Sentiment::positive : from_text;
  } else {
    out.score = text;
    out.sentiment = from_text;
  }

  // Category: safety first, praise for happy posts, else the most-voted complaint topic.
  const auto idx = [](Category c) { return static_cast<std::size_t>(c); };
  std::size_t best = idx(Category::other);
  double best_votes = 0;
  for (std::size_t c = 0; c < kCategoryCount; ++c)
    if (c != idx(Category::praise) && a.votes[c] > best_votes) {
      best = c;
      best_votes = a.votes[c];
    }
  const bool safety = a.votes[idx(Category::safety)] > 0;
  if (safety)
    best = idx(Category::safety);
  else if (out.sentiment == Sentiment::positive)
    best = idx(Category::praise);
  out.category = all_categories()[best];
  if (best == idx(Category::praise)) {
    out.category_words = vote_words(a, best);
    for (std::size_t i = 0; i < a.tokens.size() && out.category_words.size() < 4; ++i)
      if (a.valence[i] > 0.5 && !a.tokens[i].is_emoji) {
        const auto p = a.phrase_of[i];
        const auto words = matched_words(
            a, i, p >= 0 ? d.phrases[static_cast<std::size_t>(p)].rest.size() + 1 : 1);
        if (std::find(out.category_words.begin(), out.category_words.end(), words) ==
            out.category_words.end())
          out.category_words.push_back(words);
      }
  } else if (best != idx(Category::other)) {
    out.category_words = vote_words(a, best);
  }

  out.staff = find_staff(a, d);

  // Reasons and urgency.
  const auto has = [&](std::uint32_t tag) { return (a.tags & tag) != 0; };
  const bool shouting = (s.shouted_words >= 2 && s.shouted_words * 2 >= s.words) ||
                        s.shouted_words >= 3 || a.max_punct_run >= 3;
  const auto& r = input.reach;
  const std::int64_t engagement =
      r.likes.value_or(0) + r.reposts.value_or(0) * 2 + r.replies.value_or(0);
  const bool wide_reach = r.author_followers.value_or(0) >= 10000 || engagement >= 100;
  const bool attention = out.sentiment == Sentiment::negative || safety;

  std::vector<Reason> reasons;
  if (attention) {
    int points = 0;
    const auto add = [&](bool on, Reason why, int weight) {
      if (!on) return;
      reasons.push_back(why);
      points += weight;
    };
    add(safety, Reason::safety, 2);
    add(has(kNow), Reason::still_in_store, 1);
    add(has(kManager), Reason::wants_manager, 1);
    add(out.staff.has_value(), Reason::names_staff, 1);
    add(shouting, Reason::shouting, 1);
    add(wide_reach, Reason::wide_reach, 1);
    add(has(kWait), Reason::long_wait, 0);
    add(has(kHelp), Reason::asks_for_help, 0);
    add(rated && stars <= 2, Reason::low_rating, 0);
    add(s.sarcasm_marker && s.complaint_signals > 0, Reason::sarcasm, 0);
    out.urgency = safety || points >= 2 ? Urgency::urgent
                  : points >= 1         ? Urgency::high
                                        : Urgency::low;
    out.attention = Attention::needs_attention;
    const int intensity = static_cast<int>(std::lround(std::max(0.0, -out.score) * 99));
    out.priority = kPriorityNeedsAttention + 100 * (static_cast<int>(out.urgency) - 1) + intensity;
  } else if (out.sentiment == Sentiment::positive) {
    if (out.staff) reasons.push_back(Reason::names_staff);
    if (rated && stars >= 4) reasons.push_back(Reason::high_rating);
    reasons.push_back(Reason::praise);
    if (wide_reach) reasons.push_back(Reason::wide_reach);
    out.attention = Attention::needs_thank_you;
    const int intensity = static_cast<int>(std::lround(std::max(0.0, out.score) * 99));
    out.priority = kPriorityThankYou + (out.staff ? 100 : 0) + intensity;
  } else {
    if (wide_reach) reasons.push_back(Reason::wide_reach);
    if (has(kHelp)) reasons.push_back(Reason::asks_for_help);
    out.priority = 100 + (wide_reach ? 50 : 0);
  }
  if (reasons.size() > 3) reasons.resize(3);
  out.reasons = std::move(reasons);
  if (out.sentiment != Sentiment::positive && out.staff && out.staff->where.empty() &&
      out.category == Category::other)
    out.category = Category::staff_conduct;
  return out;
}

}  // namespace kiosk::core

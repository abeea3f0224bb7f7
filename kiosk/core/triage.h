#pragma once
// Triage of one public post or review: how it feels (sentiment), how soon someone must act
// (urgency), what it is about (category), where it goes in the feed (priority) and why, in
// two or three plain words a store manager reads at a glance. The same pure code runs at
// head office and on the kiosk.
//
// Sentiment follows the valence rules of VADER (Hutto and Gilbert, ICWSM 2014: lexicon
// valences, boosters, negation, "but", CAPS emphasis, "!" emphasis, emoji) on the VADER
// lexicon, plus a customer-service lexicon written for this domain ("still waiting", "no one
// answers", "3 hours", "please help") whose phrases carry their own valence, category and
// urgency tags. Star ratings dominate for reviews.
//
// Core does no I/O: the caller reads the lexicon files (assets/lexicons/) and hands their text
// to parse_lexicon(); a Lexicon is immutable afterwards and safe to share between threads.
//
// Sections: lexicon · sentiment score · triage result · triage.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/category.h"
#include "kiosk/core/mention.h"  // Reach: who the post reached
#include "kiosk/core/result.h"

namespace kiosk::core {

// [SECTION] lexicon ----------------------------------------------------------------------

struct LexiconData;  // word and phrase tables, defined in triage.cpp

// The texts of the lexicon files, as read by the caller. Any may be empty (the sentiment
// baseline uses the VADER files alone).
struct LexiconTexts {
  std::string_view vader;             // vader_lexicon.txt: token TAB mean TAB ...
  std::string_view emoji;             // emoji_utf8_lexicon.txt: emoji TAB description
  std::string_view customer_service;  // customer_service.tsv: phrase TAB value TAB tags
};

class Lexicon {
 public:
  Lexicon();
  ~Lexicon();
  Lexicon(Lexicon&&) noexcept;
  Lexicon& operator=(Lexicon&&) noexcept;
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  std::size_t word_count() const;    // single-token entries of every file
  std::size_t phrase_count() const;  // customer-service entries of two or more tokens
  const LexiconData& data() const { return *data_; }

 private:
  friend Result<Lexicon> parse_lexicon(const LexiconTexts& texts);
  std::unique_ptr<LexiconData> data_;
};

// A bad line fails the whole lexicon with a sentence naming the file and the line, so a
// broken asset is found at start-up rather than as odd triage later.
Result<Lexicon> parse_lexicon(const LexiconTexts& texts);

// [SECTION] sentiment score ----------------------------------------------------------------

enum class SentimentRules {
  plain_vader,      // VADER's rules only, text as given: the baseline the benchmark compares to
  customer_service  // handles and links stripped, customer-service phrases, sarcasm markers
};

struct SentimentScore {
  double compound = 0;        // normalised sum of valences, in [-1, 1]
  double positive_sum = 0;    // sum of the positive valences after the rules
  double negative_sum = 0;    // sum of the negative valences (<= 0)
  int complaint_signals = 0;  // customer-service phrases that only complaints use
  int question_marks = 0;
  int exclamation_marks = 0;
  int shouted_words = 0;        // ALL-CAPS words of three letters or more
  int words = 0;                // word tokens after stripping handles and links
  bool contrast = false;        // a "but" turned the post
  bool sarcasm_marker = false;  // "thanks for nothing", "love how", "yeah right", "/s", ...
};

SentimentScore score_sentiment(const Lexicon& lexicon, std::string_view text,
                               SentimentRules rules = SentimentRules::customer_service);

// [SECTION] triage result -------------------------------------------------------------------

enum class Sentiment { negative, neutral, positive };

// 0-3: none (nothing to act on), low (a complaint), high (act today: it is in the store now,
// names staff, demands a manager, shouts, or travels), urgent (safety, or several of those).
enum class Urgency { none, low, high, urgent };

// What the feed does with it: staff act on attention, say thank you for praise.
enum class Attention { none, needs_attention, needs_thank_you };

// Why a post was triaged as it was; reason_words() is the chip's text.
enum class Reason {
  still_in_store,  // "still waiting", "right now", "at the counter"
  safety,          // a spill, an injury, smoke
  names_staff,     // a staff member named or pointed at
  wants_manager,   // "I want to speak to a manager"
  shouting,        // ALL CAPS, "!!!"
  wide_reach,      // many followers, likes or reposts
  long_wait,       // "40 minutes", "still waiting", "3 hours"
  asks_for_help,   // "please help", "no one answers"
  low_rating,      // one or two stars
  high_rating,     // four or five stars
  sarcasm,         // "thanks for nothing"
  praise,          // thanks, kind, great
};
inline constexpr std::size_t kReasonCount = 12;

// Reach as the source reports it; unknown counts stay empty.
struct TriageInput {
  std::string_view text;      // plain UTF-8 (repair it first: see utf8.h)
  std::optional<int> rating;  // stars 1-5 for reviews; out-of-range values are ignored
  Reach reach;
};

// The associate a post names, for "Share with the team" on praise ("the guy in the bakery":
// who "the guy", where "bakery"; "Maria at the till": who "Maria", where "till").
struct StaffMention {
  std::string who;
  std::string where;  // may be empty
};

struct Triage {
  Sentiment sentiment = Sentiment::neutral;
  double score = 0;  // compound in [-1, 1] after the star rating, negative = unhappy
  Urgency urgency = Urgency::none;
  Category category = Category::other;
  std::vector<std::string> category_words;  // the words that decided the category
  Attention attention = Attention::none;
  int priority = 0;                   // higher first: urgent complaints, complaints, praise, rest
  std::vector<Reason> reasons;        // two or three, most important first (may be fewer)
  std::optional<StaffMention> staff;  // who the post names, if anyone
};

std::string_view to_string(Sentiment s);  // "negative", "neutral", "positive"
std::string_view to_string(Urgency u);    // "none", "low", "high", "urgent"
std::string_view to_string(Attention a);  // "none", "needs_attention", "needs_thank_you"
std::string_view to_string(Reason r);     // stable key: "still_in_store", ...
std::string_view reason_words(Reason r);  // chip text: "still in store", ...
std::optional<Reason> parse_reason(std::string_view key);  // to_string's key back

// Storage form of a triage (sentiment -1/0/1, urgency 0-3, category key, priority, reason keys
// joined by ','), so the kiosk and head office keep it in columns their feeds sort and
// filter on, and read it back the same way (attention follows from the priority band).
struct TriageColumns {
  std::int64_t sentiment = 0;
  std::int64_t urgency = 0;
  std::string category = "other";
  std::int64_t priority = 0;
  std::string reasons;
};
TriageColumns to_columns(const Triage& t);
inline bool operator==(const TriageColumns& a, const TriageColumns& b) {
  return a.sentiment == b.sentiment && a.urgency == b.urgency && a.category == b.category &&
         a.priority == b.priority && a.reasons == b.reasons;
}
Triage from_columns(const TriageColumns& c);

// [SECTION] triage --------------------------------------------------------------------------

// Wiring it in: parse the lexicon once (kiosk::app::load_lexicon reads assets/lexicons/),
// then per mention `triage(lexicon, {text, rating, reach})` and order the feed by priority,
// newest first within equal priority. Pure and thread-safe: about 300,000 posts per second
// on one core (bench/triage_quality).
Triage triage(const Lexicon& lexicon, const TriageInput& input);

// The version of the triage rules above (this file, triage.cpp and how they read the shipped
// lexicons). Bump it with any change that can triage a stored post differently: head office
// keeps the version each mention was triaged under, and `kiosk-hq mentions retriage` re-runs
// triage on those stored under an older one, sending what changed to the stores.
inline constexpr int kTriageVersion = 1;

// Priority bands, so the feed can tell them apart without re-deriving them:
// 600-699 urgent complaints, 500-599 high, 400-499 low (all "needs attention"; within a band
// the more negative first), 200-399 praise (300+ when it names an associate), 100-150 the rest
// (150 when it travels widely).
inline constexpr int kPriorityNeedsAttention = 400;  // and above: complaints, safety
inline constexpr int kPriorityThankYou = 200;        // 200-399: praise

}  // namespace kiosk::core

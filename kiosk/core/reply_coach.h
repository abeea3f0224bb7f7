#pragma once
// The reply coach: scores a draft reply to a public mention as it is typed, against canned
// customer-service replies. It looks for template phrases (English and Spanish), near-copies
// of replies already posted (word 3-gram shingles, Jaccard), whether the draft names the
// customer's own issue (content words shared with the mention), a person (the customer, the
// colleague they named, or the one who signs) and a concrete next step. It returns two or
// three short hints and never writes the reply.
//
// Pure and fast enough for every keystroke: earlier replies are shingled and indexed once,
// when added.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kiosk::core {

// Replies already posted by this store or any store, shingled once.
class EarlierReplies {
 public:
  void add(std::string_view reply);
  std::size_t size() const { return sizes_.size(); }

  struct Match {
    double jaccard = 0;      // |A ∩ B| / |A ∪ B| of word 3-gram sets
    double containment = 0;  // |A ∩ B| / |A|: how much of the draft is copied
    std::size_t index = 0;   // which earlier reply, in the order added
  };
  // The earlier reply closest to a draft (all zero when there are none).
  Match closest(std::string_view draft) const;

 private:
  // An inverted index, so a draft is compared only with replies sharing a shingle with it.
  std::vector<std::uint32_t> sizes_;  // distinct shingles of each reply
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings_;  // shingle -> replies
};

enum class HintKind {
  near_duplicate,  // reads like an earlier reply
  generic_phrase,  // a template phrase
  name_the_issue,  // does not say what the customer wrote about
  next_step,       // no concrete next step (what, when, who)
  add_a_person,    // no name: neither theirs, a colleague's, nor a signature
  looks_good,      // nothing to improve
  what_works,      // what the draft already does well (when there is little to fix)
};

struct CoachHint {
  HintKind kind = HintKind::looks_good;
  std::string text;  // short, in the draft's language (English or Spanish)
};

struct CoachReport {
  bool generic = false;          // reads as a canned reply: template phrases or a copy, little else
  int score = 0;                 // 0..100, higher is more specific and personal
  std::vector<CoachHint> hints;  // 2 or 3 (1 for an empty draft), most useful first

  std::vector<std::string> generic_phrases;  // as written in the draft
  double duplicate_similarity = 0;           // Jaccard with the closest earlier reply
  bool near_duplicate = false;
  bool names_issue = false;  // false also when no mention was given
  bool names_person = false;
  bool next_step = false;
  std::string language;  // "en" or "es": the hints' language
};

// mention may be empty (a draft with no mention): the issue is then not judged.
CoachReport coach_reply(std::string_view draft, std::string_view mention,
                        const EarlierReplies& earlier);

std::string_view to_string(HintKind k);

}  // namespace kiosk::core

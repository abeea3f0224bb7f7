#pragma once
// Where every mention from outside ends up, whoever brought it (a polling connector, the
// webhook): matched to one store and stored in its feed (the changefeed carries it to the
// store's terminals), or put in the unmatched queue for head office to assign by hand.
// The same post seen twice is one mention: a re-fetch (same id) updates it in place, a
// cross-post or retweet with the same text (sources::post_fingerprint) is counted as a
// duplicate and not stored again.
#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

struct IntakeItem {
  core::Mention mention;
  std::string store_id;       // already known (the pusher said so); empty: match it
  std::string review_target;  // the review page it was fetched from, for the matcher
};

struct IntakeResult {
  enum class Kind { added, updated, unchanged, duplicate, unmatched, still_unmatched, rejected };
  Kind kind = Kind::added;
  std::string store_id;  // where it went (added, updated, unchanged, duplicate)
  std::string reason;    // how it matched, why not, or what it duplicates
};

const char* to_string(IntakeResult::Kind kind);

struct IntakeCounts {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int duplicates = 0;
  int unmatched = 0;  // newly queued and already waiting together
  int rejected = 0;
  void count(const IntakeResult& r);
};

// One result per item, in order. Fails only when the database does.
core::Result<std::vector<IntakeResult>> take_in_mentions(HqStorage& storage,
                                                         const std::vector<IntakeItem>& items,
                                                         std::int64_t now_ms);

// A mention from the unmatched queue, stored for the store head office chose.
core::Result<core::Mention> assign_unmatched(HqStorage& storage, const std::string& mention_id,
                                             const std::string& store_id, std::int64_t now_ms);

}  // namespace kiosk::sync::hq

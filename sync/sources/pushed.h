#pragma once
// Mentions pushed to head office as JSON (`POST /v1/mentions`, docs/hq.md#webhook), and the
// same shape read back from the unmatched queue. The fields are those `ingest --source`
// prints (mention_json_line), so a saved ingest line can be pushed as it is.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"

namespace kiosk::sync::sources {

struct PushedMention {
  core::Mention mention;
  std::string store_id;       // the pusher knows the store; empty: head office matches it
  std::string review_target;  // a review site's location id the post was fetched from
};

struct RejectedItem {
  std::size_t index = 0;  // from 0, in the body's "mentions" list
  std::string id;         // the item's id when it had a usable one
  std::string reason;     // in words
};

struct PushedBatch {
  std::vector<PushedMention> accepted;
  std::vector<RejectedItem> rejected;
  std::string error;  // the body as a whole could not be read (then both lists are empty)
};

inline constexpr std::size_t kMaxPushedMentions = 500;  // per request

// {"mentions": [{...}, ...]}. Each item is checked alone: a bad one is rejected with its
// reason and the others are kept. A body that is not valid UTF-8 is refused as a whole.
PushedBatch parse_pushed_mentions(std::string_view body);

// One item (a JSON object as text); errors name the field.
core::Result<PushedMention> parse_pushed_mention(std::string_view object_json);

}  // namespace kiosk::sync::sources

#pragma once
// Head-office operations shared by the CLI and tests: each is a few storage calls plus the
// secrets or ids they need.
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

inline constexpr int kDefaultCodeValidHours = 7 * 24;

// A new single-use enrollment code for store_id, valid for valid_hours from now_ms. Returns
// the code as the person types it; storage keeps only its hash.
core::Result<std::string> issue_enrollment_code(HqStorage& storage, const std::string& store_id,
                                                int valid_hours, std::int64_t now_ms);

struct LiveMention {
  std::string source;  // "mastodon", "google", ...
  std::string author;
  std::string text;
  std::string url;
  std::optional<int> rating;  // 1-5 for a review
  std::string lang;
  core::Reach reach;
};

// One mention as if a source had just delivered it: a new id, created now, in the changefeed.
core::Result<core::Mention> add_live_mention(HqStorage& storage, const std::string& store_id,
                                             const LiveMention& live, std::int64_t now_ms);

}  // namespace kiosk::sync::hq

#pragma once
// Every string the kiosk UI shows is a key. Screens never spell text inline: they ask tr()
// for a key, and the texts come from one catalog file per language under assets/ui/, which
// the app loads and hands over with use_catalog(). A translation is one more file.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/escalation.h"

namespace kiosk::ui {

enum class Str {
  app_name,  // header fallback when the store has no name yet
  feed_title,
  feed_empty,
  escalate,
  progress_queued,
  progress_delivered,
  progress_acknowledged,
  progress_acknowledged_by,  // {} = who at head office
  progress_resolved,
  progress_not_accepted,  // {} = head office's reason
  severity_low,
  severity_medium,
  severity_high,
  severity_critical,
  dialog_title,
  dialog_severity_prompt,
  dialog_note_label,
  confirm,
  cancel,
  status_online,
  status_offline,
  status_not_enrolled,
  waiting_none,
  waiting_one,
  waiting_many,  // {} = count
  last_sync,     // {} = "3 min ago"
  never_synced,
  sync_now,
  chip_needs_attention,
  chip_negative,
  chip_praise,
  chip_reviews,
  chip_escalated,
  chip_all,
  search_hint,
  search_none,
  filter_empty,
  feed_end,
  urgency_urgent,
  urgency_high,
  urgency_low,
  sentiment_negative,
  sentiment_neutral,
  sentiment_positive,
  needs_thank_you,
  share_with_team,
  praise_shared,
  names_staff,
  reach_followers,
  reach_likes,
  reach_reposts,
  reach_replies,
  reason_still_in_store,
  reason_safety,
  reason_names_staff,
  reason_wants_manager,
  reason_shouting,
  reason_wide_reach,
  reason_long_wait,
  reason_asks_for_help,
  reason_low_rating,
  reason_high_rating,
  reason_sarcasm,
  reason_praise,
  count_  // number of keys, not a string
};

inline constexpr std::size_t kStrCount = static_cast<std::size_t>(Str::count_);

// The key's name as written in the catalog files, e.g. "feed_title".
std::string_view key_name(Str key);
std::optional<Str> key_from_name(std::string_view name);

struct Catalog {
  std::string language;                      // "en"
  std::array<std::string, kStrCount> texts;  // indexed by Str
};

// Makes `catalog` the one the screens draw from. Like ImGui's current context, there is one
// per process and it is set on the UI thread before the first frame.
void use_catalog(Catalog catalog);

// The key's text in the current catalog; "[key_name]" when there is none, so a gap shows
// on screen instead of an empty button.
std::string_view tr(Str key);
// The text with its one "{}" replaced by arg.
std::string tr(Str key, std::string_view arg);

// Helpers for the enum-valued labels.
std::string_view severity_label(core::Severity severity);

}  // namespace kiosk::ui

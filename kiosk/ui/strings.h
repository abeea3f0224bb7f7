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
  report_issue,
  report_title,
  report_category_prompt,
  send,
  category_wait_time,
  category_staff_conduct,
  category_product_or_stock,
  category_price_or_promotion,
  category_returns_or_refunds,
  category_cleanliness,
  category_safety,
  category_praise,
  category_other,
  tab_feed,
  tab_escalations,
  escalations_empty,
  no_post,
  clock_raised,
  clock_target,
  clock_left,
  clock_overdue,
  ladder_with,
  store_level_missed,
  ack_here_unsynced,
  ack_here,
  ack_head_office,
  status_open,
  resolution,
  action_acknowledge,
  action_note,
  action_reassign,
  action_resolve,
  action_reopen,
  action_details,
  action_text_label,
  history_acknowledge,
  history_note,
  history_reassign,
  history_resolve,
  history_reopen,
  at_head_office,
  not_synced,
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
std::string_view category_label(core::Category category);

}  // namespace kiosk::ui

#pragma once
// Every string the kiosk UI shows, in one catalog (English). Screens never spell text inline:
// they ask for a key here, so a translation is one more table.
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
  count_  // number of keys, not a string
};

// The English text of a key.
std::string_view tr(Str key);
// The text with its one "{}" replaced by arg.
std::string tr(Str key, std::string_view arg);

// Helpers for the enum-valued labels.
std::string_view severity_label(core::Severity severity);

}  // namespace kiosk::ui

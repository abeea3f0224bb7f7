#pragma once
// What the screens draw from: a plain snapshot the app rebuilds only when the store's change
// counter moves (or the clock ticks), never by querying anything during a frame.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"

namespace kiosk::ui {

struct MentionCard {
  std::string mention_id;
  std::string source;  // "google", "mastodon", ...
  std::string author;
  std::string time_ago;  // already formatted, e.g. "5 min ago"
  std::string text;
  // The newest escalation of this mention, if any, for the state line on the card.
  std::optional<core::EscalationProgress> escalation_progress;
  std::optional<core::Severity> escalation_severity;
  std::string escalation_acknowledged_by;
  std::string escalation_not_accepted_reason;  // why head office refused it, when it did
  bool operator==(const MentionCard&) const = default;
};

struct SyncStatus {
  bool online = false;              // the last attempt to reach head office succeeded
  bool enrolled = false;            // the terminal has a token for head office
  std::int64_t events_waiting = 0;  // outbox depth
  std::string last_success;         // "3 min ago", or empty when never
  std::string last_error;           // one sentence, empty when the last attempt succeeded
  bool operator==(const SyncStatus&) const = default;
};

struct ViewState {
  std::string store_name;
  std::vector<MentionCard> feed;  // newest first
  SyncStatus sync;
  std::string
      action_error;  // why the last tap could not be saved (e.g. disk full); empty when fine
  // The app redraws an idle kiosk only when the view it would draw differs.
  bool operator==(const ViewState&) const = default;
};

}  // namespace kiosk::ui

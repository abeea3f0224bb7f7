#pragma once
// What the screens draw from: a plain snapshot the app rebuilds only when the store's change
// counter moves or the feed scrolls past the rows it holds, never by querying anything during a
// frame. It holds times, not "5 min ago" texts: the screens format ages of what is on screen
// when they draw, so a clock tick changes no view state and wakes only what shows it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_actions.h"

namespace kiosk::ui {

struct MentionCard {
  std::string mention_id;
  std::string source;  // "google", "mastodon", ...
  std::string author;
  std::int64_t created_at_ms = 0;  // when it was posted; drawn as "5 min ago"
  std::string text;
  // The newest escalation of this mention, if any, for the state line on the card.
  std::optional<core::EscalationProgress> escalation_progress;
  std::optional<core::Severity> escalation_severity;
  std::string escalation_acknowledged_by;
  std::string escalation_not_accepted_reason;  // why head office refused it, when it did
  bool operator==(const MentionCard&) const = default;
};

// One escalation on the Escalations screen. Times, not texts: the screen draws the clock from
// ui.now_ms, so it ticks without rebuilding the view.
struct EscalationCard {
  std::string id;
  core::Severity severity = core::Severity::medium;
  std::optional<core::Category> category;
  core::EscalationStatus status = core::EscalationStatus::open;
  std::string about;                      // the mention's text; empty: reported with no post
  std::string note;                       // what it was raised with
  std::int64_t started_at_ms = 0;         // raised, or reopened
  std::optional<std::int64_t> target_ms;  // response target of its severity (store policy)
  std::optional<std::int64_t> store_level_due_ms;  // flag the card from then, while open
  bool store_level_missed = false;                 // already late when the view was built
  int level = -1;                                  // on the ladder; -1 unknown
  std::string holder;                              // who holds it now
  core::AcknowledgementState acknowledgement = core::AcknowledgementState::not_acknowledged;
  std::string acknowledged_by;
  std::string resolution_note;
  std::vector<core::EscalationAction> history;  // oldest first
  std::vector<std::string> unsynced_action_ids;
  bool operator==(const EscalationCard&) const = default;
};

struct SyncStatus {
  bool online = false;                          // the last attempt to reach head office succeeded
  bool enrolled = false;                        // the terminal has a token for head office
  std::int64_t events_waiting = 0;              // outbox depth
  std::optional<std::int64_t> last_success_ms;  // drawn as "3 min ago"; nullopt: never
  std::string last_error;  // one sentence, empty when the last attempt succeeded
  bool operator==(const SyncStatus&) const = default;
};

struct ViewState {
  std::string store_name;
  // The feed, newest first, is feed_total mentions long; the view holds the rows
  // [feed_first, feed_first + feed.size()) of it, around what is on screen.
  std::vector<MentionCard> feed;
  std::int64_t feed_first = 0;
  std::int64_t feed_total = 0;  // at least feed_first + feed.size()
  SyncStatus sync;
  std::vector<EscalationCard> escalations;  // open first (Escalations screen)
  std::string
      action_error;  // why the last tap could not be saved (e.g. disk full); empty when fine
  // The app redraws an idle kiosk only when the view it would draw differs.
  bool operator==(const ViewState&) const = default;
};

}  // namespace kiosk::ui

#pragma once
// What a screen asks for. Screens append intents while drawing; the app applies them to the
// store after the frame, so no screen ever writes data itself.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/core/category.h"
#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_actions.h"

namespace kiosk::ui {

struct RequestEscalate {
  std::string mention_id;  // empty: an issue reported with no post (then category is set)
  core::Severity severity = core::Severity::medium;
  std::string note;
  std::optional<core::Category> category = std::nullopt;
  std::string staff_id = {};  // who is tapped in, carried in the event; empty: anonymous
};

struct RequestSyncNow {};

// The PIN pad: check this person's PIN (offline, against head office's hash).
struct RequestTapIn {
  std::string staff_id;
  std::string pin;
};
// Tap out: back to the anonymous read-only feed.
struct RequestTapOut {};

// A quiz answered (or a lesson without a question marked "got it") on the Training tab.
struct RequestTrainingAnswer {
  std::string staff_id;
  std::string lesson_id;
  bool correct = false;
  bool sure = false;
};

// The contextual prompt's banner: opened (the lesson shows) or "not now" (one tap).
struct RequestOpenPrompt {};
struct RequestDismissPrompt {};
// The daily set's offer was started or put off: it does not come back today.
struct RequestCloseDailyOffer {};

// A reply drafted on the card, sent to head office for approval.
struct RequestSuggestReply {
  std::string mention_id;
  std::string text;
  std::string staff_id;  // empty: nobody tapped in
};

// "Share with the team" on a positive post: a praise.shared event for the team and HQ.
struct RequestSharePraise {
  std::string mention_id;
  std::string staff_id = {};  // who shared it; empty: nobody tapped in
};

// A manager acts on an escalation: acknowledge, note, reassign, resolve, reopen.
struct RequestEscalationAction {
  std::string escalation_id;
  core::EscalationActionKind kind = core::EscalationActionKind::acknowledge;
  std::string text;      // the note, who holds it now, or the resolution note
  std::string staff_id;  // who; empty: anonymous
};

// Leave the app: a manager allowed it (kiosk mode) or nobody needed to.
struct RequestLeaveApp {};

// The settings dialog's choices, applied to this run of the window.
struct RequestChangeSettings {
  std::string theme;     // "dark" or "light"
  std::string language;  // a file in <assets>/ui/
  std::int64_t idle_lock_ms = 0;
  std::int64_t idle_screen_ms = 0;  // 0: never
  bool onscreen_keyboard = true;
};

using Intent = std::variant<RequestEscalate, RequestSyncNow, RequestTapIn, RequestTapOut,
                            RequestTrainingAnswer, RequestOpenPrompt, RequestDismissPrompt,
                            RequestCloseDailyOffer, RequestSuggestReply, RequestSharePraise,
                            RequestEscalationAction, RequestLeaveApp, RequestChangeSettings>;
using Intents = std::vector<Intent>;

}  // namespace kiosk::ui

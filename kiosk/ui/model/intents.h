#pragma once
// What a screen asks for. Screens append intents while drawing; the app applies them to the
// store after the frame, so no screen ever writes data itself.
#include <string>
#include <variant>
#include <vector>

#include "kiosk/core/escalation.h"

namespace kiosk::ui {

struct RequestEscalate {
  std::string mention_id;
  core::Severity severity = core::Severity::medium;
  std::string note;
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

// A reply drafted on the card, sent to head office for approval.
struct RequestSuggestReply {
  std::string mention_id;
  std::string text;
  std::string staff_id;  // empty: nobody tapped in
};

// "Share with the team" on a positive post: a praise.shared event for the team and HQ.
struct RequestSharePraise {
  std::string mention_id;
};

using Intent = std::variant<RequestEscalate, RequestSyncNow, RequestTapIn, RequestTapOut,
                            RequestTrainingAnswer, RequestOpenPrompt, RequestDismissPrompt,
                            RequestSuggestReply, RequestSharePraise>;
using Intents = std::vector<Intent>;

}  // namespace kiosk::ui

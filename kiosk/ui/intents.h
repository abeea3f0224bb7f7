#pragma once
// What a screen asks for. Screens append intents while drawing; the app applies them to the
// store after the frame, so no screen ever writes data itself.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/core/escalation.h"

namespace kiosk::ui {

struct RequestEscalate {
  std::string mention_id;  // empty: an issue reported with no post (then category is set)
  core::Severity severity = core::Severity::medium;
  std::string note;
  std::optional<core::Category> category = std::nullopt;
  std::string staff_id = {};  // who raised it; empty: anonymous
};

struct RequestSyncNow {};

// A manager acts on an escalation: acknowledge, note, reassign, resolve, reopen.
struct RequestEscalationAction {
  std::string escalation_id;
  core::EscalationActionKind kind = core::EscalationActionKind::acknowledge;
  std::string text;      // the note, who holds it now, or the resolution note
  std::string staff_id;  // who; empty: anonymous
};

using Intent = std::variant<RequestEscalate, RequestSyncNow, RequestEscalationAction>;
using Intents = std::vector<Intent>;

}  // namespace kiosk::ui

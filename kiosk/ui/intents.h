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
};

struct RequestSyncNow {};

// "Share with the team" on a positive post: a praise.shared event for the team and HQ.
struct RequestSharePraise {
  std::string mention_id;
};

using Intent = std::variant<RequestEscalate, RequestSyncNow, RequestSharePraise>;
using Intents = std::vector<Intent>;

}  // namespace kiosk::ui

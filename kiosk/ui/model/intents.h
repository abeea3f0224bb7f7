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

using Intent = std::variant<RequestEscalate, RequestSyncNow>;
using Intents = std::vector<Intent>;

}  // namespace kiosk::ui

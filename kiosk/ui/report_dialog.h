#pragma once
// "Report an issue": something that happened in the store with no post (yet). Category chips
// ("category:<name>", from kiosk/core/category.h), severity ("severity:<name>", following the
// category until tapped: safety is critical, staff conduct high, the rest medium), an optional
// note, "send" and "cancel". The common case is three taps: report_issue, a category, send.
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::report_dialog {

// The severity a category starts with, until staff choose another.
core::Severity default_severity(core::Category category);

void draw(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::report_dialog

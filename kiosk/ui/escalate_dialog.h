#pragma once
// The Escalate dialog (modal): severity chooser with four large buttons, an optional note,
// Confirm and Cancel. Open while UiState::dialog_mention_id is set; Confirm appends
// RequestEscalate{mention_id, severity, note} to the intents and closes it.
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::escalate_dialog {

void draw(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::escalate_dialog

#pragma once
// The kiosk's one full-window screen: header with the store name, the feed of mention cards,
// the status bar, and the Escalate dialog on top when open. Call between the platform's
// begin_frame() and end_frame(); apply the intents after end_frame().
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui {

void draw_kiosk_screen(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui

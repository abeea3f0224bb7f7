#pragma once
// The big tabs along the bottom, above the status bar: Feed, Escalations (and Training, drawn
// by the screen that adds it). Touch targets "tab:feed", "tab:escalations", "tab:training".
#include "kiosk/ui/ui_state.h"
#include "kiosk/ui/view_state.h"

namespace kiosk::ui::nav_bar {

float height();
void draw(const ViewState& view, UiState& ui);

}  // namespace kiosk::ui::nav_bar

#pragma once
// The big tabs along the bottom, above the status bar: Feed, Escalations, Training. Touch
// targets "tab:feed", "tab:escalations", "tab:training"; a tap sets UiState::screen.
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::nav_bar {

void draw(const ViewState& view, UiState& ui);

// The bar's height for the current font (screens lay out above it).
float height();

}  // namespace kiosk::ui::nav_bar

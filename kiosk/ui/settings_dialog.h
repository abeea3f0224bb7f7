#pragma once
// Settings: colours, language, when the terminal taps the person out and shows the idle
// screen, and the on-screen keyboard, for this run of the window (the start options set them
// at the next start). In kiosk mode only a manager opens it (pin_pad::open_settings). Touch
// targets: "settings" (the status bar's button), "settings:theme:dark|light",
// "settings:language:<code>", "settings:idle_lock:-|+", "settings:idle_screen:-|+",
// "settings:keyboard:on|off", "settings:save", "settings:cancel".
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::settings_dialog {

void draw(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::settings_dialog

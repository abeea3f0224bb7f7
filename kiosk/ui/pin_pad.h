#pragma once
// The PIN pad: who are you (active staff by name), then the PIN on a digit pad with the typed
// digits drawn as dots, and one clear line about the last try ("Wrong PIN, 2 tries left",
// "Locked for 30 s"). Touch targets: "staff:<id>", "pin:0".."pin:9", "pin:back", "pin:ok",
// "pin:who" (someone else), "pin:cancel". A physical keyboard's digits, Backspace and Enter
// work too. The PIN itself is checked by the app (RequestTapIn), never here.
#include <string>

#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::pin_pad {

// Opens the pad; then_escalate: the mention whose escalate dialog opens once tapped in.
void open(UiState& ui, const std::string& then_escalate = {});
// For an action core::access_for() says needs a manager: only managers are offered, and
// the pad stays open until a manager is tapped in (replacing whoever was).
void open_for_manager(UiState& ui);
// Opens the pad; the "Report an issue" dialog opens once someone is tapped in.
void open_then_report(UiState& ui);
// Kiosk mode: leaving the app needs a manager (core::StaffAction::leave_app). A manager
// already tapped in leaves at once (a RequestLeaveApp); otherwise the pad opens for managers
// and the request follows their PIN.
void leave_app(const ViewState& view, UiState& ui, Intents& intents);
// The same for the settings dialog (core::StaffAction::open_settings).
void open_settings(const ViewState& view, UiState& ui);
void close(UiState& ui);
void draw(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::pin_pad

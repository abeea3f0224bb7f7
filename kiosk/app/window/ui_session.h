#pragma once
// Crash-restore: what the window keeps of itself in the store while someone works, so a
// crashed or killed kiosk reopens where it was. The screen (feed, escalations, training), the
// feed's chip and search text, an open dialog and the mention or escalation it is about, and
// every half-typed text (escalation note, report note, reply draft, escalation action text).
// Never a PIN, and never who is tapped in: after a restart the person taps in again, and a
// dialog that needs them reopens behind the PIN pad with its text kept.
#include <string>
#include <string_view>

#include "kiosk/ui/ui_state.h"

namespace kiosk::app {

// The record for ui (JSON text). Equal records mean nothing worth keeping changed.
std::string encode_ui_session(const ui::UiState& ui);

// Puts a record back into ui. tapped_in: someone is already tapped in (--staff); otherwise
// the escalate and report dialogs wait behind the PIN pad. Returns an empty string when done,
// otherwise one sentence on why the record was not used (ui is then left untouched).
std::string restore_ui_session(std::string_view record, ui::UiState& ui, bool tapped_in);

}  // namespace kiosk::app

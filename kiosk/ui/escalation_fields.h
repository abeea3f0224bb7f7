#pragma once
// The fields an escalation is raised with, drawn the same way in the Escalate dialog (from a
// post) and the Report an issue dialog (no post): category chips three to a row
// ("category:<name>", from kiosk/core/category.h; praise left out: it is for posts, not for
// problems) and four big severity buttons ("severity:<name>"), the chosen one filled.
#include <optional>

#include "kiosk/core/category.h"
#include "kiosk/core/escalation.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::escalation_fields {

// True when a chip was tapped this frame (chosen is then that category).
bool category_chips(UiState& ui, std::optional<core::Category>& chosen);
// True when a severity was tapped this frame (chosen is then that severity).
bool severity_buttons(UiState& ui, core::Severity& chosen);
// While the on-screen keyboard is open the chips and the severity buttons fold into one line
// showing the choices made ("Safety · High · Change", touch target "choices") so that the
// note, the keyboard and the dialog's buttons fit in the window. Tapping it closes the
// keyboard, which unfolds them. Returns true when it was tapped this frame.
bool folded_choices(UiState& ui, const std::optional<core::Category>& category,
                    core::Severity severity);

}  // namespace kiosk::ui::escalation_fields

#pragma once
// The Escalations screen (its own tab): open ones first, each with its clock (time since
// raised, the response target of its severity, time left or "overdue by"), where it is on the
// ladder and who holds it now, and whether it was acknowledged here (and synced or not) or by
// head office. A card is flagged when the store manager has not acknowledged within the first
// level's timeout (mirrored on the terminal, offline too). Manager actions: "ack:<id>",
// "resolve:<id>", "reopen:<id>", "details:<id>" (history, and a text field with "note:<id>",
// "reassign:<id>").
#include <string>

#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::escalations_screen {

// "12 min", "1 h 5 min": a duration on a card.
std::string duration_text(std::int64_t ms);

void draw(const ViewState& view, UiState& ui, Intents& intents, float height);

}  // namespace kiosk::ui::escalations_screen

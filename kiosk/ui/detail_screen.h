#pragma once
// A card's detail view: one mention, whole. Tapping a card's body opens it in place of the
// feed (UiState::detail_mention_id); "close_detail" returns to the feed where it was scrolled.
// It shows the full text (wrapped, never cut), author, source, time (local and "N min ago"),
// the link as text and as a QR code for a phone, rating, reach, language, the post it replies
// to, triage (reasons and category), the escalation's state, and the card's own actions under
// the card's own touch target names ("escalate:<id>", "reply:<id>", "share:<id>").
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::detail_screen {

// True when a detail is open (then draw() is what the Feed tab shows).
bool open(const UiState& ui);

void draw(const ViewState& view, UiState& ui, Intents& intents, float height);

}  // namespace kiosk::ui::detail_screen

#pragma once
// The feed: mention cards, newest first, in a scrolling region that fills the given height.
// Only the cards on screen are drawn (ImGuiListClipper). Tapping Escalate opens the dialog.
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
// Only the cards on screen are drawn (ImGuiListClipper). Tapping Escalate opens the dialog,
// Draft reply the reply dialog.
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::feed {

void draw(const ViewState& view, UiState& ui, Intents& intents, float height);

// The state line of a card's escalation ("Delivered to head office", ...).
std::string progress_line(const MentionCard& card);
// "5,400 followers · 1 like": what the source counted, nothing it did not.
std::string reach_line(const core::Reach& reach);
// The line of a card's suggested reply ("Reply approved by head office · Head office: ...");
// empty when none was suggested.
std::string reply_status(const MentionCard& card);

}  // namespace kiosk::ui::feed

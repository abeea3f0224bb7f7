#pragma once
// The Training tab: the tapped-in member's daily set, a lesson card, its quiz with a
// confidence choice (sure / unsure), and after the answer the right one and why
// (RequestTrainingAnswer). Also the contextual prompt's banner, drawn on every tab: a lesson
// offered because a mention or escalation in its category just arrived, opened or dismissed
// with one tap (RequestOpenPrompt, RequestDismissPrompt); when there is none, the daily set's
// offer at the member's first tap-in of the day ("daily:start" opens the Training tab,
// "daily:later" puts it off until tomorrow; both RequestCloseDailyOffer).
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::training_screen {

void draw(const ViewState& view, UiState& ui, Intents& intents, float height);

// The banner's height when a prompt or the daily offer is on screen, 0 otherwise.
float prompt_height(const ViewState& view);
void draw_prompt(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::training_screen

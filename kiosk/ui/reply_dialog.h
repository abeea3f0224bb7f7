#pragma once
// Drafting a reply to a mention for head office to approve: a text field, and the reply
// coach's hints (core/reply_coach.h) under it as staff type. The coach never writes the reply.
// Send queues RequestSuggestReply; the card then shows head office's outcome.
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::reply_dialog {

void draw(const ViewState& view, UiState& ui, Intents& intents);

}  // namespace kiosk::ui::reply_dialog

#pragma once
// The status bar at the bottom: Online/Offline (or not enrolled), events waiting to send, last
// sync, the last error, who is tapped in with a "Tap out" button (RequestTapOut) or, when
// nobody is, a "Tap in" button that opens the PIN pad, and a Sync now button (RequestSyncNow).
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::status_bar {

void draw(const ViewState& view, UiState& ui, Intents& intents);

// The bar's height for the current font (the screen lays out the feed above it).
float height();

// The texts the bar shows for a status, left to right (without the button); ages against
// ui.now_ms.
std::vector<std::string> texts(const SyncStatus& sync, UiState& ui);

}  // namespace kiosk::ui::status_bar

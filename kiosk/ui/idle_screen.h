#pragma once
// The idle screen: after a while without a touch (--idle-screen-seconds), the kiosk shows what
// is open right now (open escalations, posts that need attention) and a tip from the training
// pack (the catalog's few without one) that changes every
// 20 seconds, in big type across the whole window. Any tap wakes it; that tap only wakes, it
// never reaches the button that was under the finger. Touch target: "idle_screen".
// Distinct from the idle lock (staff.h), which taps the person out.
#include <cstdint>

#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::idle_screen {

inline constexpr std::int64_t kTipRotateMs = 20'000;

// Draws it when ui.idle_screen is set and returns true (draw nothing else this frame); a tap
// clears ui.idle_screen. Notes the next tip change in ui.next_label_change_ms.
bool draw(const ViewState& view, UiState& ui);

}  // namespace kiosk::ui::idle_screen

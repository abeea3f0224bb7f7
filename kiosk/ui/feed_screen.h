#pragma once
// The feed: mention cards, newest first, in a scrolling region that fills the given height.
// Only the cards on screen are drawn (ImGuiListClipper). Tapping Escalate opens the dialog.
#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>

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

// Escalate tapped on a card or its detail: the dialog, or the PIN pad first when the person
// tapped in may not escalate (or nobody is).
void start_escalate(const ViewState& view, UiState& ui, const std::string& mention_id);

// Shared with the card's detail view (detail_screen.h): one look for the same facts.
std::string_view urgency_label(core::Urgency u);
std::string_view sentiment_label(core::Sentiment s);
std::string_view reason_label(core::Reason r);
// 1234 -> "1,234"; 12345 -> "12k"; 1234567 -> "1.2M".
std::string short_count(std::int64_t n);
// A five-pointed star, filled or as an outline, centred at c.
void draw_star(ImDrawList* dl, ImVec2 c, float r, ImU32 color, bool filled);
// A rounded chip with text at `at`, h tall; returns its width.
float draw_chip(ImDrawList* dl, UiState& ui, ImVec2 at, float h, const ImVec4& fill,
                const ImVec4& text_color, std::string_view text);
ImVec4 with_alpha(ImVec4 c, float a);

}  // namespace kiosk::ui::feed

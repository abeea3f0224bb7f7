#pragma once
// The touch themes, dark and light: large paddings, rounded corners, contrast for a store floor
// (every text colour at least 4.5:1 on the surfaces it is drawn on, WCAG 2, checked by
// tests/ui/theme_test.cpp), severity colours readable in both. Every size is a base value
// times one scale factor (the platform's DPI x touch scale).
#include <imgui.h>

#include <optional>
#include <string_view>

#include "kiosk/core/escalation.h"
#include "kiosk/core/triage.h"

namespace kiosk::ui {

enum class Theme { dark, light };

// "dark" or "light"; nullopt for anything else.
std::optional<Theme> parse_theme(std::string_view name);

// A theme's colours. colors:: below holds the current one's.
struct Palette {
  ImVec4 background, card, bar, frame, frame_hover, frame_active, popup, border;
  ImVec4 text, text_dim;
  ImVec4 accent, accent_hover, accent_active;  // primary buttons (text colour on them)
  ImVec4 online, offline, warning;
  ImVec4 severity_low, severity_medium, severity_high, severity_critical;
  ImVec4 delivered, acknowledged;
  ImVec4 on_accent;    // text on accent and danger fills
  ImVec4 danger;       // the fill of Report an issue
  ImVec4 on_severity;  // text on a chosen severity's fill
};
const Palette& palette(Theme theme);

// Sets ImGui's style for touch in the theme, and colors:: to its palette. Call once after the
// ImGui context exists, and again if the scale or the theme changes.
void apply_theme(float scale, Theme theme = Theme::dark);
Theme current_theme();

// The WCAG 2 contrast ratio of two opaque colours, 1 (same) to 21 (black on white).
float contrast_ratio(const ImVec4& a, const ImVec4& b);

// The current theme's colours, set by apply_theme() (dark until then).
namespace colors {
inline ImVec4 background{0.08f, 0.09f, 0.11f, 1.0f};
inline ImVec4 card{0.15f, 0.16f, 0.19f, 1.0f};
inline ImVec4 bar{0.11f, 0.12f, 0.15f, 1.0f};
inline ImVec4 text{0.96f, 0.96f, 0.97f, 1.0f};
inline ImVec4 text_dim{0.68f, 0.70f, 0.75f, 1.0f};
inline ImVec4 accent{0.10f, 0.40f, 0.85f, 1.0f};  // primary buttons
inline ImVec4 accent_hover{0.16f, 0.47f, 0.93f, 1.0f};
inline ImVec4 accent_active{0.08f, 0.33f, 0.72f, 1.0f};
inline ImVec4 online{0.22f, 0.78f, 0.38f, 1.0f};
inline ImVec4 offline{0.93f, 0.33f, 0.30f, 1.0f};
inline ImVec4 warning{0.98f, 0.75f, 0.25f, 1.0f};
inline ImVec4 on_accent{1.0f, 1.0f, 1.0f, 1.0f};
inline ImVec4 danger{0.78f, 0.16f, 0.16f, 1.0f};
inline ImVec4 on_severity{0.05f, 0.05f, 0.07f, 1.0f};
}  // namespace colors

// One colour language for how bad something is: an escalation's severity, a mention's
// urgency and sentiment use the same reds, oranges and ambers; praise is green.
ImVec4 severity_color(core::Severity severity);
ImVec4 urgency_color(core::Urgency urgency);        // urgent = critical, high = high, low = medium
ImVec4 sentiment_color(core::Sentiment sentiment);  // negative red, positive green, neutral dim
ImVec4 progress_color(core::EscalationProgress progress);

// Touch sizes, in multiples of the current font size (so they follow the scale).
float touch_target_height();  // the minimum height of anything a finger taps (~48 px at 1x)

}  // namespace kiosk::ui

#pragma once
// The touch theme: large paddings, rounded corners, high contrast, severity colours. Every size
// is a base value times one scale factor (the platform's DPI x touch scale).
#include <imgui.h>

#include "kiosk/core/escalation.h"
#include "kiosk/core/triage.h"

namespace kiosk::ui {

// Sets ImGui's style for touch. Call once after the ImGui context exists, and again if the
// scale changes.
void apply_theme(float scale);

namespace colors {
inline const ImVec4 background{0.08f, 0.09f, 0.11f, 1.0f};
inline const ImVec4 card{0.15f, 0.16f, 0.19f, 1.0f};
inline const ImVec4 bar{0.11f, 0.12f, 0.15f, 1.0f};
inline const ImVec4 text{0.96f, 0.96f, 0.97f, 1.0f};
inline const ImVec4 text_dim{0.68f, 0.70f, 0.75f, 1.0f};
inline const ImVec4 accent{0.16f, 0.47f, 0.93f, 1.0f};  // primary buttons
inline const ImVec4 accent_hover{0.25f, 0.55f, 0.98f, 1.0f};
inline const ImVec4 accent_active{0.10f, 0.38f, 0.80f, 1.0f};
inline const ImVec4 online{0.22f, 0.78f, 0.38f, 1.0f};
inline const ImVec4 offline{0.93f, 0.33f, 0.30f, 1.0f};
inline const ImVec4 warning{0.98f, 0.75f, 0.25f, 1.0f};
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

#include "kiosk/ui/theme.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {
namespace {

ImVec4 rgb(float r, float g, float b) {
  return {r, g, b, 1.0f};
}

// Dark: light text on near-black, for a bright store or a dim back office alike.
const Palette kDark{
    rgb(0.08f, 0.09f, 0.11f),  // background
    rgb(0.15f, 0.16f, 0.19f),  // card
    rgb(0.11f, 0.12f, 0.15f),  // bar
    rgb(0.20f, 0.22f, 0.26f),  // frame
    rgb(0.24f, 0.26f, 0.31f),  // frame_hover
    rgb(0.28f, 0.30f, 0.36f),  // frame_active
    rgb(0.13f, 0.14f, 0.17f),  // popup
    rgb(0.30f, 0.32f, 0.38f),  // border
    rgb(0.96f, 0.96f, 0.97f),  // text
    rgb(0.68f, 0.70f, 0.75f),  // text_dim
    rgb(0.10f, 0.40f, 0.85f),  // accent
    rgb(0.16f, 0.47f, 0.93f),  // accent_hover
    rgb(0.08f, 0.33f, 0.72f),  // accent_active
    rgb(0.22f, 0.78f, 0.38f),  // online
    rgb(0.98f, 0.50f, 0.48f),  // offline
    rgb(0.98f, 0.75f, 0.25f),  // warning
    rgb(0.50f, 0.68f, 0.92f),  // severity_low
    rgb(0.98f, 0.75f, 0.25f),  // severity_medium
    rgb(0.98f, 0.56f, 0.25f),  // severity_high
    rgb(1.00f, 0.50f, 0.50f),  // severity_critical
    rgb(0.45f, 0.70f, 0.98f),  // delivered
    rgb(0.55f, 0.85f, 0.55f),  // acknowledged
    rgb(1.00f, 1.00f, 1.00f),  // on_accent
    rgb(0.78f, 0.16f, 0.16f),  // danger
    rgb(0.05f, 0.05f, 0.07f),  // on_severity
};

// Light: near-black text on white, for a sunlit counter; the severities are deeper so that
// amber and orange still read on white.
const Palette kLight{
    rgb(0.96f, 0.96f, 0.97f),  // background
    rgb(1.00f, 1.00f, 1.00f),  // card
    rgb(0.91f, 0.92f, 0.94f),  // bar
    rgb(0.88f, 0.89f, 0.92f),  // frame
    rgb(0.84f, 0.85f, 0.89f),  // frame_hover
    rgb(0.79f, 0.81f, 0.86f),  // frame_active
    rgb(1.00f, 1.00f, 1.00f),  // popup
    rgb(0.70f, 0.72f, 0.77f),  // border
    rgb(0.08f, 0.09f, 0.11f),  // text
    rgb(0.31f, 0.33f, 0.38f),  // text_dim
    rgb(0.08f, 0.36f, 0.80f),  // accent
    rgb(0.12f, 0.42f, 0.88f),  // accent_hover
    rgb(0.06f, 0.30f, 0.68f),  // accent_active
    rgb(0.05f, 0.42f, 0.18f),  // online
    rgb(0.70f, 0.11f, 0.11f),  // offline
    rgb(0.50f, 0.33f, 0.00f),  // warning
    rgb(0.10f, 0.32f, 0.64f),  // severity_low
    rgb(0.50f, 0.33f, 0.00f),  // severity_medium
    rgb(0.62f, 0.24f, 0.00f),  // severity_high
    rgb(0.70f, 0.10f, 0.12f),  // severity_critical
    rgb(0.08f, 0.34f, 0.70f),  // delivered
    rgb(0.10f, 0.42f, 0.16f),  // acknowledged
    rgb(1.00f, 1.00f, 1.00f),  // on_accent
    rgb(0.74f, 0.12f, 0.12f),  // danger
    rgb(1.00f, 1.00f, 1.00f),  // on_severity
};

Theme g_theme = Theme::dark;

float linear(float c) {
  return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float luminance(const ImVec4& c) {
  return 0.2126f * linear(c.x) + 0.7152f * linear(c.y) + 0.0722f * linear(c.z);
}

}  // namespace

std::optional<Theme> parse_theme(std::string_view name) {
  if (name == "dark") return Theme::dark;
  if (name == "light") return Theme::light;
  return std::nullopt;
}

const Palette& palette(Theme theme) {
  return theme == Theme::light ? kLight : kDark;
}

Theme current_theme() {
  return g_theme;
}

float contrast_ratio(const ImVec4& a, const ImVec4& b) {
  const float la = luminance(a);
  const float lb = luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

void apply_theme(float scale, Theme theme) {
  g_theme = theme;
  const Palette& p = palette(theme);
  colors::background = p.background;
  colors::card = p.card;
  colors::bar = p.bar;
  colors::text = p.text;
  colors::text_dim = p.text_dim;
  colors::accent = p.accent;
  colors::accent_hover = p.accent_hover;
  colors::accent_active = p.accent_active;
  colors::online = p.online;
  colors::offline = p.offline;
  colors::warning = p.warning;
  colors::on_accent = p.on_accent;
  colors::danger = p.danger;
  colors::on_severity = p.on_severity;

  ImGuiStyle style;  // start from defaults so repeated calls do not compound the scale
  if (theme == Theme::light)
    ImGui::StyleColorsLight(&style);
  else
    ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(16.0f, 16.0f);
  style.FramePadding = ImVec2(16.0f, 10.0f);
  style.ItemSpacing = ImVec2(12.0f, 10.0f);
  style.ItemInnerSpacing = ImVec2(10.0f, 8.0f);
  style.TouchExtraPadding = ImVec2(4.0f, 4.0f);
  style.ScrollbarSize = 22.0f;
  style.GrabMinSize = 24.0f;
  style.WindowRounding = 0.0f;
  style.ChildRounding = 12.0f;
  style.FrameRounding = 10.0f;
  style.PopupRounding = 12.0f;
  style.ScrollbarRounding = 10.0f;
  style.GrabRounding = 10.0f;
  style.WindowBorderSize = 0.0f;
  style.ChildBorderSize = 0.0f;
  style.PopupBorderSize = 1.0f;
  style.FrameBorderSize = 0.0f;
  style.ScaleAllSizes(scale);

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = colors::text;
  c[ImGuiCol_TextDisabled] = colors::text_dim;
  c[ImGuiCol_WindowBg] = colors::background;
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = p.popup;
  c[ImGuiCol_Border] = p.border;
  c[ImGuiCol_FrameBg] = p.frame;
  c[ImGuiCol_FrameBgHovered] = p.frame_hover;
  c[ImGuiCol_FrameBgActive] = p.frame_active;
  c[ImGuiCol_Button] = colors::accent;
  c[ImGuiCol_ButtonHovered] = colors::accent_hover;
  c[ImGuiCol_ButtonActive] = colors::accent_active;
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = p.border;
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.6f);
  ImGui::GetStyle() = style;
}

ImVec4 severity_color(core::Severity severity) {
  switch (severity) {
    case core::Severity::low:
      return palette(g_theme).severity_low;
    case core::Severity::medium:
      return palette(g_theme).severity_medium;
    case core::Severity::high:
      return palette(g_theme).severity_high;
    case core::Severity::critical:
      return palette(g_theme).severity_critical;
  }
  return colors::text;
}

ImVec4 urgency_color(core::Urgency urgency) {
  switch (urgency) {
    case core::Urgency::urgent:
      return severity_color(core::Severity::critical);
    case core::Urgency::high:
      return severity_color(core::Severity::high);
    case core::Urgency::low:
      return severity_color(core::Severity::medium);
    case core::Urgency::none:
      break;
  }
  return colors::text_dim;
}

ImVec4 sentiment_color(core::Sentiment sentiment) {
  switch (sentiment) {
    case core::Sentiment::negative:
      return severity_color(core::Severity::critical);
    case core::Sentiment::positive:
      return colors::online;
    case core::Sentiment::neutral:
      break;
  }
  return colors::text_dim;
}

ImVec4 progress_color(core::EscalationProgress progress) {
  switch (progress) {
    case core::EscalationProgress::queued_on_terminal:
      return colors::warning;
    case core::EscalationProgress::delivered_to_hq:
      return palette(g_theme).delivered;
    case core::EscalationProgress::acknowledged:
      return palette(g_theme).acknowledged;
    case core::EscalationProgress::resolved:
      return colors::online;
    case core::EscalationProgress::not_accepted:
      return colors::offline;
  }
  return colors::text;
}

float touch_target_height() {
  return ImGui::GetFontSize() * 2.6f;
}

}  // namespace kiosk::ui

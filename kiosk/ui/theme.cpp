#include "kiosk/ui/theme.h"

namespace kiosk::ui {

void apply_theme(float scale) {
  ImGuiStyle style;  // start from defaults so repeated calls do not compound the scale
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
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.17f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.30f, 0.32f, 0.38f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.24f, 0.26f, 0.31f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.28f, 0.30f, 0.36f, 1.0f);
  c[ImGuiCol_Button] = colors::accent;
  c[ImGuiCol_ButtonHovered] = colors::accent_hover;
  c[ImGuiCol_ButtonActive] = colors::accent_active;
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = ImVec4(0.35f, 0.37f, 0.43f, 1.0f);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.6f);
  ImGui::GetStyle() = style;
}

ImVec4 severity_color(core::Severity severity) {
  switch (severity) {
    case core::Severity::low:
      return {0.45f, 0.62f, 0.85f, 1.0f};
    case core::Severity::medium:
      return {0.98f, 0.75f, 0.25f, 1.0f};
    case core::Severity::high:
      return {0.97f, 0.50f, 0.17f, 1.0f};
    case core::Severity::critical:
      return {0.90f, 0.20f, 0.22f, 1.0f};
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
      return {0.45f, 0.70f, 0.98f, 1.0f};
    case core::EscalationProgress::acknowledged:
      return {0.55f, 0.85f, 0.55f, 1.0f};
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

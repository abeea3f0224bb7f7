#include "kiosk/ui/escalation_fields.h"

#include <imgui.h>

#include <array>
#include <string>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::escalation_fields {

bool category_chips(UiState& ui, std::optional<core::Category>& chosen) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float chip_w = (ImGui::GetContentRegionAvail().x - spacing * 2.0f) / 3.0f;
  bool tapped = false;
  int in_row = 0;
  for (const core::Category c : core::all_categories()) {
    if (c == core::Category::praise) continue;
    if (in_row > 0) ImGui::SameLine();
    const bool on = chosen == c;
    const ImVec4 fill = on ? colors::accent : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    if (widgets::button(ui, "category:" + std::string(core::to_string(c)), category_label(c),
                        ImVec2(chip_w, touch_target_height()), fill,
                        on ? colors::on_accent : colors::text)) {
      chosen = c;
      tapped = true;
    }
    in_row = (in_row + 1) % 3;
  }
  return tapped;
}

bool severity_buttons(UiState& ui, core::Severity& chosen) {
  constexpr std::array<core::Severity, 4> severities = {
      core::Severity::low, core::Severity::medium, core::Severity::high, core::Severity::critical};
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - spacing * 3.0f) / 4.0f;
  bool tapped = false;
  for (std::size_t i = 0; i < severities.size(); ++i) {
    const core::Severity s = severities[i];
    if (i > 0) ImGui::SameLine();
    const bool on = s == chosen;
    const ImVec4 fill = on ? severity_color(s) : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    const ImVec4 text = on ? colors::on_severity : severity_color(s);
    if (widgets::button(ui, "severity:" + std::string(core::to_string(s)), severity_label(s),
                        ImVec2(w, touch_target_height()), fill, text)) {
      chosen = s;
      tapped = true;
    }
    if (on) {
      ImGui::GetWindowDrawList()->AddRect(
          ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), ImGui::GetColorU32(colors::text),
          ImGui::GetStyle().FrameRounding, 0, ImGui::GetFontSize() * 0.15f);
    }
  }
  return tapped;
}

bool folded_choices(UiState& ui, const std::optional<core::Category>& category,
                    core::Severity severity) {
  std::string label(category ? category_label(*category) : tr(Str::choices_no_category));
  label += "  \xC2\xB7  ";
  label += severity_label(severity);
  label += "  \xC2\xB7  ";
  label += tr(Str::choices_change);
  if (!widgets::button(ui, "choices", label,
                       ImVec2(ImGui::GetContentRegionAvail().x, touch_target_height()),
                       ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text))
    return false;
  ui.keyboard_field = TextField::none;
  return true;
}

}  // namespace kiosk::ui::escalation_fields

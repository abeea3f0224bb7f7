#include "kiosk/ui/nav_bar.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::nav_bar {

float height() {
  return touch_target_height() + ImGui::GetStyle().ItemSpacing.y;
}

void draw(const ViewState& view, UiState& ui) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  const auto tab = [&](Screen screen, const char* name, std::string label) {
    const bool on = ui.screen == screen;
    const ImVec4 fill = on ? colors::accent : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    if (widgets::button(ui, name, label, ImVec2(w, touch_target_height()), fill, colors::text))
      ui.screen = screen;
  };
  tab(Screen::feed, "tab:feed", std::string(tr(Str::tab_feed)));
  ImGui::SameLine();
  const auto open = std::count_if(
      view.escalations.begin(), view.escalations.end(),
      [](const EscalationCard& c) { return c.status != core::EscalationStatus::resolved; });
  std::string label(tr(Str::tab_escalations));
  if (open > 0) label += " (" + std::to_string(open) + ")";
  tab(Screen::escalations, "tab:escalations", label);
}

}  // namespace kiosk::ui::nav_bar

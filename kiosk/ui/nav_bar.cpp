#include "kiosk/ui/nav_bar.h"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <string>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::nav_bar {

namespace {

struct Tab {
  Screen screen;
  const char* name;
  Str label;
};
constexpr std::array<Tab, 3> kTabs = {
    {{Screen::feed, "tab:feed", Str::tab_feed},
     {Screen::escalations, "tab:escalations", Str::tab_escalations},
     {Screen::training, "tab:training", Str::tab_training}}};

}  // namespace

float height() {
  return touch_target_height() + ImGui::GetStyle().ItemSpacing.y;
}

void draw(const ViewState& view, UiState& ui) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - spacing * 2.0f) / 3.0f;
  const float h = touch_target_height();
  // The Escalations tab counts what is still open, so a manager sees work waiting from any tab.
  const auto open = std::count_if(
      view.escalations.begin(), view.escalations.end(),
      [](const EscalationCard& c) { return c.status != core::EscalationStatus::resolved; });
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    const Tab& tab = kTabs[i];
    if (i > 0) ImGui::SameLine();
    const bool on = ui.screen == tab.screen;
    std::string label(tr(tab.label));
    if (tab.screen == Screen::escalations && open > 0) label += " (" + std::to_string(open) + ")";
    if (widgets::button(ui, tab.name, label, ImVec2(w, h), on ? colors::accent : colors::card,
                        on ? colors::on_accent : colors::text))
      ui.screen = tab.screen;
  }
}

}  // namespace kiosk::ui::nav_bar

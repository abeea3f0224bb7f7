#include "kiosk/ui/nav_bar.h"

#include <imgui.h>
#include <imgui_internal.h>  // PushItemFlag, RenderNavHighlight: the tabs are drawn over their buttons

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
  // Which tab the finger lifts from (or Enter picks) is known only once its button ran, and the
  // tab drawn before it would still show the old choice: invisible buttons take the taps first,
  // then the tabs are drawn as they now stand, over them and out of the keyboard's way, so the
  // frame that reads a tap shows the new choice (issue 7).
  const ImVec2 row = ImGui::GetCursorPos();
  std::array<bool, kTabs.size()> hovered{};
  std::array<bool, kTabs.size()> held{};
  std::array<ImGuiID, kTabs.size()> ids{};
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::InvisibleButton(kTabs[i].name, ImVec2(w, h))) ui.screen = kTabs[i].screen;
    hovered[i] = ImGui::IsItemHovered();
    held[i] = ImGui::IsItemActive();
    ids[i] = ImGui::GetItemID();
  }
  ImGui::SetCursorPos(row);
  ImGui::PushItemFlag(ImGuiItemFlags_NoNav, true);
  for (std::size_t i = 0; i < kTabs.size(); ++i) {
    const Tab& tab = kTabs[i];
    if (i > 0) ImGui::SameLine();
    const bool on = ui.screen == tab.screen;
    std::string label(tr(tab.label));
    if (tab.screen == Screen::escalations && open > 0) label += " (" + std::to_string(open) + ")";
    const ImVec4 fill =
        widgets::button_fill(on ? colors::accent : colors::card, hovered[i], held[i]);
    widgets::button(ui, tab.name, label, ImVec2(w, h), fill, on ? colors::on_accent : colors::text);
    ImGui::RenderNavHighlight(ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), ids[i]);
  }
  ImGui::PopItemFlag();
}

}  // namespace kiosk::ui::nav_bar

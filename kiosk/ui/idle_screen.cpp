#include "kiosk/ui/idle_screen.h"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::idle_screen {
namespace {

constexpr std::array<Str, 4> kTips = {Str::idle_tip_1, Str::idle_tip_2, Str::idle_tip_3,
                                      Str::idle_tip_4};

void centred(UiState& ui, const ImVec4& color, std::string_view text) {
  const float w = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
  const float avail = ImGui::GetContentRegionAvail().x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max((avail - w) * 0.5f, 0.0f));
  widgets::text_colored(ui, color, text);
}

}  // namespace

bool draw(const ViewState& view, UiState& ui) {
  if (!ui.idle_screen) return false;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::Begin("##idle_screen", nullptr, flags);
  // The whole window is one touch target; a release anywhere wakes the kiosk. The press that
  // started it landed here, not on a button, so nothing under it fires.
  ImGui::SetCursorPos(ImVec2(0.0f, 0.0f));
  ImGui::InvisibleButton("##wake", viewport->WorkSize);
  widgets::record_last_item(ui, "idle_screen");
  if (ImGui::IsItemDeactivated() || ImGui::IsItemClicked()) ui.idle_screen = false;

  const float font = ImGui::GetFontSize();
  ImGui::SetCursorPos(ImVec2(font * 2.0f, viewport->WorkSize.y * 0.22f));
  ImGui::PushTextWrapPos(viewport->WorkSize.x - font * 2.0f);
  const auto open = std::count_if(
      view.escalations.begin(), view.escalations.end(),
      [](const EscalationCard& c) { return c.status != core::EscalationStatus::resolved; });
  // Not counted yet (the first frame): the line waits for its number rather than say 0.
  const std::optional<std::int64_t> urgent =
      view.chip_counts
          ? std::optional((*view.chip_counts)[static_cast<std::size_t>(FeedChip::needs_attention)])
          : std::nullopt;
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  ImGui::SetWindowFontScale(1.6f);
  centred(ui, colors::text,
          view.store_name.empty() ? tr(Str::app_name) : std::string_view(view.store_name));
  ImGui::SetWindowFontScale(1.0f);
  if (ui.heading_font != nullptr) ImGui::PopFont();
  ImGui::Dummy(ImVec2(0.0f, font));
  ImGui::SetWindowFontScale(1.4f);
  centred(ui, open > 0 ? severity_color(core::Severity::high) : colors::text,
          tr(Str::idle_open, std::to_string(open)));
  if (urgent)
    centred(ui, *urgent > 0 ? severity_color(core::Severity::critical) : colors::text,
            tr(Str::idle_urgent, std::to_string(*urgent)));
  ImGui::SetWindowFontScale(1.0f);
  ImGui::Dummy(ImVec2(0.0f, font * 2.0f));

  // The tip of this 20-second slot; the loop wakes when the next one starts, not before.
  const std::int64_t slot = ui.now_ms / kTipRotateMs;
  // The training pack's tips when one is loaded, else the catalog's few.
  const auto& pack_tips = view.training.idle_tips;
  const std::string_view tip =
      pack_tips.empty()
          ? tr(kTips[static_cast<std::size_t>(slot) % kTips.size()])
          : std::string_view(pack_tips[static_cast<std::size_t>(slot) % pack_tips.size()]);
  centred(ui, colors::text_dim, tr(Str::idle_tip_title));
  ImGui::SetWindowFontScale(1.2f);
  centred(ui, colors::text, tip);
  ImGui::SetWindowFontScale(1.0f);
  const std::int64_t next = (slot + 1) * kTipRotateMs;
  if (!ui.next_label_change_ms || next < *ui.next_label_change_ms) ui.next_label_change_ms = next;

  ImGui::Dummy(ImVec2(0.0f, font * 3.0f));
  centred(ui, colors::text_dim, tr(Str::idle_wake));
  ImGui::PopTextWrapPos();
  ImGui::End();
  return true;
}

}  // namespace kiosk::ui::idle_screen

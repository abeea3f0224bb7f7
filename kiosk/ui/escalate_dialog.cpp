#include "kiosk/ui/escalate_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>

#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::escalate_dialog {
namespace {

constexpr const char* popup_id = "##escalate_dialog";
constexpr std::array<core::Severity, 4> severities = {
    core::Severity::low, core::Severity::medium, core::Severity::high, core::Severity::critical};

void close(UiState& ui) {
  ui.dialog_mention_id.clear();
  ui.dialog_note.clear();
  ui.dialog_severity = core::Severity::medium;
  ImGui::CloseCurrentPopup();
}

const MentionCard* find_card(const ViewState& view, const std::string& id) {
  const auto it = std::find_if(view.feed.begin(), view.feed.end(),
                               [&](const MentionCard& c) { return c.mention_id == id; });
  return it == view.feed.end() ? nullptr : &*it;
}

}  // namespace

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (ui.dialog_mention_id.empty()) return;
  // Tapped out (by hand or by the idle lock) while it was open: what was typed goes too.
  if (!view.tapped_in) {
    ui.dialog_mention_id.clear();
    ui.dialog_note.clear();
    ui.dialog_severity = core::Severity::medium;
    return;
  }
  if (!widgets::begin_modal(popup_id, 38.0f)) return;
  const float font = ImGui::GetFontSize();

  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::dialog_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();

  if (const MentionCard* card = find_card(view, ui.dialog_mention_id); card != nullptr) {
    ImGui::PushStyleColor(ImGuiCol_Text, colors::text_dim);
    for (const std::string& line :
         widgets::clamp_lines(card->text, ImGui::GetContentRegionAvail().x, 3)) {
      widgets::text(ui, line);
    }
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_severity_prompt));

  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float button_w = (ImGui::GetContentRegionAvail().x - spacing * 3.0f) / 4.0f;
  const float button_h = touch_target_height() * 1.15f;
  for (std::size_t i = 0; i < severities.size(); ++i) {
    const core::Severity s = severities[i];
    if (i > 0) ImGui::SameLine();
    const bool chosen = s == ui.dialog_severity;
    const ImVec4 fill = chosen ? severity_color(s) : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    const ImVec4 text = chosen ? colors::on_severity : severity_color(s);
    const std::string name = "severity:" + std::string(core::to_string(s));
    if (widgets::button(ui, name, severity_label(s), ImVec2(button_w, button_h), fill, text)) {
      ui.dialog_severity = s;
    }
    if (chosen) {
      ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                          ImGui::GetColorU32(colors::text),
                                          ImGui::GetStyle().FrameRounding, 0, font * 0.15f);
    }
  }

  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_note_label));
  keyboard::field(ui, TextField::escalate_note, "##note", ui.dialog_note,
                  {"field:note", nullptr, 3.0f});
  ImGui::Spacing();

  const float half = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  const float action_h = touch_target_height();
  if (widgets::button(ui, "cancel", tr(Str::cancel), ImVec2(half, action_h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
    close(ui);
  } else {
    ImGui::SameLine();
    if (widgets::button(ui, "confirm", tr(Str::confirm), ImVec2(half, action_h))) {
      // The post's triage category travels with it, so head office can filter and route by it.
      const MentionCard* card = find_card(view, ui.dialog_mention_id);
      intents.emplace_back(RequestEscalate{
          ui.dialog_mention_id, ui.dialog_severity, ui.dialog_note,
          card != nullptr ? std::optional<core::Category>(card->category) : std::nullopt,
          view.tapped_in ? view.tapped_in->id : std::string()});
      close(ui);
    }
  }
  widgets::end_modal();
}

}  // namespace kiosk::ui::escalate_dialog

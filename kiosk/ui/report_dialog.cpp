#include "kiosk/ui/report_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>

#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::report_dialog {
namespace {

constexpr const char* popup_id = "##report_dialog";
constexpr std::array<core::Severity, 4> severities = {
    core::Severity::low, core::Severity::medium, core::Severity::high, core::Severity::critical};

void close(UiState& ui) {
  ui.report_open = false;
  ui.report_category.reset();
  ui.report_severity = core::Severity::medium;
  ui.report_severity_chosen = false;
  ui.report_note.clear();
  ImGui::CloseCurrentPopup();
}

}  // namespace

core::Severity default_severity(core::Category category) {
  switch (category) {
    case core::Category::safety:
      return core::Severity::critical;
    case core::Category::staff_conduct:
      return core::Severity::high;
    default:
      break;
  }
  return core::Severity::medium;
}

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (!ui.report_open) return;
  // Tapped out (by hand or by the idle lock) while it was open: what was chosen goes too.
  if (!view.tapped_in) {
    ui.report_open = false;
    ui.report_category.reset();
    ui.report_severity = core::Severity::medium;
    ui.report_severity_chosen = false;
    ui.report_note.clear();
    return;
  }
  if (!widgets::begin_modal(popup_id, 44.0f, 0.94f)) return;
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::report_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();
  widgets::text(ui, tr(Str::report_category_prompt));

  // Category chips, three to a row; praise is for posts, not for problems at the counter.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float chip_w = (ImGui::GetContentRegionAvail().x - spacing * 2.0f) / 3.0f;
  int in_row = 0;
  for (const core::Category c : core::all_categories()) {
    if (c == core::Category::praise) continue;
    if (in_row > 0) ImGui::SameLine();
    const bool chosen = ui.report_category == c;
    const ImVec4 fill = chosen ? colors::accent : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    if (widgets::button(ui, "category:" + std::string(core::to_string(c)), category_label(c),
                        ImVec2(chip_w, touch_target_height()), fill,
                        chosen ? colors::on_accent : colors::text)) {
      ui.report_category = c;
      if (!ui.report_severity_chosen) ui.report_severity = default_severity(c);
    }
    in_row = (in_row + 1) % 3;
  }

  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_severity_prompt));
  const float sev_w = (ImGui::GetContentRegionAvail().x - spacing * 3.0f) / 4.0f;
  for (std::size_t i = 0; i < severities.size(); ++i) {
    const core::Severity s = severities[i];
    if (i > 0) ImGui::SameLine();
    const bool chosen = s == ui.report_severity;
    const ImVec4 fill = chosen ? severity_color(s) : ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
    const ImVec4 text = chosen ? colors::on_severity : severity_color(s);
    if (widgets::button(ui, "severity:" + std::string(core::to_string(s)), severity_label(s),
                        ImVec2(sev_w, touch_target_height()), fill, text)) {
      ui.report_severity = s;
      ui.report_severity_chosen = true;
    }
  }
  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_note_label));
  keyboard::field(ui, TextField::report_note, "##report_note", ui.report_note,
                  {"field:report_note", nullptr, 2.0f});
  ImGui::Spacing();

  const float half = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  if (widgets::button(ui, "cancel", tr(Str::cancel), ImVec2(half, touch_target_height()),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
    close(ui);
  } else {
    ImGui::SameLine();
    ImGui::BeginDisabled(!ui.report_category.has_value());
    if (widgets::button(ui, "send", tr(Str::send), ImVec2(half, touch_target_height())) &&
        ui.report_category) {
      RequestEscalate r;
      r.severity = ui.report_severity;
      r.note = ui.report_note;
      r.category = ui.report_category;
      r.staff_id = view.tapped_in->id;
      intents.emplace_back(std::move(r));
      ui.screen = Screen::escalations;  // see its clock start
      close(ui);
    }
    ImGui::EndDisabled();
  }
  widgets::end_modal();
}

}  // namespace kiosk::ui::report_dialog

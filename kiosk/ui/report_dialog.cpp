#include "kiosk/ui/report_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>

#include "kiosk/ui/escalation_fields.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::report_dialog {
namespace {

constexpr const char* popup_id = "##report_dialog";

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
  // With the on-screen keyboard open, the choices fold into one line so that all fits.
  if (ui.keyboard_field == TextField::report_note) {
    escalation_fields::folded_choices(ui, ui.report_category, ui.report_severity);
  } else {
    widgets::text(ui, tr(Str::report_category_prompt));
    if (escalation_fields::category_chips(ui, ui.report_category) && !ui.report_severity_chosen)
      ui.report_severity = default_severity(*ui.report_category);
    ImGui::Spacing();
    widgets::text(ui, tr(Str::dialog_severity_prompt));
    if (escalation_fields::severity_buttons(ui, ui.report_severity))
      ui.report_severity_chosen = true;
  }
  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_note_label));
  keyboard::field(ui, TextField::report_note, "##report_note", ui.report_note,
                  {"field:report_note", nullptr, 2.0f});
  ImGui::Spacing();

  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
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

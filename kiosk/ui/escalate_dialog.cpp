#include "kiosk/ui/escalate_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>

#include "kiosk/ui/escalation_fields.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::escalate_dialog {
namespace {

constexpr const char* popup_id = "##escalate_dialog";

void close(UiState& ui) {
  ui.dialog_mention_id.clear();
  ui.dialog_note.clear();
  ui.dialog_severity = core::Severity::medium;
  ui.dialog_category.reset();
  ui.dialog_category_chosen = false;
  ImGui::CloseCurrentPopup();
}

const MentionCard* find_card(const ViewState& view, const std::string& id) {
  const auto it = std::find_if(view.feed.begin(), view.feed.end(),
                               [&](const MentionCard& c) { return c.mention_id == id; });
  if (it != view.feed.end()) return &*it;
  // Escalate tapped in a card's detail: the detail holds the mention even when the feed's
  // rows around the screen do not.
  if (view.detail && view.detail->card.mention_id == id) return &view.detail->card;
  return nullptr;
}

}  // namespace

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (ui.dialog_mention_id.empty()) return;
  // Tapped out (by hand or by the idle lock) while it was open: what was typed goes too.
  if (!view.tapped_in) {
    ui.dialog_mention_id.clear();
    ui.dialog_note.clear();
    ui.dialog_severity = core::Severity::medium;
    ui.dialog_category.reset();
    ui.dialog_category_chosen = false;
    return;
  }
  if (!widgets::begin_modal(popup_id, 38.0f)) return;

  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::dialog_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();

  // With the on-screen keyboard open, room is short: the post in one line, the choices folded.
  const bool typing = ui.keyboard_field == TextField::escalate_note;
  if (const MentionCard* card = find_card(view, ui.dialog_mention_id); card != nullptr) {
    ImGui::PushStyleColor(ImGuiCol_Text, colors::text_dim);
    for (const std::string& line :
         widgets::clamp_lines(card->text, ImGui::GetContentRegionAvail().x, typing ? 1 : 3)) {
      widgets::text(ui, line);
    }
    ImGui::PopStyleColor();
  }
  // What it is about: the post's triage category is chosen until staff tap another.
  if (!ui.dialog_category_chosen) {
    if (const MentionCard* card = find_card(view, ui.dialog_mention_id);
        card != nullptr && card->category != core::Category::praise)
      ui.dialog_category = card->category;
  }
  ImGui::Spacing();
  if (typing) {
    escalation_fields::folded_choices(ui, ui.dialog_category, ui.dialog_severity);
  } else {
    widgets::text(ui, tr(Str::report_category_prompt));
    if (escalation_fields::category_chips(ui, ui.dialog_category)) ui.dialog_category_chosen = true;
    ImGui::Spacing();
    widgets::text(ui, tr(Str::dialog_severity_prompt));
    escalation_fields::severity_buttons(ui, ui.dialog_severity);
  }
  ImGui::Spacing();
  widgets::text(ui, tr(Str::dialog_note_label));
  keyboard::field(ui, TextField::escalate_note, "##note", ui.dialog_note,
                  {"field:note", nullptr, 3.0f});
  ImGui::Spacing();

  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float action_h = touch_target_height();
  if (widgets::button(ui, "cancel", tr(Str::cancel), ImVec2(half, action_h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
    close(ui);
  } else {
    ImGui::SameLine();
    if (widgets::button(ui, "confirm", tr(Str::confirm), ImVec2(half, action_h))) {
      intents.emplace_back(RequestEscalate{ui.dialog_mention_id, ui.dialog_severity, ui.dialog_note,
                                           ui.dialog_category,
                                           view.tapped_in ? view.tapped_in->id : std::string()});
      close(ui);
    }
  }
  widgets::end_modal();
}

}  // namespace kiosk::ui::escalate_dialog

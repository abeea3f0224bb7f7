#include "kiosk/ui/escalations_screen.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::escalations_screen {
namespace {

constexpr std::int64_t kMinute = 60'000;

void wake_at(UiState& ui, std::int64_t at_ms) {
  if (at_ms <= ui.now_ms) return;
  if (!ui.next_label_change_ms || at_ms < *ui.next_label_change_ms) ui.next_label_change_ms = at_ms;
}

Str history_key(core::EscalationActionKind k) {
  switch (k) {
    case core::EscalationActionKind::acknowledge:
      return Str::history_acknowledge;
    case core::EscalationActionKind::note:
      return Str::history_note;
    case core::EscalationActionKind::reassign:
      return Str::history_reassign;
    case core::EscalationActionKind::resolve:
      return Str::history_resolve;
    case core::EscalationActionKind::reopen:
      break;
  }
  return Str::history_reopen;
}

void status_line(UiState& ui, const EscalationCard& c) {
  using A = core::AcknowledgementState;
  const std::string who = c.acknowledged_by;
  switch (c.acknowledgement) {
    case A::here_not_synced:
      widgets::text_colored(ui, colors::offline, tr(Str::ack_here_unsynced));
      break;
    case A::here_synced:
      widgets::text_colored(ui, colors::online, tr(Str::ack_here, who));
      break;
    case A::by_head_office:
      widgets::text_colored(ui, colors::online, tr(Str::ack_head_office, who));
      break;
    case A::not_acknowledged:
      widgets::text(ui, tr(Str::status_open));
      break;
  }
  if (c.status == core::EscalationStatus::resolved) {
    widgets::text(ui, tr(Str::progress_resolved));
    if (!c.resolution_note.empty())
      widgets::text_wrapped(ui, tr(Str::resolution, c.resolution_note));
  }
}

// A staff id as people know it: the name head office gave it, when this terminal has it.
std::string staff_name(const ViewState& view, const std::string& id) {
  const auto it = std::find_if(view.staff.begin(), view.staff.end(),
                               [&](const StaffChoice& s) { return s.id == id; });
  return it == view.staff.end() ? id : it->name;
}

// keys_docked: the note's keyboard is docked under the list this frame (the list has given up
// its height).
void draw_card(const ViewState& view, const EscalationCard& c, UiState& ui, Intents& intents,
               bool keys_docked) {
  const float font = ImGui::GetFontSize();
  ImGui::PushID(c.id.c_str());
  // A card as tall as what it holds (ImGui 1.86's child windows cannot size to their content):
  // the content is drawn first on the top channel, then its background behind it.
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->ChannelsSplit(2);
  draw_list->ChannelsSetCurrent(1);
  const float pad = ImGui::GetStyle().WindowPadding.x;
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  ImGui::SetCursorScreenPos(ImVec2(corner.x + pad, corner.y + pad));
  ImGui::BeginGroup();
  const float wrap = right - pad - ImGui::GetWindowPos().x;  // text stays inside the card
  // Severity and category, then what it is about.
  widgets::dot(severity_color(c.severity));
  ImGui::SameLine();
  std::string title(severity_label(c.severity));
  if (c.category) title += "  ·  " + std::string(category_label(*c.category));
  widgets::text(ui, title);
  widgets::text_wrapped(ui, c.about.empty() ? tr(Str::no_post) : std::string_view(c.about), wrap);
  if (!c.note.empty()) widgets::text_colored(ui, colors::text_dim, c.note);

  // The clock, from ui.now_ms: it ticks without rebuilding the view.
  const std::int64_t elapsed = std::max<std::int64_t>(0, ui.now_ms - c.started_at_ms);
  wake_at(ui, ui.now_ms + (kMinute - elapsed % kMinute));
  std::string clock = tr(Str::clock_raised, duration_text(elapsed));
  if (c.target_ms) {
    clock += "  ·  " + tr(Str::clock_target, duration_text(*c.target_ms));
    if (c.status == core::EscalationStatus::open) {
      const std::int64_t left = *c.target_ms - elapsed;
      clock += "  ·  " + (left >= 0 ? tr(Str::clock_left, duration_text(left))
                                    : tr(Str::clock_overdue, duration_text(-left)));
    }
  }
  widgets::text(ui, clock);
  if (!c.holder.empty()) widgets::text(ui, tr(Str::ladder_with, c.holder));
  // The store-level step of the ladder, mirrored here: still open past the first timeout.
  const bool late =
      c.status == core::EscalationStatus::open &&
      (c.store_level_missed || (c.store_level_due_ms && ui.now_ms >= *c.store_level_due_ms));
  if (c.store_level_due_ms) wake_at(ui, *c.store_level_due_ms);
  if (late) widgets::text_colored(ui, colors::offline, tr(Str::store_level_missed));
  status_line(ui, c);

  // Manager actions.
  const float h = touch_target_height();
  const float w = font * 9.0f;
  const auto action = [&](const char* prefix, Str label, core::EscalationActionKind kind,
                          bool with_text) {
    if (!widgets::button(ui, std::string(prefix) + c.id, tr(label), ImVec2(w, h))) return;
    // Not a manager (or nobody) tapped in: a manager's PIN first, then tap the action again.
    if (core::access_for(view.tapped_in, core::StaffAction::manage_escalation) !=
        core::Access::allowed) {
      pin_pad::open_for_manager(ui);
      return;
    }
    intents.emplace_back(RequestEscalationAction{
        c.id, kind, with_text ? ui.escalation_text : std::string(), view.tapped_in->id});
    if (with_text) ui.escalation_text.clear();
  };
  const bool open_card = ui.open_escalation_id == c.id;
  if (c.status == core::EscalationStatus::open) {
    action("ack:", Str::action_acknowledge, core::EscalationActionKind::acknowledge, false);
    ImGui::SameLine();
  }
  if (c.status != core::EscalationStatus::resolved) {
    action("resolve:", Str::action_resolve, core::EscalationActionKind::resolve, open_card);
    ImGui::SameLine();
  } else {
    action("reopen:", Str::action_reopen, core::EscalationActionKind::reopen, false);
    ImGui::SameLine();
  }
  if (widgets::button(ui, "details:" + c.id, tr(Str::action_details), ImVec2(w, h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text))
    ui.open_escalation_id = open_card ? std::string() : c.id;

  if (open_card) {
    for (const auto& a : c.history) {
      std::string who = a.by.empty() ? std::string("-") : staff_name(view, a.by);
      who += a.terminal_id.empty() ? ", " + std::string(tr(Str::at_head_office)) : std::string();
      if (std::find(c.unsynced_action_ids.begin(), c.unsynced_action_ids.end(), a.id) !=
          c.unsynced_action_ids.end())
        who += ", " + std::string(tr(Str::not_synced));
      std::string line = tr(history_key(a.kind), who) + "  ·  " + widgets::age_label(ui, a.at_ms);
      if (!a.text.empty()) line += ": " + a.text;
      widgets::text_wrapped(ui, line, wrap);
    }
    widgets::text(ui, tr(Str::action_text_label));
    keyboard::field(ui, TextField::escalation_text, "##text", ui.escalation_text,
                    {"field:escalation_text", nullptr, 0.0f, true});
    if (!ui.escalation_text.empty()) {
      action("note:", Str::action_note, core::EscalationActionKind::note, true);
      ImGui::SameLine();
      action("reassign:", Str::action_reassign, core::EscalationActionKind::reassign, true);
    }
    // The keyboard docked below the list has just taken its room, or the buttons have just
    // appeared: keep the field and its buttons in sight above the keys.
    if (keys_docked && ui.escalation_keys_reveal) {
      ImGui::SetScrollHereY(1.0f);
      ui.escalation_keys_reveal = false;
    }
  }
  ImGui::EndGroup();
  const float bottom = ImGui::GetItemRectMax().y + pad;
  draw_list->ChannelsSetCurrent(0);
  draw_list->AddRectFilled(corner, ImVec2(right, bottom), ImGui::GetColorU32(colors::card),
                           ImGui::GetStyle().FrameRounding);
  draw_list->ChannelsMerge();
  ImGui::SetCursorScreenPos(ImVec2(corner.x, bottom));
  ImGui::Dummy(ImVec2(right - corner.x, 0.0f));
  ImGui::PopID();
  ImGui::Spacing();
}

}  // namespace

std::string duration_text(std::int64_t ms) {
  const std::int64_t minutes = ms / kMinute;
  if (minutes < 60) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

void draw(const ViewState& view, UiState& ui, Intents& intents, float height) {
  // The note's keyboard docks along the bottom, under the list, as in the dialogs: the list
  // gives up its height (its field was tapped in an earlier frame, so the height is known now).
  const bool keys = ui.keyboard_field == TextField::escalation_text;
  const float keys_h = keys ? keyboard::docked_keys_height() : 0.0f;
  if (!keys) ui.escalation_keys_reveal = true;  // the next time it opens
  ImGui::BeginChild("##escalations",
                    ImVec2(0.0f, std::max(height - keys_h, ImGui::GetFontSize() * 4.0f)), false);
  if (view.escalations.empty()) widgets::text_wrapped(ui, tr(Str::escalations_empty));
  for (const auto& c : view.escalations) draw_card(view, c, ui, intents, keys);
  ImGui::EndChild();
  if (keys) {
    const bool was_empty = ui.escalation_text.empty();
    keyboard::docked_keys(ui, TextField::escalation_text, ui.escalation_text);
    // The first letter brings Note and Reassign under the field: bring them into sight too.
    if (was_empty && !ui.escalation_text.empty()) ui.escalation_keys_reveal = true;
  }
}

}  // namespace kiosk::ui::escalations_screen

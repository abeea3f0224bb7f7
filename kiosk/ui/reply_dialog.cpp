#include "kiosk/ui/reply_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "kiosk/core/reply_coach.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::reply_dialog {
namespace {

constexpr const char* popup_id = "##reply_dialog";

void close(UiState& ui) {
  ui.reply_mention_id.clear();
  ui.reply_draft.clear();
  ImGui::CloseCurrentPopup();
}

}  // namespace

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (ui.reply_mention_id.empty()) return;
  if (!widgets::begin_modal(popup_id, 38.0f)) return;
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::reply_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();

  std::string mention_text;
  const auto card = std::find_if(view.feed.begin(), view.feed.end(), [&](const MentionCard& c) {
    return c.mention_id == ui.reply_mention_id;
  });
  if (card != view.feed.end()) {
    mention_text = card->text;
    ImGui::PushStyleColor(ImGuiCol_Text, colors::text_dim);
    for (const std::string& line :
         widgets::clamp_lines(card->text, ImGui::GetContentRegionAvail().x,
                              ui.keyboard_field == TextField::reply_draft ? 1 : 3))
      widgets::text(ui, line);
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  keyboard::field(ui, TextField::reply_draft, "##reply", ui.reply_draft,
                  {"field:reply", nullptr, 4.0f});
  // The coach scores the draft as it is typed: a few short hints, never the reply itself.
  if (!ui.reply_draft.empty()) {
    const core::EarlierReplies none;
    const core::CoachReport report = core::coach_reply(ui.reply_draft, mention_text, none);
    widgets::text_colored(ui, colors::text_dim, tr(Str::reply_coach));
    for (const auto& hint : report.hints)
      widgets::text_colored(ui, report.generic ? colors::warning : colors::text, hint.text);
  }
  ImGui::Spacing();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float half = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  const float h = touch_target_height();
  if (widgets::button(ui, "reply_cancel", tr(Str::cancel), ImVec2(half, h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
    close(ui);
  } else {
    ImGui::SameLine();
    ImGui::BeginDisabled(ui.reply_draft.empty());
    if (widgets::button(ui, "reply_send", tr(Str::reply_send), ImVec2(half, h))) {
      intents.push_back(RequestSuggestReply{ui.reply_mention_id, ui.reply_draft,
                                            view.tapped_in ? view.tapped_in->id : std::string()});
      close(ui);
    }
    ImGui::EndDisabled();
  }
  widgets::end_modal();
}

}  // namespace kiosk::ui::reply_dialog

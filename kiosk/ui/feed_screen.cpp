// The feed of mention cards.
//
// [SECTION] Card layout (one fixed height, so the clipper can skip cards off screen)
// [SECTION] Card drawing
// [SECTION] Feed (scrolling, drag-to-scroll for fingers)
#include "kiosk/ui/feed_screen.h"

#include <algorithm>
#include <climits>
#include <cstdint>

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID: a finger drag must not end as a button tap

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::feed {
namespace {

// [SECTION] Card layout ---------------------------------------------------------------------

constexpr int max_text_lines = 4;  // longer posts end in an ellipsis

struct CardLayout {
  float padding = 0.0f;  // inside the card
  float line = 0.0f;     // one line of text
  float gap = 0.0f;      // between rows inside a card
  float height = 0.0f;   // the whole card
};

CardLayout card_layout() {
  CardLayout l;
  const float font = ImGui::GetFontSize();
  l.padding = font * 0.9f;
  l.line = ImGui::GetTextLineHeight() * 1.15f;
  l.gap = font * 0.5f;
  l.height = l.padding * 2.0f + l.line + l.gap + l.line * static_cast<float>(max_text_lines) +
             l.gap + touch_target_height();
  return l;
}

void add_text(ImDrawList* draw_list, UiState& ui, ImVec2 pos, const ImVec4& color,
              std::string_view text) {
  draw_list->AddText(pos, ImGui::GetColorU32(color), text.data(), text.data() + text.size());
  widgets::record_text(ui, text);
}

// [SECTION] Card drawing --------------------------------------------------------------------

void draw_card(const MentionCard& card, const ViewState& view, UiState& ui, const CardLayout& l,
               float width) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 corner(origin.x + width, origin.y + l.height);
  const float rounding = ImGui::GetStyle().ChildRounding;
  draw_list->AddRectFilled(origin, corner, ImGui::GetColorU32(colors::card), rounding);
  if (card.escalation_severity) {
    // A severity stripe down the left edge: the card's colour chip.
    draw_list->AddRectFilled(origin, ImVec2(origin.x + l.padding * 0.35f, corner.y),
                             ImGui::GetColorU32(severity_color(*card.escalation_severity)),
                             rounding, ImDrawFlags_RoundCornersLeft);
  }
  const float inner_w = width - l.padding * 2.0f;
  float x = origin.x + l.padding;
  float y = origin.y + l.padding;

  // Meta line: source pill, author, time ago.
  {
    const ImVec2 src = ImGui::CalcTextSize(card.source.c_str());
    const float pill_pad = ImGui::GetFontSize() * 0.4f;
    draw_list->AddRectFilled(ImVec2(x, y - 1.0f),
                             ImVec2(x + src.x + pill_pad * 2.0f, y + src.y + 1.0f),
                             ImGui::GetColorU32(ImVec4(0.26f, 0.29f, 0.36f, 1.0f)), src.y);
    add_text(draw_list, ui, ImVec2(x + pill_pad, y), colors::text, card.source);
    float mx = x + src.x + pill_pad * 3.0f;
    if (!card.author.empty()) {
      add_text(draw_list, ui, ImVec2(mx, y), colors::text, card.author);
      mx += ImGui::CalcTextSize(card.author.c_str()).x + pill_pad * 2.0f;
    }
    const std::string time_ago = widgets::age_label(ui, card.created_at_ms);
    const ImVec2 ago = ImGui::CalcTextSize(time_ago.c_str());
    add_text(draw_list, ui, ImVec2(std::max(mx, x + inner_w - ago.x), y), colors::text_dim,
             time_ago);
  }
  y += l.line + l.gap;

  // The post, at most max_text_lines lines (one fewer when a suggested reply's outcome
  // takes the last line).
  const std::string reply_line = reply_status(card);
  const int text_lines = reply_line.empty() ? max_text_lines : max_text_lines - 1;
  for (const std::string& line : widgets::clamp_lines(card.text, inner_w, text_lines)) {
    draw_list->AddText(ImVec2(x, y), ImGui::GetColorU32(colors::text), line.c_str());
    y += l.line;
  }
  if (!reply_line.empty()) {
    const std::string shown = widgets::clamp_lines(reply_line, inner_w, 1).empty()
                                  ? std::string()
                                  : widgets::clamp_lines(reply_line, inner_w, 1).front();
    add_text(draw_list, ui, ImVec2(x, y),
             card.reply_outcome == "rejected" ? colors::warning : colors::online, shown);
    if (ui.record && shown != reply_line) ui.drawn_text.push_back(reply_line);
  }
  if (ui.record) {
    // Record the post as one piece of text (as shown, ellipsis included).
    std::string shown;
    for (const std::string& line : widgets::clamp_lines(card.text, inner_w, text_lines)) {
      if (!shown.empty()) shown.push_back(' ');
      shown += line;
    }
    ui.drawn_text.push_back(std::move(shown));
  }

  // Bottom row: the escalation's state line, or the Escalate button.
  const float button_h = touch_target_height();
  const float row_y = corner.y - l.padding - button_h;
  if (card.escalation_progress) {
    const ImVec4 color = progress_color(*card.escalation_progress);
    const float chip = ImGui::GetFontSize() * 0.7f;
    const float cy = row_y + button_h * 0.5f;
    const ImVec4 chip_color =
        card.escalation_severity ? severity_color(*card.escalation_severity) : color;
    draw_list->AddCircleFilled(ImVec2(x + chip * 0.5f, cy), chip * 0.5f,
                               ImGui::GetColorU32(chip_color));
    float tx = x + chip * 1.6f;
    if (card.escalation_severity) {
      const std::string_view sev = severity_label(*card.escalation_severity);
      add_text(draw_list, ui, ImVec2(tx, cy - ImGui::GetFontSize() * 0.5f), chip_color, sev);
      tx +=
          ImGui::CalcTextSize(sev.data(), sev.data() + sev.size()).x + ImGui::GetFontSize() * 0.6f;
    }
    add_text(draw_list, ui, ImVec2(tx, cy - ImGui::GetFontSize() * 0.5f), color,
             progress_line(card));
  }
  // Draft a reply for head office to approve: at the right, left of Escalate when that shows.
  float right = corner.x - l.padding;
  {
    const std::string_view label = tr(Str::reply_button);
    const float button_w =
        std::max(ImGui::CalcTextSize(label.data(), label.data() + label.size()).x +
                     ImGui::GetFontSize() * 2.0f,
                 ImGui::GetFontSize() * 8.0f);
    const std::string_view escalate_label = tr(Str::escalate);
    if (!card.escalation_progress)
      right -= std::max(ImGui::CalcTextSize(escalate_label.data(),
                                            escalate_label.data() + escalate_label.size())
                                .x +
                            ImGui::GetFontSize() * 3.0f,
                        ImGui::GetFontSize() * 9.0f) +
               ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetCursorScreenPos(ImVec2(right - button_w, row_y));
    ImGui::PushID(card.mention_id.c_str());
    if (widgets::button(ui, "reply:" + card.mention_id, label, ImVec2(button_w, button_h),
                        colors::bar, colors::text)) {
      ui.reply_mention_id = card.mention_id;
      ui.reply_draft.clear();
    }
    ImGui::PopID();
  }
  if (!card.escalation_progress) {
    const std::string_view label = tr(Str::escalate);
    const float button_w =
        std::max(ImGui::CalcTextSize(label.data(), label.data() + label.size()).x +
                     ImGui::GetFontSize() * 3.0f,
                 ImGui::GetFontSize() * 9.0f);
    ImGui::SetCursorScreenPos(ImVec2(corner.x - l.padding - button_w, row_y));
    ImGui::PushID(card.mention_id.c_str());
    if (widgets::button(ui, "escalate:" + card.mention_id, label, ImVec2(button_w, button_h),
                        ImVec4(0.86f, 0.27f, 0.22f, 1.0f), colors::text)) {
      // Nobody tapped in: the PIN pad first, then this dialog.
      if (core::access_for(view.tapped_in, core::StaffAction::escalate) == core::Access::allowed) {
        ui.dialog_mention_id = card.mention_id;
      } else {
        pin_pad::open(ui, card.mention_id);
      }
      ui.dialog_severity = core::Severity::medium;
      ui.dialog_note.clear();
    }
    ImGui::PopID();
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(width, l.height));
}

// A row the view does not hold yet (scrolled to faster than the app fetched it): an empty card
// for this frame; the app fetches the rows on screen before the next one.
void draw_placeholder(const CardLayout& l, float width) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + l.height),
                                            ImGui::GetColorU32(colors::card),
                                            ImGui::GetStyle().ChildRounding);
  ImGui::Dummy(ImVec2(width, l.height));
}

}  // namespace

std::string reply_status(const MentionCard& card) {
  std::string line;
  if (card.reply_outcome == "pending") line = std::string(tr(Str::reply_pending));
  if (card.reply_outcome == "approved") line = std::string(tr(Str::reply_approved));
  if (card.reply_outcome == "edited") line = tr(Str::reply_edited, card.reply_text);
  if (card.reply_outcome == "rejected") line = std::string(tr(Str::reply_rejected));
  if (!line.empty() && !card.reply_comment.empty())
    line += " · " + tr(Str::reply_comment, card.reply_comment);
  return line;
}

std::string progress_line(const MentionCard& card) {
  if (!card.escalation_progress) return {};
  switch (*card.escalation_progress) {
    case core::EscalationProgress::queued_on_terminal:
      return std::string(tr(Str::progress_queued));
    case core::EscalationProgress::delivered_to_hq:
      return std::string(tr(Str::progress_delivered));
    case core::EscalationProgress::acknowledged:
      return card.escalation_acknowledged_by.empty()
                 ? std::string(tr(Str::progress_acknowledged))
                 : tr(Str::progress_acknowledged_by, card.escalation_acknowledged_by);
    case core::EscalationProgress::resolved:
      return std::string(tr(Str::progress_resolved));
    case core::EscalationProgress::not_accepted:
      return tr(Str::progress_not_accepted, card.escalation_not_accepted_reason);
  }
  return {};
}

// [SECTION] Feed ----------------------------------------------------------------------------

void draw(const ViewState& view, UiState& ui, Intents& /*intents*/, float height) {
  ui.feed_visible_first = 0;
  ui.feed_visible_end = 0;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoSavedSettings;
  if (!ImGui::BeginChild("##feed", ImVec2(0.0f, height), false, flags)) {
    ImGui::EndChild();
    return;
  }
  const std::int64_t held_end = view.feed_first + static_cast<std::int64_t>(view.feed.size());
  const std::int64_t total = std::max(view.feed_total, held_end);
  if (total == 0) {
    ImGui::Dummy(ImVec2(0.0f, ImGui::GetFontSize() * 2.0f));
    const std::string_view line = tr(Str::feed_empty);
    const float w = ImGui::CalcTextSize(line.data(), line.data() + line.size()).x;
    ImGui::SetCursorPosX(std::max((ImGui::GetWindowWidth() - w) * 0.5f, 0.0f));
    widgets::text_colored(ui, colors::text_dim, line);
    ImGui::EndChild();
    return;
  }

  // Fingers scroll by dragging the list; once a drag starts, the pressed button lets go so the
  // lift does not count as a tap.
  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiID active = ImGui::GetActiveID();
  const bool on_scrollbar =
      active != 0 && active == ImGui::GetWindowScrollbarID(ImGui::GetCurrentWindow(), ImGuiAxis_Y);
  if (!on_scrollbar && ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
      ImGui::IsMouseDragging(ImGuiMouseButton_Left) &&
      !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    if (active != 0) ImGui::ClearActiveID();
  }

  const CardLayout layout = card_layout();
  const float width = ImGui::GetContentRegionAvail().x;
  // The clipper spans the whole feed, so the scrollbar is true to its length, and asks only
  // for the rows on screen: the frame's cost follows the screen, not the feed.
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(std::min<std::int64_t>(total, INT32_MAX)),
                layout.height + ImGui::GetStyle().ItemSpacing.y);
  std::int64_t visible_first = INT64_MAX;
  std::int64_t visible_end = 0;
  while (clipper.Step()) {
    visible_first = std::min<std::int64_t>(visible_first, clipper.DisplayStart);
    visible_end = std::max<std::int64_t>(visible_end, clipper.DisplayEnd);
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      if (i >= view.feed_first && i < held_end)
        draw_card(view.feed[static_cast<std::size_t>(i - view.feed_first)], view, ui, layout,
                  width);
      else
        draw_placeholder(layout, width);
    }
  }
  clipper.End();
  ui.feed_visible_first = visible_end > 0 ? visible_first : 0;
  ui.feed_visible_end = visible_end;
  ImGui::EndChild();
}

}  // namespace kiosk::ui::feed

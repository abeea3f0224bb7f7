// The card's detail view.
//
// [SECTION] Pieces (meta line, triage chips, QR code)
// [SECTION] Detail (a scrolling page: drag or wheel, like the feed)
#include "kiosk/ui/detail_screen.h"

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID: a finger drag must not end as a button tap

#include <algorithm>
#include <string>

#include "kiosk/core/staff.h"
#include "kiosk/ui/feed_screen.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::detail_screen {
namespace {

// [SECTION] Pieces ---------------------------------------------------------------------------

// Source pill, author, stars: the card's meta line, larger spacing.
void meta_line(const MentionCard& card, UiState& ui) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float pill_pad = font * 0.4f;
  const ImVec2 src = ImGui::CalcTextSize(card.source.c_str());
  dl->AddRectFilled(ImVec2(at.x, at.y - 1.0f),
                    ImVec2(at.x + src.x + pill_pad * 2.0f, at.y + src.y + 1.0f),
                    ImGui::GetColorU32(ImGuiCol_FrameBgActive), src.y);
  ImGui::SetCursorScreenPos(ImVec2(at.x + pill_pad, at.y));
  widgets::text(ui, card.source);
  float x = at.x + src.x + pill_pad * 3.0f;
  if (!card.author.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(x, at.y));
    widgets::text(ui, card.author);
    x += ImGui::CalcTextSize(card.author.c_str()).x + pill_pad * 2.0f;
  }
  if (card.rating) {
    const int stars = std::clamp(*card.rating, 1, 5);
    const float r = font * 0.5f;
    const ImU32 gold = ImGui::GetColorU32(severity_color(core::Severity::medium));
    for (int i = 0; i < 5; ++i)
      feed::draw_star(dl, ImVec2(x + r + static_cast<float>(i) * r * 2.3f, at.y + font * 0.5f), r,
                      gold, i < stars);
    x += r * 2.3f * 5.0f + pill_pad;
    ImGui::SetCursorScreenPos(ImVec2(x, at.y));
    widgets::text_colored(ui, colors::text_dim, std::to_string(stars) + "/5");
  }
  ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + ImGui::GetTextLineHeightWithSpacing()));
}

// Urgency (or thank-you), sentiment, every reason: chips that wrap to the next row.
void triage_chips(const MentionCard& card, UiState& ui, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const float h = font * 1.7f;
  const float step = font * 0.4f;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  float x = start.x;
  float y = start.y;
  const auto chip = [&](const ImVec4& fill, const ImVec4& color, std::string_view text) {
    const float w = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x + font * 1.2f;
    if (x > start.x && x + w > start.x + width) {
      x = start.x;
      y += h + step;
    }
    x += feed::draw_chip(dl, ui, ImVec2(x, y), h, fill, color, text) + step;
  };
  if (card.attention == core::Attention::needs_thank_you) {
    chip(feed::with_alpha(colors::online, 0.25f), colors::online, tr(Str::needs_thank_you));
  } else {
    if (card.urgency != core::Urgency::none) {
      const ImVec4 u = urgency_color(card.urgency);
      chip(feed::with_alpha(u, 0.25f), u, feed::urgency_label(card.urgency));
    }
    const ImVec4 s = sentiment_color(card.sentiment);
    chip(feed::with_alpha(s, 0.18f), s, feed::sentiment_label(card.sentiment));
  }
  for (const core::Reason r : card.reasons)
    chip(ImGui::GetStyle().Colors[ImGuiCol_FrameBgHovered], colors::text, feed::reason_label(r));
  ImGui::SetCursorScreenPos(start);
  ImGui::Dummy(ImVec2(width, y - start.y + h));
}

// The link as a QR code: dark modules on a white square with a four-module quiet zone, about
// 9 font sizes wide, big enough for a phone's camera at arm's length.
void qr_code(const MentionDetail& d, UiState& ui) {
  if (d.qr_size <= 0) return;
  const int quiet = 4;
  const int modules = d.qr_size + quiet * 2;
  const float side = std::max(ImGui::GetFontSize() * 9.0f, static_cast<float>(modules) * 3.0f);
  const float m = std::floor(side / static_cast<float>(modules));
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float total = m * static_cast<float>(modules);
  dl->AddRectFilled(at, ImVec2(at.x + total, at.y + total), IM_COL32(255, 255, 255, 255));
  const ImU32 dark = IM_COL32(0, 0, 0, 255);
  for (int row = 0; row < d.qr_size; ++row)
    for (int col = 0; col < d.qr_size; ++col) {
      const auto i = static_cast<std::size_t>(row) * static_cast<std::size_t>(d.qr_size) +
                     static_cast<std::size_t>(col);
      if (d.qr_modules[i] == 0) continue;
      const float x = at.x + static_cast<float>(col + quiet) * m;
      const float y = at.y + static_cast<float>(row + quiet) * m;
      dl->AddRectFilled(ImVec2(x, y), ImVec2(x + m, y + m), dark);
    }
  ImGui::Dummy(ImVec2(total, total));
  widgets::record_last_item(ui, "detail:qr");
  widgets::text_colored(ui, colors::text_dim, tr(Str::detail_scan));
}

void actions(const ViewState& view, const MentionCard& card, UiState& ui, Intents& intents) {
  const float font = ImGui::GetFontSize();
  const float h = touch_target_height();
  const auto width_of = [&](std::string_view label) {
    return std::max(ImGui::CalcTextSize(label.data(), label.data() + label.size()).x + font * 3.0f,
                    font * 9.0f);
  };
  const bool thank_you = card.attention == core::Attention::needs_thank_you;
  ImGui::PushID(card.mention_id.c_str());
  if (!card.escalation_progress) {
    if (thank_you) {
      if (!card.praise_shared) {
        const std::string_view label = tr(Str::share_with_team);
        if (widgets::button(ui, "share:" + card.mention_id, label, ImVec2(width_of(label), h),
                            ImVec4(0.08f, 0.45f, 0.22f, 1.0f), colors::on_accent))
          intents.push_back(RequestSharePraise{
              card.mention_id, view.tapped_in ? view.tapped_in->id : std::string()});
        ImGui::SameLine();
      }
    } else {
      const std::string_view label = tr(Str::escalate);
      if (widgets::button(ui, "escalate:" + card.mention_id, label, ImVec2(width_of(label), h),
                          colors::danger, colors::on_accent))
        feed::start_escalate(view, ui, card.mention_id);
      ImGui::SameLine();
    }
  }
  const std::string_view reply = tr(Str::reply_button);
  if (widgets::button(ui, "reply:" + card.mention_id, reply, ImVec2(width_of(reply), h),
                      colors::bar, colors::text)) {
    ui.reply_mention_id = card.mention_id;
    ui.reply_draft.clear();
  }
  ImGui::PopID();
}

// [SECTION] Detail ---------------------------------------------------------------------------

void body(const ViewState& view, const MentionDetail& d, UiState& ui, Intents& intents) {
  const MentionCard& card = d.card;
  const float font = ImGui::GetFontSize();
  // The link in a column of its own on the right, so a long post never pushes it away: the
  // counter tablet cannot open it, so it is written out and drawn as a QR code for a phone.
  const float gap = font * 1.2f;
  const float column = font * 12.0f;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const float full = ImGui::GetContentRegionAvail().x;
  const float width = full - column - gap;
  const float wrap = ImGui::GetCursorPosX() + width;  // window-local, for PushTextWrapPos
  {
    ImGui::SetCursorScreenPos(ImVec2(start.x + width + gap, start.y));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + column);
    if (d.url.empty()) {
      widgets::text(ui, tr(Str::detail_no_link));
    } else {
      widgets::text_colored(ui, colors::text_dim, tr(Str::detail_link));
      widgets::text(ui, d.url);
      qr_code(d, ui);
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(start);
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(wrap);
  meta_line(card, ui);
  std::string when = tr(Str::detail_posted, d.posted_local);
  when += "  \xC2\xB7  " + widgets::age_label(ui, card.created_at_ms);
  widgets::text_colored(ui, colors::text_dim, when);
  if (!d.edited_local.empty())
    widgets::text_colored(ui, colors::text_dim, tr(Str::detail_edited, d.edited_local));
  // The escalation's state, a suggested reply's outcome and the actions come first: a long
  // post must not push them off the screen.
  if (card.escalation_progress) {
    ImGui::Dummy(ImVec2(0.0f, font * 0.3f));
    const ImVec4 color = card.escalation_severity ? severity_color(*card.escalation_severity)
                                                  : progress_color(*card.escalation_progress);
    widgets::dot(color);
    std::string line = feed::progress_line(card);
    if (card.escalation_severity)
      line = std::string(severity_label(*card.escalation_severity)) + "  \xC2\xB7  " + line;
    widgets::text_colored(ui, progress_color(*card.escalation_progress), line);
  }
  if (card.praise_shared) widgets::text_colored(ui, colors::online, tr(Str::praise_shared));
  if (const std::string reply = feed::reply_status(card); !reply.empty()) widgets::text(ui, reply);
  ImGui::Dummy(ImVec2(0.0f, font * 0.4f));
  actions(view, card, ui, intents);
  ImGui::Dummy(ImVec2(0.0f, font * 0.6f));

  // The post, every word of it.
  widgets::text(ui, card.text);
  ImGui::Dummy(ImVec2(0.0f, font * 0.4f));

  triage_chips(card, ui, width);
  widgets::text(ui, tr(Str::detail_category, category_label(card.category)));
  if (!card.staff_who.empty()) {
    const std::string who =
        card.staff_where.empty() ? card.staff_who : card.staff_who + " (" + card.staff_where + ")";
    widgets::text_colored(ui, colors::online, tr(Str::names_staff, who));
  }
  if (const std::string reach = feed::reach_line(card.reach); !reach.empty())
    widgets::text_colored(ui, colors::text_dim, reach);
  if (!d.lang.empty())
    widgets::text_colored(ui, colors::text_dim, tr(Str::detail_language, d.lang));
  if (!d.place.empty()) widgets::text_colored(ui, colors::text_dim, tr(Str::detail_place, d.place));
  if (!d.reply_to.empty()) {
    widgets::text(ui, tr(Str::detail_reply_to, d.reply_to));
    if (!d.reply_to_text.empty()) {
      ImGui::Indent(font);
      ImGui::PushStyleColor(ImGuiCol_Text, colors::text_dim);
      widgets::text(ui, d.reply_to_text);
      ImGui::PopStyleColor();
      ImGui::Unindent(font);
    }
  }
  if (!d.owner_reply.empty()) widgets::text(ui, tr(Str::detail_owner_reply, d.owner_reply));
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

}  // namespace

bool open(const UiState& ui) {
  return !ui.detail_mention_id.empty();
}

void draw(const ViewState& view, UiState& ui, Intents& intents, float height) {
  const float top_y = ImGui::GetCursorPosY();
  const std::string_view back = tr(Str::detail_back);
  const float back_w =
      ImGui::CalcTextSize(back.data(), back.data() + back.size()).x + ImGui::GetFontSize() * 3.0f;
  if (widgets::button(ui, "close_detail", back, ImVec2(back_w, touch_target_height()), colors::bar,
                      colors::text)) {
    // The feed's position was kept while the detail showed: it comes back where it was.
    ui.detail_mention_id.clear();
    ui.detail_scroll = 0.0f;
    return;
  }
  height -= ImGui::GetCursorPosY() - top_y;

  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoScrollWithMouse |
                                 ImGuiWindowFlags_AlwaysUseWindowPadding;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, colors::card);
  const bool visible = ImGui::BeginChild("##detail", ImVec2(0.0f, height), false, flags);
  ImGui::PopStyleColor();
  if (!visible) {
    ImGui::EndChild();
    return;
  }
  // Fingers scroll by dragging, as in the feed; the wheel scrolls three lines a notch.
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
      !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
      ui.detail_scroll -= io.MouseDelta.y;
      if (ImGui::GetActiveID() != 0) ImGui::ClearActiveID();
    }
    ui.detail_scroll -= io.MouseWheel * ImGui::GetTextLineHeightWithSpacing() * 3.0f;
  }
  ui.detail_scroll = std::clamp(ui.detail_scroll, 0.0f, std::max(ImGui::GetScrollMaxY(), 0.0f));
  ImGui::SetScrollY(ui.detail_scroll);

  if (view.detail_mention_id == ui.detail_mention_id) {
    if (view.detail)
      body(view, *view.detail, ui, intents);
    else
      widgets::text_colored(ui, colors::text_dim, tr(Str::detail_gone));
  }
  ImGui::EndChild();
}

}  // namespace kiosk::ui::detail_screen

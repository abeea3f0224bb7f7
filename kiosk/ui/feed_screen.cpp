// The feed of mention cards.
//
// [SECTION] Chips and search
// [SECTION] Card layout (each card as tall as its text; measured only when on screen)
// [SECTION] Card drawing
// [SECTION] Feed (a list positioned by row, drag-to-scroll for fingers, a track to jump)
#include "kiosk/ui/feed_screen.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID, PushItemFlag, RenderNavHighlight (the chips)
#include <imgui_stdlib.h>

#include "kiosk/core/staff.h"
#include "kiosk/ui/detail_screen.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::feed {
namespace {

// [SECTION] Chips and search -----------------------------------------------------------------

constexpr std::array<Str, kFeedChipCount> kChipLabels = {
    Str::chip_needs_attention, Str::chip_negative,  Str::chip_praise,
    Str::chip_reviews,         Str::chip_escalated, Str::chip_all};
constexpr std::array<const char*, kFeedChipCount> kChipNames = {
    "needs_attention", "negative", "praise", "reviews", "escalated", "all"};

void scroll_to_top(UiState& ui) {
  ui.feed_top = 0;
  ui.feed_top_offset = 0.0f;
}

void draw_chips(const ViewState& view, UiState& ui) {
  const float h = touch_target_height();
  std::array<std::string, kFeedChipCount> labels;
  std::array<float, kFeedChipCount> widths{};
  for (std::size_t i = 0; i < kFeedChipCount; ++i) {
    labels[i] = std::string(tr(kChipLabels[i]));
    if (view.chip_counts) labels[i] += "  " + std::to_string((*view.chip_counts)[i]);
    widths[i] = ImGui::CalcTextSize(labels[i].c_str()).x + ImGui::GetFontSize() * 1.6f;
  }
  // As the bottom tabs (nav_bar.cpp): invisible buttons take the taps first, then the chips are
  // drawn as they now stand over them, so the frame that reads the tap shows the new choice.
  const ImVec2 row = ImGui::GetCursorPos();
  std::array<bool, kFeedChipCount> hovered{};
  std::array<bool, kFeedChipCount> held{};
  std::array<ImGuiID, kFeedChipCount> ids{};
  for (std::size_t i = 0; i < kFeedChipCount; ++i) {
    const auto chip = static_cast<FeedChip>(i);
    if (i > 0) ImGui::SameLine();
    const std::string name = std::string("chip:") + kChipNames[i];
    if (ImGui::InvisibleButton(name.c_str(), ImVec2(widths[i], h)) && ui.chip != chip) {
      ui.chip = chip;
      scroll_to_top(ui);
    }
    hovered[i] = ImGui::IsItemHovered();
    held[i] = ImGui::IsItemActive();
    ids[i] = ImGui::GetItemID();
  }
  ImGui::SetCursorPos(row);
  ImGui::PushItemFlag(ImGuiItemFlags_NoNav, true);
  for (std::size_t i = 0; i < kFeedChipCount; ++i) {
    if (i > 0) ImGui::SameLine();
    const bool on = ui.chip == static_cast<FeedChip>(i);
    const ImVec4 fill = widgets::button_fill(
        on ? colors::accent : ImGui::GetStyle().Colors[ImGuiCol_FrameBg], hovered[i], held[i]);
    widgets::button(ui, std::string("chip:") + kChipNames[i], labels[i], ImVec2(widths[i], h), fill,
                    on ? colors::on_accent : colors::text);
    ImGui::RenderNavHighlight(ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), ids[i]);
  }
  ImGui::PopItemFlag();
}

void draw_search(UiState& ui) {
  const std::string_view hint = tr(Str::search_hint);
  const std::string hint_z(hint);
  ImGui::SetNextItemWidth(-1.0f);
  // Tall enough for a finger: the frame padding makes the box a touch target.
  const float pad_y = std::max((touch_target_height() - ImGui::GetFontSize()) * 0.5f, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetFontSize() * 0.8f, pad_y));
  keyboard::FieldOptions options;
  options.name = "search";
  options.hint = hint_z.c_str();
  if (keyboard::field(ui, TextField::search, "##search", ui.search, options)) scroll_to_top(ui);
  ImGui::PopStyleVar();
  if (ui.search.empty()) widgets::record_text(ui, hint);
}

// [SECTION] Card layout ----------------------------------------------------------------------

constexpr int kMaxTextLines = 40;  // a wall of text still ends; the detail view shows it all

struct CardLayout {
  float padding = 0.0f;  // inside the card
  float line = 0.0f;     // one line of text
  float gap = 0.0f;      // between rows inside a card
  float spacing = 0.0f;  // between cards
  float width = 0.0f;    // the card
  float inner_w = 0.0f;  // the text inside it
};

CardLayout card_layout(float width) {
  CardLayout l;
  const float font = ImGui::GetFontSize();
  l.padding = font * 0.9f;
  l.line = ImGui::GetTextLineHeight() * 1.15f;
  l.gap = font * 0.5f;
  l.spacing = ImGui::GetStyle().ItemSpacing.y;
  l.width = width;
  l.inner_w = width - l.padding * 2.0f;
  return l;
}

// The height of a card with this many lines of text: meta line, text, chips, actions.
float height_for_lines(const CardLayout& l, std::size_t lines) {
  return l.padding * 2.0f + l.line + l.gap + l.line * static_cast<float>(lines) + l.gap +
         touch_target_height() * 0.8f + l.gap + touch_target_height();
}

std::vector<std::string> text_lines(const MentionCard& card, const CardLayout& l) {
  return widgets::clamp_lines(card.text, l.inner_w, kMaxTextLines);
}

void add_text(ImDrawList* draw_list, UiState& ui, ImVec2 pos, const ImVec4& color,
              std::string_view text) {
  draw_list->AddText(pos, ImGui::GetColorU32(color), text.data(), text.data() + text.size());
  widgets::record_text(ui, text);
}

}  // namespace

// Chips, stars and labels the detail view shares (feed_screen.h).

void start_escalate(const ViewState& view, UiState& ui, const std::string& mention_id) {
  // Nobody tapped in: the PIN pad first, then this dialog.
  if (core::access_for(view.tapped_in, core::StaffAction::escalate) == core::Access::allowed) {
    ui.dialog_mention_id = mention_id;
    ui.dialog_severity = core::Severity::medium;
    ui.dialog_note.clear();
  } else {
    ui.dialog_severity = core::Severity::medium;
    ui.dialog_note.clear();
    pin_pad::open(ui, mention_id);
  }
}

std::string_view urgency_label(core::Urgency u) {
  switch (u) {
    case core::Urgency::urgent:
      return tr(Str::urgency_urgent);
    case core::Urgency::high:
      return tr(Str::urgency_high);
    case core::Urgency::low:
      return tr(Str::urgency_low);
    case core::Urgency::none:
      break;
  }
  return {};
}

std::string_view sentiment_label(core::Sentiment s) {
  switch (s) {
    case core::Sentiment::negative:
      return tr(Str::sentiment_negative);
    case core::Sentiment::positive:
      return tr(Str::sentiment_positive);
    case core::Sentiment::neutral:
      break;
  }
  return tr(Str::sentiment_neutral);
}

std::string_view reason_label(core::Reason r) {
  static_assert(core::kReasonCount == 12);
  constexpr std::array<Str, core::kReasonCount> labels = {
      Str::reason_still_in_store, Str::reason_safety,        Str::reason_names_staff,
      Str::reason_wants_manager,  Str::reason_shouting,      Str::reason_wide_reach,
      Str::reason_long_wait,      Str::reason_asks_for_help, Str::reason_low_rating,
      Str::reason_high_rating,    Str::reason_sarcasm,       Str::reason_praise};
  return tr(labels[static_cast<std::size_t>(r)]);
}

// 1234 -> "1,234"; 12345 -> "12k"; 1234567 -> "1.2M": counts read at arm's length.
std::string short_count(std::int64_t n) {
  if (n >= 1'000'000) {
    const std::int64_t tenths = n / 100'000;
    return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") +
           "M";
  }
  if (n >= 10'000) return std::to_string(n / 1000) + "k";
  if (n >= 1000) {
    std::string s = std::to_string(n);
    return s.substr(0, s.size() - 3) + "," + s.substr(s.size() - 3);
  }
  return std::to_string(n);
}

// A five-pointed star, filled or as an outline, centred at c.
void draw_star(ImDrawList* dl, ImVec2 c, float r, ImU32 color, bool filled) {
  std::array<ImVec2, 10> p{};
  for (std::size_t i = 0; i < p.size(); ++i) {
    const float a = -1.5707964f + static_cast<float>(i) * 0.62831855f;
    const float rr = (i % 2 == 0) ? r : r * 0.45f;
    p[i] = ImVec2(c.x + std::cos(a) * rr, c.y + std::sin(a) * rr);
  }
  if (filled) {
    for (std::size_t i = 0; i < p.size(); ++i)
      dl->AddTriangleFilled(c, p[i], p[(i + 1) % p.size()], color);
  } else {
    dl->AddPolyline(p.data(), static_cast<int>(p.size()), color, ImDrawFlags_Closed,
                    std::max(1.0f, r * 0.18f));
  }
}

// A rounded chip with text; returns its width.
float draw_chip(ImDrawList* dl, UiState& ui, ImVec2 at, float h, const ImVec4& fill,
                const ImVec4& text_color, std::string_view text) {
  const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
  const float pad = ImGui::GetFontSize() * 0.6f;
  const float w = size.x + pad * 2.0f;
  dl->AddRectFilled(at, ImVec2(at.x + w, at.y + h), ImGui::GetColorU32(fill), h * 0.5f);
  add_text(dl, ui, ImVec2(at.x + pad, at.y + (h - size.y) * 0.5f), text_color, text);
  return w;
}

ImVec4 with_alpha(ImVec4 c, float a) {
  c.w = a;
  return c;
}

namespace {

// [SECTION] Card drawing ---------------------------------------------------------------------

void draw_card(const MentionCard& card, const ViewState& view, UiState& ui, Intents& intents,
               const CardLayout& l, const std::vector<std::string>& lines, float height) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 corner(origin.x + l.width, origin.y + height);
  const float rounding = ImGui::GetStyle().ChildRounding;
  const float font = ImGui::GetFontSize();
  const bool thank_you = card.attention == core::Attention::needs_thank_you;
  draw_list->AddRectFilled(origin, corner, ImGui::GetColorU32(colors::card), rounding);
  // The stripe down the left edge: how bad it is (or green for praise), one colour language
  // with the escalation's severity.
  const ImVec4 stripe = card.escalation_severity ? severity_color(*card.escalation_severity)
                        : thank_you              ? colors::online
                        : card.urgency != core::Urgency::none ? urgency_color(card.urgency)
                                                              : sentiment_color(card.sentiment);
  draw_list->AddRectFilled(origin, ImVec2(origin.x + l.padding * 0.35f, corner.y),
                           ImGui::GetColorU32(stripe), rounding, ImDrawFlags_RoundCornersLeft);
  float x = origin.x + l.padding;
  float y = origin.y + l.padding;

  // Meta line: source pill, author, stars for a review, time ago.
  {
    const ImVec2 src = ImGui::CalcTextSize(card.source.c_str());
    const float pill_pad = font * 0.4f;
    draw_list->AddRectFilled(ImVec2(x, y - 1.0f),
                             ImVec2(x + src.x + pill_pad * 2.0f, y + src.y + 1.0f),
                             ImGui::GetColorU32(ImGuiCol_FrameBgActive), src.y);
    add_text(draw_list, ui, ImVec2(x + pill_pad, y), colors::text, card.source);
    float mx = x + src.x + pill_pad * 3.0f;
    if (!card.author.empty()) {
      add_text(draw_list, ui, ImVec2(mx, y), colors::text, card.author);
      mx += ImGui::CalcTextSize(card.author.c_str()).x + pill_pad * 2.0f;
    }
    if (card.rating) {
      const int stars = std::clamp(*card.rating, 1, 5);
      const float r = font * 0.45f;
      const ImVec4 gold = severity_color(core::Severity::medium);
      for (int i = 0; i < 5; ++i)
        draw_star(draw_list, ImVec2(mx + r + static_cast<float>(i) * r * 2.3f, y + font * 0.5f), r,
                  ImGui::GetColorU32(gold), i < stars);
      mx += r * 2.3f * 5.0f + pill_pad;
      const std::string of_five = std::to_string(stars) + "/5";
      add_text(draw_list, ui, ImVec2(mx, y), colors::text_dim, of_five);
      mx += ImGui::CalcTextSize(of_five.c_str()).x + pill_pad * 2.0f;
    }
    const std::string time_ago = widgets::age_label(ui, card.created_at_ms);
    const ImVec2 ago = ImGui::CalcTextSize(time_ago.c_str());
    add_text(draw_list, ui, ImVec2(std::max(mx, x + l.inner_w - ago.x), y), colors::text_dim,
             time_ago);
  }
  y += l.line + l.gap;

  // The post, every line of it (up to kMaxTextLines).
  for (const std::string& line : lines) {
    draw_list->AddText(ImVec2(x, y), ImGui::GetColorU32(colors::text), line.c_str());
    y += l.line;
  }
  if (ui.record) {
    std::string shown;
    for (const std::string& line : lines) {
      if (!shown.empty()) shown.push_back(' ');
      shown += line;
    }
    ui.drawn_text.push_back(std::move(shown));
  }
  y += l.gap;

  // Triage row: urgency and sentiment in colour, two or three reasons, reach.
  {
    const float chip_h = touch_target_height() * 0.8f - l.gap;
    float cx = x;
    const float step = font * 0.4f;
    if (thank_you) {
      cx += draw_chip(draw_list, ui, ImVec2(cx, y), chip_h, with_alpha(colors::online, 0.25f),
                      colors::online, tr(Str::needs_thank_you)) +
            step;
    } else if (card.urgency != core::Urgency::none) {
      const ImVec4 u = urgency_color(card.urgency);
      cx += draw_chip(draw_list, ui, ImVec2(cx, y), chip_h, with_alpha(u, 0.25f), u,
                      urgency_label(card.urgency)) +
            step;
    }
    if (!thank_you) {
      const ImVec4 s = sentiment_color(card.sentiment);
      cx += draw_chip(draw_list, ui, ImVec2(cx, y), chip_h, with_alpha(s, 0.18f), s,
                      sentiment_label(card.sentiment)) +
            step;
    }
    for (std::size_t i = 0; i < card.reasons.size() && i < 3; ++i)
      cx += draw_chip(draw_list, ui, ImVec2(cx, y), chip_h,
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBgHovered], colors::text,
                      reason_label(card.reasons[i])) +
            step;
    const std::string reach = reach_line(card.reach);
    if (!reach.empty()) {
      const float rw = ImGui::CalcTextSize(reach.c_str()).x;
      add_text(draw_list, ui, ImVec2(std::max(cx, x + l.inner_w - rw), y + (chip_h - font) * 0.5f),
               colors::text_dim, reach);
    }
  }

  // Bottom row: who the praise names and Share with the team; an escalation's state; or
  // Escalate.
  const float button_h = touch_target_height();
  const float row_y = corner.y - l.padding - button_h;
  const float text_y = row_y + (button_h - font) * 0.5f;
  const auto button_width = [&](std::string_view label) {
    return std::max(ImGui::CalcTextSize(label.data(), label.data() + label.size()).x + font * 3.0f,
                    font * 9.0f);
  };
  // The card's body (all but its bottom row of buttons) opens its detail. A drag scrolls the
  // feed instead: the list lets go of the pressed item once a drag starts.
  {
    const ImVec2 cursor = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(origin);
    ImGui::PushID(card.mention_id.c_str());
    if (ImGui::InvisibleButton("##body",
                               ImVec2(l.width, std::max(row_y - l.gap - origin.y, 1.0f)))) {
      ui.detail_mention_id = card.mention_id;
      ui.detail_scroll = 0.0f;
    }
    widgets::record_last_item(ui, "detail:" + card.mention_id);
    ImGui::PopID();
    ImGui::SetCursorScreenPos(cursor);
  }
  // Draft a reply for head office to approve: left of the card's main button.
  {
    const std::string_view main_label =
        thank_you && !card.escalation_progress
            ? (card.praise_shared ? std::string_view() : tr(Str::share_with_team))
            : (card.escalation_progress ? std::string_view() : tr(Str::escalate));
    const float main_w =
        main_label.empty() ? 0.0f : button_width(main_label) + ImGui::GetStyle().ItemSpacing.x;
    const std::string_view label = tr(Str::reply_button);
    const float reply_w = button_width(label);
    ImGui::SetCursorScreenPos(ImVec2(corner.x - l.padding - main_w - reply_w, row_y));
    ImGui::PushID(card.mention_id.c_str());
    if (widgets::button(ui, "reply:" + card.mention_id, label, ImVec2(reply_w, button_h),
                        colors::bar, colors::text)) {
      ui.reply_mention_id = card.mention_id;
      ui.reply_draft.clear();
    }
    ImGui::PopID();
  }
  const auto right_button = [&](const std::string& name, std::string_view label,
                                const ImVec4& fill) {
    const float button_w = button_width(label);
    ImGui::SetCursorScreenPos(ImVec2(corner.x - l.padding - button_w, row_y));
    ImGui::PushID(card.mention_id.c_str());
    const bool tapped =
        widgets::button(ui, name, label, ImVec2(button_w, button_h), fill, colors::on_accent);
    ImGui::PopID();
    return tapped;
  };
  if (thank_you && !card.escalation_progress) {
    if (!card.staff_who.empty()) {
      const std::string who = card.staff_where.empty()
                                  ? card.staff_who
                                  : card.staff_who + " (" + card.staff_where + ")";
      add_text(draw_list, ui, ImVec2(x, text_y), colors::online, tr(Str::names_staff, who));
    }
    if (card.praise_shared) {
      const std::string_view done = tr(Str::praise_shared);
      const float w = ImGui::CalcTextSize(done.data(), done.data() + done.size()).x;
      add_text(draw_list, ui, ImVec2(corner.x - l.padding - w, text_y), colors::online, done);
    } else if (right_button("share:" + card.mention_id, tr(Str::share_with_team),
                            ImVec4(0.08f, 0.45f, 0.22f, 1.0f))) {
      intents.push_back(
          RequestSharePraise{card.mention_id, view.tapped_in ? view.tapped_in->id : std::string()});
    }
  } else if (card.escalation_progress) {
    const ImVec4 color = progress_color(*card.escalation_progress);
    const float chip = font * 0.7f;
    const float cy = row_y + button_h * 0.5f;
    const ImVec4 chip_color =
        card.escalation_severity ? severity_color(*card.escalation_severity) : color;
    draw_list->AddCircleFilled(ImVec2(x + chip * 0.5f, cy), chip * 0.5f,
                               ImGui::GetColorU32(chip_color));
    float tx = x + chip * 1.6f;
    if (card.escalation_severity) {
      const std::string_view sev = severity_label(*card.escalation_severity);
      add_text(draw_list, ui, ImVec2(tx, cy - font * 0.5f), chip_color, sev);
      tx += ImGui::CalcTextSize(sev.data(), sev.data() + sev.size()).x + font * 0.6f;
    }
    add_text(draw_list, ui, ImVec2(tx, cy - font * 0.5f), color, progress_line(card));
  } else if (right_button("escalate:" + card.mention_id, tr(Str::escalate), colors::danger)) {
    start_escalate(view, ui, card.mention_id);
  } else {
    // The left of the row is free: a suggested reply's outcome goes there.
    const std::string reply_line = reply_status(card);
    if (!reply_line.empty())
      add_text(draw_list, ui, ImVec2(x, text_y),
               card.reply_outcome == "rejected" ? colors::warning : colors::online, reply_line);
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(l.width, height));
}

// A row the view does not hold yet (scrolled to faster than the app fetched it): an empty card
// for this frame; the app fetches the rows on screen before the next one.
void draw_placeholder(const CardLayout& l, float height) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + l.width, origin.y + height),
                                            ImGui::GetColorU32(colors::card),
                                            ImGui::GetStyle().ChildRounding);
  ImGui::Dummy(ImVec2(l.width, height));
}

}  // namespace

std::string reply_status(const MentionCard& card) {
  std::string line;
  if (card.reply_outcome == "pending") line = std::string(tr(Str::reply_pending));
  if (card.reply_outcome == "approved") line = std::string(tr(Str::reply_approved));
  if (card.reply_outcome == "edited") line = tr(Str::reply_edited, card.reply_text);
  if (card.reply_outcome == "rejected") line = std::string(tr(Str::reply_rejected));
  if (!line.empty() && !card.reply_comment.empty())
    line += " \xC2\xB7 " + tr(Str::reply_comment, card.reply_comment);
  return line;
}

std::string reach_line(const core::Reach& r) {
  std::string out;
  // One of anything reads as singular ("1 repost"), so each count has two keys.
  const auto add = [&out](const std::optional<std::int64_t>& v, Str one, Str many) {
    if (!v) return;
    if (!out.empty()) out += "  \xC2\xB7  ";
    out += *v == 1 ? std::string(tr(one)) : tr(many, short_count(*v));
  };
  add(r.author_followers, Str::reach_follower_one, Str::reach_followers);
  add(r.likes, Str::reach_like_one, Str::reach_likes);
  add(r.reposts, Str::reach_repost_one, Str::reach_reposts);
  add(r.replies, Str::reach_reply_one, Str::reach_replies);
  return out;
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

// [SECTION] Feed -----------------------------------------------------------------------------

void draw(const ViewState& view, UiState& ui, Intents& intents, float height) {
  ui.feed_visible_first = 0;
  ui.feed_visible_end = 0;
  // A card's detail shows in the feed's place; the feed keeps its position for the way back.
  if (detail_screen::open(ui)) {
    detail_screen::draw(view, ui, intents, height);
    return;
  }
  const float top_y = ImGui::GetCursorPosY();
  draw_chips(view, ui);
  draw_search(ui);
  height -= ImGui::GetCursorPosY() - top_y;

  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar |
                                 ImGuiWindowFlags_NoScrollWithMouse;
  if (!ImGui::BeginChild("##feed", ImVec2(0.0f, height), false, flags)) {
    ImGui::EndChild();
    return;
  }
  const std::int64_t held_end = view.feed_first + static_cast<std::int64_t>(view.feed.size());
  // While the view catches up with a new chip or search, what it holds is not what was asked.
  const bool current = view.chip == ui.chip && view.search == ui.search;
  const std::int64_t total = current ? std::max(view.feed_total, held_end) : 0;
  if (total == 0) {
    ImGui::Dummy(ImVec2(0.0f, ImGui::GetFontSize() * 2.0f));
    const std::string line = !current                   ? std::string()
                             : !ui.search.empty()       ? tr(Str::search_none, ui.search)
                             : ui.chip != FeedChip::all ? std::string(tr(Str::filter_empty))
                                                        : std::string(tr(Str::feed_empty));
    const float w = ImGui::CalcTextSize(line.c_str()).x;
    ImGui::SetCursorPosX(std::max((ImGui::GetWindowWidth() - w) * 0.5f, 0.0f));
    widgets::text_colored(ui, colors::text_dim, line);
    ImGui::EndChild();
    return;
  }

  // The track on the right: where the screen is in the whole feed; a tap jumps there, and its
  // last stretch jumps to the end.
  const float track_w = ImGui::GetFontSize() * 1.4f;
  const ImVec2 child_min = ImGui::GetCursorScreenPos();
  const float child_h = ImGui::GetContentRegionAvail().y;
  const float list_w = ImGui::GetContentRegionAvail().x - track_w - ImGui::GetStyle().ItemSpacing.x;
  const CardLayout layout = card_layout(list_w);

  const auto held = [&](std::int64_t row) -> const MentionCard* {
    if (row < view.feed_first || row >= held_end) return nullptr;
    return &view.feed[static_cast<std::size_t>(row - view.feed_first)];
  };
  const float estimate = height_for_lines(layout, 2);
  const auto height_of = [&](std::int64_t row) {
    const MentionCard* c = held(row);
    return (c ? height_for_lines(layout, text_lines(*c, layout).size()) : estimate) +
           layout.spacing;
  };

  // Fingers scroll by dragging the list; once a drag starts, the pressed button lets go so the
  // lift does not count as a tap. The wheel scrolls three lines a notch.
  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiID active = ImGui::GetActiveID();
  const bool over_list = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                         io.MousePos.x < child_min.x + list_w;
  if (over_list && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
      ui.feed_top_offset -= io.MouseDelta.y;
      if (active != 0) ImGui::ClearActiveID();
    }
    ui.feed_top_offset -= io.MouseWheel * layout.line * 3.0f;
  }

  // Where the list starts: a row and pixels into it, moved across card boundaries using the
  // heights of the cards it crosses (only those are measured).
  ui.feed_top = std::clamp<std::int64_t>(ui.feed_top, 0, total - 1);
  while (ui.feed_top_offset < 0.0f && ui.feed_top > 0) {
    --ui.feed_top;
    ui.feed_top_offset += height_of(ui.feed_top);
  }
  if (ui.feed_top_offset < 0.0f) ui.feed_top_offset = 0.0f;
  while (ui.feed_top < total - 1 && ui.feed_top_offset >= height_of(ui.feed_top)) {
    ui.feed_top_offset -= height_of(ui.feed_top);
    ++ui.feed_top;
  }
  // At the end, the last card rests at the bottom of the screen rather than scrolling away.
  {
    float below = -ui.feed_top_offset;
    for (std::int64_t row = ui.feed_top; row < total && below < child_h; ++row)
      below += height_of(row);
    const float end_line = layout.line * 2.0f;
    float gap = child_h - end_line - below;
    while (gap > 0.0f && (ui.feed_top > 0 || ui.feed_top_offset > 0.0f)) {
      if (ui.feed_top_offset >= gap) {
        ui.feed_top_offset -= gap;
        gap = 0.0f;
      } else {
        gap -= ui.feed_top_offset;
        ui.feed_top_offset = 0.0f;
        if (ui.feed_top == 0) break;
        --ui.feed_top;
        ui.feed_top_offset = height_of(ui.feed_top);
      }
    }
  }

  // Only the cards on screen are laid out and drawn: the frame's cost follows the screen.
  float y = child_min.y - ui.feed_top_offset;
  std::int64_t row = ui.feed_top;
  for (; row < total && y < child_min.y + child_h; ++row) {
    ImGui::SetCursorScreenPos(ImVec2(child_min.x, y));
    if (const MentionCard* c = held(row)) {
      const auto lines = text_lines(*c, layout);
      const float h = height_for_lines(layout, lines.size());
      draw_card(*c, view, ui, intents, layout, lines, h);
      y += h + layout.spacing;
    } else {
      draw_placeholder(layout, estimate);
      y += estimate + layout.spacing;
    }
  }
  if (row == total && y < child_min.y + child_h) {
    const std::string_view end = tr(Str::feed_end);
    ImGui::GetWindowDrawList()->AddText(
        ImVec2(child_min.x +
                   (list_w - ImGui::CalcTextSize(end.data(), end.data() + end.size()).x) * 0.5f,
               y + layout.line * 0.4f),
        ImGui::GetColorU32(colors::text_dim), end.data(), end.data() + end.size());
    widgets::record_text(ui, end);
  }
  ui.feed_visible_first = ui.feed_top;
  ui.feed_visible_end = row;

  // The track and its thumb.
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float tx = child_min.x + list_w + ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 tmin(tx + track_w * 0.3f, child_min.y);
    const ImVec2 tmax(tx + track_w * 0.7f, child_min.y + child_h);
    dl->AddRectFilled(tmin, tmax, ImGui::GetColorU32(colors::bar), track_w);
    const float visible = static_cast<float>(std::max<std::int64_t>(row - ui.feed_top, 1));
    const float thumb_h =
        std::max(child_h * visible / static_cast<float>(total), ImGui::GetFontSize() * 1.5f);
    const float frac = static_cast<float>(ui.feed_top) / static_cast<float>(total);
    const float thumb_y = child_min.y + (child_h - thumb_h) * std::min(frac * 1.0f, 1.0f);
    dl->AddRectFilled(ImVec2(tmin.x, thumb_y), ImVec2(tmax.x, thumb_y + thumb_h),
                      ImGui::GetColorU32(ImGui::GetStyle().Colors[ImGuiCol_ScrollbarGrab]),
                      track_w);
    const float end_h = touch_target_height();
    ImGui::SetCursorScreenPos(ImVec2(tx, child_min.y));
    ImGui::InvisibleButton("##track", ImVec2(track_w, std::max(child_h - end_h, 1.0f)));
    widgets::record_last_item(ui, "feed:track");
    if (ImGui::IsItemActive()) {
      const float f = std::clamp((io.MousePos.y - child_min.y) / (child_h - end_h), 0.0f, 1.0f);
      ui.feed_top = std::min<std::int64_t>(static_cast<std::int64_t>(f * static_cast<float>(total)),
                                           total - 1);
      ui.feed_top_offset = 0.0f;
    }
    ImGui::SetCursorScreenPos(ImVec2(tx, child_min.y + child_h - end_h));
    if (ImGui::InvisibleButton("##end", ImVec2(track_w, end_h))) {
      ui.feed_top = total - 1;
      ui.feed_top_offset = 0.0f;
    }
    widgets::record_last_item(ui, "feed:end");
  }
  ImGui::EndChild();
}

}  // namespace kiosk::ui::feed

#include "kiosk/ui/widgets.h"

#include <algorithm>
#include <vector>

#include "kiosk/core/time_format.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"

namespace kiosk::ui::widgets {

void record_text(UiState& ui, std::string_view text) {
  if (ui.record) ui.drawn_text.emplace_back(text);
}

void record_last_item(UiState& ui, const std::string& name) {
  if (!ui.record || !ImGui::IsItemVisible()) return;
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  const ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 clip_min = draw_list->GetClipRectMin();
  const ImVec2 clip_max = draw_list->GetClipRectMax();
  HitRect r{std::max(min.x, clip_min.x), std::max(min.y, clip_min.y), std::min(max.x, clip_max.x),
            std::min(max.y, clip_max.y)};
  if (r.width() <= 0.0f || r.height() <= 0.0f) return;
  // Cut by the window's own edge (not by a scrolling list inside it): recorded whole, so that
  // scripted taps see it reaches past the window and refuse it.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  if ((min.x < 0.0f && clip_min.x <= 0.0f) || (min.y < 0.0f && clip_min.y <= 0.0f) ||
      (max.x > display.x && clip_max.x >= display.x) ||
      (max.y > display.y && clip_max.y >= display.y))
    r = HitRect{min.x, min.y, max.x, max.y};
  ui.hit_rects[name] = r;
}

std::string age_label(UiState& ui, std::int64_t then_ms) {
  const std::int64_t at = core::time_ago_changes_at(ui.now_ms, then_ms);
  if (!ui.next_label_change_ms || at < *ui.next_label_change_ms) ui.next_label_change_ms = at;
  ui.label_times.push_back(then_ms);
  const core::AgeWords words{tr(Str::age_just_now), tr(Str::age_minutes), tr(Str::age_hours),
                             tr(Str::age_day), tr(Str::age_days)};
  return core::time_ago(ui.now_ms, then_ms, words);
}

void text(UiState& ui, std::string_view s) {
  ImGui::TextUnformatted(s.data(), s.data() + s.size());
  record_text(ui, s);
}

void text_colored(UiState& ui, const ImVec4& color, std::string_view s) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  text(ui, s);
  ImGui::PopStyleColor();
}

void text_wrapped(UiState& ui, std::string_view s, float wrap_local_x) {
  ImGui::PushTextWrapPos(wrap_local_x);
  text(ui, s);
  ImGui::PopTextWrapPos();
}

namespace {

// The label's words wrapped at width in a font of font_size (a word wider than the line
// stays whole on its own line).
std::vector<std::string> label_lines(std::string_view label, ImFont* font, float font_size,
                                     float width) {
  std::vector<std::string> lines;
  const std::string text(label);
  const char* s = text.c_str();
  const char* end = s + text.size();
  const float scale = font_size / font->FontSize;
  while (s < end) {
    const char* cut = font->CalcWordWrapPositionA(scale, s, end, std::max(width, 1.0f));
    if (cut <= s) {
      cut = s;
      while (cut < end && *cut != ' ') ++cut;
    }
    std::string line(s, cut);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    s = cut;
    while (s < end && *s == ' ') ++s;
  }
  return lines;
}

float widest(const std::vector<std::string>& lines, ImFont* font, float font_size) {
  float w = 0.0f;
  for (const std::string& line : lines)
    w = std::max(w, font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, line.c_str()).x);
  return w;
}

}  // namespace

ImVec4 button_fill(const ImVec4& fill, bool hovered, bool held) {
  if (hovered && held) return {fill.x * 0.8f, fill.y * 0.8f, fill.z * 0.8f, fill.w};
  if (hovered)
    return {std::min(fill.x + 0.08f, 1.0f), std::min(fill.y + 0.08f, 1.0f),
            std::min(fill.z + 0.08f, 1.0f), fill.w};
  return fill;
}

bool button(UiState& ui, const std::string& name, std::string_view label, const ImVec2& size,
            const ImVec4& fill, const ImVec4& text_color) {
  ImGui::PushStyleColor(ImGuiCol_Button, fill);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, button_fill(fill, true, false));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, button_fill(fill, true, true));
  ImGui::PushStyleColor(ImGuiCol_Text, text_color);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float inner_w = size.x - style.FramePadding.x * 2.0f;
  const float one_line_w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
  bool pressed = false;
  if (size.x <= 0.0f || one_line_w <= inner_w) {
    const std::string id = std::string(label) + "##" + name;
    pressed = ImGui::Button(id.c_str(), size);
  } else {
    // Too long for one line: two lines, in a smaller font if two lines still do not fit.
    // Never cut.
    const std::string id = "##" + std::string(label) + "##" + name;
    pressed = ImGui::Button(id.c_str(), size);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImFont* font = ImGui::GetFont();
    const float inner_h = (max.y - min.y) - style.FramePadding.y;
    float font_size = ImGui::GetFontSize();
    std::vector<std::string> lines = label_lines(label, font, font_size, inner_w);
    while (font_size > ImGui::GetFontSize() * 0.6f &&
           (lines.size() > 2 || widest(lines, font, font_size) > inner_w ||
            static_cast<float>(lines.size()) * font_size > inner_h)) {
      font_size *= 0.9f;
      lines = label_lines(label, font, font_size, inner_w);
    }
    const float block_h = static_cast<float>(lines.size()) * font_size;
    float y = (min.y + max.y - block_h) * 0.5f;
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
    for (const std::string& line : lines) {
      const float w = font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, line.c_str()).x;
      draw_list->AddText(font, font_size, ImVec2((min.x + max.x - w) * 0.5f, y), color,
                         line.c_str());
      y += font_size;
    }
    for (const std::string& line : lines) record_text(ui, line);
  }
  ImGui::PopStyleColor(4);
  record_text(ui, label);
  record_last_item(ui, name);
  return pressed;
}

bool button(UiState& ui, const std::string& name, std::string_view label, const ImVec2& size) {
  const ImGuiStyle& style = ImGui::GetStyle();
  return button(ui, name, label, size, style.Colors[ImGuiCol_Button], colors::on_accent);
}

void dot(const ImVec4& color) {
  const float d = ImGui::GetFontSize() * 0.6f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float line = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + d * 0.5f, p.y + line * 0.5f), d * 0.5f,
                                              ImGui::GetColorU32(color));
  ImGui::Dummy(ImVec2(d, line));
  ImGui::SameLine();
}

namespace {

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool blank = false;
  for (char c : text) {
    const bool is_blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (is_blank) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string> clamp_lines(std::string_view text, float wrap_width, int max_lines) {
  std::vector<std::string> lines;
  const std::string flat = collapse_whitespace(text);
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const float scale = size / font->FontSize;
  const char* s = flat.c_str();
  const char* end = s + flat.size();
  while (s < end && static_cast<int>(lines.size()) < max_lines) {
    const char* cut = font->CalcWordWrapPositionA(scale, s, end, std::max(wrap_width, 1.0f));
    if (cut <= s) {  // one glyph wider than the line: take it whole (one UTF-8 sequence)
      cut = s + 1;
      while (cut < end && (static_cast<unsigned char>(*cut) & 0xC0U) == 0x80U) ++cut;
    }
    const bool last_allowed = static_cast<int>(lines.size()) + 1 == max_lines;
    const char* next = cut;
    while (next < end && *next == ' ') ++next;
    if (last_allowed && next < end) {
      // Something is left after the last line: cut it short enough for an ellipsis.
      const char* ellipsis = "\xE2\x80\xA6";
      const float ellipsis_w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, ellipsis).x;
      const char* fits = s;
      font->CalcTextSizeA(size, std::max(wrap_width - ellipsis_w, 0.0f), 0.0f, s, end, &fits);
      std::string line(s, fits);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      lines.push_back(line + ellipsis);
      return lines;
    }
    std::string line(s, cut);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    s = next;
  }
  return lines;
}

bool begin_modal(const char* popup_id, float width_em, float max_fraction, float pad_x_em,
                 float pad_y_em) {
  if (!ImGui::IsPopupOpen(popup_id)) ImGui::OpenPopup(popup_id);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float font = ImGui::GetFontSize();
  const float width = std::min(viewport->WorkSize.x * max_fraction, font * width_em);
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f));
  // Never taller than the window: what does not fit scrolls (dialogs with a text field fold
  // what they can while the on-screen keyboard is open, so that they fit whole).
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0.0f),
                                      ImVec2(width, std::max(viewport->WorkSize.y, 1.0f)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(font * pad_x_em, font * pad_y_em));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, ImGui::GetStyle().PopupRounding);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_AlwaysAutoResize;
  if (!ImGui::BeginPopupModal(popup_id, nullptr, flags)) {
    ImGui::PopStyleVar(2);
    return false;
  }
  return true;
}

void end_modal() {
  ImGui::EndPopup();
  ImGui::PopStyleVar(2);
}

}  // namespace kiosk::ui::widgets

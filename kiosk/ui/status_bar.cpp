#include "kiosk/ui/status_bar.h"

#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::status_bar {
namespace {

// Where texts() puts the last sync's failure, the one part drawn in red: after the sync state
// and what waits to send.
constexpr std::size_t kFailurePart = 2;

}  // namespace

float height() {
  return touch_target_height() + ImGui::GetFontSize() * 1.0f;
}

std::vector<std::string> texts(const SyncStatus& sync, UiState& ui) {
  std::vector<std::string> out;
  if (!sync.enrolled) {
    out.emplace_back(tr(Str::status_not_enrolled));
  } else {
    out.emplace_back(tr(sync.online ? Str::status_online : Str::status_offline));
  }
  if (sync.events_waiting <= 0) {
    out.emplace_back(tr(Str::waiting_none));
  } else if (sync.events_waiting == 1) {
    out.emplace_back(tr(Str::waiting_one));
  } else {
    out.push_back(tr(Str::waiting_many, std::to_string(sync.events_waiting)));
  }
  // Before the last sync's age: what failed says whether to wait or to call store IT.
  if (sync.failed) out.emplace_back(sync_error_label(sync.failure_kind));  // at kFailurePart
  if (!sync.last_success_ms) {
    out.emplace_back(tr(Str::never_synced));
  } else {
    out.push_back(tr(Str::last_sync, widgets::age_label(ui, *sync.last_success_ms)));
  }
  return out;
}

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  const SyncStatus& sync = view.sync;
  const float font = ImGui::GetFontSize();
  const float bar_h = height();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float full_w = ImGui::GetContentRegionAvail().x;
  // Paint the bar to the window's edges.
  const ImVec2 win = ImGui::GetWindowPos();
  const ImVec2 win_size = ImGui::GetWindowSize();
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->PushClipRectFullScreen();
  draw_list->AddRectFilled(ImVec2(win.x, origin.y - font * 0.3f),
                           ImVec2(win.x + win_size.x, win.y + win_size.y),
                           ImGui::GetColorU32(colors::bar));
  draw_list->AddLine(ImVec2(win.x, origin.y - font * 0.3f),
                     ImVec2(win.x + win_size.x, origin.y - font * 0.3f),
                     ImGui::GetColorU32(ImGuiCol_Border), 1.0f);
  draw_list->PopClipRect();

  const std::string_view sync_label = tr(Str::sync_now);
  const float button_w =
      ImGui::CalcTextSize(sync_label.data(), sync_label.data() + sync_label.size()).x + font * 3.0f;
  const float button_h = touch_target_height();
  // Who is tapped in, and the button that changes it, left of Sync now.
  const std::string_view tap_label = tr(view.tapped_in ? Str::tap_out : Str::tap_in);
  const float tap_w =
      ImGui::CalcTextSize(tap_label.data(), tap_label.data() + tap_label.size()).x + font * 3.0f;
  // Settings, left of who is tapped in (a manager's PIN first in kiosk mode).
  const std::string_view settings_label = tr(Str::settings);
  const float settings_w =
      ImGui::CalcTextSize(settings_label.data(), settings_label.data() + settings_label.size()).x +
      font * 2.0f;
  const std::string who = view.tapped_in ? tr(Str::tapped_in_as, view.tapped_in->name)
                                         : std::string(tr(Str::read_only));
  const float who_w = ImGui::CalcTextSize(who.c_str()).x;

  // Texts, vertically centred: on one line when they fit, else on two (the bar is two text
  // lines tall), filled in order of importance: the sync state, what waits to send, the last
  // sync's failure, the last sync. Each is drawn whole on the first line with room for it; one that
  // fits on neither is cut short with an ellipsis on the last line (drawn and recorded so) and
  // the ones after it are left out. The sync state itself is never cut.
  const float line_h = ImGui::GetTextLineHeight();
  const std::vector<std::string> parts = texts(sync, ui);
  const ImVec4 state_color =
      !sync.enrolled ? colors::warning : (sync.online ? colors::online : colors::offline);
  const float text_right = origin.x + full_w - button_w - tap_w - who_w - settings_w - font * 4.0f;
  const float gap = font * 1.5f;
  const float dot_w = font * 0.6f + ImGui::GetStyle().ItemSpacing.x;
  float one_line_w = dot_w - gap;
  for (const std::string& part : parts) one_line_w += gap + ImGui::CalcTextSize(part.c_str()).x;
  const bool two_lines = origin.x + one_line_w > text_right && parts.size() > 1;
  const float gap_y = std::max((bar_h - 2.0f * line_h) / 3.0f, 0.0f);
  const float first_y = two_lines ? origin.y + gap_y : origin.y + (bar_h - line_h) * 0.5f;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, first_y));
  widgets::dot(state_color);
  widgets::text_colored(ui, state_color, parts[0]);
  float x = ImGui::GetItemRectMax().x;
  bool on_last_line = !two_lines;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const float w = ImGui::CalcTextSize(parts[i].c_str()).x;
    if (x + gap + w > text_right && !on_last_line) {
      on_last_line = true;
      x = origin.x + dot_w - gap;
      ImGui::SetCursorScreenPos(ImVec2(origin.x + dot_w, origin.y + gap_y * 2.0f + line_h));
    } else {
      ImGui::SameLine(0.0f, gap);
    }
    const float room = text_right - x - gap;
    if (room < font * 2.0f) break;
    const bool is_failure = sync.failed && i == kFailurePart;
    const ImVec4 color = is_failure ? colors::offline : colors::text_dim;
    const bool fits = w <= room;
    const std::string shown = fits ? parts[i] : widgets::clamp_lines(parts[i], room, 1).front();
    widgets::text_colored(ui, color, shown);
    x = ImGui::GetItemRectMax().x;
    if (!fits) break;
  }

  const float tap_x = origin.x + full_w - button_w - font - tap_w;
  ImGui::SetCursorScreenPos(ImVec2(tap_x - font - who_w, origin.y + (bar_h - line_h) * 0.5f));
  widgets::text_colored(ui, view.tapped_in ? colors::text : colors::text_dim, who);
  ImGui::SetCursorScreenPos(
      ImVec2(tap_x - font * 2.0f - who_w - settings_w, origin.y + (bar_h - button_h) * 0.5f));
  if (widgets::button(ui, "settings", settings_label, ImVec2(settings_w, button_h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text_dim)) {
    if (ui.kiosk_mode)
      pin_pad::open_settings(view, ui);
    else
      ui.settings_open = true;
  }
  ImGui::SetCursorScreenPos(ImVec2(tap_x, origin.y + (bar_h - button_h) * 0.5f));
  if (view.tapped_in) {
    if (widgets::button(ui, "tap_out", tap_label, ImVec2(tap_w, button_h),
                        ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text))
      intents.emplace_back(RequestTapOut{});
  } else if (widgets::button(ui, "tap_in", tap_label, ImVec2(tap_w, button_h))) {
    pin_pad::open(ui);
  }
  ImGui::SetCursorScreenPos(
      ImVec2(origin.x + full_w - button_w, origin.y + (bar_h - button_h) * 0.5f));
  ImGui::BeginDisabled(!sync.enrolled);
  if (widgets::button(ui, "sync_now", sync_label, ImVec2(button_w, button_h)))
    intents.emplace_back(RequestSyncNow{});
  ImGui::EndDisabled();
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(full_w, bar_h));
}

}  // namespace kiosk::ui::status_bar

#include "kiosk/ui/kiosk_screen.h"

#include <imgui.h>

#include "kiosk/ui/escalate_dialog.h"
#include "kiosk/ui/escalations_screen.h"
#include "kiosk/ui/feed_screen.h"
#include "kiosk/ui/idle_screen.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/nav_bar.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/reply_dialog.h"
#include "kiosk/ui/report_dialog.h"
#include "kiosk/ui/settings_dialog.h"
#include "kiosk/ui/status_bar.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/training_screen.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

void draw_header(const ViewState& view, UiState& ui) {
  const std::string_view name =
      view.store_name.empty() ? tr(Str::app_name) : std::string_view(view.store_name);
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, name);
  if (ui.heading_font != nullptr) ImGui::PopFont();
  ImGui::SameLine(0.0f, ImGui::GetFontSize() * 1.2f);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetStyle().FramePadding.y * 0.5f);
  const Str subtitle = ui.screen == Screen::training      ? Str::tab_training
                       : ui.screen == Screen::escalations ? Str::escalations_title
                                                          : Str::feed_title;
  widgets::text_colored(ui, colors::text_dim, tr(subtitle));
  if (ui.screen == Screen::feed) {
    // Something happened in the store with no post: the big button on the header's right
    // starts a report (report_dialog.h).
    const std::string_view label = tr(Str::report_issue);
    const float w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x +
                    ImGui::GetFontSize() * 3.0f;
    ImGui::SameLine(std::max(ImGui::GetWindowContentRegionMax().x - w, 0.0f));
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY() - ImGui::GetFontSize() * 0.6f, 0.0f));
    if (widgets::button(ui, "report_issue", label, ImVec2(w, touch_target_height()), colors::danger,
                        colors::on_accent)) {
      // Nobody tapped in: the PIN pad first, then the report.
      if (core::access_for(view.tapped_in, core::StaffAction::escalate) == core::Access::allowed)
        ui.report_open = true;
      else
        pin_pad::open_then_report(ui);
    }
  }
  ImGui::Spacing();
}

}  // namespace

void draw_kiosk_screen(const ViewState& view, UiState& ui, Intents& intents) {
  ui.drawn_text.clear();
  ui.hit_rects.clear();
  ui.next_label_change_ms.reset();
  ui.label_times.clear();
  // Any touch or key keeps whoever is tapped in from the idle lock.
  const ImGuiIO& io = ImGui::GetIO();
  ui.touched = ImGui::IsMouseDown(ImGuiMouseButton_Left) ||
               ImGui::IsMouseReleased(ImGuiMouseButton_Left) || io.MouseWheel != 0.0f ||
               !io.InputQueueCharacters.empty();
  // Idle: that screen alone, so the tap that wakes it reaches nothing else.
  if (idle_screen::draw(view, ui)) return;
  // Kiosk mode: Escape asks for a manager before the app closes (Alt+F4 and the window
  // manager's close reach the app as a close request, see WindowLoop::ask_to_leave).
  if (ui.kiosk_mode && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    pin_pad::leave_app(view, ui, intents);
  keyboard::begin_frame(ui);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
      ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                      ImVec2(ImGui::GetFontSize() * 1.2f, ImGui::GetFontSize() * 0.8f));
  ImGui::Begin("##kiosk", nullptr, flags);
  ImGui::PopStyleVar();

  // The bars along the bottom first, where the layout puts them: a tab or the training prompt
  // tapped in this frame changes ui.screen before the header and the screen above are drawn,
  // so the frame that reads the tap already shows the screen it opens (issue 7), each drawn
  // once.
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 top = ImGui::GetCursorPos();
  const float prompt_h = training_screen::prompt_height(view);
  const float bar_h = status_bar::height() + nav_bar::height() + prompt_h +
                      (prompt_h > 0.0f ? style.ItemSpacing.y : 0.0f);
  // Never over the header's row (its tallest item a touch button) and the least screen: a
  // window too short for both pushes the bars down, past its edge.
  const float least_above =
      touch_target_height() + ImGui::GetFontSize() * 4.0f + style.ItemSpacing.y * 2.0f;
  const float bars_y =
      std::max(top.y + ImGui::GetContentRegionAvail().y - bar_h, top.y + least_above);
  ImGui::SetCursorPosY(bars_y);
  training_screen::draw_prompt(view, ui, intents);
  nav_bar::draw(view, ui);
  status_bar::draw(view, ui, intents);

  ImGui::SetCursorPos(top);
  draw_header(view, ui);
  // A tap that could not be saved must never pass silently: staff would think head office
  // has it.
  if (!view.action_error.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    widgets::text_colored(ui, colors::offline, view.action_error);
    ImGui::PopTextWrapPos();
  }
  const float screen_h =
      std::max(bars_y - ImGui::GetCursorPosY() - style.ItemSpacing.y, ImGui::GetFontSize() * 4.0f);
  if (ui.screen == Screen::training)
    training_screen::draw(view, ui, intents, screen_h);
  else if (ui.screen == Screen::escalations)
    escalations_screen::draw(view, ui, intents, screen_h);
  else
    feed::draw(view, ui, intents, screen_h);
  escalate_dialog::draw(view, ui, intents);
  report_dialog::draw(view, ui, intents);
  settings_dialog::draw(view, ui, intents);
  pin_pad::draw(view, ui, intents);
  reply_dialog::draw(view, ui, intents);
  keyboard::end_frame(ui);

  ImGui::End();
}

}  // namespace kiosk::ui

#include "kiosk/ui/settings_dialog.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::settings_dialog {
namespace {

constexpr const char* popup_id = "##settings_dialog";
constexpr std::int64_t kMinuteMs = 60'000;

void close(UiState& ui) {
  ui.settings_open = false;
  ui.settings_draft.reset();
  ImGui::CloseCurrentPopup();
}

// One row of choices, the chosen one in the accent colour; returns the index tapped, or -1.
int choices(UiState& ui, const std::string& prefix, const std::vector<std::string>& names,
            const std::vector<std::string>& labels, const std::string& chosen) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const auto n = static_cast<float>(std::max<std::size_t>(names.size(), 1));
  const float w = (ImGui::GetContentRegionAvail().x - spacing * (n - 1.0f)) / n;
  int tapped = -1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    const bool on = names[i] == chosen;
    if (widgets::button(ui, prefix + names[i], labels[i], ImVec2(w, touch_target_height()),
                        on ? colors::accent : ImGui::GetStyle().Colors[ImGuiCol_FrameBg],
                        on ? colors::on_accent : colors::text))
      tapped = static_cast<int>(i);
  }
  return tapped;
}

// "- 2 min +": whole minutes from min_minutes to max_minutes; 0 reads "never" when allowed.
void minutes_stepper(UiState& ui, const std::string& prefix, std::int64_t& ms,
                     std::int64_t min_minutes, std::int64_t max_minutes) {
  const std::int64_t minutes = (ms + kMinuteMs - 1) / kMinuteMs;
  const float h = touch_target_height();
  const float button_w = h * 1.6f;
  if (widgets::button(ui, prefix + "-", "-", ImVec2(button_w, h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text))
    ms = std::max(min_minutes, minutes - 1) * kMinuteMs;
  ImGui::SameLine();
  const std::string label = minutes == 0 ? std::string(tr(Str::settings_never))
                                         : tr(Str::settings_minutes, std::to_string(minutes));
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (h - ImGui::GetTextLineHeight()) * 0.5f);
  widgets::text(ui, label);
  ImGui::SameLine(0.0f, ImGui::GetFontSize() * 1.5f);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - (h - ImGui::GetTextLineHeight()) * 0.5f);
  if (widgets::button(ui, prefix + "+", "+", ImVec2(button_w, h),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text))
    ms = std::min(max_minutes, minutes + 1) * kMinuteMs;
}

}  // namespace

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (!ui.settings_open) return;
  // Kiosk mode: a manager opened it; tapped out meanwhile (the idle lock), it closes.
  if (ui.kiosk_mode &&
      core::access_for(view.tapped_in, core::StaffAction::open_settings) != core::Access::allowed) {
    ui.settings_open = false;
    ui.settings_draft.reset();
    return;
  }
  if (!ui.settings_draft) ui.settings_draft = view.settings;
  SettingsView& draft = *ui.settings_draft;
  if (!widgets::begin_modal(popup_id, 34.0f)) return;
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::settings_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();
  ImGui::Spacing();

  widgets::text(ui, tr(Str::settings_theme));
  if (const int i = choices(
          ui, "settings:theme:", {"dark", "light"},
          {std::string(tr(Str::settings_theme_dark)), std::string(tr(Str::settings_theme_light))},
          draft.theme);
      i >= 0)
    draft.theme = i == 0 ? "dark" : "light";
  ImGui::Spacing();
  if (draft.languages.size() > 1) {
    widgets::text(ui, tr(Str::settings_language));
    if (const int i =
            choices(ui, "settings:language:", draft.languages, draft.languages, draft.language);
        i >= 0)
      draft.language = draft.languages[static_cast<std::size_t>(i)];
    ImGui::Spacing();
  }
  widgets::text(ui, tr(Str::settings_idle_lock));
  minutes_stepper(ui, "settings:idle_lock:", draft.idle_lock_ms, 1, 24 * 60);
  ImGui::Spacing();
  widgets::text(ui, tr(Str::settings_idle_screen));
  minutes_stepper(ui, "settings:idle_screen:", draft.idle_screen_ms, 0, 24 * 60);
  ImGui::Spacing();
  widgets::text(ui, tr(Str::settings_keyboard));
  if (const int i = choices(ui, "settings:keyboard:", {"on", "off"},
                            {std::string(tr(Str::settings_on)), std::string(tr(Str::settings_off))},
                            draft.onscreen_keyboard ? "on" : "off");
      i >= 0)
    draft.onscreen_keyboard = i == 0;
  ImGui::Spacing();

  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (widgets::button(ui, "settings:cancel", tr(Str::cancel), ImVec2(half, touch_target_height()),
                      ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
    close(ui);
  } else {
    ImGui::SameLine();
    if (widgets::button(ui, "settings:save", tr(Str::settings_save),
                        ImVec2(half, touch_target_height()))) {
      intents.emplace_back(RequestChangeSettings{draft.theme, draft.language, draft.idle_lock_ms,
                                                 draft.idle_screen_ms, draft.onscreen_keyboard});
      close(ui);
    }
  }
  widgets::end_modal();
}

}  // namespace kiosk::ui::settings_dialog

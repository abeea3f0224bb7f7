#include "kiosk/ui/pin_pad.h"

#include <imgui.h>

#include <algorithm>

#include "kiosk/core/staff.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::pin_pad {
namespace {

constexpr const char* popup_id = "##pin_pad";

const StaffChoice* find_choice(const ViewState& view, const std::string& id) {
  const auto it = std::find_if(view.staff.begin(), view.staff.end(),
                               [&](const StaffChoice& c) { return c.id == id; });
  return it == view.staff.end() ? nullptr : &*it;
}

// "• • • •": the typed digits as dots.
std::string dots(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "\xE2\x80\xA2" : " \xE2\x80\xA2";
  return out;
}

// The radius of a PIN dot.
float font_radius() {
  return ImGui::GetFontSize() * 0.45f;
}

void submit(const ViewState& view, UiState& ui, Intents& intents) {
  if (ui.pin_digits.size() < core::kMinPinDigits) return;
  intents.emplace_back(RequestTapIn{ui.pin_staff_id, ui.pin_digits});
  ui.pin_digits.clear();
  ui.pin_seen_attempt = view.pin_feedback.attempt + 1;  // the answer to come
}

void type_digit(UiState& ui, char digit) {
  if (ui.pin_digits.size() < core::kMaxPinDigits) ui.pin_digits += digit;
}

void draw_who(const ViewState& view, UiState& ui) {
  widgets::text(ui, tr(Str::pin_who));
  ImGui::Spacing();
  if (view.staff.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    widgets::text_colored(ui, colors::text_dim, tr(Str::pin_no_staff));
    ImGui::PopTextWrapPos();
    return;
  }
  const float w = ImGui::GetContentRegionAvail().x;
  for (const StaffChoice& c : view.staff) {
    if (ui.pin_managers_only && c.role != core::StaffRole::manager) continue;
    if (widgets::button(ui, "staff:" + c.id, c.name, ImVec2(w, touch_target_height()),
                        ImGui::GetStyle().Colors[ImGuiCol_FrameBg], colors::text)) {
      ui.pin_staff_id = c.id;
      ui.pin_digits.clear();
      ui.pin_seen_attempt = -1;
    }
  }
}

void draw_pad(const ViewState& view, UiState& ui, Intents& intents, const StaffChoice& who) {
  widgets::text(ui, tr(Str::pin_for, who.name));
  ImGui::Spacing();

  // The dots, on a line of their own whose height does not jump as digits come and go: one
  // filled circle per digit typed, an outline for each of the first four still to type.
  const float r = font_radius();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const std::size_t slots = std::max(ui.pin_digits.size(), core::kMinPinDigits);
  for (std::size_t i = 0; i < slots; ++i) {
    const ImVec2 c(at.x + r + static_cast<float>(i) * r * 3.2f, at.y + r * 1.3f);
    if (i < ui.pin_digits.size())
      draw_list->AddCircleFilled(c, r, ImGui::GetColorU32(colors::text));
    else
      draw_list->AddCircle(c, r, ImGui::GetColorU32(colors::text_dim), 0, r * 0.25f);
  }
  if (!ui.pin_digits.empty()) widgets::record_text(ui, dots(ui.pin_digits.size()));
  ImGui::Dummy(ImVec2(r * 2.0f, r * 2.6f));

  // The line about the last try.
  const PinFeedback& fb = view.pin_feedback;
  const bool mine = fb.staff_id == who.id;
  const std::int64_t locked_until =
      std::max(who.locked_until_ms, mine ? fb.locked_until_ms : std::int64_t{0});
  const bool locked = ui.now_ms < locked_until;
  const bool answered = mine && fb.attempt == ui.pin_seen_attempt;
  // The PIN typed is being checked: the keys wait for the answer.
  const bool checking = mine && fb.checking;
  if (locked) {
    const core::PinAttempts a{0, 0, locked_until};
    widgets::text_colored(
        ui, colors::offline,
        tr(Str::pin_locked, std::to_string(core::lock_remaining_seconds(a, ui.now_ms))));
    // The countdown ticks once a second, and the pad unlocks on time.
    const std::int64_t next = ui.now_ms + (core::lock_remaining_ms(a, ui.now_ms) - 1) % 1000 + 1;
    if (!ui.next_label_change_ms || next < *ui.next_label_change_ms) ui.next_label_change_ms = next;
    ui.pin_digits.clear();
  } else if (answered && fb.refused) {
    widgets::text_colored(ui, colors::offline, tr(Str::pin_refused));
  } else if (answered && fb.wrong && fb.tries_left > 0) {
    widgets::text_colored(ui, colors::warning,
                          fb.tries_left == 1
                              ? std::string(tr(Str::pin_wrong_one))
                              : tr(Str::pin_wrong_many, std::to_string(fb.tries_left)));
  } else {
    ImGui::TextUnformatted(" ");
  }
  ImGui::Spacing();

  // Digits from a physical keyboard too.
  if (!locked && !checking) {
    const ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
      const ImWchar c = io.InputQueueCharacters[i];
      if (c >= '0' && c <= '9') type_digit(ui, static_cast<char>(c));
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Backspace) && !ui.pin_digits.empty()) ui.pin_digits.pop_back();
    if (ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeyPadEnter))
      submit(view, ui, intents);
  }

  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float key_w = (ImGui::GetContentRegionAvail().x - spacing * 2.0f) / 3.0f;
  const float key_h = std::max(touch_target_height() * 1.1f, 48.0f);
  const ImVec4 key_fill = ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
  ImGui::BeginDisabled(locked || checking);
  static constexpr const char* rows[4][3] = {
      {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"back", "0", "ok"}};
  for (const auto& row : rows) {
    for (int col = 0; col < 3; ++col) {
      if (col > 0) ImGui::SameLine();
      const std::string key = row[col];
      const std::string name = "pin:" + key;
      if (key == "back") {
        if (widgets::button(ui, name, tr(Str::pin_delete), ImVec2(key_w, key_h), key_fill,
                            colors::text_dim) &&
            !ui.pin_digits.empty())
          ui.pin_digits.pop_back();
      } else if (key == "ok") {
        const bool ready = ui.pin_digits.size() >= core::kMinPinDigits;
        ImGui::BeginDisabled(!ready);
        // Drawn as a plain key until there is a PIN to check, so it never looks tappable
        // while locked or empty; "Checking…" while the PIN typed is being checked.
        const std::string label(tr(checking ? Str::pin_checking : Str::pin_ok));
        const bool ok = ready ? widgets::button(ui, name, label, ImVec2(key_w, key_h))
                              : widgets::button(ui, name, label, ImVec2(key_w, key_h), key_fill,
                                                colors::text_dim);
        if (ok) submit(view, ui, intents);
        ImGui::EndDisabled();
      } else {
        ImGui::SetWindowFontScale(1.3f);
        if (widgets::button(ui, name, key, ImVec2(key_w, key_h), key_fill, colors::text))
          type_digit(ui, key[0]);
        ImGui::SetWindowFontScale(1.0f);
      }
    }
  }
  ImGui::EndDisabled();
}

}  // namespace

void open(UiState& ui, const std::string& then_escalate) {
  ui.pin_pad_open = true;
  ui.pin_staff_id.clear();
  ui.pin_digits.clear();
  ui.pin_then_escalate = then_escalate;
  ui.pin_then_report = false;
  ui.pin_then_leave = false;
  ui.pin_then_settings = false;
  ui.pin_seen_attempt = -1;
  ui.pin_managers_only = false;
}

void open_for_manager(UiState& ui) {
  open(ui);
  ui.pin_managers_only = true;
}

void open_then_report(UiState& ui) {
  open(ui);
  ui.pin_then_report = true;
}

void leave_app(const ViewState& view, UiState& ui, Intents& intents) {
  if (core::access_for(view.tapped_in, core::StaffAction::leave_app) == core::Access::allowed) {
    intents.emplace_back(RequestLeaveApp{});
    return;
  }
  if (ui.pin_pad_open && ui.pin_then_leave) return;
  open_for_manager(ui);
  ui.pin_then_leave = true;
}

void open_settings(const ViewState& view, UiState& ui) {
  if (core::access_for(view.tapped_in, core::StaffAction::open_settings) == core::Access::allowed) {
    ui.settings_open = true;
    return;
  }
  open_for_manager(ui);
  ui.pin_then_settings = true;
}

void close(UiState& ui) {
  ui.pin_pad_open = false;
  ui.pin_then_leave = false;
  ui.pin_then_settings = false;
  ui.pin_managers_only = false;
  ui.pin_staff_id.clear();
  ui.pin_digits.clear();
  ui.pin_then_escalate.clear();
  ui.pin_then_report = false;
  ui.pin_seen_attempt = -1;
}

void draw(const ViewState& view, UiState& ui, Intents& intents) {
  if (!ui.pin_pad_open) return;
  // Tapped in: carry on with what the pad was opened for.
  const bool done =
      view.tapped_in &&
      (ui.pin_managers_only ? view.tapped_in->role == core::StaffRole::manager &&
                                  (ui.pin_staff_id.empty() || view.tapped_in->id == ui.pin_staff_id)
                            : ui.pin_staff_id.empty() || view.tapped_in->id == ui.pin_staff_id);
  if (done) {
    const std::string then = ui.pin_then_escalate;
    const bool then_report = ui.pin_then_report;
    const bool then_leave = ui.pin_then_leave;
    const bool then_settings = ui.pin_then_settings;
    close(ui);
    ui.report_open = ui.report_open || then_report;
    ui.settings_open = ui.settings_open || then_settings;
    if (then_leave) intents.emplace_back(RequestLeaveApp{});
    if (ImGui::IsPopupOpen(popup_id) && ImGui::BeginPopupModal(popup_id)) {
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    // The severity and note were set by whoever opened the pad (the feed resets them; a
    // restored session keeps what was typed before the crash).
    if (!then.empty()) ui.dialog_mention_id = then;
    return;
  }
  // The chosen person left the list (disabled at head office meanwhile): choose again.
  if (!ui.pin_staff_id.empty() && find_choice(view, ui.pin_staff_id) == nullptr)
    ui.pin_staff_id.clear();
  if (!widgets::begin_modal(popup_id, 24.0f, 0.92f, 1.2f, 1.0f)) return;
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text(ui, tr(Str::pin_title));
  if (ui.heading_font != nullptr) ImGui::PopFont();
  ImGui::Spacing();

  if (const StaffChoice* who = find_choice(view, ui.pin_staff_id); who != nullptr) {
    draw_pad(view, ui, intents, *who);
  } else {
    draw_who(view, ui);
  }

  ImGui::Spacing();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float half = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  const ImVec4 fill = ImGui::GetStyle().Colors[ImGuiCol_FrameBg];
  bool closing = false;
  if (!ui.pin_staff_id.empty()) {
    if (widgets::button(ui, "pin:who", tr(Str::pin_not_you), ImVec2(half, touch_target_height()),
                        fill, colors::text_dim)) {
      ui.pin_staff_id.clear();
      ui.pin_digits.clear();
    }
    ImGui::SameLine();
  }
  const float cancel_w = ui.pin_staff_id.empty() ? ImGui::GetContentRegionAvail().x : half;
  if (widgets::button(ui, "pin:cancel", tr(Str::cancel), ImVec2(cancel_w, touch_target_height()),
                      fill, colors::text)) {
    close(ui);
    closing = true;
  }
  if (closing) ImGui::CloseCurrentPopup();
  widgets::end_modal();
}

}  // namespace kiosk::ui::pin_pad

#include "kiosk/ui/training_screen.h"

#include <imgui.h>

#include <string>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

// [SECTION] helpers
// [SECTION] the daily set
// [SECTION] lesson, quiz, result
// [SECTION] the contextual prompt

namespace kiosk::ui::training_screen {
namespace {

// [SECTION] helpers

void heading(UiState& ui, std::string_view text) {
  if (ui.heading_font != nullptr) ImGui::PushFont(ui.heading_font);
  widgets::text_wrapped(ui, text);
  if (ui.heading_font != nullptr) ImGui::PopFont();
}

std::string_view category_label(const std::string& category) {
  const auto key = key_from_name("category_" + category);
  return key ? tr(*key) : std::string_view(category);
}

// Why the lesson is in the set, in the screen's language; a set saved without its reason
// keeps the sentence it was saved with.
std::string why_label(UiState& ui, const LessonView& l) {
  if (!l.why_reason) return l.why_now;
  switch (*l.why_reason) {
    case core::PickReason::new_lesson:
      return std::string(tr(Str::why_new_lesson));
    case core::PickReason::lesson_updated:
      return std::string(tr(Str::why_lesson_updated));
    case core::PickReason::answered_wrong:
      return tr(Str::why_answered_wrong, widgets::age_label(ui, l.why_since_ms));
    case core::PickReason::answered_unsure:
      return tr(Str::why_answered_unsure, widgets::age_label(ui, l.why_since_ms));
    case core::PickReason::due_for_review:
      return tr(Str::why_due_for_review, widgets::age_label(ui, l.why_since_ms));
    case core::PickReason::matches_mention:
    case core::PickReason::matches_escalation:
      break;
  }
  return l.why_now;
}

void back_to_list(UiState& ui) {
  ui.training_step = TrainingStep::list;
  ui.training_open.reset();
  ui.training_choice = 0;
  ui.training_sure.reset();
}

void open_lesson(UiState& ui, const LessonView& lesson) {
  ui.training_open = lesson;
  ui.training_step = TrainingStep::lesson;
  ui.training_choice = 0;
  ui.training_sure.reset();
}

float full_width() {
  return ImGui::GetContentRegionAvail().x;
}

// [SECTION] the daily set

void draw_list(const ViewState& view, UiState& ui) {
  const TrainingView& t = view.training;
  heading(ui, tr(Str::training_for, view.tapped_in ? view.tapped_in->name : std::string()));
  if (t.done_today > 0)
    widgets::text_colored(ui, colors::text_dim,
                          tr(Str::training_done_today, std::to_string(t.done_today)));
  ImGui::Spacing();
  if (t.daily_set.empty()) {
    widgets::text_colored(ui, colors::online, tr(Str::training_all_done));
    return;
  }
  const float h = touch_target_height() * 1.3f;
  for (const LessonView& l : t.daily_set) {
    ImGui::PushID(l.id.c_str());
    if (widgets::button(ui, "lesson:" + l.id, l.title, ImVec2(full_width(), h), colors::card,
                        colors::text))
      open_lesson(ui, l);
    ImGui::PopID();
    const int minutes = std::max(1, (l.seconds + 59) / 60);
    widgets::text_colored(
        ui, colors::text_dim,
        tr(Str::training_minutes, std::to_string(minutes)) + " · " + why_label(ui, l));
    ImGui::Spacing();
  }
}

// [SECTION] lesson, quiz, result

void draw_lesson(const ViewState& view, UiState& ui, Intents& intents) {
  const LessonView& l = *ui.training_open;
  heading(ui, l.title);
  ImGui::Spacing();
  widgets::text_wrapped(ui, l.body);
  ImGui::Spacing();
  const float h = touch_target_height() * 1.15f;
  const float w = (full_width() - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (widgets::button(ui, "training_back", tr(Str::training_back), ImVec2(w, h), colors::card,
                      colors::text)) {
    back_to_list(ui);
    return;
  }
  ImGui::SameLine();
  if (!l.question.empty()) {
    if (widgets::button(ui, "quiz", tr(Str::training_take_quiz), ImVec2(w, h), colors::accent,
                        colors::on_accent))
      ui.training_step = TrainingStep::quiz;
  } else if (widgets::button(ui, "training_done", tr(Str::training_got_it), ImVec2(w, h),
                             colors::accent, colors::on_accent)) {
    // A lesson without a question is "got it", sure.
    if (view.tapped_in)
      intents.push_back(RequestTrainingAnswer{view.tapped_in->id, l.id, true, true});
    back_to_list(ui);
  }
}

void draw_quiz(const ViewState& view, UiState& ui, Intents& intents) {
  const LessonView& l = *ui.training_open;
  heading(ui, l.title);
  ImGui::Spacing();
  widgets::text_wrapped(ui, l.question);
  ImGui::Spacing();
  const float h = touch_target_height() * 1.15f;
  for (const auto& [key, text] : l.choices) {
    const bool chosen = ui.training_choice == key;
    const std::string name = std::string("choice:") + key;
    if (widgets::button(ui, name, std::string(1, key) + ")  " + text, ImVec2(full_width(), h),
                        chosen ? colors::accent : colors::card,
                        chosen ? colors::on_accent : colors::text))
      ui.training_choice = key;
  }
  ImGui::Spacing();
  widgets::text(ui, tr(Str::training_confidence));
  const float w = (full_width() - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const bool sure = ui.training_sure.value_or(false);
  const bool unsure = ui.training_sure.has_value() && !sure;
  if (widgets::button(ui, "confidence:sure", tr(Str::training_sure), ImVec2(w, h),
                      sure ? colors::accent : colors::card,
                      sure ? colors::on_accent : colors::text))
    ui.training_sure = true;
  ImGui::SameLine();
  if (widgets::button(ui, "confidence:unsure", tr(Str::training_unsure), ImVec2(w, h),
                      unsure ? colors::accent : colors::card,
                      sure ? colors::on_accent : colors::text))
    ui.training_sure = false;
  ImGui::Spacing();
  const bool ready = ui.training_choice != 0 && ui.training_sure.has_value();
  ImGui::BeginDisabled(!ready);
  const bool answered = widgets::button(ui, "answer", tr(Str::training_answer),
                                        ImVec2(full_width(), h), colors::accent, colors::on_accent);
  ImGui::EndDisabled();
  if (!answered || !ready) return;
  const bool correct = ui.training_choice == l.answer;
  if (view.tapped_in)
    intents.push_back(RequestTrainingAnswer{view.tapped_in->id, l.id, correct, *ui.training_sure});
  ui.training_last_correct = correct;
  ui.training_result_title = l.title;
  ui.training_result_answer.clear();
  for (const auto& [key, text] : l.choices)
    if (key == l.answer) ui.training_result_answer = text;
  ui.training_result_why = l.answer_why;
  ui.training_step = TrainingStep::result;
}

void draw_result(UiState& ui) {
  heading(ui, ui.training_result_title);
  ImGui::Spacing();
  widgets::text_colored(ui, ui.training_last_correct ? colors::online : colors::warning,
                        tr(ui.training_last_correct ? Str::training_right : Str::training_wrong));
  ImGui::Spacing();
  if (!ui.training_last_correct)
    widgets::text_wrapped(ui, tr(Str::training_right_answer, ui.training_result_answer));
  widgets::text_wrapped(ui, tr(Str::training_why, ui.training_result_why));
  ImGui::Spacing();
  if (widgets::button(ui, "training_done", tr(Str::training_continue),
                      ImVec2(full_width(), touch_target_height() * 1.15f), colors::accent,
                      colors::on_accent))
    back_to_list(ui);
}

}  // namespace

void draw(const ViewState& view, UiState& ui, Intents& intents, float height) {
  if (!ImGui::BeginChild("##training", ImVec2(0.0f, height), false,
                         ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::EndChild();
    return;
  }
  const TrainingView& t = view.training;
  if (!view.tapped_in) {
    widgets::text_colored(ui, colors::text_dim, tr(Str::training_nobody));
  } else if (!t.available) {
    widgets::text_colored(ui, colors::warning, tr(Str::training_unavailable, t.problem));
  } else if (ui.training_step == TrainingStep::list || !ui.training_open) {
    draw_list(view, ui);
  } else if (ui.training_step == TrainingStep::lesson) {
    draw_lesson(view, ui, intents);
  } else if (ui.training_step == TrainingStep::quiz) {
    draw_quiz(view, ui, intents);
  } else {
    draw_result(ui);
  }
  ImGui::EndChild();
}

// [SECTION] the contextual prompt

// The contextual prompt, or else the daily set's offer at shift start: one banner at a time.
float prompt_height(const ViewState& view) {
  const TrainingView& t = view.training;
  if (t.prompt_lesson_id.empty() && t.daily_offer_lessons == 0) return 0.0f;
  return ImGui::GetTextLineHeightWithSpacing() * 2.0f + touch_target_height() +
         ImGui::GetStyle().ItemSpacing.y * 3.0f;
}

namespace {

void draw_daily_offer(const ViewState& view, UiState& ui, Intents& intents) {
  const TrainingView& t = view.training;
  widgets::text_colored(ui, colors::accent,
                        tr(Str::training_for, view.tapped_in ? view.tapped_in->name : ""));
  const int minutes = std::max(1, (t.daily_offer_seconds + 59) / 60);
  widgets::text(ui, tr(Str::daily_offer_text, std::to_string(minutes)));
  const float h = touch_target_height();
  const float w = ImGui::GetFontSize() * 9.0f;
  if (widgets::button(ui, "daily:start", tr(Str::daily_offer_start), ImVec2(w, h), colors::accent,
                      colors::on_accent)) {
    intents.push_back(RequestCloseDailyOffer{});
    ui.screen = Screen::training;
    back_to_list(ui);
  }
  ImGui::SameLine();
  if (widgets::button(ui, "daily:later", tr(Str::daily_offer_later), ImVec2(w, h), colors::bar,
                      colors::text))
    intents.push_back(RequestCloseDailyOffer{});
}

}  // namespace

void draw_prompt(const ViewState& view, UiState& ui, Intents& intents) {
  const TrainingView& t = view.training;
  if (prompt_height(view) <= 0.0f) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, colors::card);
  ImGui::BeginChild("##prompt", ImVec2(0.0f, prompt_height(view)), false,
                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar);
  if (t.prompt_lesson_id.empty()) {
    draw_daily_offer(view, ui, intents);
    ImGui::EndChild();
    ImGui::PopStyleColor();
    return;
  }
  widgets::text_colored(ui, colors::warning,
                        tr(Str::prompt_text, category_label(t.prompt_category)));
  widgets::text(ui, t.prompt_title);
  const float h = touch_target_height();
  const float w = ImGui::GetFontSize() * 9.0f;
  if (widgets::button(ui, "prompt:open", tr(Str::prompt_open), ImVec2(w, h), colors::accent,
                      colors::on_accent)) {
    intents.push_back(RequestOpenPrompt{});
    if (t.prompt_lesson) {
      ui.screen = Screen::training;
      open_lesson(ui, *t.prompt_lesson);
    }
  }
  ImGui::SameLine();
  if (widgets::button(ui, "prompt:dismiss", tr(Str::prompt_dismiss), ImVec2(w, h), colors::bar,
                      colors::text))
    intents.push_back(RequestDismissPrompt{});
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

}  // namespace kiosk::ui::training_screen

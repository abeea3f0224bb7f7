#pragma once
// When a lesson comes back: Leitner boxes per member of staff and lesson, moved by the
// answer AND the confidence given with it, a daily set at the first tap-in of the day, and
// contextual prompts when a mention or escalation arrives in a lesson's category.
//
// Pure: the clock reads nothing itself (now_ms is passed in), progress and prompt state go
// in and come back out, so the store keeps them and tests step time.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/category.h"
#include "kiosk/core/training_pack.h"

namespace kiosk::core {

inline constexpr std::int64_t kMsPerHour = 3'600'000;
inline constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;

struct QuizAnswer {
  bool correct = false;
  bool sure = false;  // the member of staff said "sure" rather than "unsure"
};

// One member of staff on one lesson.
struct LessonProgress {
  int lesson_version = 0;   // version last answered (a newer version comes back early)
  int box = 0;              // 0: never answered; 1..rules.box_days.size()
  std::int64_t due_ms = 0;  // start of the store's local day it is due again
  std::int64_t first_answered_ms = 0;
  std::int64_t last_answered_ms = 0;
  bool last_correct = false;
  bool last_sure = false;
  int answered = 0;  // totals, for HQ's report
  int correct = 0;
  int sure = 0;
};

using StaffProgress = std::map<std::string, LessonProgress>;  // by lesson id

struct TrainingRules {
  // Days until a lesson in box 1, 2, ... is due again. Right and sure moves a box up; right
  // but unsure moves one down; wrong goes back to box 1.
  std::vector<int> box_days = {1, 3, 7, 14, 30};
  int utc_offset_minutes = 0;      // the store's local day (due dates, "first tap-in today")
  int daily_target_seconds = 150;  // the daily set fills about this much...
  int daily_max_seconds = 180;     // ...and never more (a single long lesson still fits)
  int new_lessons_per_day = 2;     // lessons never seen before, per daily set
  int prompts_per_hour = 3;        // contextual prompts, sliding hour
  std::int64_t same_lesson_cooldown_ms = 4 * kMsPerHour;  // a lesson is not offered twice within
  std::int64_t dismissed_snooze_ms = 24 * kMsPerHour;     // nor again soon once dismissed
};

// The store's local day number (days since 1970-01-01 local time).
std::int64_t local_day(std::int64_t ms, int utc_offset_minutes);
// True when no tap-in happened earlier the same local day: the daily set is due.
bool first_tap_in_of_day(std::optional<std::int64_t> previous_tap_in_ms, std::int64_t now_ms,
                         const TrainingRules& rules);

// The progress after an answer (a lesson without a question is answered "got it": correct,
// with the confidence the member of staff gave).
LessonProgress record_answer(LessonProgress progress, int lesson_version, QuizAnswer answer,
                             std::int64_t now_ms, const TrainingRules& rules);

enum class PickReason {
  answered_wrong,      // last answer was wrong
  answered_unsure,     // last answer was right but unsure
  lesson_updated,      // HQ published a newer version since it was answered
  due_for_review,      // its box's interval has passed
  new_lesson,          // never answered
  matches_mention,     // contextual: a new mention in its category
  matches_escalation,  // contextual: a new escalation in its category
};
std::string_view to_string(PickReason r);
std::optional<PickReason> parse_pick_reason(std::string_view s);

// A lesson to show and why: `why` in English for the command line; the window says the same
// in the staff member's language from `lesson_reason` and `last_answered_ms`.
struct Pick {
  std::string lesson_id;
  PickReason reason = PickReason::new_lesson;
  std::string why;
  int box = 0;
  int seconds = 0;  // reading_seconds of the lesson
  // Where the lesson itself stands (`reason` without the contextual matches_*), and when the
  // answer the why speaks of was given (0: never answered).
  PickReason lesson_reason = PickReason::new_lesson;
  std::int64_t last_answered_ms = 0;
};

// The set for the first tap-in of the day: wrong answers first, then unsure ones, updated
// lessons, other due reviews (most overdue first), then a few new lessons, filling about
// daily_target_seconds. Empty when nothing is due and every lesson has been seen.
std::vector<Pick> daily_set(const TrainingPack& pack, const StaffProgress& progress,
                            std::int64_t now_ms, const TrainingRules& rules,
                            std::string_view language = "en");

struct NextLesson {
  std::optional<Pick> pick;                 // what the scheduler would show now
  std::string why;                          // the pick's why, or why there is nothing
  std::optional<std::int64_t> next_due_ms;  // when nothing is due: when the next one is
};
NextLesson next(const TrainingPack& pack, const StaffProgress& progress, std::int64_t now_ms,
                const TrainingRules& rules, std::string_view language = "en");

// [Idle tips] The lessons' one-line tips in this language (else English), in the pack's
// order, each lesson once; the idle screen shows one per slot of its rotation.
std::vector<std::string> idle_tips(const TrainingPack& pack, std::string_view language);

// [Contextual prompts]
struct ContextEvent {
  enum class Kind { mention, escalation };
  Kind kind = Kind::mention;
  Category category = Category::other;
  std::string item_id;  // the mention or escalation, so the prompt can point at it
};

struct ContextPrompt {
  Pick pick;
  std::string item_id;
  std::int64_t shown_ms = 0;
};

// Per terminal; the store keeps it between events.
struct ContextualState {
  std::vector<std::int64_t> shown_ms;                // prompts shown within the last hour
  std::map<std::string, std::int64_t> offered_ms;    // lesson id -> last offered
  std::map<std::string, std::int64_t> dismissed_ms;  // lesson id -> last dismissed
  std::optional<ContextPrompt> open;                 // the prompt on screen, if any
};

struct ContextualDecision {
  ContextualState state;
  std::optional<ContextPrompt> prompt;  // set when a prompt is to be shown now
  std::string why;                      // why this lesson, or why no prompt
};

// A new mention or escalation arrived. Offers the best matching lesson unless an urgent
// item is open, a prompt is already on screen, prompts_per_hour were shown in the last
// hour, or every matching lesson was offered or dismissed recently.
ContextualDecision on_context_event(ContextualState state, const ContextEvent& event,
                                    bool urgent_item_open, const TrainingPack& pack,
                                    const StaffProgress& progress, std::int64_t now_ms,
                                    const TrainingRules& rules, std::string_view language = "en");
// One tap on "not now": the prompt goes and its lesson is not offered again for a while.
ContextualState dismiss_prompt(ContextualState state, std::int64_t now_ms);
// The prompt goes without a snooze: the lesson was opened, or an urgent item took the screen.
ContextualState close_prompt(ContextualState state);

}  // namespace kiosk::core

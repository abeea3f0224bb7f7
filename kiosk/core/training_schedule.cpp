// Leitner scheduling: [1] days and answers, [2] ranking what is due, [3] the daily set,
// next() and idle tips, [4] contextual prompts.
#include "kiosk/core/training_schedule.h"

#include <algorithm>

#include "kiosk/core/time_format.h"

namespace kiosk::core {
namespace {

std::int64_t offset_ms(int utc_offset_minutes) {
  return static_cast<std::int64_t>(utc_offset_minutes) * 60'000;
}

std::int64_t day_start_ms(std::int64_t day, int utc_offset_minutes) {
  return day * kMsPerDay - offset_ms(utc_offset_minutes);
}

// [2] Where a lesson stands for one member of staff, best first. Each candidate is one
// lesson with a reason and a rank.
struct Candidate {
  Pick pick;
  int rank = 0;
  std::int64_t order = 0;  // within a rank: earlier due (or pack order for new ones) first
};

std::optional<Candidate> classify(const Lesson& lesson, std::size_t pack_index,
                                  const StaffProgress& progress, std::int64_t now_ms,
                                  bool include_not_due) {
  Candidate c;
  c.pick.lesson_id = lesson.id;
  c.pick.seconds = reading_seconds(lesson);
  const auto it = progress.find(lesson.id);
  if (it == progress.end() || it->second.box == 0) {
    c.pick.reason = PickReason::new_lesson;
    c.pick.why = "New to you: you have not taken this lesson yet.";
    c.rank = 4;
    c.order = static_cast<std::int64_t>(pack_index);
    return c;
  }
  const LessonProgress& p = it->second;
  c.pick.box = p.box;
  c.pick.last_answered_ms = p.last_answered_ms;
  c.order = p.due_ms;
  const std::string when = time_ago(now_ms, p.last_answered_ms);
  if (lesson.version > p.lesson_version) {
    c.pick.reason = PickReason::lesson_updated;
    c.pick.lesson_reason = c.pick.reason;
    c.pick.why = "Head office updated this lesson (version " + std::to_string(lesson.version) +
                 "; you answered version " + std::to_string(p.lesson_version) + ").";
    c.rank = 2;
    return c;
  }
  const bool due = p.due_ms <= now_ms;
  if (!due && !include_not_due) return std::nullopt;
  if (!p.last_correct) {
    c.pick.reason = PickReason::answered_wrong;
    c.pick.why = "You answered this wrongly " + when + "; it comes back until you get it right.";
    c.rank = 0;
  } else if (!p.last_sure) {
    c.pick.reason = PickReason::answered_unsure;
    c.pick.why = "You got this right " + when + " but were unsure; it comes back until you are.";
    c.rank = 1;
  } else {
    c.pick.reason = PickReason::due_for_review;
    c.pick.why =
        "Due for review: you were right and sure " + when + " (box " + std::to_string(p.box) + ").";
    c.rank = 3;
  }
  if (!due) c.rank += 5;  // contextual prompts may still offer it, after every due one
  c.pick.lesson_reason = c.pick.reason;
  return c;
}

// One lesson per id, in the language asked for when there is one.
std::vector<const Lesson*> lessons_in(const TrainingPack& pack, std::string_view language) {
  std::vector<const Lesson*> out;
  for (const auto& id : pack.ids()) out.push_back(pack.find(id, language));
  return out;
}

void sort_candidates(std::vector<Candidate>& cs) {
  std::stable_sort(cs.begin(), cs.end(), [](const Candidate& a, const Candidate& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
  });
}

// Due lessons best first; new ones only up to what today's allowance has left.
std::vector<Candidate> due_candidates(const TrainingPack& pack, const StaffProgress& progress,
                                      std::int64_t now_ms, const TrainingRules& rules,
                                      std::string_view language) {
  const std::int64_t today = local_day(now_ms, rules.utc_offset_minutes);
  int new_left = rules.new_lessons_per_day;
  for (const auto& [id, p] : progress)
    if (p.box > 0 && local_day(p.first_answered_ms, rules.utc_offset_minutes) == today) --new_left;
  std::vector<Candidate> out;
  const auto lessons = lessons_in(pack, language);
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    auto c = classify(*lessons[i], i, progress, now_ms, false);
    if (!c) continue;
    if (c->pick.reason == PickReason::new_lesson) {
      if (new_left <= 0) continue;
      --new_left;
    }
    out.push_back(std::move(*c));
  }
  sort_candidates(out);
  return out;
}

std::string category_words(Category c) {
  std::string s(to_string(c));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

}  // namespace

// [1]
std::int64_t local_day(std::int64_t ms, int utc_offset_minutes) {
  const std::int64_t local = ms + offset_ms(utc_offset_minutes);
  return local >= 0 ? local / kMsPerDay : -((-local + kMsPerDay - 1) / kMsPerDay);
}

bool first_tap_in_of_day(std::optional<std::int64_t> previous_tap_in_ms, std::int64_t now_ms,
                         const TrainingRules& rules) {
  if (!previous_tap_in_ms) return true;
  return local_day(*previous_tap_in_ms, rules.utc_offset_minutes) <
         local_day(now_ms, rules.utc_offset_minutes);
}

LessonProgress record_answer(LessonProgress p, int lesson_version, QuizAnswer answer,
                             std::int64_t now_ms, const TrainingRules& rules) {
  const int boxes = std::max(1, static_cast<int>(rules.box_days.size()));
  if (p.box == 0 || p.first_answered_ms == 0) p.first_answered_ms = now_ms;
  if (!answer.correct)
    p.box = 1;
  else if (answer.sure)
    p.box = std::min(p.box == 0 ? 2 : p.box + 1, boxes);  // new and already sure: skip box 1
  else
    p.box = std::max(1, p.box - 1);
  const int days = rules.box_days.empty() ? 1 : rules.box_days[static_cast<std::size_t>(p.box - 1)];
  p.due_ms =
      day_start_ms(local_day(now_ms, rules.utc_offset_minutes) + days, rules.utc_offset_minutes);
  p.lesson_version = lesson_version;
  p.last_answered_ms = now_ms;
  p.last_correct = answer.correct;
  p.last_sure = answer.sure;
  ++p.answered;
  if (answer.correct) ++p.correct;
  if (answer.sure) ++p.sure;
  return p;
}

std::string_view to_string(PickReason r) {
  switch (r) {
    case PickReason::answered_wrong:
      return "answered_wrong";
    case PickReason::answered_unsure:
      return "answered_unsure";
    case PickReason::lesson_updated:
      return "lesson_updated";
    case PickReason::due_for_review:
      return "due_for_review";
    case PickReason::new_lesson:
      return "new_lesson";
    case PickReason::matches_mention:
      return "matches_mention";
    case PickReason::matches_escalation:
      return "matches_escalation";
  }
  return "new_lesson";
}

std::optional<PickReason> parse_pick_reason(std::string_view s) {
  for (const PickReason r :
       {PickReason::answered_wrong, PickReason::answered_unsure, PickReason::lesson_updated,
        PickReason::due_for_review, PickReason::new_lesson, PickReason::matches_mention,
        PickReason::matches_escalation})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

// [3]
std::vector<Pick> daily_set(const TrainingPack& pack, const StaffProgress& progress,
                            std::int64_t now_ms, const TrainingRules& rules,
                            std::string_view language) {
  std::vector<Pick> out;
  int total = 0;
  for (auto& c : due_candidates(pack, progress, now_ms, rules, language)) {
    if (total >= rules.daily_target_seconds) break;
    if (!out.empty() && total + c.pick.seconds > rules.daily_max_seconds) continue;
    total += c.pick.seconds;
    out.push_back(std::move(c.pick));
  }
  return out;
}

NextLesson next(const TrainingPack& pack, const StaffProgress& progress, std::int64_t now_ms,
                const TrainingRules& rules, std::string_view language) {
  NextLesson out;
  auto cs = due_candidates(pack, progress, now_ms, rules, language);
  if (!cs.empty()) {
    out.why = cs.front().pick.why;
    out.pick = std::move(cs.front().pick);
    return out;
  }
  for (const auto& id : pack.ids())
    if (const auto it = progress.find(id); it != progress.end() && it->second.box > 0)
      if (!out.next_due_ms || it->second.due_ms < *out.next_due_ms)
        out.next_due_ms = it->second.due_ms;
  if (pack.ids().empty()) {
    out.why = "No training pack is installed.";
  } else if (out.next_due_ms) {
    const std::int64_t days = local_day(*out.next_due_ms, rules.utc_offset_minutes) -
                              local_day(now_ms, rules.utc_offset_minutes);
    out.why = "Nothing due now: the next review comes back in " + std::to_string(days) +
              (days == 1 ? " day" : " days") +
              " (new lessons: " + std::to_string(rules.new_lessons_per_day) + " a day).";
  } else {
    out.why = "Nothing due now.";
  }
  return out;
}

std::vector<std::string> idle_tips(const TrainingPack& pack, std::string_view language) {
  std::vector<std::string> tips;
  for (const Lesson* l : lessons_in(pack, language)) {
    if (!l) continue;
    // A translation without a tip shows the English one rather than dropping the lesson's.
    if (l->tip.empty()) l = pack.find(l->id, "en");
    if (l && !l->tip.empty()) tips.push_back(l->tip);
  }
  return tips;
}

// [4]
ContextualDecision on_context_event(ContextualState state, const ContextEvent& event,
                                    bool urgent_item_open, const TrainingPack& pack,
                                    const StaffProgress& progress, std::int64_t now_ms,
                                    const TrainingRules& rules, std::string_view language) {
  const auto hour_ago = now_ms - kMsPerHour;
  std::erase_if(state.shown_ms, [&](std::int64_t t) { return t <= hour_ago; });
  std::erase_if(state.offered_ms, [&](const auto& kv) {
    return kv.second <= now_ms - rules.same_lesson_cooldown_ms;
  });
  std::erase_if(state.dismissed_ms,
                [&](const auto& kv) { return kv.second <= now_ms - rules.dismissed_snooze_ms; });
  ContextualDecision d;
  const std::string what = event.kind == ContextEvent::Kind::mention ? "mention" : "escalation";
  const std::string cat = category_words(event.category);
  if (urgent_item_open) {
    d.why = "An urgent item is open: no training prompt until it is handled.";
  } else if (state.open) {
    d.why = "A training prompt is already on screen.";
  } else if (static_cast<int>(state.shown_ms.size()) >= rules.prompts_per_hour) {
    d.why = "Already " + std::to_string(state.shown_ms.size()) +
            " training prompts in the last hour (at most " +
            std::to_string(rules.prompts_per_hour) + ").";
  } else {
    std::vector<Candidate> cs;
    bool any_match = false;
    const auto lessons = lessons_in(pack, language);
    for (std::size_t i = 0; i < lessons.size(); ++i) {
      const Lesson& l = *lessons[i];
      if (std::find(l.categories.begin(), l.categories.end(), event.category) == l.categories.end())
        continue;
      any_match = true;
      if (state.offered_ms.count(l.id) || state.dismissed_ms.count(l.id)) continue;
      if (auto c = classify(l, i, progress, now_ms, true)) {
        if (c->rank == 4) c->rank = 2;  // for a prompt, an untaken lesson beats a review
        cs.push_back(std::move(*c));
      }
    }
    sort_candidates(cs);
    if (cs.empty()) {
      d.why = any_match ? "Every " + cat + " lesson was offered or dismissed recently."
                        : "No lesson is about " + cat + ".";
    } else {
      Candidate& c = cs.front();
      c.pick.why = "A new " + cat + " " + what + " just arrived, and this lesson is about " + cat +
                   ". " + c.pick.why;
      c.pick.reason = event.kind == ContextEvent::Kind::mention ? PickReason::matches_mention
                                                                : PickReason::matches_escalation;
      d.why = c.pick.why;
      ContextPrompt prompt{std::move(c.pick), event.item_id, now_ms};
      state.shown_ms.push_back(now_ms);
      state.offered_ms[prompt.pick.lesson_id] = now_ms;
      state.open = prompt;
      d.prompt = std::move(prompt);
    }
  }
  d.state = std::move(state);
  return d;
}

ContextualState dismiss_prompt(ContextualState state, std::int64_t now_ms) {
  if (state.open) state.dismissed_ms[state.open->pick.lesson_id] = now_ms;
  state.open.reset();
  return state;
}

ContextualState close_prompt(ContextualState state) {
  state.open.reset();
  return state;
}

}  // namespace kiosk::core

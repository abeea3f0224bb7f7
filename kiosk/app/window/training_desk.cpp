#include "kiosk/app/window/training_desk.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "kiosk/core/utf8.h"
#include "kiosk/ui/model/strings.h"

namespace kiosk::app {
namespace {

using json = nlohmann::json;
constexpr const char* kStateKey = "training.contextual";
// Per member of staff: today's daily set, chosen at their first tap-in of the day.
constexpr const char* kDailyKeyPrefix = "training.daily.";

// A pick saved before the reason was kept has only its English sentence: it is marked with
// a contextual reason, which the screen does not translate, so that sentence is shown.
void read_reason(const json& saved, core::Pick& pick) {
  pick.lesson_reason = core::parse_pick_reason(saved.value("reason", ""))
                           .value_or(core::PickReason::matches_mention);
  pick.last_answered_ms = saved.value("last_answered_ms", std::int64_t{0});
}

}  // namespace

TrainingDesk::TrainingDesk(std::string pack_dir, std::optional<core::StaffMember> staff,
                           std::string kiosk_language, const core::Lexicon* lexicon)
    : pack_dir_(std::move(pack_dir)),
      staff_(std::move(staff)),
      kiosk_language_(std::move(kiosk_language)),
      lexicon_(lexicon) {}

std::string TrainingDesk::language() const {
  if (staff_ && !staff_->language.empty()) return staff_->language;
  return kiosk_language_.empty() ? std::string("en") : kiosk_language_;
}

// A received pack replaces the bundled one only when its version moves, so a rebuild of the
// view does not read and check every lesson file again.
void TrainingDesk::load_pack(store::Store& store) {
  const auto received = store.received_pack(pack_name_of_dir(pack_dir_));
  const std::int64_t version = received ? received->version : 0;
  if (pack_version_ == version && (pack_ || !pack_error_.empty())) return;
  pack_version_ = version;
  pack_error_.clear();
  pack_ = load_active_pack(store, pack_dir_, pack_error_);
}

void TrainingDesk::load_state(store::Store& store) {
  if (state_loaded_) return;
  state_loaded_ = true;
  const auto text = store.setting(kStateKey);
  if (!text) return;
  const json j = json::parse(*text, nullptr, false);
  if (!j.is_object()) return;  // unreadable: start again, it only snoozes prompts
  seen_received_ms_ = j.value("seen_received_ms", std::int64_t{-1});
  seen_escalation_ms_ = j.value("seen_escalation_ms", std::int64_t{-1});
  // Each list is copied out before it is walked: items() of a temporary would dangle.
  const json shown = j.value("shown_ms", json::array());
  for (const auto& t : shown)
    if (t.is_number_integer()) context_.shown_ms.push_back(t.get<std::int64_t>());
  const json offered = j.value("offered_ms", json::object());
  for (const auto& [k, v] : offered.items())
    if (v.is_number_integer()) context_.offered_ms[k] = v.get<std::int64_t>();
  const json dismissed = j.value("dismissed_ms", json::object());
  for (const auto& [k, v] : dismissed.items())
    if (v.is_number_integer()) context_.dismissed_ms[k] = v.get<std::int64_t>();
  if (j.contains("open") && j["open"].is_object()) {
    const json& o = j["open"];
    core::ContextPrompt p;
    p.pick.lesson_id = o.value("lesson_id", "");
    p.pick.why = o.value("why", "");
    read_reason(o, p.pick);
    p.item_id = o.value("item_id", "");
    p.shown_ms = o.value("shown_ms", std::int64_t{0});
    prompt_category_ = o.value("category", "");
    if (!p.pick.lesson_id.empty()) context_.open = p;
  }
}

void TrainingDesk::save_state(store::Store& store) {
  json j{{"seen_received_ms", seen_received_ms_},
         {"seen_escalation_ms", seen_escalation_ms_},
         {"shown_ms", context_.shown_ms},
         {"offered_ms", context_.offered_ms},
         {"dismissed_ms", context_.dismissed_ms}};
  if (context_.open)
    j["open"] = {{"lesson_id", context_.open->pick.lesson_id},
                 {"why", context_.open->pick.why},
                 {"reason", core::to_string(context_.open->pick.lesson_reason)},
                 {"last_answered_ms", context_.open->pick.last_answered_ms},
                 {"item_id", context_.open->item_id},
                 {"shown_ms", context_.open->shown_ms},
                 {"category", prompt_category_}};
  store.save_setting(kStateKey, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

// An urgent item is open while an escalation of high or critical severity is not resolved:
// no lesson is offered then, and one on screen goes.
bool TrainingDesk::is_urgent(const core::Escalation& e) {
  return e.status != core::EscalationStatus::resolved &&
         (e.severity == core::Severity::high || e.severity == core::Severity::critical);
}

void TrainingDesk::watch(store::Store& store, std::int64_t now_ms,
                         const core::StaffProgress& progress) {
  const auto escalations = store.escalations();  // oldest first
  bool urgent = false;
  std::int64_t newest_escalation_ms = 0;
  for (const auto& e : escalations) {
    urgent = urgent || is_urgent(e);
    newest_escalation_ms = std::max(newest_escalation_ms, e.created_at_ms);
  }
  urgent_open_ = urgent;
  bool changed = false;
  if (urgent && context_.open) {
    context_ = core::close_prompt(std::move(context_));
    changed = true;
  }
  if (seen_received_ms_ < 0 || seen_escalation_ms_ < 0) {
    // The first look on this terminal: what is already here is not news.
    seen_received_ms_ = std::max(seen_received_ms_, store.latest_received_ms());
    seen_escalation_ms_ = std::max(seen_escalation_ms_, newest_escalation_ms);
    save_state(store);
    return;
  }
  // The lexicon comes after the window's first frame: new items wait for it (the rebuild
  // that brings the chips' counts looks again), none is passed over unseen.
  if (!lexicon_) {
    if (changed) save_state(store);
    return;
  }
  const auto rules = local_training_rules(now_ms);
  // One new item: its category from triage of the post, then the core's policy.
  const auto offer = [&](core::ContextEvent::Kind kind, const core::Mention& mention,
                         const std::string& item_id, bool item_urgent) {
    if (!pack_) return;
    const core::Triage t =
        core::triage(*lexicon_, {core::repair_utf8(mention.text), mention.rating, mention.reach});
    // The post itself may be the urgent item: then it is not the moment for a lesson.
    const bool urgent_now = urgent || item_urgent || t.urgency == core::Urgency::urgent;
    auto decision =
        core::on_context_event(std::move(context_), {kind, t.category, item_id}, urgent_now,
                               pack_->pack, progress, now_ms, rules, language());
    context_ = std::move(decision.state);
    if (decision.prompt) prompt_category_ = std::string(core::to_string(t.category));
  };
  for (const auto& [mention, received_ms] : store.mentions_received_after(seen_received_ms_, 50)) {
    seen_received_ms_ = std::max(seen_received_ms_, received_ms);
    changed = true;
    offer(core::ContextEvent::Kind::mention, mention, mention.id, false);
  }
  for (const auto& e : escalations) {
    if (e.created_at_ms <= seen_escalation_ms_) continue;
    changed = true;
    if (const auto mention = store.mention(e.mention_id))
      offer(core::ContextEvent::Kind::escalation, *mention, e.id, is_urgent(e));
  }
  seen_escalation_ms_ = std::max(seen_escalation_ms_, newest_escalation_ms);
  if (changed) save_state(store);
}

ui::LessonView TrainingDesk::lesson_view(const core::Lesson& l, const core::Pick& pick,
                                         int seconds) const {
  ui::LessonView v;
  v.id = l.id;
  v.version = l.version;
  v.title = l.title;
  v.body = l.body;
  v.why_now = pick.why;
  // The screen says it in its own language; a contextual prompt's banner already names the
  // category, so the lesson's own standing is what is left to say.
  if (pick.lesson_reason != core::PickReason::matches_mention &&
      pick.lesson_reason != core::PickReason::matches_escalation)
    v.why_reason = pick.lesson_reason;
  v.why_since_ms = pick.last_answered_ms;
  v.seconds = seconds;
  if (l.quiz) {
    v.question = l.quiz->question;
    v.choices = l.quiz->choices;
    v.answer = l.quiz->answer;
    v.answer_why = l.quiz->why;
  }
  return v;
}

void TrainingDesk::fill(store::Store& store, std::int64_t now_ms, ui::ViewState& view) {
  staff_ = view.tapped_in;  // whoever the window's session has tapped in
  load_pack(store);
  load_state(store);
  ui::TrainingView& t = view.training;
  if (!pack_) {
    t.problem = pack_error_;
    return;
  }
  const std::string staff_id = staff_ ? staff_->id : std::string();
  const auto progress = store.training_progress(staff_id);
  watch(store, now_ms, progress);
  if (context_.open) {
    if (const core::Lesson* l = pack_->pack.find(context_.open->pick.lesson_id, language())) {
      t.prompt_lesson_id = l->id;
      t.prompt_title = l->title;
      t.prompt_category = prompt_category_;
      t.prompt_lesson = lesson_view(*l, context_.open->pick, core::reading_seconds(*l));
    }
  }
  t.idle_tips = core::idle_tips(pack_->pack, language());
  if (!staff_) return;
  t.available = true;
  const auto rules = local_training_rules(now_ms);
  const auto today = core::local_day(now_ms, rules.utc_offset_minutes);
  const auto done_today = [&](const std::string& id) {
    const auto it = progress.find(id);
    return it != progress.end() && it->second.answered > 0 &&
           core::local_day(it->second.last_answered_ms, rules.utc_offset_minutes) == today;
  };
  for (const auto& [id, p] : progress) t.done_today += done_today(id) ? 1 : 0;
  const DailySet daily = todays_set(store, staff_id, progress, now_ms);
  for (const core::Pick& p : daily.picks) {
    if (done_today(p.lesson_id)) continue;  // taken today: the set shrinks as staff work
    if (const core::Lesson* l = pack_->pack.find(p.lesson_id, language()))
      t.daily_set.push_back(lesson_view(*l, p, p.seconds));
  }
  // Offered once at shift start, but not over a contextual prompt or an urgent item.
  if (!daily.offer_closed && !context_.open && !urgent_open_ && !t.daily_set.empty()) {
    t.daily_offer_lessons = static_cast<int>(t.daily_set.size());
    for (const auto& l : t.daily_set) t.daily_offer_seconds += l.seconds;
  }
}

// The set is chosen once, at the member's first tap-in of the store's local day, and kept:
// taking a lesson must not pull in another, and a lesson that became due at noon waits for
// tomorrow's set rather than growing today's.
TrainingDesk::DailySet TrainingDesk::todays_set(store::Store& store, const std::string& staff_id,
                                                const core::StaffProgress& progress,
                                                std::int64_t now_ms) {
  const auto rules = local_training_rules(now_ms);
  const std::string key = kDailyKeyPrefix + staff_id;
  DailySet set;
  if (const auto text = store.setting(key)) {
    const json j = json::parse(*text, nullptr, false);
    const auto chosen_ms = j.is_object() ? j.value("chosen_ms", std::int64_t{-1}) : -1;
    if (chosen_ms >= 0 && !core::first_tap_in_of_day(chosen_ms, now_ms, rules)) {
      set.chosen_ms = chosen_ms;
      set.offer_closed = j.value("offer_closed", false);
      const json picks = j.value("picks", json::array());
      for (const auto& p : picks) {
        if (!p.is_object()) continue;
        core::Pick pick;
        pick.lesson_id = p.value("lesson_id", "");
        pick.why = p.value("why", "");
        pick.seconds = p.value("seconds", 0);
        read_reason(p, pick);
        if (!pick.lesson_id.empty()) set.picks.push_back(std::move(pick));
      }
      return set;
    }
  }
  set.chosen_ms = now_ms;
  set.picks = core::daily_set(pack_->pack, progress, now_ms, rules, language());
  save_todays_set(store, staff_id, set);
  return set;
}

void TrainingDesk::save_todays_set(store::Store& store, const std::string& staff_id,
                                   const DailySet& set) {
  json picks = json::array();
  for (const auto& p : set.picks)
    picks.push_back({{"lesson_id", p.lesson_id},
                     {"why", p.why},
                     {"seconds", p.seconds},
                     {"reason", core::to_string(p.lesson_reason)},
                     {"last_answered_ms", p.last_answered_ms}});
  const json j{{"chosen_ms", set.chosen_ms}, {"offer_closed", set.offer_closed}, {"picks", picks}};
  store.save_setting(kDailyKeyPrefix + staff_id,
                     j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void TrainingDesk::close_daily_offer(store::Store& store, std::int64_t now_ms) {
  if (!staff_ || !pack_) return;
  DailySet set = todays_set(store, staff_->id, store.training_progress(staff_->id), now_ms);
  set.offer_closed = true;
  save_todays_set(store, staff_->id, set);
}

std::string TrainingDesk::apply(const ui::Intents& intents, store::Store& store,
                                std::int64_t now_ms) {
  std::string error;
  for (const auto& intent : intents) {
    try {
      if (const auto* a = std::get_if<ui::RequestTrainingAnswer>(&intent)) {
        const core::Lesson* l = pack_ ? pack_->pack.find(a->lesson_id, language()) : nullptr;
        if (!l) {
          error = ui::tr(ui::Str::answer_lesson_gone, a->lesson_id);
          continue;
        }
        auto r = record_training_answer(store, *l, a->staff_id, a->correct, a->sure, now_ms);
        if (!r) error = ui::tr(ui::Str::answer_not_saved, r.error());
      } else if (std::holds_alternative<ui::RequestOpenPrompt>(intent)) {
        context_ = core::close_prompt(std::move(context_));
        save_state(store);
      } else if (std::holds_alternative<ui::RequestCloseDailyOffer>(intent)) {
        close_daily_offer(store, now_ms);
      } else if (std::holds_alternative<ui::RequestDismissPrompt>(intent)) {
        context_ = core::dismiss_prompt(std::move(context_), now_ms);
        save_state(store);
      } else if (const auto* r = std::get_if<ui::RequestSuggestReply>(&intent)) {
        auto id = suggest_reply(store, r->mention_id, r->text, r->staff_id, now_ms);
        if (!id) error = "Reply not sent: " + id.error();
      }
    } catch (const std::exception& e) {
      error = std::string("Not saved: ") + e.what();
    }
  }
  return error;
}

}  // namespace kiosk::app

#include "kiosk/app/window/window_loop.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "kiosk/app/view/intent_applier.h"
#include "kiosk/app/view/staff_session.h"
#include "kiosk/app/view/view_builder.h"
#include "kiosk/app/window/ui_session.h"
#include "kiosk/core/time_format.h"
#include "kiosk/ui/kiosk_screen.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"

namespace kiosk::app {

namespace {

// Every text of the view a screen may draw, for the window's font atlas.
void visit_texts(const ui::ViewState& v, const std::function<void(std::string_view)>& f) {
  const auto card = [&f](const ui::MentionCard& c) {
    for (const std::string* s : {&c.source, &c.author, &c.text, &c.staff_who, &c.staff_where,
                                 &c.escalation_acknowledged_by, &c.escalation_not_accepted_reason,
                                 &c.reply_text, &c.reply_comment})
      f(*s);
  };
  const auto lesson = [&f](const ui::LessonView& l) {
    for (const std::string* s : {&l.title, &l.body, &l.why_now, &l.question, &l.answer_why}) f(*s);
    for (const auto& choice : l.choices) f(choice.second);
  };
  f(v.store_name);
  f(v.search);
  f(v.action_error);
  for (const ui::MentionCard& c : v.feed) card(c);
  if (v.detail) {
    card(v.detail->card);
    for (const std::string* s :
         {&v.detail->url, &v.detail->posted_local, &v.detail->edited_local, &v.detail->lang,
          &v.detail->place, &v.detail->reply_to_text, &v.detail->owner_reply})
      f(*s);
  }
  for (const ui::EscalationCard& e : v.escalations) {
    for (const std::string* s :
         {&e.about, &e.note, &e.holder, &e.acknowledged_by, &e.resolution_note})
      f(*s);
    for (const core::EscalationAction& a : e.history) {
      f(a.by);
      f(a.text);
    }
  }
  if (v.tapped_in) f(v.tapped_in->name);
  for (const ui::StaffChoice& s : v.staff) f(s.name);
  f(v.training.problem);
  f(v.training.prompt_title);
  for (const ui::LessonView& l : v.training.daily_set) lesson(l);
  if (v.training.prompt_lesson) lesson(*v.training.prompt_lesson);
  for (const std::string& tip : v.training.idle_tips) f(tip);
}

}  // namespace

WindowLoop::WindowLoop(platform::Window& window, store::Store& store,
                       std::function<std::int64_t()> now_ms, std::function<void()> request_sync,
                       bool scripted)
    : window_(window),
      store_(store),
      now_ms_(std::move(now_ms)),
      request_sync_(std::move(request_sync)),
      scripted_(scripted) {
  ui_.heading_font = window.heading_font();
  for (const platform::CodepointRange& r : window.drawable_ranges())
    drawable_.push_back({r.first, r.last});
}

WindowLoop::~WindowLoop() {
  if (pin_thread_.joinable()) pin_thread_.join();
}

bool WindowLoop::adopt_if_only_sync_time_moved(ui::ViewState& fresh, std::int64_t now) {
  const auto& was = view_.sync.last_success_ms;
  const auto& is = fresh.sync.last_success_ms;
  if (!was || !is || *was == *is || core::time_ago(now, *was) != core::time_ago(now, *is))
    return false;
  ui::ViewState same = fresh;
  same.sync.last_success_ms = was;
  if (!(same == view_)) return false;
  // The label on screen now counts from the new time: move the wake-up with it.
  std::optional<std::int64_t> next;
  for (std::int64_t& t : ui_.label_times) {
    if (t == *was) t = *is;
    const std::int64_t at = core::time_ago_changes_at(now, t);
    if (!next || at < *next) next = at;
  }
  policy_.reschedule(next);
  view_ = std::move(fresh);
  return true;
}

bool WindowLoop::refresh(std::int64_t now) {
  try {
    const std::uint64_t c = store_.change_counter();
    const sync::client::WorkerStatus worker =
        sync_status_ ? sync_status_() : sync::client::WorkerStatus{};
    // A new chip or search is a new feed: its first rows, and every chip's count again.
    const bool reselected = ui_.chip != view_.chip || ui_.search != view_.search;
    const bool rows_missing =
        reselected || !holds_rows(view_, ui_.feed_visible_first, ui_.feed_visible_end);
    // A card's detail opened or closed: the view holds the open mention whole.
    const bool detail_moved = ui_.detail_mention_id != view_.detail_mention_id;
    // The chips' counts (ranges of the feed's index, tens of milliseconds on 100,000 mentions)
    // are counted for the frame after the first: the first frame does not wait for them.
    const bool want_counts = frames_drawn_ > 0;
    const bool counts_missing = want_counts && !view_.chip_counts;
    if (c == view_counter_ && worker.rounds == view_rounds_ && !rows_missing && !detail_moved &&
        !counts_missing)
      return false;
    FeedWindow rows;
    if (reselected) {
      rows = feed_window_around(ui_.feed_top, ui_.feed_top + 8);
    } else if (rows_missing) {
      rows = feed_window_around(ui_.feed_visible_first, ui_.feed_visible_end);
    } else if (!view_.feed.empty()) {
      rows.first = view_.feed_first;
      rows.count = std::max<std::int64_t>(static_cast<std::int64_t>(view_.feed.size()), rows.count);
    }
    ui::ViewState fresh = build_view_state(
        store_, rows, {ui_.chip, ui_.search, ui_.detail_mention_id, want_counts}, drawable_);
    fresh.tapped_in = tapped_in_;
    if (training_) training_->fill(store_, now, fresh);
    fresh.action_error = action_error_;
    fresh.pin_feedback = pin_feedback_;
    fresh.settings = settings_;
    show_sync_failure(fresh.sync, worker.last_error);
    view_counter_ = c;
    view_rounds_ = worker.rounds;
    if (fresh == view_ || adopt_if_only_sync_time_moved(fresh, now)) return false;
    view_ = std::move(fresh);
    request_glyphs();
    return true;
  } catch (const std::exception& e) {
    // Keep showing the last good view; say what is wrong.
    const bool changed = view_.action_error != e.what();
    view_.action_error = e.what();
    window_.request_glyphs(view_.action_error);
    return changed;
  }
}

void WindowLoop::request_glyphs() {
  // The screens' own texts: a catalog head office shipped may bring letters beyond Latin-1.
  // (Each change of catalog comes with a rebuild of the view.)
  for (std::size_t i = 0; i < ui::kStrCount; ++i) window_.request_glyphs(ui::tr(ui::Str(i)));
  visit_texts(view_, [this](std::string_view text) { window_.request_glyphs(text); });
  // Half-typed text a crash-restore put back, and what a finished lesson keeps on screen.
  for (const std::string* s :
       {&ui_.reply_draft, &ui_.report_note, &ui_.escalation_text, &ui_.dialog_note, &ui_.search,
        &ui_.training_result_title, &ui_.training_result_answer, &ui_.training_result_why})
    window_.request_glyphs(*s);
}

void WindowLoop::start_session(const core::StaffMember& member, std::int64_t now) {
  tapped_in_ = member;
  last_activity_ms_ = now;
  if (on_session_change_) on_session_change_(tapped_in_);
  view_counter_ = ~0ULL;
  policy_.request_frame();
}

void WindowLoop::end_session() {
  tapped_in_.reset();
  if (on_session_change_) on_session_change_(tapped_in_);
  pin_feedback_ = {};
  view_counter_ = ~0ULL;  // rebuild: the screens go back to the anonymous feed
  policy_.request_frame();
}

void WindowLoop::apply_session_intents(ui::Intents& intents, std::int64_t now) {
  for (auto& intent : intents) {
    if (auto* tap = std::get_if<ui::RequestTapIn>(&intent)) {
      // One check at a time (the pad's keys wait for the answer).
      if (!pin_check_) start_pin_check(tap->staff_id, tap->pin, now);
      view_counter_ = ~0ULL;
    } else if (std::holds_alternative<ui::RequestTapOut>(intent)) {
      end_session();
    } else if (auto* esc = std::get_if<ui::RequestEscalate>(&intent)) {
      // The actor is whoever this session says is tapped in, whatever the screen put there.
      esc->staff_id = tapped_in_ ? tapped_in_->id : std::string();
    }
  }
  // Actions nobody may take anonymously are dropped here too, not only hidden by the screens.
  std::erase_if(intents, [&](const ui::Intent& intent) {
    if (!std::holds_alternative<ui::RequestEscalate>(intent)) return false;
    if (core::access_for(tapped_in_, core::StaffAction::escalate) == core::Access::allowed)
      return false;
    action_error_ = ui::tr(ui::Str::escalate_needs_tap_in);
    return true;
  });
}

void WindowLoop::show_tap_in(const std::string& staff_id, const TapInResult& r, std::int64_t now) {
  const int attempt = pin_feedback_.attempt + 1;
  pin_feedback_ = {};
  pin_feedback_.attempt = attempt;
  pin_feedback_.staff_id = staff_id;
  switch (r.outcome) {
    case TapInResult::Outcome::tapped_in:
      tapped_in_ = r.member;
      last_activity_ms_ = now;
      if (on_session_change_) on_session_change_(tapped_in_);
      break;
    case TapInResult::Outcome::wrong_pin:
      pin_feedback_.wrong = true;
      pin_feedback_.tries_left = r.tries_left;
      break;
    case TapInResult::Outcome::locked:
      pin_feedback_.wrong = true;
      pin_feedback_.locked_until_ms = r.locked_until_ms;
      break;
    default:
      pin_feedback_.refused = true;
      break;
  }
  view_counter_ = ~0ULL;
  policy_.request_frame();
}

void WindowLoop::start_pin_check(const std::string& staff_id, const std::string& pin,
                                 std::int64_t now) {
  try {
    TapInStart start = begin_tap_in(store_, staff_id, now);
    if (start.settled) {
      show_tap_in(staff_id, *start.settled, now);
      return;
    }
    // Argon2id off the UI thread: the window keeps drawing ("Checking…") and the thread wakes
    // it when the answer is there. It reads only the hash and the PIN handed to it.
    std::promise<sync::protocol::PinVerdict> promise;
    pin_check_ = PinCheck{staff_id, promise.get_future()};
    if (pin_thread_.joinable()) pin_thread_.join();
    pin_thread_ = std::thread([promise = std::move(promise), hash = std::move(start.pin_hash), pin,
                               window = &window_]() mutable {
      promise.set_value(verify_typed_pin(hash, pin));
      window->wake();
    });
    pin_feedback_.staff_id = staff_id;
    pin_feedback_.checking = true;
    policy_.request_frame();
  } catch (const std::exception& e) {
    pin_check_.reset();
    action_error_ = e.what();
  }
}

bool WindowLoop::finish_pin_check() {
  if (!pin_check_ ||
      pin_check_->verdict.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return false;
  PinCheck check = std::move(*pin_check_);
  pin_check_.reset();
  pin_thread_.join();
  pin_feedback_.checking = false;
  const std::int64_t now = now_ms_();
  try {
    show_tap_in(check.staff_id, finish_tap_in(store_, check.staff_id, check.verdict.get(), now),
                now);
  } catch (const std::exception& e) {
    action_error_ = e.what();
    view_counter_ = ~0ULL;
  }
  return true;
}

bool WindowLoop::check_chime(std::int64_t now) {
  try {
    const bool due = chime_next_ms_ && now >= *chime_next_ms_;
    if (store_.change_counter() == chime_counter_ && !due) return false;
    const core::ChimeDecision d = chime_->check(now);
    chime_counter_ = store_.change_counter();  // its own save of the memory included
    chime_next_ms_ = d.next_check_ms;
    if (!d.chime) return false;
    if (on_chime_) on_chime_(d);
    // The idle screen gives way to the live one, and comes back only after another
    // idle_screen_ms without a touch.
    last_touch_ms_ = now;
    if (!ui_.idle_screen) return false;
    ui_.idle_screen = false;
    return true;
  } catch (const std::exception&) {
    // The view's own rebuild reports a store that cannot be read; try again next change.
    chime_counter_ = ~0ULL;
    return false;
  }
}

void WindowLoop::ask_to_leave() {
  if (!ui_.kiosk_mode) {
    leaving_ = true;
    return;
  }
  ui::Intents intents;
  ui::pin_pad::leave_app(view_, ui_, intents);
  if (!intents.empty()) leaving_ = true;
  policy_.request_frame();
}

void WindowLoop::set_settings(const ui::SettingsView& settings) {
  settings_ = settings;
  idle_lock_ms_ = settings.idle_lock_ms;
  idle_screen_ms_ = settings.idle_screen_ms;
  ui_.onscreen_keyboard = settings.onscreen_keyboard;
  if (!ui_.onscreen_keyboard) ui_.keyboard_field = ui::TextField::none;
  view_counter_ = ~0ULL;  // the dialog shows them: rebuild
  policy_.request_frame();
}

void WindowLoop::apply_window_intents(const ui::Intents& intents) {
  for (const auto& intent : intents) {
    if (std::holds_alternative<ui::RequestLeaveApp>(intent)) {
      leaving_ = true;
    } else if (const auto* s = std::get_if<ui::RequestChangeSettings>(&intent)) {
      ui::SettingsView next = settings_;
      next.theme = s->theme;
      next.language = s->language;
      next.idle_lock_ms = std::clamp(s->idle_lock_ms, core::kMinIdleLockMs, core::kMaxIdleLockMs);
      next.idle_screen_ms = std::clamp<std::int64_t>(s->idle_screen_ms, 0, core::kMaxIdleLockMs);
      next.onscreen_keyboard = s->onscreen_keyboard;
      set_settings(next);
      if (on_settings_change_) on_settings_change_(settings_);
    }
  }
}

std::string WindowLoop::restore_ui_session() {
  try {
    const auto record = store_.ui_session();
    if (!record) return {};
    saved_session_ = *record;
    const std::string why = app::restore_ui_session(*record, ui_, tapped_in_.has_value());
    request_glyphs();  // half-typed text in any script: in the atlas before it is drawn
    policy_.request_frame();
    return why;
  } catch (const std::exception& e) {
    return std::string("the saved window session could not be read: ") + e.what();
  }
}

void WindowLoop::clear_ui_session() {
  try {
    store_.clear_ui_session();
  } catch (const std::exception&) {
    // Nothing to lose: the next start reopens the last saved screen, as after a crash.
  }
}

void WindowLoop::keep_ui_session(std::int64_t now) {
  std::string record = encode_ui_session(ui_);
  if (record == saved_session_) {
    session_due_ms_.reset();
    return;
  }
  constexpr std::int64_t kMinGapMs = 1000;
  if (session_saved_ms_ >= 0 && now - session_saved_ms_ < kMinGapMs) {
    session_due_ms_ = session_saved_ms_ + kMinGapMs;
    return;
  }
  try {
    store_.save_ui_session(record, now);
    saved_session_ = std::move(record);
    session_saved_ms_ = now;
    session_due_ms_.reset();
  } catch (const std::exception&) {
    // A full or locked disk: try again a second later; what is typed stays on screen.
    session_due_ms_ = now + kMinGapMs;
  }
}

bool WindowLoop::turn() {
  const bool input =
      scripted_ ? window_.poll_events() : window_.wait_events(policy_.wait_seconds(now_ms_()));
  // A wake-up from the sync worker redraws only if what the screen shows changed: a sync that
  // brought nothing costs a cheap query, no frame.
  const std::int64_t now = now_ms_();
  if (session_due_ms_ && now >= *session_due_ms_) keep_ui_session(now);
  // The idle lock: back to the anonymous read-only feed.
  if (tapped_in_ && core::idle_lock_due(last_activity_ms_, now, idle_lock_ms_)) end_session();
  // The answer of a PIN check that ended since the last turn (its thread woke the loop).
  const bool answered = finish_pin_check();
  bool changed = refresh(now) || answered;
  // The idle screen: after idle_screen_ms without a touch (counted from the first turn).
  if (last_touch_ms_ < 0) last_touch_ms_ = now;
  if (chime_ && check_chime(now)) changed = true;
  if (idle_screen_ms_ > 0 && !ui_.idle_screen && now - last_touch_ms_ >= idle_screen_ms_) {
    ui_.idle_screen = true;
    changed = true;
  }
  if (!policy_.should_draw(now, input, changed) && !scripted_) return false;

  ui::Intents intents;
  ui_.now_ms = now;
  window_.begin_frame();
  ui::draw_kiosk_screen(view_, ui_, intents);
  window_.end_frame();
  ++frames_drawn_;
  if (ui_.touched || !intents.empty()) last_activity_ms_ = now;
  if (ui_.touched) last_touch_ms_ = now;
  // Wake for the idle lock too, so it happens on time on a screen nobody touches.
  std::optional<std::int64_t> next_change = ui_.next_label_change_ms;
  if (tapped_in_) {
    const std::int64_t lock_at = core::idle_lock_at(last_activity_ms_, idle_lock_ms_);
    if (!next_change || lock_at < *next_change) next_change = lock_at;
  }
  // And for the idle screen, once, when it is due.
  if (idle_screen_ms_ > 0 && !ui_.idle_screen) {
    const std::int64_t idle_at = last_touch_ms_ + idle_screen_ms_;
    if (!next_change || idle_at < *next_change) next_change = idle_at;
  }
  // And when the chime asked to look again (a store-level step falls due).
  if (chime_next_ms_ && (!next_change || *chime_next_ms_ < *next_change))
    next_change = chime_next_ms_;
  // Crash-restore: what this frame left on screen is saved (at most once a second); a change
  // that has to wait wakes the loop when it is due.
  keep_ui_session(now);
  if (session_due_ms_ && (!next_change || *session_due_ms_ < *next_change))
    next_change = session_due_ms_;
  // Just woken: draw the screens it covered.
  if (!ui_.idle_screen && ui_.touched) policy_.request_frame();
  policy_.drawn(now, next_change);
  // The first frame went out without the chips' counts: the next turn counts and draws them.
  if (!view_.chip_counts) policy_.request_frame();

  if (!intents.empty()) {
    action_error_.clear();
    apply_window_intents(intents);
    apply_session_intents(intents, now_ms_());
    const auto effects = apply_intents(intents, store_, now_ms_(), request_sync_);
    if (!effects.error.empty() || action_error_.empty()) action_error_ = effects.error;
    if (training_) {
      const std::string error = training_->apply(intents, store_, now_ms_());
      if (!error.empty()) action_error_ = error;
      if (request_sync_) request_sync_();  // answers and replies go to head office soon
    }
    view_.action_error = action_error_;
    view_counter_ = ~0ULL;  // rebuild next turn
    policy_.request_frame();
  }
  // Scrolled to rows the view does not hold, or a new chip or search: fetch and draw again.
  if (!holds_rows(view_, ui_.feed_visible_first, ui_.feed_visible_end) || ui_.chip != view_.chip ||
      ui_.search != view_.search || ui_.detail_mention_id != view_.detail_mention_id)
    policy_.request_frame();
  return true;
}

}  // namespace kiosk::app

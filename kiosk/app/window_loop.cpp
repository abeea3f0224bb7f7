#include "kiosk/app/window_loop.h"

#include "kiosk/app/intent_applier.h"
#include "kiosk/app/view_builder.h"
#include "kiosk/core/time_format.h"
#include "kiosk/ui/kiosk_screen.h"

namespace kiosk::app {

WindowLoop::WindowLoop(platform::Window& window, store::Store& store,
                       std::function<std::int64_t()> now_ms, std::function<void()> request_sync,
                       bool scripted)
    : window_(window),
      store_(store),
      now_ms_(std::move(now_ms)),
      request_sync_(std::move(request_sync)),
      scripted_(scripted) {
  ui_.heading_font = window.heading_font();
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
    if (c == view_counter_ && worker.rounds == view_rounds_ && !rows_missing) return false;
    FeedWindow rows;
    if (reselected) {
      rows = feed_window_around(ui_.feed_top, ui_.feed_top + 8);
    } else if (rows_missing) {
      rows = feed_window_around(ui_.feed_visible_first, ui_.feed_visible_end);
    } else if (!view_.feed.empty()) {
      rows.first = view_.feed_first;
      rows.count = std::max<std::int64_t>(static_cast<std::int64_t>(view_.feed.size()), rows.count);
    }
    ui::ViewState fresh = build_view_state(store_, rows, {ui_.chip, ui_.search});
    fresh.action_error = action_error_;
    show_sync_failure(fresh.sync, worker.last_error);
    view_counter_ = c;
    view_rounds_ = worker.rounds;
    if (fresh == view_ || adopt_if_only_sync_time_moved(fresh, now)) return false;
    view_ = std::move(fresh);
    return true;
  } catch (const std::exception& e) {
    // Keep showing the last good view; say what is wrong.
    const bool changed = view_.action_error != e.what();
    view_.action_error = e.what();
    return changed;
  }
}

bool WindowLoop::turn() {
  const bool input =
      scripted_ ? window_.poll_events() : window_.wait_events(policy_.wait_seconds(now_ms_()));
  // A wake-up from the sync worker redraws only if what the screen shows changed: a sync that
  // brought nothing costs a cheap query, no frame.
  const std::int64_t now = now_ms_();
  const bool changed = refresh(now);
  if (!policy_.should_draw(now, input, changed) && !scripted_) return false;

  ui::Intents intents;
  ui_.now_ms = now;
  window_.begin_frame();
  ui::draw_kiosk_screen(view_, ui_, intents);
  window_.end_frame();
  ++frames_drawn_;
  policy_.drawn(now, ui_.next_label_change_ms);

  if (!intents.empty()) {
    const auto effects = apply_intents(intents, store_, now_ms_(), request_sync_);
    action_error_ = effects.error;
    view_.action_error = action_error_;
    view_counter_ = ~0ULL;  // rebuild next turn
    policy_.request_frame();
  }
  // Scrolled to rows the view does not hold, or a new chip or search: fetch and draw again.
  if (!holds_rows(view_, ui_.feed_visible_first, ui_.feed_visible_end) || ui_.chip != view_.chip ||
      ui_.search != view_.search)
    policy_.request_frame();
  return true;
}

}  // namespace kiosk::app

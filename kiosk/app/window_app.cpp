#include "kiosk/app/window_app.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>

#include "kiosk/app/clock.h"
#include "kiosk/app/intent_applier.h"
#include "kiosk/app/ui_catalog.h"
#include "kiosk/app/view_builder.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/kiosk_screen.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/ui_state.h"
#include "platform/png_writer.h"
#include "sync/client/sync_worker.h"

namespace kiosk::app {
namespace {

// How long an idle kiosk sleeps before redrawing for its clocks ("5 min ago"). Input, a
// sync result or a local change wakes it at once.
constexpr double kIdleWakeSeconds = 15.0;
// ImGui settles hover and open/close state over a couple of frames after an event.
constexpr int kFramesAfterEvent = 3;
// A view older than this is rebuilt for fresh "time ago" text even if no data changed.
constexpr std::int64_t kViewMaxAgeMs = 15'000;

// Drives scripted taps: down on a named target for one frame, up the next, then a frame for
// the screen to react before the next tap.
class TapScript {
 public:
  explicit TapScript(const std::vector<std::string>& taps) : pending_(taps.begin(), taps.end()) {}
  bool done() const { return pending_.empty() && phase_ == 0; }
  // Returns an error sentence when a target never appeared.
  std::string before_frame(platform::Window& window, const ui::UiState& ui) {
    if (pending_.empty()) {
      window.clear_injected_pointer();
      return {};
    }
    const std::string& target = pending_.front();
    auto it = ui.hit_rects.find(target);
    if (phase_ == 0) {
      if (it == ui.hit_rects.end()) {
        if (++waited_ > 10) return "the touch target \"" + target + "\" is not on screen";
        return {};
      }
      x_ = it->second.center_x();
      y_ = it->second.center_y();
      window.inject_pointer(x_, y_, true);
      phase_ = 1;
    } else if (phase_ == 1) {
      window.inject_pointer(x_, y_, false);
      phase_ = 2;
    } else {
      pending_.pop_front();
      phase_ = 0;
      waited_ = 0;
    }
    return {};
  }

 private:
  std::deque<std::string> pending_;
  int phase_ = 0;  // 0: find target, 1: pressed, 2: released
  int waited_ = 0;
  float x_ = 0, y_ = 0;
};

std::int64_t realtime_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_window(const WindowAppOptions& options) {
  std::unique_ptr<store::Store> store;
  auto counter = std::make_shared<std::atomic<std::uint64_t>>(0);
  try {
    store = std::make_unique<store::Store>(options.db_path, counter);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 1;
  }

  auto catalog = load_ui_catalog(options.assets_dir, options.language);
  if (!catalog) {
    std::fprintf(stderr, "kiosk: %s\n", catalog.error().c_str());
    return 1;
  }
  ui::use_catalog(std::move(catalog.value()));

  platform::WindowOptions wo;
  wo.fullscreen = options.fullscreen;
  wo.width = options.width;
  wo.height = options.height;
  std::string error;
  auto window = platform::create_window(options.backend, wo, &error);
  if (!window) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }

  std::unique_ptr<sync::client::SyncWorker> worker;
  if (options.sync) {
    sync::client::SyncWorkerOptions so;
    so.db_path = options.db_path;
    so.counter = counter;
    platform::Window* w = window.get();
    so.on_change = [w] { w->wake(); };
    worker = std::make_unique<sync::client::SyncWorker>(so);
    worker->start();
  }
  const auto request_sync = [&worker] {
    if (worker) worker->request_sync_now();
  };

  ui::apply_theme(window->ui_scale());
  ui::UiState ui_state;
  ui_state.heading_font = window->heading_font();
  const bool scripted = !options.screenshot_path.empty() || !options.taps.empty();
  ui_state.record = scripted || options.print_drawn_text;
  TapScript taps(options.taps);

  ui::ViewState view;
  std::uint64_t view_counter = ~0ull;
  std::uint64_t view_rounds = ~0ull;  // sync rounds the view has seen the result of
  std::int64_t view_built_ms = 0;
  std::string action_error;
  int frames_drawn = 0;
  const bool trace_startup = std::getenv("KIOSK_TRACE_STARTUP") != nullptr;
  int settle_frames = kFramesAfterEvent;
  int exit_code = 0;

  while (!window->should_close()) {
    const bool input = (scripted || settle_frames > 0) ? window->poll_events()
                                                       : window->wait_events(kIdleWakeSeconds);
    if (input) settle_frames = kFramesAfterEvent;

    // A wake-up from the sync worker or the idle timer redraws only if what the screen
    // shows changed: a sync that brought nothing costs no frame.
    const std::int64_t now = wall_clock_ms();
    bool view_changed = false;
    try {
      const std::uint64_t c = store->change_counter();
      const sync::client::WorkerStatus worker_status =
          worker ? worker->status() : sync::client::WorkerStatus{};
      if (c != view_counter || worker_status.rounds != view_rounds ||
          now - view_built_ms > kViewMaxAgeMs) {
        ui::ViewState fresh = build_view_state(*store, now);
        fresh.action_error = action_error;
        // The worker knows failures the store could not record (a full disk, say).
        show_sync_failure(fresh.sync, worker_status.last_error);
        view_changed = !(fresh == view);
        if (view_changed) view = std::move(fresh);
        view_counter = c;
        view_rounds = worker_status.rounds;
        view_built_ms = now;
      }
    } catch (const std::exception& e) {
      // Keep showing the last good view; say what is wrong.
      view_changed = view.action_error != e.what();
      view.action_error = e.what();
    }
    if (view_changed) settle_frames = std::max(settle_frames, 1);
    if (!scripted && settle_frames == 0) continue;  // nothing new to show
    if (settle_frames > 0) --settle_frames;

    if (const std::string tap_error = taps.before_frame(*window, ui_state); !tap_error.empty()) {
      std::fprintf(stderr, "kiosk: %s\n", tap_error.c_str());
      exit_code = 1;
      break;
    }
    ui::Intents intents;
    window->begin_frame();
    ui::draw_kiosk_screen(view, ui_state, intents);
    window->end_frame();
    if (++frames_drawn == 1 && trace_startup) {
      // For bench/startup_idle.sh: wall time of the first frame, to compare with exec time.
      std::printf("first_frame_realtime_ns=%lld\n", static_cast<long long>(realtime_ns()));
      std::fflush(stdout);
    }

    if (!intents.empty()) {
      const auto effects = apply_intents(intents, *store, wall_clock_ms(), request_sync);
      action_error = effects.error;
      view.action_error = action_error;
      view_counter = ~0ull;  // rebuild next frame
      settle_frames = kFramesAfterEvent;
    }

    const bool enough_frames = options.frames > 0 && frames_drawn >= options.frames;
    if (scripted && taps.done() && (enough_frames || options.frames == 0)) break;
  }

  if (options.print_drawn_text)
    for (const auto& t : ui_state.drawn_text) std::printf("%s\n", t.c_str());
  if (exit_code == 0 && !options.screenshot_path.empty()) {
    platform::Image image;
    if (!window->read_pixels(image) ||
        !platform::write_png(options.screenshot_path, image, &error)) {
      std::fprintf(stderr, "kiosk: could not save the screenshot: %s\n", error.c_str());
      exit_code = 1;
    } else {
      std::printf("kiosk: screenshot written to %s (%dx%d, %d frames)\n",
                  options.screenshot_path.c_str(), image.width, image.height, frames_drawn);
    }
  }
  if (worker) worker->stop();
  return exit_code;
}

}  // namespace kiosk::app

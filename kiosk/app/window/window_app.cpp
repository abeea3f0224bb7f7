#include "kiosk/app/window/window_app.h"

#include <imgui.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <memory>

#include "kiosk/app/cli/triage_command.h"
#include "kiosk/app/view/chime_watch.h"
#include "kiosk/app/view/clock.h"
#include "kiosk/app/view/ui_catalog.h"
#include "kiosk/app/window/training_desk.h"
#include "kiosk/app/window/window_loop.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/ui_state.h"
#include "platform/chime_player.h"
#include "platform/draw_checksum.h"
#include "platform/png_writer.h"
#include "sync/client/http_module.h"
#include "sync/client/sync_worker.h"

namespace kiosk::app {
namespace {

// Drives scripted taps: down on a named target for one frame, up the next, then a frame for
// the screen to react before the next tap. While the window is busy (a PIN being checked) the
// next tap waits for the answer, as a person at the pad would.
class TapScript {
 public:
  explicit TapScript(const std::vector<std::string>& taps) : pending_(taps.begin(), taps.end()) {}
  bool done() const { return pending_.empty() && phase_ == 0 && settle_ == 0; }
  // Returns an error sentence when a target never appeared.
  std::string before_frame(platform::Window& window, const ui::UiState& ui, bool busy) {
    // What the answer opens (the dialog the pad was for) draws in the two frames after it.
    if (busy) settle_ = 2;
    if (pending_.empty()) {
      window.clear_injected_pointer();
      if (settle_ > 0) --settle_;
      return {};
    }
    const std::string& target = pending_.front();
    // "type:TEXT" types TEXT into the field that has the focus, as a keyboard would.
    if (target.rfind("type:", 0) == 0) {
      if (phase_ == 0) {
        window.inject_text(target.substr(5));
        phase_ = 2;
      } else {
        pending_.pop_front();
        phase_ = 0;
      }
      return {};
    }
    // "close": the window manager's close (its button, Alt+F4), as the OS would send it;
    // "press:escape": the Escape key of a physical keyboard; "print": the texts of the frame
    // on screen, then a line of its own; "shot:FILE": the same, and the frame's pixels as a
    // PNG in FILE. Each lets two frames settle, like a tap.
    const bool shot = target.rfind("shot:", 0) == 0;
    if (target == "close" || target == "press:escape" || target == "print" || shot) {
      if (phase_ == 0) {
        if (target == "close") window.request_close();
        if (target == "press:escape") window.inject_key(ImGuiKey_Escape);
        phase_ = 2;
      } else if (phase_ == 2) {
        phase_ = 4;
      } else {
        if (target == "print" || shot) {
          for (const auto& t : ui.drawn_text) std::printf("%s\n", t.c_str());
          std::printf("-- printed frame --\n");
          std::fflush(stdout);
        }
        if (shot) {
          const std::string path = target.substr(5);
          platform::Image image;
          std::string error;
          if (!window.read_pixels(image) || !platform::write_png(path, image, &error))
            return "could not save the screenshot " + path + ": " + error;
          std::printf("kiosk: screenshot written to %s (%dx%d)\n", path.c_str(), image.width,
                      image.height);
          std::fflush(stdout);
        }
        pending_.pop_front();
        phase_ = 0;
      }
      return {};
    }
    if (target.rfind("wait:", 0) == 0) {
      // "wait:<ms>": let that much wall time pass, drawing as usual.
      const auto now = std::chrono::steady_clock::now();
      if (phase_ == 0) {
        wait_until_ = now + std::chrono::milliseconds(std::atoll(target.c_str() + 5));
        phase_ = 3;
      } else if (now >= wait_until_) {
        pending_.pop_front();
        phase_ = 0;
      }
      return {};
    }
    auto it = ui.hit_rects.find(target);
    if (phase_ == 0) {
      if (busy) return {};
      if (it == ui.hit_rects.end()) {
        if (++waited_ > 10) return "the touch target \"" + target + "\" is not on screen";
        return {};
      }
      // A finger reaches only what is inside the window: a target drawn past its edge (a
      // dialog taller than the screen) is an error, not a tap at a point nobody can touch.
      const ui::HitRect& r = it->second;
      const ImVec2 display = ImGui::GetIO().DisplaySize;
      if (r.min_x < 0.0f || r.min_y < 0.0f || r.max_x > display.x || r.max_y > display.y) {
        char where[160];
        std::snprintf(where, sizeof where, "(x=%.0f..%.0f, y=%.0f..%.0f; the window is %.0fx%.0f)",
                      r.min_x, r.max_x, r.min_y, r.max_y, display.x, display.y);
        return "the touch target \"" + target + "\" is outside the window " + where;
      }
      x_ = r.center_x();
      y_ = r.center_y();
      window.inject_pointer(x_, y_, true);
      phase_ = 1;
    } else if (phase_ == 1) {
      window.inject_pointer(x_, y_, false);
      phase_ = 2;
    } else if (phase_ == 2) {
      // One more frame: the release reaches the screens a frame after it is injected, and
      // what the tap changed (a typed digit) shows in the frame after that.
      phase_ = 4;
    } else {
      pending_.pop_front();
      phase_ = 0;
      waited_ = 0;
    }
    return {};
  }

 private:
  std::deque<std::string> pending_;
  int phase_ = 0;  // 0: find target, 1: pressed, 2: released, 4: settled, 3: waiting
  std::chrono::steady_clock::time_point wait_until_;
  int waited_ = 0;
  int settle_ = 0;  // frames still to draw after the window was last busy
  float x_ = 0, y_ = 0;
};

// The settings dialog's saved choices replace what this run was not given explicitly. A saved
// value that cannot be used is said on stderr and left at its default.
void apply_saved_settings(store::Store& store, WindowAppOptions& o) {
  SavedSettings saved;
  try {
    saved = load_saved_settings(store);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: the saved settings could not be read (%s); using the defaults\n",
                 e.what());
    return;
  }
  for (const std::string& p : saved.problems) std::fprintf(stderr, "kiosk: %s\n", p.c_str());
  const auto languages = ui_languages(o.assets_dir);
  if (saved.language && !o.given.language &&
      std::find(languages.begin(), languages.end(), *saved.language) == languages.end()) {
    std::fprintf(stderr,
                 "kiosk: the saved language \"%s\" has no screen texts in %s/ui/; using %s\n",
                 saved.language->c_str(), o.assets_dir.c_str(), o.language.c_str());
    saved.language.reset();
  }
  ui::SettingsView s;
  s.theme = o.theme;
  s.language = o.language;
  s.idle_lock_ms = o.idle_lock_ms;
  s.idle_screen_ms = o.idle_screen_ms;
  s.onscreen_keyboard = o.onscreen_keyboard;
  s = with_saved(s, saved, o.given);
  o.theme = s.theme;
  o.language = s.language;
  o.idle_lock_ms = s.idle_lock_ms;
  o.idle_screen_ms = s.idle_screen_ms;
  o.onscreen_keyboard = s.onscreen_keyboard;
}

std::int64_t realtime_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_window(const WindowAppOptions& requested) {
  std::unique_ptr<store::Store> store;
  auto counter = std::make_shared<std::atomic<std::uint64_t>>(0);
  try {
    store = std::make_unique<store::Store>(requested.db_path, counter);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 1;
  }
  WindowAppOptions options = requested;
  apply_saved_settings(*store, options);

  auto catalog = load_ui_catalog(options.assets_dir, options.language);
  if (!catalog) {
    std::fprintf(stderr, "kiosk: %s\n", catalog.error().c_str());
    return 1;
  }
  ui::use_catalog(std::move(catalog.value()));

  // Mentions are triaged as they are stored (by the sync worker, which gets the lexicon).
  // Any stored before the full lexicon was at hand are triaged before the first frame, so the
  // feed's order is true from the start; without any, the lexicon's JSON is read after the
  // first frame, before the sync worker starts.
  std::shared_ptr<const core::Lexicon> shared_lexicon;
  const auto use_lexicon = [&]() -> bool {
    if (shared_lexicon) return true;
    auto lexicon = load_lexicon(options.assets_dir);
    if (!lexicon) {
      std::fprintf(stderr, "kiosk: %s\n", lexicon.error().c_str());
      return false;
    }
    shared_lexicon = std::make_shared<const core::Lexicon>(std::move(lexicon.value()));
    try {
      store->set_lexicon(shared_lexicon);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kiosk: %s\n", e.what());
      return false;
    }
    return true;
  };
  try {
    if (store->untriaged_count() > 0 && !use_lexicon()) return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 1;
  }

  platform::WindowOptions wo;
  wo.fullscreen = options.fullscreen;
  wo.width = options.width;
  wo.height = options.height;
  wo.fullscreen = options.fullscreen || options.kiosk_mode;
  wo.hide_cursor = options.hide_cursor || options.kiosk_mode;
  std::string error;
  auto window = platform::create_window(options.backend, wo, &error);
  if (!window) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }

  // The chime's sound (not with --silent, nor without a window); the screen wakes either way.
  // The player starts after the first frame (below): its thread loads the SDL2 module, whose
  // libraries the first frame of a GLFW window does not wait for. A chime asked for before
  // then plays when it starts.
  std::unique_ptr<platform::ChimePlayer> chime_player;
  const bool chime_sound = !options.silent && options.backend != platform::Backend::null;
  bool chime_early = false;

  // Made and started after the first frame (below), with the lexicon: its first round loads
  // the sync module and libcurl's dependency tree, which the first frame does not wait for.
  std::unique_ptr<sync::client::SyncWorker> worker;
  const auto start_worker = [&] {
    sync::client::SyncWorkerOptions so;
    so.db_path = options.db_path;
    so.counter = counter;
    so.lexicon = shared_lexicon;
    platform::Window* w = window.get();
    // After the first round, a sync module that is missing or broken is also said on stderr
    // (the status bar shows it as the sync's last error for as long as it lasts).
    so.on_change = [w, first = std::make_shared<std::atomic<bool>>(true)] {
      w->wake();
      if (first->exchange(false))
        if (const auto problem = sync::client::http_module_problem())
          std::fprintf(stderr, "kiosk: %s\n", problem->c_str());
    };
    worker = std::make_unique<sync::client::SyncWorker>(so);
    worker->start();
  };
  const auto request_sync = [&worker] {
    if (worker) worker->request_sync_now();
  };

  ui::apply_theme(window->ui_scale(), ui::parse_theme(options.theme).value_or(ui::Theme::dark));
  if (options.kiosk_mode) {
    std::printf(
        "kiosk: kiosk mode: %dx%d without decorations, pointer %s; leaving needs a "
        "manager's PIN\n",
        window->width(), window->height(), window->cursor_visible() ? "shown" : "hidden");
    std::fflush(stdout);
  }
  // The null backend has no input to wait for: it draws its frames and exits, like a
  // scripted run.
  const bool scripted = !options.screenshot_path.empty() || !options.taps.empty() ||
                        options.backend == platform::Backend::null;
  WindowLoop loop(*window, *store, wall_clock_ms, request_sync, scripted);
  loop.set_idle_lock_ms(options.idle_lock_ms);
  loop.set_idle_screen_ms(options.idle_screen_ms);
  loop.watch_chime(
      [&chime_player, &chime_early, chime_sound, &options](const core::ChimeDecision& d) {
        std::fprintf(stderr, "kiosk: chime%s: %s\n", options.silent ? " (silent)" : "",
                     describe_chime(d).c_str());
        if (chime_player)
          chime_player->play();
        else
          chime_early = chime_sound;
      });
  loop.set_kiosk_mode(options.kiosk_mode);
  ui::SettingsView settings;
  settings.theme = options.theme;
  settings.language = options.language;
  settings.languages = ui_languages(options.assets_dir);
  settings.idle_lock_ms = options.idle_lock_ms;
  settings.idle_screen_ms = options.idle_screen_ms;
  settings.onscreen_keyboard = options.onscreen_keyboard;
  loop.set_settings(settings);
  // The terminal's own language: the settings dialog can change it.
  std::string terminal_language = options.language;
  // Screen texts in the language of whoever is tapped in, the terminal's own otherwise. A
  // language this kiosk does not ship keeps the texts on screen.
  loop.on_session_change(
      [&options, &terminal_language](const std::optional<core::StaffMember>& member) {
        const std::string language =
            member && !member->language.empty() ? member->language : terminal_language;
        if (auto texts = load_ui_catalog(options.assets_dir, language)) {
          ui::use_catalog(std::move(texts.value()));
        } else {
          std::fprintf(stderr, "kiosk: %s\n", texts.error().c_str());
        }
      });
  // Training: the category of each new mention comes from triage with the same lexicon.
  TrainingDesk training(options.pack_dir.empty() ? options.assets_dir + "/training/frontline-basics"
                                                 : options.pack_dir,
                        std::nullopt, options.language, shared_lexicon.get());
  if (!options.staff_id.empty()) {
    // Head office's record when the terminal has one; otherwise the id stands for the name.
    core::StaffMember member{options.staff_id, options.staff_id, core::StaffRole::associate,
                             options.language};
    if (auto row = store->staff_member(options.staff_id)) member = row->member;
    loop.start_session(member, wall_clock_ms());
  }
  loop.attach_training(&training);
  // The settings dialog: colours and the terminal's language now (the loop applied the rest).
  loop.on_settings_change([&](const ui::SettingsView& now) {
    // Kept for the next start too (a flag given then still wins for that run).
    try {
      save_settings(*store, now);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kiosk: the settings apply now but could not be saved: %s\n", e.what());
    }
    ui::apply_theme(window->ui_scale(), ui::parse_theme(now.theme).value_or(ui::Theme::dark));
    terminal_language = now.language;
    training.set_terminal_language(now.language);
    if (loop.tapped_in() && !loop.tapped_in()->language.empty()) return;
    if (auto texts = load_ui_catalog(options.assets_dir, now.language)) {
      ui::use_catalog(std::move(texts.value()));
    } else {
      std::fprintf(stderr, "kiosk: %s\n", texts.error().c_str());
    }
  });
  // Crash-restore: a run that did not exit cleanly left its screen and typed text.
  if (const std::string why = loop.restore_ui_session(); !why.empty())
    std::fprintf(stderr, "kiosk: %s\n", why.c_str());
  if (options.sync)
    loop.watch_sync([&worker] { return worker ? worker->status() : sync::client::WorkerStatus{}; });
  ui::UiState& ui_state = loop.ui_state();
  ui_state.record = scripted || options.print_drawn_text;
  TapScript taps(options.taps);

  const bool trace_startup = std::getenv("KIOSK_TRACE_STARTUP") != nullptr;
  const bool trace_frames = std::getenv("KIOSK_TRACE_FRAMES") != nullptr;
  int exit_code = 0;

  while (!loop.leaving()) {
    if (window->should_close()) {
      // Kiosk mode: a manager's PIN first (the PIN pad opens); otherwise leave now.
      window->cancel_close();
      loop.ask_to_leave();
      if (loop.leaving()) break;
    }
    if (const std::string tap_error = taps.before_frame(*window, ui_state, loop.checking_pin());
        !tap_error.empty()) {
      std::fprintf(stderr, "kiosk: %s\n", tap_error.c_str());
      exit_code = 1;
      break;
    }
    if (!loop.turn()) continue;
    const int frames_drawn = loop.frames_drawn();
    if (frames_drawn == 1 && trace_startup) {
      // For the benches: wall time of the first frame, to compare with exec time.
      // CPU time (all threads) says the same on a busy machine, where wall time does not.
      std::printf("first_frame_realtime_ns=%lld first_frame_cpu_us=%lld\n",
                  static_cast<long long>(realtime_ns()),
                  static_cast<long long>(std::clock()) * 1'000'000LL / CLOCKS_PER_SEC);
      std::fflush(stdout);
    }
    if (frames_drawn == 1) {
      if (!use_lexicon()) {
        exit_code = 1;
        break;
      }
      training.set_lexicon(shared_lexicon.get());
      if (options.sync) start_worker();
      if (chime_sound) {
        chime_player = std::make_unique<platform::ChimePlayer>();
        if (chime_early) chime_player->play();
      }
    }
    if (trace_frames) {
      // For the benches: one line per drawn frame (window_vs_example.sh divides CPU by
      // frames), when it was on screen, a checksum of what it drew, and when it began, i.e.
      // what input it could read (tap_feedback.sh finds the first frame a tap changed).
      std::printf("frame=%d t_ns=%lld draw=%016llx began_ns=%lld\n", frames_drawn,
                  static_cast<long long>(realtime_ns()),
                  static_cast<unsigned long long>(platform::draw_checksum(ImGui::GetDrawData())),
                  static_cast<long long>(window->frame_began_ns()));
      std::fflush(stdout);
    }
    const bool enough_frames = options.frames > 0 && frames_drawn >= options.frames;
    // A PIN still being checked: its answer is part of what the script asked for.
    if (scripted && taps.done() && !loop.checking_pin() && (enough_frames || options.frames == 0))
      break;
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
                  options.screenshot_path.c_str(), image.width, image.height, loop.frames_drawn());
    }
  }
  if (options.kiosk_mode && loop.leaving()) {
    const auto& who = loop.tapped_in();
    std::printf("kiosk: left the app (%s)\n", who ? who->name.c_str() : "");
  }
  // A clean exit: the next start opens on the feed.
  loop.clear_ui_session();
  if (worker) worker->stop();
  return exit_code;
}

}  // namespace kiosk::app

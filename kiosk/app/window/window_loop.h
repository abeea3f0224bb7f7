#pragma once
// The kiosk's UI loop, one turn at a time: wait for events as platform::FramePolicy says,
// rebuild the view state when the store changed or the feed scrolled past the rows the view
// holds, draw when the policy says so, apply the intents. Takes the window, the store and the
// clock from its caller, so tests run it on the null backend with a stepped clock.
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "kiosk/app/view/chime_watch.h"
#include "kiosk/app/view/staff_session.h"
#include "kiosk/app/window/training_desk.h"
#include "kiosk/core/drawable_text.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"
#include "kiosk/ui/ui_state.h"
#include "platform/frame_policy.h"
#include "platform/window.h"
#include "sync/client/sync_worker.h"

namespace kiosk::app {

class WindowLoop {
 public:
  // scripted: poll instead of waiting and draw every turn (scripted taps, screenshots).
  WindowLoop(platform::Window& window, store::Store& store, std::function<std::int64_t()> now_ms,
             std::function<void()> request_sync, bool scripted);
  // Waits for a PIN check still running (its answer is dropped).
  ~WindowLoop();
  WindowLoop(const WindowLoop&) = delete;
  WindowLoop& operator=(const WindowLoop&) = delete;

  // The sync worker's status: its failures show in the status bar even when the store could
  // not record them (a full disk), and each finished round is a reason to look again.
  void watch_sync(std::function<sync::client::WorkerStatus()> status) {
    sync_status_ = std::move(status);
  }

  // Training in the window (training_desk.h): fills the view's training part at each rebuild
  // and applies the Training tab's and the reply dialog's intents.
  void attach_training(TrainingDesk* desk) { training_ = desk; }

  // One turn; returns whether a frame was drawn.
  bool turn();

  // The chime (core/chime.h): checked whenever the store changed and when the decision asks
  // to look again (a store-level step falls due, held news after the rate limit). On a chime
  // it calls on_chime (the sound, the log) and wakes the idle screen, drawing at once.
  void watch_chime(std::function<void(const core::ChimeDecision&)> on_chime) {
    chime_ = std::make_unique<ChimeWatch>(store_);
    on_chime_ = std::move(on_chime);
  }

  // Shared-device mode: tap the person out after this long without a touch.
  void set_idle_lock_ms(std::int64_t ms) { idle_lock_ms_ = ms; }
  // The idle screen (ui/idle_screen.h) after this long without a touch; 0 = never.
  void set_idle_screen_ms(std::int64_t ms) { idle_screen_ms_ = ms; }
  const std::optional<core::StaffMember>& tapped_in() const { return tapped_in_; }
  // A PIN typed on the pad is being checked on its own thread (the pad shows "Checking…").
  bool checking_pin() const { return pin_check_.has_value(); }
  // Taps this person in without the PIN pad (the window's --staff option for scripted runs).
  void start_session(const core::StaffMember& member, std::int64_t now);
  // Called when someone taps in or the session ends (the app switches the screen texts to
  // the person's language and back).
  void on_session_change(std::function<void(const std::optional<core::StaffMember>&)> f) {
    on_session_change_ = std::move(f);
  }

  // Kiosk mode (--kiosk-mode): leaving and the settings need a manager's PIN.
  void set_kiosk_mode(bool on) { ui_.kiosk_mode = on; }
  // The window was asked to close (the window manager, Alt+F4): in kiosk mode this opens the
  // PIN pad for a manager, and leaving() turns true once one tapped in; otherwise at once.
  void ask_to_leave();
  bool leaving() const { return leaving_; }

  // The settings this run uses (shown and changed in the settings dialog); on_settings_change
  // hears each change the dialog saves, after the loop applied what it owns (idle times, the
  // on-screen keyboard).
  void set_settings(const ui::SettingsView& settings);
  void on_settings_change(std::function<void(const ui::SettingsView&)> f) {
    on_settings_change_ = std::move(f);
  }

  // Crash-restore (ui_session.h): reopen what the last run left in the store, if it did not
  // exit cleanly. Returns one sentence when a saved record could not be used, else empty.
  std::string restore_ui_session();
  // A clean exit: nothing to reopen next time.
  void clear_ui_session();

  int frames_drawn() const { return frames_drawn_; }
  ui::UiState& ui_state() { return ui_; }
  const ui::ViewState& view() const { return view_; }

 private:
  // Rebuilds the view if the store changed or rows on screen are missing; returns whether
  // what the screen would draw changed.
  bool refresh(std::int64_t now);
  // The view changed only in the time of the last sync, and "Last sync: …" reads the same at
  // now: adopt it without drawing (a sync every 10 s that brought nothing costs no frame).
  bool adopt_if_only_sync_time_moved(ui::ViewState& fresh, std::int64_t now);
  // Asks the window for the glyphs of the view's and the screens' texts: the atlas gets what
  // the next frame draws before it is drawn (platform::Window::request_glyphs()).
  void request_glyphs();
  // Tap in, tap out, and the actor of each action: the session's part of the intents. Drops
  // (with a message) an action the person tapped in may not take.
  void apply_session_intents(ui::Intents& intents, std::int64_t now);
  void end_session();
  // Tap-in from the pad: the store is read here, Argon2id runs on a thread of its own that
  // wakes the window when it is done, and finish_pin_check counts the answer in the store on
  // this thread. Returns whether there was an answer to show.
  void start_pin_check(const std::string& staff_id, const std::string& pin, std::int64_t now);
  bool finish_pin_check();
  void show_tap_in(const std::string& staff_id, const TapInResult& r, std::int64_t now);
  // Returns whether what the screen shows changed (the idle screen gave way).
  bool check_chime(std::int64_t now);
  // Saves the window's session when it changed, at most once a second (the rest is due later).
  void keep_ui_session(std::int64_t now);
  void apply_window_intents(const ui::Intents& intents);

  platform::Window& window_;
  store::Store& store_;
  std::function<std::int64_t()> now_ms_;
  std::function<void()> request_sync_;
  bool scripted_ = false;
  platform::FramePolicy policy_;
  ui::ViewState view_;
  ui::UiState ui_;
  std::function<sync::client::WorkerStatus()> sync_status_;
  std::uint64_t view_counter_ = ~0ULL;          // the store's change counter the view was built at
  std::uint64_t view_rounds_ = ~0ULL;           // the sync rounds the view has seen the result of
  std::string action_error_;                    // why the last tap could not be saved
  std::optional<core::StaffMember> tapped_in_;  // nobody: the anonymous read-only feed
  std::int64_t last_activity_ms_ = 0;           // the last touch, for the idle lock
  std::int64_t idle_lock_ms_ = core::kDefaultIdleLockMs;
  std::int64_t last_touch_ms_ = -1;  // the last touch by anyone, for the idle screen
  std::int64_t idle_screen_ms_ = 0;
  ui::PinFeedback pin_feedback_;
  struct PinCheck {
    std::string staff_id;
    std::future<sync::protocol::PinVerdict> verdict;
  };
  std::optional<PinCheck> pin_check_;  // a PIN being checked; at most one at a time
  std::thread pin_thread_;
  std::function<void(const std::optional<core::StaffMember>&)> on_session_change_;
  TrainingDesk* training_ = nullptr;
  std::unique_ptr<ChimeWatch> chime_;
  std::function<void(const core::ChimeDecision&)> on_chime_;
  std::uint64_t chime_counter_ = ~0ULL;  // the store's change counter at the last check
  std::optional<std::int64_t> chime_next_ms_;
  int frames_drawn_ = 0;
  std::vector<core::GlyphRange> drawable_;  // what the window's font can draw
  bool leaving_ = false;                    // a manager allowed leaving (or kiosk mode is off)
  ui::SettingsView settings_;               // what this run uses
  std::function<void(const ui::SettingsView&)> on_settings_change_;
  std::string saved_session_;                   // the ui_session record last written
  std::int64_t session_saved_ms_ = -1;          // when, for the once-a-second limit
  std::optional<std::int64_t> session_due_ms_;  // a changed session waits until then
};

}  // namespace kiosk::app

#pragma once
// The kiosk's UI loop, one turn at a time: wait for events as platform::FramePolicy says,
// rebuild the view state when the store changed or the feed scrolled past the rows the view
// holds, draw when the policy says so, apply the intents. Takes the window, the store and the
// clock from its caller, so tests run it on the null backend with a stepped clock.
#include <cstdint>
#include <functional>

#include "kiosk/app/training_desk.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/ui_state.h"
#include "kiosk/ui/view_state.h"
#include "platform/frame_policy.h"
#include "platform/window.h"
#include "sync/client/sync_worker.h"

namespace kiosk::app {

class WindowLoop {
 public:
  // scripted: poll instead of waiting and draw every turn (scripted taps, screenshots).
  WindowLoop(platform::Window& window, store::Store& store, std::function<std::int64_t()> now_ms,
             std::function<void()> request_sync, bool scripted);

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

  platform::Window& window_;
  store::Store& store_;
  std::function<std::int64_t()> now_ms_;
  std::function<void()> request_sync_;
  bool scripted_ = false;
  platform::FramePolicy policy_;
  ui::ViewState view_;
  ui::UiState ui_;
  std::function<sync::client::WorkerStatus()> sync_status_;
  TrainingDesk* training_ = nullptr;
  std::uint64_t view_counter_ = ~0ULL;  // the store's change counter the view was built at
  std::uint64_t view_rounds_ = ~0ULL;   // the sync rounds the view has seen the result of
  std::string action_error_;            // why the last tap could not be saved
  int frames_drawn_ = 0;
};

}  // namespace kiosk::app

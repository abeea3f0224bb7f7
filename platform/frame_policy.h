#pragma once
// When the UI loop draws and how long it sleeps. Pure: the caller passes the time and what
// happened, so tests step a clock instead of sleeping. The rules:
//   - nothing changed, nothing visible will change by itself: draw nothing, wait with no
//     timeout (an idle kiosk uses no CPU; input or wake() ends the wait);
//   - input arrived: draw on this turn, then a few more frames polled back to back, because
//     ImGui settles hover, press and open/close state over a couple of frames;
//   - what the app would draw changed (new data): draw once;
//   - the frame on screen changes by itself at a known time (a "5 min ago" label, a
//     countdown): wait until exactly then, and draw then.
#include <cstdint>
#include <optional>

namespace platform {

class FramePolicy {
 public:
  static constexpr int kFramesAfterInput = 3;

  // What happened since the last turn. Returns whether to draw on this turn.
  bool should_draw(std::int64_t now_ms, bool input, bool content_changed);
  // A frame was drawn at now_ms; next_change_ms is when something it shows changes by itself
  // (nullopt: never).
  void drawn(std::int64_t now_ms, std::optional<std::int64_t> next_change_ms);
  // The frame on screen now goes stale at another time (e.g. the time a label counts from
  // moved, but it still reads the same).
  void reschedule(std::optional<std::int64_t> next_change_ms) { next_change_ms_ = next_change_ms; }
  // Something outside the rules needs one more frame soon (e.g. rows scrolled into view that
  // the app is fetching): the next wait polls and the next turn draws.
  void request_frame() { settle_frames_ = settle_frames_ > 0 ? settle_frames_ : 1; }
  // How long to wait for events before the next turn, in seconds: negative for no timeout,
  // 0 to poll.
  double wait_seconds(std::int64_t now_ms) const;

 private:
  int settle_frames_ = 1;  // frames still to draw back to back (1: the very first frame)
  std::optional<std::int64_t> next_change_ms_;  // when the frame on screen goes stale
};

}  // namespace platform

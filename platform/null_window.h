#pragma once
// The null backend: a Window with no display and no GL. ImGui runs for real (layout, text,
// hit-testing, the font atlas on the CPU), nothing is rasterised. It exists so the frame
// loop's policy (when to draw, when to sleep, how long to wait) can be tested with a stepped
// clock and scripted input, and so headless runs need no X server. Tests that need pixels use
// real windows under Xvfb.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "platform/window.h"

namespace platform {

class NullWindow final : public Window {
 public:
  struct Options {
    WindowOptions window;
    // Tests: wait_events() never blocks; it records the timeout and returns whether input was
    // pushed. Otherwise it blocks like a real backend until push_input(), wake() or timeout.
    bool stepped = false;
    // Stepped mode: called with the timeout (negative: none) of each wait that nothing
    // (input, wake) ends early, e.g. to move a test's clock to when the wait would end.
    std::function<void(double timeout_seconds)> on_wait;
    std::function<double()> now_seconds;  // ImGui's frame clock; steady clock when empty
  };

  explicit NullWindow(Options options);
  ~NullWindow() override;
  NullWindow(const NullWindow&) = delete;
  NullWindow& operator=(const NullWindow&) = delete;

  Backend backend() const override { return Backend::null; }
  bool should_close() const override;
  void request_close() override;
  void cancel_close() override;
  bool wait_events(double timeout_seconds) override;
  bool poll_events() override;
  void wake() override;
  int width() const override { return width_; }
  int height() const override { return height_; }
  bool read_pixels(Image& out) const override;

  // An input event (a tap, a key) arrives; the next wait_events()/poll_events() returns true.
  void push_input();

  // What the loop did, for tests.
  int frames_presented() const { return frames_presented_; }
  // Every timeout passed to wait_events() (negative: none), oldest first.
  const std::vector<double>& waits() const { return waits_; }

 protected:
  void backend_new_frame() override;
  void swap_buffers() override {}
  void renderer_new_frame() override {}
  void present() override;
  void reupload_font_atlas() override { drop_font_pixels(); }

 private:
  bool take_pending();
  // No renderer uploads the atlas: a texture id so draw lists are well formed, and the pixels
  // dropped as the GL backends do after their upload.
  static void drop_font_pixels();

  Options options_;
  int width_ = 1280;
  int height_ = 800;
  double last_frame_s_ = -1.0;  // ImGui's clock at the previous frame
  int frames_presented_ = 0;    // end_frame() calls
  std::vector<double> waits_;   // wait_events() timeouts
  mutable std::mutex mutex_;    // guards the three below (wake() comes from other threads)
  std::condition_variable cv_;
  bool input_pending_ = false;  // push_input() since the last wait/poll
  bool woken_ = false;          // wake() since the last wait
  bool close_ = false;
};

// The null backend with a blocking wait (what `--backend null` runs).
std::unique_ptr<Window> create_null_window(const WindowOptions& options);

}  // namespace platform

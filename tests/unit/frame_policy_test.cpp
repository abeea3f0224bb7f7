// platform::FramePolicy with a stepped clock: when the loop draws and how long it waits.
#include <doctest/doctest.h>

#include "platform/frame_policy.h"

using platform::FramePolicy;

TEST_CASE("[frame] nothing changing: one first frame, then no frames and no timeout") {
  FramePolicy p;
  std::int64_t now = 1000;
  CHECK(p.should_draw(now, false, false));  // the very first frame
  p.drawn(now, std::nullopt);
  for (int i = 0; i < 5; ++i) {
    CHECK(p.wait_seconds(now) < 0.0);
    now += 3'600'000;
    CHECK_FALSE(p.should_draw(now, false, false));
  }
}

TEST_CASE("[frame] changed content draws once; input draws at once and settles") {
  FramePolicy p;
  CHECK(p.should_draw(0, false, false));
  p.drawn(0, std::nullopt);
  CHECK(p.should_draw(10, false, true));
  p.drawn(10, std::nullopt);
  CHECK(p.wait_seconds(10) < 0.0);
  CHECK_FALSE(p.should_draw(20, false, false));

  int frames = 0;
  for (bool input = true; p.should_draw(30, input, false); input = false) {
    p.drawn(30, std::nullopt);
    ++frames;
    if (frames < FramePolicy::kFramesAfterInput) CHECK(p.wait_seconds(30) == 0.0);  // poll
  }
  CHECK(frames == FramePolicy::kFramesAfterInput);
  CHECK(p.wait_seconds(30) < 0.0);
}

TEST_CASE("[frame] a label that changes at a known time: wait exactly until then, draw once") {
  FramePolicy p;
  CHECK(p.should_draw(0, false, false));
  p.drawn(0, 30'000);
  CHECK(p.wait_seconds(0) == doctest::Approx(30.0));
  CHECK(p.wait_seconds(29'500) == doctest::Approx(0.5));
  CHECK_FALSE(p.should_draw(29'999, false, false));  // woken early for nothing
  CHECK(p.should_draw(30'000, false, false));
  p.drawn(30'000, 90'000);
  CHECK_FALSE(p.should_draw(30'001, false, false));
  CHECK(p.wait_seconds(30'001) == doctest::Approx(59.999));
}

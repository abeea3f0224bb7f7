#include "platform/frame_policy.h"

#include <algorithm>

namespace platform {

bool FramePolicy::should_draw(std::int64_t now_ms, bool input, bool content_changed) {
  if (input) settle_frames_ = kFramesAfterInput;
  if (content_changed) settle_frames_ = std::max(settle_frames_, 1);
  if (next_change_ms_ && now_ms >= *next_change_ms_) settle_frames_ = std::max(settle_frames_, 1);
  if (settle_frames_ == 0) return false;
  --settle_frames_;
  return true;
}

void FramePolicy::drawn(std::int64_t /*now_ms*/, std::optional<std::int64_t> next_change_ms) {
  next_change_ms_ = next_change_ms;
}

double FramePolicy::wait_seconds(std::int64_t now_ms) const {
  if (settle_frames_ > 0) return 0.0;
  if (!next_change_ms_) return -1.0;
  const std::int64_t left = *next_change_ms_ - now_ms;
  return left <= 0 ? 0.0 : static_cast<double>(left) / 1000.0;
}

}  // namespace platform

#pragma once
// Capped exponential backoff with full jitter for retrying head office. The caller passes
// a random fraction in [0,1) so the schedule is a pure function that tests can step.
#include <cstdint>

namespace kiosk::core {

struct BackoffPolicy {
  std::int64_t base_ms = 1000;  // first retry waits up to this long
  std::int64_t cap_ms = 60000;  // no wait is longer than this
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}) : policy_(policy) {}
  // The wait before the next attempt after one more failure; random01 in [0,1).
  std::int64_t next_delay_ms(double random01);
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }
  // The upper bound of the wait after `failures` failures (before jitter).
  std::int64_t ceiling_ms(int failures) const;

 private:
  BackoffPolicy policy_;
  int failures_ = 0;
};

}  // namespace kiosk::core

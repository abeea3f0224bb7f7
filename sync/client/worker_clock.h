#pragma once
// The sync worker's sense of time, injected: the real one reads the wall clock and waits on
// a condition variable for real; a test's manual clock (tests/support/manual_clock.h) waits
// until the test steps time past the deadline, so backoff and intervals are tested without
// sleeping.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace kiosk::sync::client {

class WorkerClock {
 public:
  virtual ~WorkerClock() = default;
  // Unix milliseconds (recorded with each sync attempt).
  virtual std::int64_t now_ms() = 0;
  // With `lock` held: returns when wake_early() is true (checked whenever cv is notified) or
  // once now_ms() has reached deadline_ms.
  virtual void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                          std::int64_t deadline_ms, const std::function<bool()>& wake_early) = 0;
};

// The wall clock, for the app.
class SystemWorkerClock final : public WorkerClock {
 public:
  std::int64_t now_ms() override;
  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                  std::int64_t deadline_ms, const std::function<bool()>& wake_early) override;
};

}  // namespace kiosk::sync::client

#pragma once
// A WorkerClock that moves only when the test says so: advance() steps time and wakes
// whoever waits on it, so a test of backoff or intervals takes no real time.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "sync/client/worker_clock.h"

namespace kiosk::testing {

class ManualClock final : public sync::client::WorkerClock {
 public:
  explicit ManualClock(std::int64_t start_ms) : now_(start_ms) {}

  std::int64_t now_ms() override { return now_.load(); }

  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                  std::int64_t deadline_ms, const std::function<bool()>& wake_early) override {
    {
      std::lock_guard g(waiters_mutex_);
      waiters_.push_back({lock.mutex(), &cv});
    }
    cv.wait(lock, [&] { return wake_early() || now_.load() >= deadline_ms; });
    std::lock_guard g(waiters_mutex_);
    std::erase_if(waiters_, [&](const Waiter& w) { return w.cv == &cv; });
  }

  // Steps time and wakes every waiter, which re-checks its deadline.
  void advance(std::int64_t ms) {
    now_ += ms;
    std::vector<Waiter> waiters;
    {
      std::lock_guard g(waiters_mutex_);
      waiters = waiters_;
    }
    // Taking the waiter's own mutex orders the wake-up after its check: none is lost.
    for (const auto& w : waiters) {
      std::lock_guard g(*w.mutex);
      w.cv->notify_all();
    }
  }

 private:
  struct Waiter {
    std::mutex* mutex;
    std::condition_variable* cv;
  };
  std::atomic<std::int64_t> now_;
  std::mutex waiters_mutex_;
  std::vector<Waiter> waiters_;
};

}  // namespace kiosk::testing

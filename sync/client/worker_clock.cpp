#include "sync/client/worker_clock.h"

#include <chrono>

namespace kiosk::sync::client {

std::int64_t SystemWorkerClock::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemWorkerClock::wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                                   std::int64_t deadline_ms,
                                   const std::function<bool()>& wake_early) {
  // Waits by the steady clock, so a wall clock set back does not stretch the wait.
  const auto remaining =
      std::chrono::milliseconds(std::max<std::int64_t>(0, deadline_ms - now_ms()));
  cv.wait_until(lock, std::chrono::steady_clock::now() + remaining, wake_early);
}

}  // namespace kiosk::sync::client

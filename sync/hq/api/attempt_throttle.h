#pragma once
// Failed attempts counted per key (a client address, or one key for all of head office) with
// a delay that doubles after a few free failures: what stops enrollment-code guessing. Kept
// in memory only, so a wrong guess costs no database write; time is passed in.
//
//   if (auto wait = throttle.wait_ms(address, now)) return too_many(wait);
//   if (!code_ok) throttle.record_failure(address, now);
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kiosk::sync::hq {

struct ThrottlePolicy {
  int free_failures = 5;                     // failures heard before any delay
  std::int64_t first_delay_ms = 1'000;       // after free_failures; doubles with each failure
  std::int64_t max_delay_ms = 15 * 60'000;   // the delay never grows past this
  std::int64_t forget_after_ms = 3'600'000;  // a key with no failure for this long starts over
  std::size_t max_keys = 100'000;            // memory bound; the overall limit still applies
};

class AttemptThrottle {
 public:
  explicit AttemptThrottle(ThrottlePolicy policy) : policy_(policy) {}
  // How long key must still wait before its next attempt is heard; 0: now. Thread-safe.
  std::int64_t wait_ms(const std::string& key, std::int64_t now_ms);
  void record_failure(const std::string& key, std::int64_t now_ms);
  void record_success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t blocked_until_ms = 0;
  };
  void prune(std::int64_t now_ms);

  ThrottlePolicy policy_;
  std::mutex mutex_;                                // guards entries_
  std::unordered_map<std::string, Entry> entries_;  // keys with recent failures
};

}  // namespace kiosk::sync::hq

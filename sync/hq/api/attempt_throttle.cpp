#include "sync/hq/api/attempt_throttle.h"

#include <algorithm>

namespace kiosk::sync::hq {

std::int64_t AttemptThrottle::wait_ms(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  return std::max<std::int64_t>(0, it->second.blocked_until_ms - now_ms);
}

void AttemptThrottle::record_failure(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= policy_.max_keys) prune(now_ms);
    if (entries_.size() >= policy_.max_keys) return;
    it = entries_.emplace(key, Entry{}).first;
  }
  Entry& e = it->second;
  if (now_ms - e.last_failure_ms > policy_.forget_after_ms) e.failures = 0;
  ++e.failures;
  e.last_failure_ms = now_ms;
  if (e.failures >= policy_.free_failures) {
    const int doublings = std::min(e.failures - policy_.free_failures, 40);
    std::int64_t delay = policy_.first_delay_ms;
    for (int i = 0; i < doublings && delay < policy_.max_delay_ms; ++i) delay *= 2;
    e.blocked_until_ms = now_ms + std::min(delay, policy_.max_delay_ms);
  }
}

void AttemptThrottle::record_success(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

void AttemptThrottle::prune(std::int64_t now_ms) {
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.blocked_until_ms <= now_ms &&
           now_ms - kv.second.last_failure_ms > policy_.forget_after_ms;
  });
}

}  // namespace kiosk::sync::hq

#include "sync/hq/api/token_cache.h"

namespace kiosk::sync::hq {

namespace {

bool fresh(std::int64_t checked_at_ms, std::int64_t now_ms) {
  // A clock that went back says nothing about how old the check is: not fresh.
  return now_ms >= checked_at_ms && now_ms - checked_at_ms < kTokenCacheMs;
}

}  // namespace

std::optional<TokenCheck> TokenCache::find(const std::string& token_hash, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  if (!fresh(it->second.checked_at_ms, now_ms)) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.check;
}

void TokenCache::remember(const std::string& token_hash, const TokenCheck& check,
                          std::int64_t now_ms, std::int64_t rotate_before_ms) {
  // Only the steady state: a sync with this token rotates nothing and forgets nothing while
  // the entry lives, so no write the database would have seen is skipped.
  if (check.state != TokenCheck::State::current || check.has_previous) return;
  if (check.expires_at_ms - now_ms <= rotate_before_ms + kTokenCacheMs) return;
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_ && entries_.count(token_hash) == 0) {
    std::erase_if(entries_, [&](const auto& e) { return !fresh(e.second.checked_at_ms, now_ms); });
    if (entries_.size() >= max_entries_) entries_.clear();
  }
  entries_[token_hash] = Entry{check, now_ms};
}

void TokenCache::forget(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  entries_.erase(token_hash);
}

std::size_t TokenCache::size() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace kiosk::sync::hq

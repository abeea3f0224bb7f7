#pragma once
// Tokens this process found current a moment ago, so that a busy head office does not ask
// the database again for every request of the same terminal (a store's hundreds of woken
// long-polls at once, each terminal's next long-poll). Kept in memory per process; time is
// passed in.
//
// Exactness: only a token in its steady state is kept (current, no previous token on record,
// not due for rotation for longer than the entry lives), and an entry lives kTokenCacheMs. A
// token revoked or handed over by another process (the `kiosk-hq terminals revoke` command,
// another kiosk-hq on the same PostgreSQL) therefore stops working within kTokenCacheMs; one
// handed over through this process (re-enrollment) stops at once (forget()).
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

// How long a checked token is believed without the database (docs/sync-protocol.md).
inline constexpr std::int64_t kTokenCacheMs = 5'000;

class TokenCache {
 public:
  // max_entries bounds memory: past it expired entries go, and if none had, all of them.
  explicit TokenCache(std::size_t max_entries = 65'536) : max_entries_(max_entries) {}

  // The check kept for this token hash, if it was made less than kTokenCacheMs before now.
  // Thread-safe.
  std::optional<TokenCheck> find(const std::string& token_hash, std::int64_t now_ms);
  // Keeps a check just made by the database, if it is one that may be kept (see above);
  // rotate_before_ms: how long before its expiry a token is replaced.
  void remember(const std::string& token_hash, const TokenCheck& check, std::int64_t now_ms,
                std::int64_t rotate_before_ms);
  // This token changed hands or state through this process: ask the database next time.
  void forget(const std::string& token_hash);
  std::size_t size();

 private:
  struct Entry {
    TokenCheck check;
    std::int64_t checked_at_ms = 0;
  };

  std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // by token hash; guarded by mutex_
};

}  // namespace kiosk::sync::hq

#pragma once
// The kiosk-hq HTTP API as plain function calls: a request (method, path, Authorization
// header, body) in, a status and a JSON body out. No HTTP library types here, so every route
// is unit-testable; http_server.h carries requests to it.
//
// Routes:
//   GET  /healthz    -> 200 {"ok":true}
//   POST /v1/enroll  EnrollRequest -> EnrollResponse; 403 bad_enrollment_code,
//                    429 too_many_attempts (with Retry-After) after repeated wrong codes
//   POST /v1/sync    (Authorization: Bearer <token>) SyncRequest -> SyncResponse; 401
//                    unauthorized | token_expired | token_outdated | terminal_revoked.
//                    With "wait_ms" and nothing to send, the answer is a HoldFor (long-poll).
//   POST /v1/mentions (Authorization: Bearer <ingest key>) {"mentions": [...]} from a
//                    listening tool (docs/hq.md#webhook): each item validated alone, matched
//                    to a store or queued as unmatched; 200 with one result per item. 401
//                    bad key, 403 when no key is configured, 413 past kMaxPushBodyBytes, 400
//                    when the body as a whole is unreadable (not JSON, not UTF-8).
// Every error is a protocol::ErrorBody with a sentence for store IT. A 5xx answer says only
// that head office failed and gives a request id; the detail goes to the error log with it.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sync/hq/api/attempt_throttle.h"
#include "sync/hq/api/token_cache.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

struct ApiRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // without query string
  std::string authorization;  // the Authorization header, empty when absent
  std::string body;
  bool body_too_large = false;      // the transport stopped reading past the limit
  std::string client_address = {};  // the peer's IP address as text; empty when unknown
  // Set by the transport when it asks again after a held long-poll: answer at once.
  bool answer_now = false;
  // With answer_now: the store's latest change seq the transport read when it woke the held
  // request (absent when it read none). Not past the request's cursor: nothing new, answered
  // without the database. Past it: the changes page may come from the per-store page cache.
  std::optional<std::int64_t> store_seq = {};
  // The query string's arguments, decoded, in order (name, value).
  std::vector<std::pair<std::string, std::string>> query = {};
  // The value of a query argument, or empty.
  std::string query_value(const std::string& name) const {
    for (const auto& [n, v] : query)
      if (n == name) return v;
    return {};
  }
};

// A sync that asked to wait (wait_ms) and found nothing to send: the transport holds the
// connection (no thread) until the store's changefeed passes cursor or wait_ms runs out, then
// asks again with answer_now.
struct HoldFor {
  std::string store_id;
  std::int64_t cursor = 0;
  std::int64_t wait_ms = 0;
};

struct ApiResponse {
  int status = 200;
  std::string body;                                          // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Allow
  std::string request_id = {};       // set on 5xx answers: also in the body, the header and the log
  std::optional<HoldFor> hold = {};  // set instead of an answer: hold the connection first
};

// Tokens live this long and are replaced in a sync answer once less than
// kRotateTokenBeforeMs is left (docs/sync-protocol.md).
inline constexpr std::int64_t kTokenLifetimeMs = 90LL * 24 * 3'600'000;
inline constexpr std::int64_t kRotateTokenBeforeMs = 30LL * 24 * 3'600'000;
// Wrong enrollment codes heard before the delay starts, from one address and from all.
inline constexpr int kFreeEnrollFailuresPerAddress = 5;
inline constexpr int kFreeEnrollFailuresOverall = 50;
// POST /v1/mentions bodies larger than this are refused whole (413).
inline constexpr std::size_t kMaxPushBodyBytes = 512u << 10;

using Clock = std::function<std::int64_t()>;  // Unix ms

// Wall-clock Unix milliseconds: the clock the server uses when none is injected.
std::int64_t system_now_ms();

class SyncApi {
 public:
  // storage must outlive the SyncApi. handle() may run on several threads at once.
  explicit SyncApi(HqStorage& storage, Clock clock = system_now_ms);
  ApiResponse handle(const ApiRequest& request) const;
  // A new long-poll that needs neither a worker nor the database when its store has nothing
  // past its cursor: a sync with a wait and nothing to apply, whose token this process found
  // current a moment ago (TokenCache: no rotation or handover is due while it is believed).
  // Says the store (the token's own) and cursor it would wait on; the transport holds it when
  // that cursor is the store's latest seq its watcher read, and otherwise calls handle().
  // Reads no database, so it may run on a network thread.
  std::optional<HoldFor> hold_without_database(const ApiRequest& request) const;
  // Where the detail of 5xx answers goes (HQ's log), one line each with the request id.
  // Set before serving; without one the detail is dropped.
  void set_error_log(std::function<void(const std::string&)> log) { error_log_ = std::move(log); }
  // The API key listening tools present to POST /v1/mentions (at least 24 characters). Only
  // its keyed hash is kept. Without one, the route answers 403. Set before serving.
  void set_ingest_key(const std::string& key) {
    ingest_key_hash_ = key.empty() ? std::string() : storage_.hash_secret(key);
  }

 private:
  struct Caller;  // who a bearer token belongs to, and what to do about the token
  ApiResponse enroll(const ApiRequest& request) const;
  ApiResponse sync(const ApiRequest& request) const;
  ApiResponse push_mentions(const ApiRequest& request) const;
  // The terminal behind the request's token, or the 401 answer for it.
  std::variant<Caller, ApiResponse> authenticate(const ApiRequest& request) const;
  // After a successful sync: rotate the token when due (sets response.new_token).
  void maintain_token(const Caller& caller, protocol::SyncResponse& response) const;
  // A 500 whose body names no file or SQL: detail goes to the error log with a request id.
  ApiResponse storage_error(const std::string& detail) const;

  // The changes page of a woken long-poll: read once per store, cursor and store seq, and
  // shared by every terminal of the store woken at the same cursor (see page_for()).
  struct Page {
    std::int64_t cursor = 0;
    std::vector<protocol::Change> changes;
    bool more = false;
  };
  // A sync that only reads (no events): the page from the cache, or from storage (and then
  // kept). The caller's token was checked already; per-terminal fields are not in a Page.
  Result<protocol::SyncResponse> read_only_sync(const TerminalIdentity& terminal,
                                                const protocol::SyncRequest& request,
                                                std::int64_t store_seq) const;

  HqStorage& storage_;  // every call reads the database, but for the page cache below
  Clock clock_;         // injected so tests can expire codes without sleeping
  std::function<void(const std::string&)> error_log_;
  std::string ingest_key_hash_;  // hash_secret() of the webhook's API key; empty: disabled
  // Wrong enrollment codes, per client address and for all of head office (in memory).
  mutable AttemptThrottle per_address_{
      {kFreeEnrollFailuresPerAddress, 1'000, 15 * 60'000, 3'600'000, 100'000}};
  mutable AttemptThrottle overall_{{kFreeEnrollFailuresOverall, 1'000, 60'000, 600'000, 1}};
  // store id -> the store seq its pages were read at, and its pages by cursor. Pages of a
  // seq the store has moved past are dropped; page limits are the protocol's constants.
  struct StorePages {
    std::int64_t seq = 0;
    std::map<std::int64_t, Page> by_cursor;
  };
  // Tokens checked current within kTokenCacheMs: a request of the same terminal needs no
  // database read to authenticate (revocation elsewhere is seen within kTokenCacheMs).
  mutable TokenCache tokens_;
  mutable std::mutex pages_mutex_;
  mutable std::map<std::string, StorePages> pages_;  // guarded by pages_mutex_
};

// A JSON error body with the given status (also used by the transport for its own errors).
ApiResponse error_response(int status, std::string code, std::string message);

}  // namespace kiosk::sync::hq

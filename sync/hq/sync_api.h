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
// Every error is a protocol::ErrorBody with a sentence for store IT. A 5xx answer says only
// that head office failed and gives a request id; the detail goes to the error log with it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sync/hq/attempt_throttle.h"
#include "sync/hq/hq_storage.h"

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
  std::vector<std::pair<std::string, std::string>> query = {};  // the query string's arguments
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

using Clock = std::function<std::int64_t()>;  // Unix ms

// Wall-clock Unix milliseconds: the clock the server uses when none is injected.
std::int64_t system_now_ms();

class SyncApi {
 public:
  // storage must outlive the SyncApi. handle() may run on several threads at once.
  explicit SyncApi(HqStorage& storage, Clock clock = system_now_ms);
  ApiResponse handle(const ApiRequest& request) const;
  // Where the detail of 5xx answers goes (HQ's log), one line each with the request id.
  // Set before serving; without one the detail is dropped.
  void set_error_log(std::function<void(const std::string&)> log) { error_log_ = std::move(log); }

 private:
  struct Caller;  // who a bearer token belongs to, and what to do about the token
  ApiResponse enroll(const ApiRequest& request) const;
  ApiResponse sync(const ApiRequest& request) const;
  // The terminal behind the request's token, or the 401 answer for it.
  std::variant<Caller, ApiResponse> authenticate(const ApiRequest& request) const;
  // After a successful sync: rotate the token when due (sets response.new_token).
  void maintain_token(const Caller& caller, protocol::SyncResponse& response) const;
  // A 500 whose body names no file or SQL: detail goes to the error log with a request id.
  ApiResponse storage_error(const std::string& detail) const;

  HqStorage& storage_;  // every call reads the database; nothing is cached here
  Clock clock_;         // injected so tests can expire codes without sleeping
  std::function<void(const std::string&)> error_log_;
  // Wrong enrollment codes, per client address and for all of head office (in memory).
  mutable AttemptThrottle per_address_{
      {kFreeEnrollFailuresPerAddress, 1'000, 15 * 60'000, 3'600'000, 100'000}};
  mutable AttemptThrottle overall_{{kFreeEnrollFailuresOverall, 1'000, 60'000, 600'000, 1}};
};

// A JSON error body with the given status (also used by the transport for its own errors).
ApiResponse error_response(int status, std::string code, std::string message);

}  // namespace kiosk::sync::hq

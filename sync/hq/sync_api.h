#pragma once
// The kiosk-hq HTTP API as plain function calls: a request (method, path, Authorization
// header, body) in, a status and a JSON body out. No HTTP library types here, so every route
// is unit-testable; http_server.h carries requests to it.
//
// Routes:
//   GET  /healthz    -> 200 {"ok":true}
//   POST /v1/enroll  EnrollRequest -> EnrollResponse; 403 bad_enrollment_code
//   POST /v1/sync    (Authorization: Bearer <token>) SyncRequest -> SyncResponse; 401
// Every error is a protocol::ErrorBody with a sentence for store IT.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sync/hq/hq_storage.h"

namespace kiosk::sync::hq {

struct ApiRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // without query string
  std::string authorization;  // the Authorization header, empty when absent
  std::string body;
  bool body_too_large = false;  // the transport stopped reading past the limit
};

struct ApiResponse {
  int status = 200;
  std::string body;                                          // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Allow
};

using Clock = std::function<std::int64_t()>;  // Unix ms

// Wall-clock Unix milliseconds: the clock the server uses when none is injected.
std::int64_t system_now_ms();

class SyncApi {
 public:
  // storage must outlive the SyncApi. handle() may run on several threads at once.
  explicit SyncApi(HqStorage& storage, Clock clock = system_now_ms);
  ApiResponse handle(const ApiRequest& request) const;

 private:
  ApiResponse enroll(const ApiRequest& request) const;
  ApiResponse sync(const ApiRequest& request) const;

  HqStorage& storage_;  // every call reads the database; nothing is cached here
  Clock clock_;         // injected so tests can expire codes without sleeping
};

// A JSON error body with the given status (also used by the transport for its own errors).
ApiResponse error_response(int status, std::string code, std::string message);

}  // namespace kiosk::sync::hq

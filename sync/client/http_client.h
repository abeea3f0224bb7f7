#pragma once
// Plain HTTP for the sync client, head office's webhooks and source polls (and for tests that
// talk to a real kiosk-hq). The only place in the project that includes curl. Only http://
// and https:// URLs are followed
// (also across redirects); any other scheme fails with a sentence saying so.
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::sync::client {

struct HttpRequest {
  std::string url;
  std::string body;          // sent as application/json when not empty (POST)
  std::string bearer_token;  // "Authorization: Bearer ..." when not empty
  long timeout_ms = 15000;
  long connect_timeout_ms = 3000;
  // Send a body of protocol::kGzipMinBytes or more gzip-compressed (Content-Encoding: gzip).
  // Only once head office said it reads them (the "features" of a sync answer).
  bool gzip_body = false;
  // When it becomes true the transfer is aborted at once (quitting the app, stopping the
  // worker), instead of waiting for head office or the timeout.
  const std::atomic<bool>* cancel = nullptr;
  // More request headers (name, value), e.g. a webhook's signature. A name with ':' or a line
  // break, or a value with a line break, is left out.
  std::vector<std::pair<std::string, std::string>> headers = {};
  // Who is being reached, in transport errors ("head office took too long to answer"); a
  // source poller names the source's API instead.
  std::string peer = "head office";
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer came back at all
  std::string body;
  std::string transport_error;       // why no answer came (refused, timeout, DNS...), else empty
  std::int64_t body_bytes_sent = 0;  // the request body as it went on the wire
  std::int64_t body_bytes_received = 0;  // the answer body as it came (compressed or not)
  // The answer's headers (name in lower case, value trimmed), of the last response when a
  // redirect was followed: Retry-After, Link, x-rate-limit-reset...
  std::vector<std::pair<std::string, std::string>> headers = {};
  bool answered() const { return status != 0; }
  // The first header of that name (any case), or empty.
  std::string header(std::string_view name) const;
};

// One connection kept alive across requests to the same head office (all the rounds of one
// sync): a catch-up of many pages pays for one TCP (and TLS) handshake, not one per page.
// Not thread-safe: one session per thread.
class HttpSession {
 public:
  HttpSession();
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  HttpResponse post(const HttpRequest& request);
  HttpResponse get(const HttpRequest& request);
  // New TCP connections this session opened so far (1 for a whole healthy catch-up).
  long connections_opened() const { return connections_; }

 private:
  HttpResponse perform(const HttpRequest& request, bool post);
  void* curl_ = nullptr;  // CURL*, kept between requests for its connection cache
  long connections_ = 0;
};

// One request on a connection of its own.
HttpResponse http_post(const HttpRequest& request);
HttpResponse http_get(const HttpRequest& request);

}  // namespace kiosk::sync::client

#pragma once
// Plain HTTP for the sync client (and for tests that talk to a real kiosk-hq). The only
// place in the project that includes curl. Only http:// and https:// URLs are followed
// (also across redirects); any other scheme fails with a sentence saying so.
#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace kiosk::sync::client {

struct HttpRequest {
  std::string url;
  std::string body;          // sent as application/json when not empty (POST)
  std::string bearer_token;  // "Authorization: Bearer ..." when not empty
  long timeout_ms = 15000;
  long connect_timeout_ms = 3000;
  // When it becomes true the transfer is aborted at once (quitting the app, stopping the
  // worker), instead of waiting for head office or the timeout.
  const std::atomic<bool>* cancel = nullptr;
  // More request headers (name, value), e.g. a webhook's signature. A name with ':' or a line
  // break, or a value with a line break, is left out.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer came back at all
  std::string body;
  std::string transport_error;  // why no answer came (refused, timeout, DNS...), else empty
  bool answered() const { return status != 0; }
};

HttpResponse http_post(const HttpRequest& request);
HttpResponse http_get(const HttpRequest& request);

}  // namespace kiosk::sync::client

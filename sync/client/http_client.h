#pragma once
// HTTP(S) for the sync client, head office's webhooks and source polls (and for tests that
// talk to a real kiosk-hq). The only place in the project that includes curl. Only http://
// and https:// URLs are followed
// (also across redirects); any other scheme fails with a sentence saying so.
// https:// is always verified: the certificate chain against the system's CAs (or ca_file)
// and the host name against the certificate; a pinned public key must match as well.
#include <atomic>
#include <cstdint>
#include <optional>
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
  // TLS: trust the CA certificates in this PEM file instead of the system's (a private CA,
  // or a self-signed head office). Empty: the system's CA store.
  std::string ca_file = {};
  // TLS: the server's public key must also match one of these ("sha256//BASE64", several
  // separated by ';'), see is_public_key_pin. Empty: no pin.
  std::string pinned_public_key = {};
};

// Why an https:// request failed in its TLS part, so a caller can say what to do about it.
enum class TlsProblem {
  none,
  untrusted,     // the certificate chain or host name did not verify
  pin_mismatch,  // the server's public key is not the pinned one
  ca_file,       // the CA file could not be read or holds no certificate
  handshake,     // the TLS handshake failed (not TLS at all, protocol or cipher mismatch)
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer came back at all
  std::string body;
  std::string transport_error;  // why no answer came (refused, timeout, DNS...), else empty
  TlsProblem tls_problem = TlsProblem::none;  // when the reason was TLS
  std::int64_t body_bytes_sent = 0;           // the request body as it went on the wire
  std::int64_t body_bytes_received = 0;       // the answer body as it came (compressed or not)
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

// The scheme ("http", "https", lower case) and host (lower case; an IPv6 address without
// brackets) of a URL, read by the same parser that makes the request, so a check on them
// cannot be fooled by a URL that curl reads differently ("http://127.0.0.1@example.com/").
// Empty when the URL cannot be read.
struct UrlTarget {
  std::string scheme;
  std::string host;
};
std::optional<UrlTarget> url_target(const std::string& url);

// 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x), "localhost" and names under ".localhost":
// traffic that never leaves the machine.
bool is_loopback_host(std::string_view host);

// "sha256//" and 44 characters of base64 (a SHA-256 digest), several joined by ';', as
// CURLOPT_PINNEDPUBLICKEY takes them.
bool is_public_key_pin(std::string_view pin);

// One request on a connection of its own.
HttpResponse http_post(const HttpRequest& request);
HttpResponse http_get(const HttpRequest& request);

}  // namespace kiosk::sync::client

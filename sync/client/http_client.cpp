#include "sync/client/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

#include "sync/protocol/gzip.h"

namespace kiosk::sync::client {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  // A sync response bigger than 16 MiB is a broken or hostile server; stop reading.
  if (body->size() + size * n > (16u << 20)) return 0;
  body->append(data, size * n);
  return size * n;
}

// One header line of the answer; a new status line (after a redirect or 100) starts afresh.
std::size_t append_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || headers->size() >= 200) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  headers->emplace_back(std::move(name), std::string(value.substr(0, 8192)));
  return size * n;
}

int check_cancel(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

std::string describe(CURLcode code, const char* detail, const std::string& peer) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return peer + " did not answer (connection refused or no network)";
    case CURLE_COULDNT_RESOLVE_HOST:
      return peer + "'s address could not be found (no network or wrong address)";
    case CURLE_OPERATION_TIMEDOUT:
      return peer + " took too long to answer";
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "the " + peer +
             " address must start with http:// or https:// (other kinds of address, such as "
             "file://, are refused)";
    case CURLE_WRITE_ERROR:
      return peer + " sent a response that is too large";
    case CURLE_ABORTED_BY_CALLBACK:
      return "the request to " + peer + " was stopped";
    case CURLE_PEER_FAILED_VERIFICATION:
      return "the certificate of " + peer + " is not trusted" +
             (detail[0] ? std::string(" (") + detail + ")" : std::string());
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return "the public key of " + peer + " does not match the pinned key";
    case CURLE_SSL_CACERT_BADFILE:
      return "the CA file given for " + peer + " could not be read or holds no certificate" +
             (detail[0] ? std::string(" (") + detail + ")" : std::string());
    case CURLE_SSL_CONNECT_ERROR:
      return "the secure connection (TLS) to " + peer + " could not be set up" +
             (detail[0] ? std::string(" (") + detail + ")" : std::string());
    default:
      return std::string("network error: ") + (detail[0] ? detail : curl_easy_strerror(code));
  }
}

TlsProblem tls_problem_of(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
      return TlsProblem::untrusted;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TlsProblem::pin_mismatch;
    case CURLE_SSL_CACERT_BADFILE:
      return TlsProblem::ca_file;
    case CURLE_SSL_CONNECT_ERROR:
      return TlsProblem::handshake;
    default:
      return TlsProblem::none;
  }
}

}  // namespace

HttpSession::HttpSession() {
  global_init_once();
  curl_ = curl_easy_init();
}

HttpSession::~HttpSession() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpSession::post(const HttpRequest& request) {
  return perform(request, true);
}
HttpResponse HttpSession::get(const HttpRequest& request) {
  return perform(request, false);
}

HttpResponse HttpSession::perform(const HttpRequest& request, bool post) {
  HttpResponse response;
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    response.transport_error = "could not start the network library";
    return response;
  }
  // Options of the previous request go; the connection cache stays.
  curl_easy_reset(curl);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (!request.bearer_token.empty()) {
    auth = "Authorization: Bearer " + request.bearer_token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  std::string gz;
  const std::string* body = &request.body;
  if (post) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    // No "Expect: 100-continue": on a slow link it costs a round trip per request.
    headers = curl_slist_append(headers, "Expect:");
    if (request.gzip_body && request.body.size() >= protocol::kGzipMinBytes) {
      gz = protocol::gzip_compress(request.body);
      if (!gz.empty()) {
        body = &gz;
        headers = curl_slist_append(headers, "Content-Encoding: gzip");
      }
    }
  }
  std::vector<std::string> extra;  // curl copies each line, but keep them alive till then
  for (const auto& [name, value] : request.headers) {
    if (name.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos)
      continue;  // a header that would break the request is never sent
    extra.push_back(name + ": " + value);
    headers = curl_slist_append(headers, extra.back().c_str());
  }

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  // Head office is reached over HTTP(S) only, also after a redirect: never file://, ftp://...
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, request.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // accept gzip when HQ offers it
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  // https:// is verified, always: the chain against the CAs, the name against the certificate.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  if (!request.pinned_public_key.empty())
    curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, request.pinned_public_key.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (request.cancel) {
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, request.cancel);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
  if (post) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }

  const CURLcode rc = curl_easy_perform(curl);
  long opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  connections_ += opened;
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_off_t down = 0;
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
    response.body_bytes_received = static_cast<std::int64_t>(down);
    response.body_bytes_sent = static_cast<std::int64_t>(body->size());
  } else {
    response.status = 0;
    response.body.clear();
    response.transport_error = describe(rc, error_buffer, request.peer);
    response.tls_problem = tls_problem_of(rc);
  }
  curl_slist_free_all(headers);
  return response;
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size() && same; ++i)
      same = n[i] == std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return v;
  }
  return {};
}

std::optional<UrlTarget> url_target(const std::string& url) {
  global_init_once();
  CURLU* u = curl_url();
  if (!u) return std::nullopt;
  std::optional<UrlTarget> out;
  char* scheme = nullptr;
  char* host = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    UrlTarget t{scheme, host};
    for (std::string* part : {&t.scheme, &t.host})
      for (char& c : *part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t.host.size() >= 2 && t.host.front() == '[' && t.host.back() == ']')
      t.host = t.host.substr(1, t.host.size() - 2);
    out = std::move(t);
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return out;
}

HttpResponse http_post(const HttpRequest& request) {
  return HttpSession().post(request);
}
HttpResponse http_get(const HttpRequest& request) {
  return HttpSession().get(request);
}

}  // namespace kiosk::sync::client

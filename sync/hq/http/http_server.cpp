#include "sync/hq/http/http_server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sync/hq/http/tls_identity.h"
#include "sync/protocol/gzip.h"

// [SECTION] listen address
// [SECTION] per-request state and the MHD callbacks
// [SECTION] the worker pool
// [SECTION] held long-polls
// [SECTION] start and stop

namespace kiosk::sync::hq {

using core::Result;

// [SECTION] listen address

Result<ListenAddress> parse_listen_address(const std::string& text) {
  using R = Result<ListenAddress>;
  const auto bad = [&](const std::string& why) {
    return R::failure("--listen \"" + text + "\" " + why +
                      "; give HOST:PORT with an IPv4 address, e.g. 127.0.0.1:8080 (port 0 "
                      "picks a free port)");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return bad("has no port");
  ListenAddress out;
  out.host = text.substr(0, colon);
  if (out.host.empty() || out.host == "*") out.host = "0.0.0.0";
  if (out.host == "localhost") out.host = "127.0.0.1";
  in_addr addr{};
  if (inet_pton(AF_INET, out.host.c_str(), &addr) != 1)
    return bad("has a host that is not an IPv4 address");
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
    return bad("has a port that is not a number from 0 to 65535");
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

// [SECTION] per-request state and the MHD callbacks

namespace {

// One request's state, from its headers to its answer. While its connection is suspended
// (queued for a worker, or held) only the worker or the watcher that has it touches it; the
// epoll thread reads it again after MHD_resume_connection, whose lock orders the writes.
struct RequestState {
  std::string body;
  bool too_large = false;
  ApiRequest request;  // the held request, asked again with answer_now when woken
  bool accepts_gzip = false;
  bool ready = false;    // a worker put the answer in `response`: send it
  bool untimed = false;  // held with the idle timeout off; put back before it is resumed
  ApiResponse response;
};

// A request for the worker pool; its connection is suspended until the worker resumes it.
struct Job {
  MHD_Connection* connection;
  RequestState* state;
  ApiRequest request;
  bool admitted;  // a new request (counts toward queue_limit), not a woken long-poll
};

struct Waiter {
  MHD_Connection* connection;
  RequestState* state;
  std::string store_id;
  std::int64_t cursor;
  std::chrono::steady_clock::time_point deadline;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;  // connection_limit holds the limit in force
  HttpHandler handler;
  ListenAddress address;
  MHD_Daemon* daemon = nullptr;  // null once stopped

  std::mutex waiters_mutex;
  std::condition_variable waiters_cv;
  std::vector<Waiter> waiters;  // guarded by waiters_mutex
  bool stopping = false;        // guarded by waiters_mutex
  // Stores whose changefeed this process just wrote, in that order (store_changed()); the
  // watcher reads their seq at once instead of at its next pass. Guarded by waiters_mutex.
  std::vector<std::string> hinted;
  std::minstd_rand jitter{std::random_device{}()};  // guarded by waiters_mutex
  // Each store's latest seq as the watcher read it at its last pass, for the stores that had
  // waiters then (hold_without_worker). Guarded by waiters_mutex.
  std::unordered_map<std::string, std::int64_t> known_seq;
  std::thread watcher;

  // The worker pool. Lock order: waiters_mutex before jobs_mutex, never the other way.
  std::mutex jobs_mutex;
  std::condition_variable jobs_cv;
  std::deque<Job> jobs;        // guarded by jobs_mutex
  std::size_t admitted = 0;    // new requests in jobs, guarded by jobs_mutex
  bool pool_stopping = false;  // guarded by jobs_mutex
  std::vector<std::thread> pool;

  std::atomic<std::uint64_t> closed_since_trim{0};  // connections closed since malloc_trim

  MHD_Result submit(MHD_Connection* connection, RequestState& state, ApiRequest request);
  void work();
  bool hold(MHD_Connection* connection, RequestState* state, const HoldFor& h);
  bool hold_without_worker(MHD_Connection* connection, RequestState& state, ApiRequest& request);
  void add_waiter(MHD_Connection* connection, RequestState* state, const HoldFor& h);
  void watch();
};

namespace {

ApiResponse call_handler(const HttpServer::Impl& impl, ApiRequest request) {
  try {
    return impl.handler(request);
  } catch (const std::exception& e) {
    // The detail stays here: hq_server.cpp logs it with a request id before this is reached.
    return error_response(500, "internal_error",
                          "Head office hit an unexpected error. Try again; if it keeps "
                          "happening, tell head office IT.");
  } catch (...) {
    return error_response(500, "internal_error",
                          "Head office hit an unexpected error. Try again; if it keeps "
                          "happening, tell head office IT.");
  }
}

MHD_Result send(MHD_Connection* connection, const ApiResponse& r, bool close, bool gzip = false) {
  std::string compressed;
  if (gzip && r.body.size() >= protocol::kGzipMinBytes)
    compressed = protocol::gzip_compress(r.body);
  const std::string& body = compressed.empty() ? r.body : compressed;
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (!response) return MHD_NO;
  bool typed = false;  // the handler chose its own Content-Type (a feed: application/xml)
  for (const auto& [name, value] : r.headers)
    typed = typed || strcasecmp(name.c_str(), MHD_HTTP_HEADER_CONTENT_TYPE) == 0;
  if (!typed) MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  if (!compressed.empty())
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
  MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
  for (const auto& [name, value] : r.headers)
    MHD_add_response_header(response, name.c_str(), value.c_str());
  if (close) MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  const MHD_Result ok = MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return ok;
}

ApiRequest make_request(MHD_Connection* connection, const char* url, const char* method) {
  ApiRequest request;
  request.method = method ? method : "";
  request.path = url ? url : "";
  const char* auth =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (auth) request.authorization = auth;
  MHD_get_connection_values(
      connection, MHD_GET_ARGUMENT_KIND,
      [](void* cls, MHD_ValueKind, const char* key, const char* value) -> MHD_Result {
        auto* query = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
        if (query->size() < 64) query->emplace_back(key ? key : "", value ? value : "");
        return MHD_YES;
      },
      &request.query);
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info && info->client_addr) {
    char text[INET6_ADDRSTRLEN] = {0};
    const sockaddr* sa = info->client_addr;
    if (sa->sa_family == AF_INET)
      ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
    else if (sa->sa_family == AF_INET6)
      ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text,
                  sizeof text);
    request.client_address = text;
  }
  return request;
}

bool declared_length_exceeds(MHD_Connection* connection, std::size_t limit) {
  const char* length =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (!length) return false;
  unsigned long long value = 0;
  const char* end = length + std::strlen(length);
  const auto [ptr, ec] = std::from_chars(length, end, value);
  if (ec == std::errc::result_out_of_range) return true;
  return ec == std::errc() && value > limit;
}

// "gzip" among the Accept-Encoding's codings (q=0 aside, which no terminal sends).
bool accepts_gzip(MHD_Connection* connection) {
  const char* accept =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  return accept && std::strstr(accept, "gzip") != nullptr;
}

std::string content_encoding(MHD_Connection* connection) {
  const char* value =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_ENCODING);
  std::string out = value ? value : "";
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

ApiResponse busy_response(const char* why) {
  ApiResponse r = error_response(503, "busy", why);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char* /*version*/, const char* upload_data,
                      std::size_t* upload_data_size, void** req_cls) {
  auto& impl = *static_cast<HttpServer::Impl*>(cls);
  auto* state = static_cast<RequestState*>(*req_cls);
  if (state && state->ready) {
    // Resumed by the worker that answered it (or by the watcher's worker for a held sync).
    state->ready = false;
    const ApiResponse response = std::move(state->response);
    return send(connection, response, state->too_large, state->accepts_gzip);
  }
  if (!state) {
    // First call: headers only. Refuse an oversized body before reading any of it.
    state = new RequestState;
    *req_cls = state;
    state->accepts_gzip = accepts_gzip(connection);
    if (declared_length_exceeds(connection, impl.options.max_body_bytes)) {
      state->too_large = true;
      ApiRequest request = make_request(connection, url, method);
      request.body_too_large = true;
      return send(connection, call_handler(impl, std::move(request)), /*close=*/true);
    }
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    if (!state->too_large) {
      if (state->body.size() + *upload_data_size > impl.options.max_body_bytes) {
        // A chunked body past the limit: drop what we have and discard the rest.
        state->too_large = true;
        std::string().swap(state->body);
      } else {
        state->body.append(upload_data, *upload_data_size);
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  ApiRequest request = make_request(connection, url, method);
  const std::string encoding = content_encoding(connection);
  if (!state->too_large && encoding == "gzip") {
    auto inflated = protocol::gzip_decompress(state->body, impl.options.max_body_bytes);
    std::string().swap(state->body);
    if (inflated.status == protocol::InflateStatus::too_large) {
      state->too_large = true;
    } else if (inflated.status == protocol::InflateStatus::corrupt) {
      return send(connection,
                  error_response(400, "bad_request",
                                 "Head office could not read the request: its body says it is "
                                 "gzip-compressed but is not valid gzip."),
                  /*close=*/true);
    } else {
      state->body = std::move(inflated.data);
    }
  } else if (!encoding.empty() && encoding != "identity" && encoding != "gzip") {
    return send(connection,
                error_response(415, "unsupported_encoding",
                               "Head office reads request bodies plain or gzip-compressed, not \"" +
                                   encoding + "\". Update the kiosk software."),
                /*close=*/true);
  }
  request.body = std::move(state->body);
  request.body_too_large = state->too_large;
  return impl.submit(connection, *state, std::move(request));
}

void on_completed(void* /*cls*/, MHD_Connection* /*connection*/, void** req_cls,
                  MHD_RequestTerminationCode /*code*/) {
  delete static_cast<RequestState*>(*req_cls);
  *req_cls = nullptr;
}

// The client of a suspended connection closed its end (or reset it): an end of file, or an
// error, where a live one has nothing to read yet.
bool peer_closed(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  if (!info) return false;
  char byte = 0;
  const ssize_t r = ::recv(info->connect_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void on_connection(void* cls, MHD_Connection* /*connection*/, void** /*socket_context*/,
                   MHD_ConnectionNotificationCode code) {
  if (code == MHD_CONNECTION_NOTIFY_CLOSED)
    static_cast<HttpServer::Impl*>(cls)->closed_since_trim.fetch_add(1, std::memory_order_relaxed);
}

// A bound, listening socket, or a sentence saying why not.
Result<int> bind_listener(ListenAddress& address) {
  const std::string where = address.host + ":" + std::to_string(address.port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return Result<int>::failure(std::string("cannot open a network socket: ") +
                                std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(address.port);
  ::inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EADDRINUSE)
      return Result<int>::failure(where +
                                  " is already in use by another program; stop it or "
                                  "choose another port with --listen");
    if (err == EACCES)
      return Result<int>::failure("not allowed to listen on " + where +
                                  " (ports below 1024 need extra rights); choose a port above "
                                  "1024 with --listen");
    if (err == EADDRNOTAVAIL)
      return Result<int>::failure(address.host +
                                  " is not an address of this machine; use 127.0.0.1 or 0.0.0.0 "
                                  "in --listen");
    return Result<int>::failure("cannot listen on " + where + ": " + std::strerror(err));
  }
  if (::listen(fd, 1024) != 0) {
    const int err = errno;
    ::close(fd);
    return Result<int>::failure("cannot listen on " + where + ": " + std::strerror(err));
  }
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  address.port = ntohs(sa.sin_port);
  return fd;
}

}  // namespace

Result<ListenSocket> bind_listen_socket(const std::string& listen) {
  auto address = parse_listen_address(listen);
  if (!address) return Result<ListenSocket>::failure(address.error());
  auto fd = bind_listener(address.value());
  if (!fd) return Result<ListenSocket>::failure(fd.error());
  return ListenSocket{fd.value(), address->port};
}

// [SECTION] the worker pool

// On an epoll thread, with the whole body in: suspend the connection and queue the request,
// or answer 503 at once when the queue is full (or the server is stopping).
MHD_Result HttpServer::Impl::submit(MHD_Connection* connection, RequestState& state,
                                    ApiRequest request) {
  std::unique_lock lock(jobs_mutex);
  // Only while requests wait for a worker: otherwise a worker holds it as soon, and the
  // network threads keep to moving bytes (lock order: waiters_mutex is taken without this).
  if (admitted > 0 && !pool_stopping) {
    lock.unlock();
    if (hold_without_worker(connection, state, request)) return MHD_YES;
    lock.lock();
  }
  if (pool_stopping || admitted >= options.queue_limit) {
    lock.unlock();
    return send(
        connection,
        busy_response(pool_stopping ? "Head office is restarting. The kiosk tries again on its own "
                                      "in a moment; nothing it saved is lost."
                                    : "Head office is busy with other terminals right now. The "
                                      "kiosk tries again on its own in a second; nothing it saved "
                                      "is lost."),
        /*close=*/true);
  }
  // Suspended before it is queued, so no worker can resume it before it is suspended.
  MHD_suspend_connection(connection);
  jobs.push_back({connection, &state, std::move(request), true});
  ++admitted;
  lock.unlock();
  jobs_cv.notify_one();
  return MHD_YES;
}

// A held long-poll is exempt from the idle timeout, which counts from its last activity: a
// wait of 25 s plus a busy queue would otherwise pass 30 s, and libmicrohttpd would close
// the connection unanswered the moment it is resumed. Setting the timeout back from 0 also
// restarts its clock (MHD_set_connection_option); both are done while it is suspended.
namespace {

void exempt_from_timeout(MHD_Connection* connection, RequestState& state) {
  MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
  state.untimed = true;
}

void resume(MHD_Connection* connection, RequestState& state, unsigned idle_timeout_s) {
  if (state.untimed) {
    state.untimed = false;
    MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, idle_timeout_s);
  }
  state.ready = true;
  MHD_resume_connection(connection);
}

}  // namespace

// A worker: run the handler, then hold the connection (a long-poll) or resume it with the
// answer, which the epoll thread sends (on_request, state->ready).
void HttpServer::Impl::work() {
  std::unique_lock lock(jobs_mutex);
  for (;;) {
    jobs_cv.wait(lock, [this] { return pool_stopping || !jobs.empty(); });
    if (jobs.empty()) return;  // stopping, and every queued request answered
    Job job = std::move(jobs.front());
    jobs.pop_front();
    if (job.admitted) --admitted;
    lock.unlock();
    ApiResponse response = call_handler(*this, job.request);
    if (response.hold && !job.request.answer_now) {
      const HoldFor h = *response.hold;
      job.request.answer_now = true;
      job.state->request = job.request;
      if (hold(job.connection, job.state, h)) {  // the watcher has it now; still suspended
        lock.lock();
        continue;
      }
      response = call_handler(*this, job.request);  // stopping: answer now instead of holding
    }
    if (response.hold)  // asked to answer at once but held again: never leave it unanswered
      response = call_handler(*this, job.request);
    response.hold.reset();
    job.state->response = std::move(response);
    resume(job.connection, *job.state, options.idle_timeout_s);
    lock.lock();
  }
}

// [SECTION] held long-polls

// With waiters_mutex held and the connection suspended.
void HttpServer::Impl::add_waiter(MHD_Connection* connection, RequestState* state,
                                  const HoldFor& h) {
  exempt_from_timeout(connection, *state);
  // The hold ends at wait_ms +-20 %, drawn per request: terminals that connected together
  // (a store's network coming back, HQ restarting) do not all come back at the same moment.
  std::uniform_int_distribution<std::int64_t> spread(h.wait_ms * 8 / 10, h.wait_ms * 12 / 10);
  waiters.push_back({connection, state, h.store_id, h.cursor,
                     std::chrono::steady_clock::now() + std::chrono::milliseconds(spread(jitter))});
}

// False when the server is stopping: the caller answers at once.
bool HttpServer::Impl::hold(MHD_Connection* connection, RequestState* state, const HoldFor& h) {
  {
    std::lock_guard lock(waiters_mutex);
    if (stopping) return false;
    add_waiter(connection, state, h);
  }
  waiters_cv.notify_all();
  return true;
}

// On a network thread, while requests wait for a worker: a caught-up terminal's new long-poll
// is held at once, taking no place in the worker queue, when its store has nothing past its
// cursor as far as the watcher's last read says (thousands of terminals connecting at once
// are then not told 503 busy).
// False, leaving request as it was, when a worker must handle it.
bool HttpServer::Impl::hold_without_worker(MHD_Connection* connection, RequestState& state,
                                           ApiRequest& request) {
  if (!options.hold_without_worker) return false;
  const std::optional<HoldFor> h = options.hold_without_worker(request);
  if (!h) return false;
  {
    std::lock_guard lock(waiters_mutex);
    const auto known = known_seq.find(h->store_id);
    if (stopping || known == known_seq.end() || known->second != h->cursor) return false;
    MHD_suspend_connection(connection);
    request.answer_now = true;  // when woken, answered as any held long-poll
    state.request = std::move(request);
    add_waiter(connection, &state, *h);
  }
  waiters_cv.notify_all();
  return true;
}

// Every live_check_ms: one cheap seq read per store that has waiters (at once for a store
// this process just wrote, see store_changed()). A waiter whose store moved past its cursor,
// or whose wait ran out, goes to the worker pool with the seq read, which answers it: the
// moved stores first, in the order they moved, then the waits that ran out (which need no
// database when the seq says nothing is new).
// Also, after a burst of closed connections, the memory they used goes back to the system:
// glibc keeps freed heap pages otherwise, and 20,000 closed connections are hundreds of MiB.
void HttpServer::Impl::watch() {
  constexpr std::uint64_t kTrimAfterCloses = 256;
  auto next_gone_check = std::chrono::steady_clock::now();
  auto next_pass = std::chrono::steady_clock::now();
  std::unique_lock lock(waiters_mutex);
  while (!stopping) {
    if (closed_since_trim.load(std::memory_order_relaxed) >= kTrimAfterCloses) {
      closed_since_trim.store(0, std::memory_order_relaxed);
      lock.unlock();
      ::malloc_trim(0);
      lock.lock();
      continue;
    }
    if (waiters.empty()) {
      hinted.clear();
      waiters_cv.wait_for(lock, std::chrono::seconds(1),
                          [this] { return stopping || !waiters.empty(); });
      next_pass =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(options.live_check_ms);
      continue;
    }
    waiters_cv.wait_until(lock, next_pass, [this] { return stopping || !hinted.empty(); });
    if (stopping) break;
    auto now = std::chrono::steady_clock::now();
    const bool full_pass = now >= next_pass;
    if (full_pass) next_pass = now + std::chrono::milliseconds(options.live_check_ms);
    // store -> latest seq (-1: unknown), read for the hinted stores and, on a full pass, for
    // every store with waiters; `order` lists them hinted first.
    std::vector<std::string> order;
    std::map<std::string, std::int64_t> seq;
    for (auto& store : hinted)
      if (seq.emplace(store, -1).second) order.push_back(store);
    hinted.clear();
    if (full_pass)
      for (const auto& w : waiters)
        if (seq.emplace(w.store_id, -1).second) order.push_back(w.store_id);
    lock.unlock();
    if (options.latest_seq)
      for (auto& [store, value] : seq)
        if (auto latest = options.latest_seq(store)) value = latest.value();
    lock.lock();
    if (full_pass) known_seq.clear();  // only stores read at this pass, so none goes stale
    for (const auto& [store, value] : seq)
      if (value >= 0) known_seq[store] = value;
    now = std::chrono::steady_clock::now();
    // About once a second: a terminal that went away while held (a suspended connection is
    // not polled, so its close goes unseen) is answered now, so its memory and descriptor
    // are given back at once rather than when its wait runs out.
    const bool look_for_gone = full_pass && now >= next_gone_check;
    if (look_for_gone) next_gone_check = now + std::chrono::seconds(1);
    std::vector<Waiter> keep;
    std::map<std::string, std::vector<Waiter>> moved;  // by store
    std::vector<Waiter> ran_out;
    std::size_t woken = 0;
    for (auto& w : waiters) {
      if (look_for_gone && peer_closed(w.connection)) {
        w.state->response = busy_response("The terminal closed the connection.");
        resume(w.connection, *w.state, options.idle_timeout_s);
        continue;
      }
      const auto it = seq.find(w.store_id);
      const bool known = it != seq.end() && it->second >= 0;
      if (known && it->second > w.cursor) {
        w.state->request.store_seq = it->second;
        moved[w.store_id].push_back(w);
        ++woken;
      } else if (full_pass && now >= w.deadline) {
        // Nothing new as far as the seq read says; a failed read says nothing: then the
        // handler reads the store itself.
        if (known)
          w.state->request.store_seq = it->second;
        else
          w.state->request.store_seq.reset();
        ran_out.push_back(w);
        ++woken;
      } else {
        keep.push_back(w);
      }
    }
    {
      std::lock_guard jobs_lock(jobs_mutex);
      for (const auto& store : order) {
        const auto it = moved.find(store);
        if (it == moved.end()) continue;
        for (auto& w : it->second) jobs.push_back({w.connection, w.state, w.state->request, false});
      }
      for (auto& w : ran_out) jobs.push_back({w.connection, w.state, w.state->request, false});
    }
    if (woken == 1) jobs_cv.notify_one();
    if (woken > 1) jobs_cv.notify_all();
    waiters.swap(keep);
  }
}

void HttpServer::store_changed(const std::string& store_id) {
  {
    std::lock_guard lock(impl_->waiters_mutex);
    if (impl_->waiters.empty()) return;
    impl_->hinted.push_back(store_id);
  }
  impl_->waiters_cv.notify_all();
}

// [SECTION] start and stop

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  using R = Result<std::unique_ptr<HttpServer>>;
  auto address = parse_listen_address(options.listen);
  if (!address) return R::failure(address.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.workers == 0) impl->options.workers = 1;
  if (impl->options.queue_limit == 0) impl->options.queue_limit = 1;
  impl->handler = std::move(handler);
  impl->address = address.value();
  Result<int> fd = options.listen_fd;
  if (options.listen_fd < 0) {
    fd = bind_listener(impl->address);
    if (!fd) return R::failure(fd.error());
  } else {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    if (::getsockname(options.listen_fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
      impl->address.port = ntohs(sa.sin_port);
  }

  // Connections stay below the open-file limit: past it accept() fails and nobody, not even a
  // well-behaved terminal, gets in.
  const std::uint64_t files = raise_open_file_limit();
  const std::uint64_t room =
      files > 2 * kReservedFileDescriptors ? files - kReservedFileDescriptors : files / 2;
  std::uint64_t limit = options.connection_limit == 0 ? room : options.connection_limit;
  if (limit > room) limit = room;
  impl->options.connection_limit = static_cast<unsigned>(limit > 0 ? limit : 1);

  // Internal polling threads, each with its own epoll set; no thread per connection.
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
  const unsigned threads = options.threads > 1 ? options.threads : 1;
  // TLS (GnuTLS inside libmicrohttpd) when a certificate and key were given; MHD copies
  // neither, so they are read from impl->options, which lives as long as the daemon.
  const bool tls = !options.tls_cert_pem.empty() && !options.tls_key_pem.empty();
  if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
    ::close(fd.value());
    return R::failure(
        "this libmicrohttpd was built without TLS, so kiosk-hq cannot serve https:// itself; "
        "serve plain http on loopback behind a reverse proxy that terminates TLS "
        "(docs/hq.md#tls)");
  }
  MHD_OptionItem tls_items[] = {
      {MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(impl->options.tls_cert_pem.c_str())},
      {MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(impl->options.tls_key_pem.c_str())},
      {MHD_OPTION_END, 0, nullptr}};
  MHD_OptionItem no_items[] = {{MHD_OPTION_END, 0, nullptr}};
  if (tls) flags |= MHD_USE_TLS;
  // Per-connection memory: headers and buffers only (bodies arrive in pieces); at least 4 KiB.
  const std::size_t memory =
      options.connection_memory_bytes < 4096 ? 4096 : options.connection_memory_bytes;
  const std::size_t increment = memory / 8 < 1024 ? memory / 8 : 1024;
  impl->daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &on_request, impl.get(), MHD_OPTION_LISTEN_SOCKET, fd.value(),
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, options.idle_timeout_s,
      MHD_OPTION_CONNECTION_LIMIT, impl->options.connection_limit,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, options.per_address_limit, MHD_OPTION_NOTIFY_COMPLETED,
      &on_completed, nullptr, MHD_OPTION_NOTIFY_CONNECTION, &on_connection, impl.get(),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_CONNECTION_MEMORY_INCREMENT, increment,
      MHD_OPTION_ARRAY, tls ? tls_items : no_items, MHD_OPTION_END);
  if (!impl->daemon) {
    ::close(fd.value());
    if (tls)
      return R::failure("the HTTPS server (libmicrohttpd with GnuTLS) could not start on " +
                        options.listen +
                        "; check that --tls-key is the unencrypted private key of --tls-cert");
    return R::failure("the HTTP server (libmicrohttpd) could not start on " + options.listen +
                      "; check the system's limits on threads and open files");
  }
  Impl* raw = impl.get();
  for (unsigned i = 0; i < impl->options.workers; ++i)
    impl->pool.emplace_back([raw] { raw->work(); });
  impl->watcher = std::thread([raw] { raw->watch(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

// Held long-polls and queued requests are answered before the daemon goes (MHD must not stop
// with a suspended connection); requests that arrive meanwhile get 503 with Retry-After.
void HttpServer::stop() {
  if (!impl_) return;
  if (impl_->watcher.joinable()) {
    std::vector<Waiter> held;
    {
      std::lock_guard lock(impl_->waiters_mutex);
      impl_->stopping = true;  // from here on a worker answers instead of holding
      held.swap(impl_->waiters);
    }
    impl_->waiters_cv.notify_all();
    impl_->watcher.join();
    {
      std::lock_guard lock(impl_->jobs_mutex);
      for (auto& w : held) {
        w.state->request.store_seq.reset();  // stopping: read the store once more, not guess
        impl_->jobs.push_back({w.connection, w.state, w.state->request, false});
      }
      impl_->pool_stopping = true;
    }
    impl_->jobs_cv.notify_all();
    for (auto& t : impl_->pool) t.join();
    impl_->pool.clear();
  }
  if (impl_->daemon) {
    MHD_stop_daemon(impl_->daemon);  // joins the epoll threads, closes the listen socket
    impl_->daemon = nullptr;
  }
}

unsigned HttpServer::connection_limit() const {
  return impl_->options.connection_limit;
}

std::size_t HttpServer::held_connections() const {
  std::lock_guard lock(impl_->waiters_mutex);
  return impl_->waiters.size();
}

unsigned HttpServer::workers() const {
  return impl_->options.workers;
}

unsigned HttpServer::per_address_limit() const {
  return impl_->options.per_address_limit;
}

bool http_server_supports_tls() {
  return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

std::uint64_t raise_open_file_limit() {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return 1024;  // the usual default
  if (files.rlim_cur < files.rlim_max) {
    rlimit raised = files;
    raised.rlim_cur = files.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) files = raised;
  }
  // select()-free (epoll), so descriptors past FD_SETSIZE are fine; cap only for the arithmetic.
  return files.rlim_cur == RLIM_INFINITY ? (1u << 20) : static_cast<std::uint64_t>(files.rlim_cur);
}

std::uint16_t HttpServer::port() const {
  return impl_->address.port;
}

std::string HttpServer::url() const {
  const std::string host = impl_->address.host == "0.0.0.0" ? "127.0.0.1" : impl_->address.host;
  const bool tls = !impl_->options.tls_cert_pem.empty();
  return (tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->address.port);
}

}  // namespace kiosk::sync::hq

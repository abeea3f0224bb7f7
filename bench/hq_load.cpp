// kiosk-hq under many waiting terminals: a load generator on loopback (plain HTTP, epoll,
// non-blocking sockets, source addresses 127.0.0.2..127.0.0.N to get past the ephemeral port
// range), against the real kiosk-hq binary on SQLite or PostgreSQL. Bounded in time.
//
//   hq_load [--connections 20000] [--terminals 2000] [--stores 20] [--addresses 10] [--samples 400]
//           [--fanouts 3] [--workers 4] [--db postgresql://...] [--seconds 170]
//
// Terminals are enrolled through SyncApi in-process (the same code as POST /v1/enroll, without
// the round trips); connection i long-polls as terminal i % terminals (its token and store), so
// 2,000 enrolled terminals carry 20,000 connections, each request authenticated on its own. Each
// connection then keeps one long-poll (POST /v1/sync with wait_ms 25,000) open, posting the next
// one as soon as an answer comes, as a terminal's sync worker does. Measured, each beside its
// baseline at 0 waiting connections: the p50/p99 of ordinary (catch-up) sync requests from one more
// terminal; the time until every waiting terminal of one store has a mention added for it
// (baseline: one terminal waiting); kiosk-hq's RSS per waiting connection; and its RSS after they
// all closed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/hq/api/admin.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/json_codec.h"
#include "tests/support/process.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using SteadyClock = std::chrono::steady_clock;

namespace {

double ms_between(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(v.size() - 1, at)];
}

long own_rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// kiosk-hq's RSS: the process and, with --processes, the server processes it started.
long rss_kib(pid_t pid) {
  long total = own_rss_kib(pid);
  std::ifstream children("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) +
                         "/children");
  for (pid_t child = 0; children >> child;) total += own_rss_kib(child);
  return total;
}

// The load average over the last minute, as /proc/loadavg says it.
double load_average() {
  std::ifstream in("/proc/loadavg");
  double one = -1;
  in >> one;
  return one;
}

// Raises this process's open-file limit (soft, and hard when allowed: root) so it and the
// kiosk-hq it starts can hold `want` descriptors; returns the soft limit now in force.
rlim_t raise_files(rlim_t want) {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_max < want) {
    rlimit raised{want, want};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return want;
  }
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
  getrlimit(RLIMIT_NOFILE, &r);
  return r.rlim_cur;
}

std::string request_text(int port, const std::string& token, const std::string& body) {
  return "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// One complete HTTP response at the front of buf: its status and body, and how many bytes it
// took; 0 when it is not all there yet.
std::size_t parse_response(const std::string& buf, int& status, std::string& body) {
  const auto end = buf.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  status = std::atoi(buf.c_str() + 9);
  std::size_t length = 0;
  const auto cl = buf.find("Content-Length:");
  if (cl != std::string::npos && cl < end)
    length = std::strtoul(buf.c_str() + cl + 15, nullptr, 10);
  if (buf.size() < end + 4 + length) return 0;
  body = buf.substr(end + 4, length);
  return end + 4 + length;
}

struct Terminal {
  std::string token;
  int store = 0;
  std::int64_t cursor = 0;  // caught up: its store's latest change
};

struct Conn {
  int fd = -1;
  int terminal = 0;
  std::int64_t cursor = 0;
  bool connected = false;
  bool answered = false;                 // had at least one answer
  std::string out;                       // still to write
  std::string in;                        // read, not yet a whole response
  SteadyClock::time_point changed_at{};  // when an answer with changes came (fan-out)
};

// Why a connection ended before kiosk-hq answered it (the load generator never closes one).
enum class Cause { connect, reset, end_of_file, send, other };
constexpr std::size_t kCauses = 5;

// The waiting terminals: one epoll loop on its own thread.
class Waiters {
 public:
  Waiters(int port, int addresses, const std::vector<Terminal>& terminals)
      : port_(port), addresses_(addresses), terminals_(terminals) {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
  }
  ~Waiters() {
    stop();
    for (auto& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    ::close(ep_);
  }

  void start() {
    thread_ = std::thread([this] { loop(); });
  }
  void stop() {
    running_ = false;
    if (thread_.joinable()) thread_.join();
  }

  // Queues connections to terminals [from, to); the loop keeps at most 256 connects in
  // flight, and each sends its long-poll as soon as it is connected.
  void open(int from, int to) {
    std::lock_guard lock(mutex_);
    for (int t = from; t < to; ++t) pending_.push_back(t);
  }
  std::size_t connected() const { return connected_.load(); }
  std::size_t failed() const { return failed_.load(); }    // could not even connect
  std::size_t dropped() const { return dropped_.load(); }  // closed by kiosk-hq, reconnected
  std::size_t busy() const { return busy_.load(); }        // 503 answers
  std::size_t dropped_unanswered() const { return dropped_unanswered_.load(); }
  std::size_t answers() const { return answers_.load(); }
  std::size_t unanswered_by(Cause cause) const {
    return unanswered_by_cause_[static_cast<std::size_t>(cause)].load();
  }

  // Marks the time; fan-out answers for `store` after it are recorded.
  void watch_store(int store) {
    std::lock_guard lock(mutex_);
    watched_store_ = store;
    changed_.clear();
  }
  std::vector<SteadyClock::time_point> changed() {
    std::lock_guard lock(mutex_);
    return changed_;
  }
  std::size_t waiting_of(int store) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& c : conns_)
      if (c.fd >= 0 && terminals_[static_cast<std::size_t>(c.terminal)].store == store) ++n;
    return n;
  }

  // Closes every connection (the loop does it) and returns once they are closed.
  void close_all() {
    {
      std::lock_guard lock(mutex_);
      close_requested_ = true;
    }
    while (!closed_done_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

 private:
  void loop() {
    std::vector<epoll_event> events(1024);
    while (running_) {
      {
        std::lock_guard lock(mutex_);
        if (close_requested_ && !closed_done_) {
          for (auto& c : conns_)
            if (c.fd >= 0) {
              ::close(c.fd);
              c.fd = -1;
            }
          conns_.clear();
          connected_ = 0;
          closed_done_ = true;
        }
        // A terminal refused (503) or dropped comes back after a second, as its worker would.
        const auto now = SteadyClock::now();
        while (!retry_.empty() && retry_.front().first <= now) {
          pending_.push_back(retry_.front().second);
          retry_.pop_front();
        }
        // Up to 256 connects in flight: past the listen backlog, SYNs would wait a second.
        while (!pending_.empty() && in_flight_ < 256) {
          const int t = pending_[next_pending_++];
          if (next_pending_ == pending_.size()) {
            pending_.clear();
            next_pending_ = 0;
          }
          connect_one(t);
        }
      }
      const int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 20);
      std::lock_guard lock(mutex_);
      for (int i = 0; i < n; ++i) {
        auto& c = conns_[events[static_cast<std::size_t>(i)].data.u32];
        if (c.fd < 0) continue;
        const auto ev = events[static_cast<std::size_t>(i)].events;
        if (!c.connected && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
          int err = 0;
          socklen_t len = sizeof err;
          getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
          --in_flight_;
          if (err != 0) {
            drop(c, Cause::connect);
            continue;
          }
          c.connected = true;
          ++connected_;
          queue_poll(c);
        }
        if (ev & EPOLLOUT) flush(c);
        if (c.fd >= 0 && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_some(c);
      }
    }
  }

  void connect_one(int t) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      ++failed_;
      return;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(0x7f000002u + static_cast<std::uint32_t>(t % addresses_));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      ::close(fd);
      ++failed_;
      return;
    }
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<std::uint16_t>(port_));
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
    if (rc != 0 && errno != EINPROGRESS) {
      ::close(fd);
      ++failed_;
      return;
    }
    Conn c;
    c.fd = fd;
    c.terminal = t;
    c.cursor = terminals_[static_cast<std::size_t>(t)].cursor;
    conns_.push_back(std::move(c));
    ++in_flight_;
    epoll_event e{};
    e.events = EPOLLIN | EPOLLOUT | EPOLLET;
    e.data.u32 = static_cast<std::uint32_t>(conns_.size() - 1);
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &e);
  }

  void queue_poll(Conn& c) {
    protocol::SyncRequest r;
    r.cursor = c.cursor;
    r.wait_ms = 25000;
    c.out += request_text(port_, terminals_[static_cast<std::size_t>(c.terminal)].token,
                          protocol::encode(r));
    flush(c);
  }

  void flush(Conn& c) {
    while (c.fd >= 0 && !c.out.empty()) {
      const ssize_t w = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno != EAGAIN) drop(c, Cause::send);
        return;
      }
      c.out.erase(0, static_cast<std::size_t>(w));
    }
  }

  void read_some(Conn& c) {
    char buf[16384];
    std::optional<Cause> closed;  // kiosk-hq ended the connection (after what was read)
    for (;;) {
      const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
      if (r == 0 || (r < 0 && errno != EAGAIN)) {
        closed = r == 0 ? Cause::end_of_file : errno == ECONNRESET ? Cause::reset : Cause::other;
        break;
      }
      if (r < 0) break;
      c.in.append(buf, static_cast<std::size_t>(r));
    }
    // An answer followed by the close in the same read (a 503 busy is sent with "Connection:
    // close") is an answer: it is counted before the close is.
    int status = 0;
    std::string body;
    while (std::size_t used = parse_response(c.in, status, body)) {
      c.in.erase(0, used);
      c.answered = true;
      ++answers_;
      if (status == 503) ++busy_;
      if (status == 200) {
        auto decoded = protocol::decode_sync_response(body);
        if (decoded) {
          c.cursor = decoded->cursor;
          if (!decoded->changes.empty() &&
              terminals_[static_cast<std::size_t>(c.terminal)].store == watched_store_)
            changed_.push_back(SteadyClock::now());
        }
      }
      if (!closed) queue_poll(c);
    }
    if (closed) drop(c, *closed);
  }

  void drop(Conn& c, Cause cause) {
    if (c.fd < 0) return;
    if (!c.answered) ++unanswered_by_cause_[static_cast<std::size_t>(cause)];
    if (!c.connected) --in_flight_;
    if (c.connected) --connected_;
    ::close(c.fd);
    c.fd = -1;
    ++dropped_;
    if (!c.answered) ++dropped_unanswered_;
    retry_.emplace_back(SteadyClock::now() + std::chrono::seconds(1), c.terminal);
  }

  int port_;
  int addresses_;
  const std::vector<Terminal>& terminals_;
  int ep_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{true};
  std::mutex mutex_;
  std::vector<Conn> conns_;  // guarded by mutex_ (the loop holds it while it works)
  std::vector<int> pending_;
  std::size_t next_pending_ = 0;
  int in_flight_ = 0;
  int watched_store_ = -1;
  std::vector<SteadyClock::time_point> changed_;
  bool close_requested_ = false;
  std::atomic<bool> closed_done_{false};
  std::atomic<std::size_t> connected_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::size_t> dropped_{0};
  std::atomic<std::size_t> dropped_unanswered_{0};
  std::atomic<std::size_t> busy_{0};
  std::array<std::atomic<std::size_t>, kCauses> unanswered_by_cause_{};
  std::deque<std::pair<SteadyClock::time_point, int>> retry_;
  std::atomic<std::size_t> answers_{0};
};

// Ordinary sync requests (a catch-up, no wait) from one more terminal on one kept-alive
// connection, one after another with a pause; their round trips in ms.
std::vector<double> sync_latencies(int port, const std::string& token, int samples) {
  std::vector<double> ms;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<std::uint16_t>(port));
  dst.sin_addr.s_addr = htonl(0x7f000001u);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    ::close(fd);
    return ms;
  }
  const std::string req = request_text(port, token, protocol::encode(protocol::SyncRequest{}));
  std::string in;
  for (int i = 0; i < samples; ++i) {
    const auto t0 = SteadyClock::now();
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) break;
    int status = 0;
    std::string body;
    std::size_t used = 0;
    char buf[65536];
    while ((used = parse_response(in, status, body)) == 0) {
      const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
      if (r <= 0) break;
      in.append(buf, static_cast<std::size_t>(r));
    }
    if (used == 0) break;
    in.erase(0, used);
    ms.push_back(status == 200 ? ms_between(t0, SteadyClock::now()) : 1e9);
    std::this_thread::sleep_for(std::chrono::milliseconds(4));
  }
  ::close(fd);
  return ms;
}

// A mention for `store` added by another process's connection (as the poller would), then the
// time until every waiting terminal of that store has had an answer with it.
struct FanOut {
  double all_ms = -1;  // -1: not every terminal got it in time
  double median_ms = -1;
  std::size_t got = 0;
  std::size_t expected = 0;
};

FanOut fan_out(hq::HqStorage& storage, Waiters& waiters, int store, int n) {
  FanOut f;
  f.expected = waiters.waiting_of(store);
  waiters.watch_store(store);
  const std::string id = "google:load-" + std::to_string(store) + "-" + std::to_string(n);
  const auto t0 = SteadyClock::now();
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  auto added =
      storage.upsert_mentions("s" + std::to_string(store),
                              {{id, "", "google", "@guest",
                                "Queue out of the door at the till, waited 30 minutes", "", wall}},
                              wall);
  if (!added) {
    std::fprintf(stderr, "hq_load: adding a mention failed: %s\n", added.error().c_str());
    return f;
  }
  const auto limit = t0 + std::chrono::seconds(10);
  std::vector<SteadyClock::time_point> got;
  while (SteadyClock::now() < limit) {
    got = waiters.changed();
    if (got.size() >= f.expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<double> ms;
  for (const auto& t : got) ms.push_back(ms_between(t0, t));
  f.got = got.size();
  f.median_ms = quantile(ms, 0.5);
  if (f.got >= f.expected && !ms.empty()) f.all_ms = *std::max_element(ms.begin(), ms.end());
  return f;
}

struct Args {
  int connections = 20000;
  int terminals = 2000;  // enrolled; more connections share their tokens round-robin
  int stores = 20;
  int addresses = 10;
  int samples = 400;
  int fanouts = 3;
  int workers = 4;
  int seconds = 170;
  std::string db;          // empty: SQLite in a temp folder
  int processes = 1;       // kiosk-hq serve --processes
  int load_processes = 1;  // load-generator processes holding the waiting connections
};

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--connections")
      a.connections = std::stoi(value);
    else if (flag == "--terminals")
      a.terminals = std::stoi(value);
    else if (flag == "--stores")
      a.stores = std::stoi(value);
    else if (flag == "--addresses")
      a.addresses = std::stoi(value);
    else if (flag == "--samples")
      a.samples = std::stoi(value);
    else if (flag == "--fanouts")
      a.fanouts = std::stoi(value);
    else if (flag == "--workers")
      a.workers = std::stoi(value);
    else if (flag == "--seconds")
      a.seconds = std::stoi(value);
    else if (flag == "--db")
      a.db = value;
    else if (flag == "--processes")
      a.processes = std::stoi(value);
    else if (flag == "--load-processes")
      a.load_processes = std::max(1, std::stoi(value));
    else {
      std::fprintf(stderr, "hq_load: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  const double load_start = load_average();
  const auto started = SteadyClock::now();
  const auto deadline = started + std::chrono::seconds(a.seconds);
  ::signal(SIGPIPE, SIG_IGN);

  // Descriptors: the connections on both sides, and some room.
  // With several load processes each holds its share (kiosk-hq's server processes likewise).
  const rlim_t want =
      static_cast<rlim_t>(a.connections / std::min(a.load_processes, std::max(1, a.processes))) +
      4096;
  const rlim_t files = raise_files(want);
  std::printf("open-file limit: %llu (wanted %llu)\n", static_cast<unsigned long long>(files),
              static_cast<unsigned long long>(want));
  if (files < want) {
    // kiosk-hq keeps 128 descriptors back and needs a few of its own.
    a.connections = static_cast<int>(files) - 200;
    std::printf(
        "the open-file limit is too low for the connections asked; raise it (ulimit -n, "
        "as root) or ask for fewer: using %d\n",
        a.connections);
    if (a.connections <= 0) return 1;
  }

  const auto dir = std::filesystem::temp_directory_path() / ("kiosk-hq-load-" + hq::make_uuid());
  std::filesystem::create_directories(dir);
  const std::string db = a.db.empty() ? (dir / "hq.sqlite").string() : a.db;
  const std::string secret = (dir / "hq.secret").string();
  const bool pg = !a.db.empty();

  // Stores, a mention each, and a terminal per connection (plus one for the latency samples).
  std::vector<Terminal> terminals;
  std::string sampler_token;
  {
    auto opened = hq::open_hq_storage(db, hq::StorageMode::create_if_missing, secret);
    if (!opened) {
      std::fprintf(stderr, "hq_load: %s\n", opened.error().c_str());
      return 1;
    }
    auto& storage = *opened.value();
    const auto wall = hq::system_now_ms();
    for (int s = 0; s < a.stores; ++s) {
      storage.add_store({"s" + std::to_string(s), "Store " + std::to_string(s)});
      storage.upsert_mentions("s" + std::to_string(s),
                              {{"google:first-" + std::to_string(s), "", "google", "@guest",
                                "Friendly staff at the bakery", "", wall}},
                              wall);
    }
    hq::SyncApi api(storage, hq::system_now_ms);
    const auto t0 = SteadyClock::now();
    const int enrolled = std::min(a.terminals, a.connections);
    for (int t = 0; t <= enrolled; ++t) {
      const int store = t % a.stores;
      auto code = hq::issue_enrollment_code(storage, "s" + std::to_string(store), 1, wall);
      hq::ApiRequest r;
      r.method = "POST";
      r.path = "/v1/enroll";
      r.client_address = "127.0.0.2";
      r.body = protocol::encode(protocol::EnrollRequest{code.value(), "Till " + std::to_string(t)});
      const auto answer = api.handle(r);
      if (answer.status != 200) {
        std::fprintf(stderr, "hq_load: enrolling failed: %s\n", answer.body.c_str());
        return 1;
      }
      const std::string token = protocol::decode_enroll_response(answer.body)->token;
      if (t == enrolled)
        sampler_token = token;
      else
        terminals.push_back({token, store});
    }
    std::printf("backend: %s; %d terminals enrolled in %d stores in %.1f s\n",
                pg ? "PostgreSQL" : "SQLite", enrolled + 1, a.stores,
                ms_between(t0, SteadyClock::now()) / 1000);
    // Connection i is terminal i % enrolled: the same store and token, so a store's
    // connections are those of its terminals.
    for (int i = enrolled; i < a.connections; ++i)
      terminals.push_back(terminals[static_cast<std::size_t>(i % enrolled)]);
  }

  // The real kiosk-hq.
  const std::string port_file = (dir / "port").string();
  const std::string hq_binary = KIOSK_HQ_BINARY;
  kiosk::testing::ChildProcess server(
      {hq_binary, "--db", db, "--secret-file", secret, "--listen", "127.0.0.1:0", "--port-file",
       port_file, "--quiet", "--workers", std::to_string(a.workers),
       "--max-connections-per-address", "100000", "--processes", std::to_string(a.processes)},
      (dir / "kiosk-hq.log").string());
  int port = 0;
  const auto spawned = SteadyClock::now();
  while (port == 0 && SteadyClock::now() < spawned + std::chrono::seconds(30)) {
    std::ifstream in(port_file);
    in >> port;
    if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (port == 0) {
    std::fprintf(stderr, "hq_load: kiosk-hq did not start; its log:\n%s\n",
                 kiosk::testing::read_whole_file((dir / "kiosk-hq.log").string()).c_str());
    return 1;
  }
  const pid_t pid = server.pid();
  auto storage = hq::open_hq_storage(db, hq::StorageMode::must_exist, secret);
  if (!storage) {
    std::fprintf(stderr, "hq_load: %s\n", storage.error().c_str());
    return 1;
  }

  // Online terminals are caught up: each waits from its store's latest change.
  for (auto& t : terminals) {
    auto latest = storage.value()->latest_seq("s" + std::to_string(t.store));
    if (latest) t.cursor = latest.value();
  }

  // Baseline: nobody waiting.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long rss0 = rss_kib(pid);
  const auto base = sync_latencies(port, sampler_token, a.samples);
  Waiters one(port, a.addresses, terminals);
  one.start();
  one.open(0, 1);
  while (one.connected() < 1 && SteadyClock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::vector<double> base_fan;
  for (int i = 0; i < a.fanouts; ++i) {
    const auto f = fan_out(*storage.value(), one, 0, 1000 + i);
    base_fan.push_back(f.all_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  one.close_all();
  one.stop();

  // Loaded: every terminal waiting. With --load-processes P the stores are split in P
  // contiguous parts, each part's connections held by its own process (its own open-file
  // limit); this process keeps the first part, which has the stores the fan-outs change.
  const auto part_of = [&](int store) { return store * a.load_processes / a.stores; };
  std::vector<Terminal> mine;
  std::vector<pid_t> helpers;
  std::vector<int> helper_pipes;  // read ends: "connected failed busy dropped unanswered"
  int stop_helpers[2] = {-1, -1};
  if (a.load_processes > 1 && ::pipe(stop_helpers) != 0) return 1;
  for (int part = 1; part < a.load_processes; ++part) {
    std::vector<Terminal> theirs;
    for (const auto& t : terminals)
      if (part_of(t.store) == part) theirs.push_back(t);
    int report[2];
    if (::pipe(report) != 0) return 1;
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
      ::close(report[0]);
      ::close(stop_helpers[1]);
      Waiters held(port, a.addresses, theirs);
      held.start();
      held.open(0, static_cast<int>(theirs.size()));
      const auto t0 = SteadyClock::now();
      while (held.connected() + held.failed() < theirs.size() &&
             SteadyClock::now() < t0 + std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::seconds(2));
      std::string line = std::to_string(held.connected()) + "\n";
      if (::write(report[1], line.data(), line.size()) < 0) ::_exit(1);
      char byte = 0;
      while (::read(stop_helpers[0], &byte, 1) > 0) {  // until the parent closes it
      }
      line = std::to_string(held.failed()) + " " + std::to_string(held.busy()) + " " +
             std::to_string(held.dropped()) + " " + std::to_string(held.dropped_unanswered()) +
             "\n";
      held.close_all();
      held.stop();
      if (::write(report[1], line.data(), line.size()) < 0) ::_exit(1);
      ::_exit(0);
    }
    ::close(report[1]);
    helpers.push_back(child);
    helper_pipes.push_back(report[0]);
  }
  if (a.load_processes > 1) ::close(stop_helpers[0]);
  for (const auto& t : terminals)
    if (part_of(t.store) == 0) mine.push_back(t);
  const auto read_numbers = [](int fd, int count) {
    std::vector<std::size_t> out;
    std::string text;
    char c = 0;
    while (static_cast<int>(out.size()) < count && ::read(fd, &c, 1) == 1) {
      if (c == ' ' || c == '\n') {
        if (!text.empty()) out.push_back(std::stoul(text));
        text.clear();
      } else {
        text.push_back(c);
      }
    }
    out.resize(static_cast<std::size_t>(count), 0);
    return out;
  };
  Waiters all(port, a.addresses, mine);
  all.start();
  const auto open_t0 = SteadyClock::now();
  all.open(0, static_cast<int>(mine.size()));
  while (all.connected() + all.failed() < mine.size() &&
         SteadyClock::now() < open_t0 + std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::size_t helpers_waiting = 0;
  for (int fd : helper_pipes) helpers_waiting += read_numbers(fd, 1)[0];
  const double open_s = ms_between(open_t0, SteadyClock::now()) / 1000;
  std::this_thread::sleep_for(std::chrono::seconds(2));  // every long-poll held
  const std::size_t waiting = all.connected() + helpers_waiting;
  double load_max = load_average();
  const long rss1 = rss_kib(pid);
  const auto loaded = sync_latencies(port, sampler_token, a.samples);
  std::vector<double> fan_all, fan_median;
  std::size_t fan_short = 0;
  for (int i = 0; i < a.fanouts && SteadyClock::now() < deadline - std::chrono::seconds(15); ++i) {
    load_max = std::max(load_max, load_average());
    const auto f = fan_out(*storage.value(), all, i % a.stores, 2000 + i);
    if (f.all_ms < 0) ++fan_short;
    fan_all.push_back(f.all_ms < 0 ? 1e9 : f.all_ms);
    fan_median.push_back(f.median_ms);
    std::printf(
        "  change to store s%d: %zu of %zu waiting terminals had it, median %.0f ms, "
        "last %.0f ms\n",
        i % a.stores, f.got, f.expected, f.median_ms, f.all_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::size_t failed = all.failed();
  std::size_t dropped = all.dropped();
  std::size_t busy = all.busy();
  std::size_t unanswered = all.dropped_unanswered();
  const long rss_held = rss_kib(pid);
  load_max = std::max(load_max, load_average());
  all.close_all();
  all.stop();
  if (a.load_processes > 1) ::close(stop_helpers[1]);
  for (std::size_t h = 0; h < helpers.size(); ++h) {
    const auto n = read_numbers(helper_pipes[h], 4);
    failed += n[0];
    busy += n[1];
    dropped += n[2];
    unanswered += n[3];
    int status = 0;
    ::waitpid(helpers[h], &status, 0);
    ::close(helper_pipes[h]);
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));  // kiosk-hq sees the closes, trims
  const long rss2 = rss_kib(pid);

  std::printf(
      "\nwaiting connections: %zu of %d, all open after %.1f s (%.0f/s) from %d source "
      "addresses; %zu could not connect; %zu answered 503 busy and %zu closed by kiosk-hq, "
      "%zu of them before any answer (each came back a second later)\n",
      waiting, a.connections, open_s, static_cast<double>(waiting) / open_s, a.addresses, failed,
      busy, dropped, unanswered);
  std::printf(
      "  before any answer%s: %zu connect failed, %zu reset by kiosk-hq, %zu closed by it "
      "(end of file), %zu failed to send, %zu other errors\n",
      a.load_processes > 1 ? " (this process's share)" : "", all.unanswered_by(Cause::connect),
      all.unanswered_by(Cause::reset), all.unanswered_by(Cause::end_of_file),
      all.unanswered_by(Cause::send), all.unanswered_by(Cause::other));
  std::printf("%-44s %12s %12s\n", "", "0 waiting", "all waiting");
  std::printf("%-44s %12.2f %12.2f\n", "sync request p50 (ms)", quantile(base, 0.5),
              quantile(loaded, 0.5));
  std::printf("%-44s %12.2f %12.2f\n", "sync request p99 (ms)", quantile(base, 0.99),
              quantile(loaded, 0.99));
  std::printf("%-44s %12.0f %12.0f\n", "change to every waiting terminal, median (ms)",
              quantile(base_fan, 0.5), quantile(fan_all, 0.5));
  std::printf("%-44s %12s %12zu\n", "  waiting terminals of that store", "1",
              static_cast<std::size_t>(a.connections / a.stores));
  std::printf(
      "kiosk-hq server processes: %d; load-generator processes: %d; load average "
      "(1 min) at the start %.2f, highest during the loaded run %.2f\n",
      a.processes, a.load_processes, load_start, load_max);
  std::printf("%-44s %12ld %12ld\n", "kiosk-hq RSS (KiB)", rss0, rss1);
  std::printf("%-44s %12s %12.1f\n", "RSS per waiting connection (KiB)", "",
              waiting ? static_cast<double>(rss1 - rss0) / static_cast<double>(waiting) : 0.0);
  std::printf("%-44s %12s %12ld\n", "RSS after the fan-outs (KiB)", "", rss_held);
  std::printf("%-44s %12s %12ld\n", "RSS 3 s after all closed (KiB)", "", rss2);
  std::printf("sync requests: %zu + %zu samples; fan-outs short of a terminal: %zu; run %.0f s\n",
              base.size(), loaded.size(), fan_short,
              ms_between(started, SteadyClock::now()) / 1000);
  storage.value().reset();
  server.kill_now();
  if (std::getenv("HQ_LOAD_KEEP")) {  // kiosk-hq's log and database, to look into
    std::printf("kept: %s\n", dir.c_str());
    return 0;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

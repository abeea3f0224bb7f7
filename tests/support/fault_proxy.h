#pragma once
// A fault-injecting HTTP/1.1 proxy on loopback, between the kiosk and a real kiosk-hq. It
// reads whole requests and answers (Content-Length bodies, keep-alive kept), so each fault
// hits one request: the connection refused, reset before the request reaches head office or
// after head office applied it, an answer cut short or held back, a 500/502/503 of its own,
// the request delivered twice. It can also slow the link (bandwidth and round trip, for the
// benchmarks: the kernel here has no netem) and counts the bytes that cross it.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::testing {

enum class Fault {
  none,
  reset_before_request,  // RST as soon as the request arrived: head office never sees it
  reset_after_request,   // head office answered, the terminal gets a RST instead
  truncate_response,     // half of the answer, then the connection closes
  delay_response,        // the answer waits delay_ms
  status_500,            // the proxy answers itself, head office never sees the request
  status_502,
  status_503,
  duplicate_request,  // head office gets the same request twice (on two connections)
};
const char* to_string(Fault f);

struct Link {
  std::int64_t bits_per_second = 0;  // 0: unlimited
  int round_trip_ms = 0;             // added per request/answer pair, and per new connection
  // For a "before" baseline: drop the terminal's Accept-Encoding (head office answers plain
  // JSON) and close the connection after each answer (a new TCP connection per request).
  bool plain_answers = false;
  bool close_each = false;
};

class FaultProxy {
 public:
  // Forwards to 127.0.0.1:upstream_port.
  explicit FaultProxy(int upstream_port, Link link = {});
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Picks the fault for each request (called on the proxy's threads, one at a time).
  void set_plan(std::function<Fault()> plan);
  // While refusing, the port is closed: connecting is refused by the system.
  void set_refusing(bool refusing);
  void set_delay_ms(int ms) { delay_ms_ = ms; }

  std::int64_t bytes_up() const { return bytes_up_.load(); }      // terminal -> head office
  std::int64_t bytes_down() const { return bytes_down_.load(); }  // head office -> terminal
  std::int64_t requests() const { return requests_.load(); }
  std::int64_t connections() const { return connections_.load(); }
  void reset_counters();

 private:
  void accept_loop();
  void serve(int client);
  Fault next_fault();
  void open_listener();
  void send_throttled(int fd, const std::string& data, std::atomic<std::int64_t>& counter);

  int upstream_port_;
  Link link_;
  int port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> refusing_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int> delay_ms_{3000};
  std::mutex plan_mutex_;
  std::function<Fault()> plan_;
  std::mutex fds_mutex_;
  std::set<int> open_fds_;  // shut down on destruction so blocked threads return
  std::vector<std::thread> threads_;
  std::atomic<std::int64_t> bytes_up_{0}, bytes_down_{0}, requests_{0}, connections_{0};
  std::thread acceptor_;
};

}  // namespace kiosk::testing

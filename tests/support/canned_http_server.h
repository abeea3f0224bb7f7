#pragma once
// A misbehaving head office: a real TCP listener on loopback that answers every HTTP request
// with the same canned status and body. kiosk-hq never sends a malformed answer, so this is
// how tests show what the kiosk does with one (a captive portal, a proxy error page...).
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::testing {

class CannedHttpServer {
 public:
  // One answer of a script: the status, after holding the request hang_ms first (a receiver
  // that hangs).
  struct Reply {
    int status = 200;
    int hang_ms = 0;
  };

  CannedHttpServer(int status, std::string body, std::string content_type = "application/json");
  // Answers the n-th request with script[n]; the last reply repeats.
  explicit CannedHttpServer(std::vector<Reply> script);
  ~CannedHttpServer();
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }
  // Every request received so far, raw (head and body), in order.
  std::vector<std::string> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void serve();

  int status_;
  std::string body_;
  std::string content_type_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::vector<Reply> script_;
  mutable std::mutex mutex_;           // guards received_
  std::vector<std::string> received_;  // raw requests
  std::thread thread_;
};

}  // namespace kiosk::testing

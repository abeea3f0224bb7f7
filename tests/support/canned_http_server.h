#pragma once
// A misbehaving head office: a real TCP listener on loopback that answers every HTTP request
// with the same canned status and body. kiosk-hq never sends a malformed answer, so this is
// how tests show what the kiosk does with one (a captive portal, a proxy error page...).
#include <atomic>
#include <string>
#include <thread>

namespace kiosk::testing {

class CannedHttpServer {
 public:
  CannedHttpServer(int status, std::string body, std::string content_type = "application/json");
  ~CannedHttpServer();
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }

 private:
  void serve();

  int status_;
  std::string body_;
  std::string content_type_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace kiosk::testing

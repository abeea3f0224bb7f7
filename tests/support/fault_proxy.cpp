#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace kiosk::testing {
namespace {

void sleep_ms(std::int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// SO_LINGER 0: close() sends a RST, as a dropped middlebox or a dead peer would.
void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

std::size_t content_length(const std::string& head) {
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::strtoul(head.c_str() + at + 17, nullptr, 10);
}

// One whole HTTP message (head and Content-Length body) from fd; buffer keeps what follows.
// Empty when the peer closed or failed first.
std::string read_message(int fd, std::string& buffer) {
  char chunk[16384];
  while (true) {
    const auto head_end = buffer.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::size_t total = head_end + 4 + content_length(buffer.substr(0, head_end + 2));
      if (buffer.size() >= total) {
        std::string message = buffer.substr(0, total);
        buffer.erase(0, total);
        return message;
      }
    }
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return {};
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

int connect_upstream(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string canned(int status) {
  const std::string body = "<html><body>proxy error " + std::to_string(status) + "</body></html>";
  return "HTTP/1.1 " + std::to_string(status) + " Proxy Error\r\nContent-Type: text/html\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

const char* to_string(Fault f) {
  switch (f) {
    case Fault::none:
      return "none";
    case Fault::reset_before_request:
      return "reset before the request";
    case Fault::reset_after_request:
      return "reset after the request";
    case Fault::truncate_response:
      return "truncated answer";
    case Fault::delay_response:
      return "delayed answer";
    case Fault::status_500:
      return "500";
    case Fault::status_502:
      return "502";
    case Fault::status_503:
      return "503";
    case Fault::duplicate_request:
      return "duplicated request";
  }
  return "?";
}

FaultProxy::FaultProxy(int upstream_port, Link link) : upstream_port_(upstream_port), link_(link) {
  open_listener();
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard lock(fds_mutex_);
    for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void FaultProxy::open_listener() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 256) != 0)
    throw std::runtime_error("fault proxy: cannot listen on loopback");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

void FaultProxy::set_plan(std::function<Fault()> plan) {
  std::lock_guard lock(plan_mutex_);
  plan_ = std::move(plan);
}

void FaultProxy::set_refusing(bool refusing) {
  refusing_ = refusing;
}

void FaultProxy::reset_counters() {
  bytes_up_ = 0;
  bytes_down_ = 0;
  requests_ = 0;
  connections_ = 0;
}

Fault FaultProxy::next_fault() {
  std::lock_guard lock(plan_mutex_);
  return plan_ ? plan_() : Fault::none;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    if (refusing_ && listen_fd_ >= 0) {
      ::close(listen_fd_);  // connecting is now refused by the system
      listen_fd_ = -1;
    }
    if (!refusing_ && listen_fd_ < 0) open_listener();  // the same port again
    if (listen_fd_ < 0) {
      sleep_ms(20);
      continue;
    }
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++connections_;
    {
      std::lock_guard lock(fds_mutex_);
      open_fds_.insert(client);
    }
    threads_.emplace_back([this, client] { serve(client); });
  }
}

void FaultProxy::send_throttled(int fd, const std::string& data,
                                std::atomic<std::int64_t>& counter) {
  counter += static_cast<std::int64_t>(data.size());
  sleep_ms(link_.round_trip_ms / 2);
  if (link_.bits_per_second <= 0) {
    send_all(fd, data.data(), data.size());
    return;
  }
  // Packet by packet at the link's rate, so the far side sees bytes arrive as on a slow line.
  constexpr std::size_t kPacket = 1460;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t sent = 0; sent < data.size(); sent += kPacket) {
    const std::size_t n = std::min(kPacket, data.size() - sent);
    if (!send_all(fd, data.data() + sent, n)) return;
    const auto due = start + std::chrono::microseconds(static_cast<std::int64_t>(
                                 (sent + n) * 8 * 1'000'000 / link_.bits_per_second));
    std::this_thread::sleep_until(due);
  }
}

void FaultProxy::serve(int client) {
  int upstream = -1;
  std::string from_client, from_upstream;
  const auto forget = [this](int fd) {
    std::lock_guard lock(fds_mutex_);
    open_fds_.erase(fd);
  };
  const auto end = [&](bool rst) {
    forget(client);
    if (rst)
      reset(client);
    else
      ::close(client);
    if (upstream >= 0) {
      forget(upstream);
      ::close(upstream);
    }
  };
  sleep_ms(link_.round_trip_ms);  // the TCP handshake on the slow link
  while (!stopping_) {
    std::string request = read_message(client, from_client);
    if (request.empty()) return end(false);
    if (link_.plain_answers) {
      std::string lower = request.substr(0, request.find("\r\n\r\n"));
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const auto at = lower.find("\r\naccept-encoding:");
      if (at != std::string::npos) request.erase(at, lower.find("\r\n", at + 2) - at);
    }
    ++requests_;
    const Fault fault = next_fault();
    switch (fault) {
      case Fault::reset_before_request:
        return end(true);
      case Fault::status_500:
      case Fault::status_502:
      case Fault::status_503: {
        const int status = fault == Fault::status_500   ? 500
                           : fault == Fault::status_502 ? 502
                                                        : 503;
        bytes_up_ += static_cast<std::int64_t>(request.size());
        send_throttled(client, canned(status), bytes_down_);
        return end(false);
      }
      default:
        break;
    }
    if (upstream < 0) {
      upstream = connect_upstream(upstream_port_);
      if (upstream < 0) return end(true);  // head office is down: as a dead route would
      std::lock_guard lock(fds_mutex_);
      open_fds_.insert(upstream);
    }
    send_throttled(upstream, request, bytes_up_);
    std::string response = read_message(upstream, from_upstream);
    if (response.empty()) return end(true);
    if (link_.close_each) response.insert(response.find("\r\n") + 2, "Connection: close\r\n");
    if (fault == Fault::duplicate_request) {
      // The same request again on a connection of its own, as a retrying middlebox would.
      const int again = connect_upstream(upstream_port_);
      if (again >= 0) {
        std::string scratch;
        send_all(again, request.data(), request.size());
        read_message(again, scratch);
        ::close(again);
      }
    }
    switch (fault) {
      case Fault::reset_after_request:
        return end(true);
      case Fault::truncate_response:
        send_all(client, response.data(), response.size() / 2);
        bytes_down_ += static_cast<std::int64_t>(response.size() / 2);
        return end(false);
      case Fault::delay_response:
        sleep_ms(delay_ms_.load());
        break;
      default:
        break;
    }
    send_throttled(client, response, bytes_down_);
    if (link_.close_each) return end(false);
  }
  end(false);
}

}  // namespace kiosk::testing

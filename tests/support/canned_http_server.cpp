#include "tests/support/canned_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace kiosk::testing {

CannedHttpServer::CannedHttpServer(std::vector<Reply> script)
    : CannedHttpServer(script.empty() ? 200 : script.front().status, "{}") {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

CannedHttpServer::CannedHttpServer(int status, std::string body, std::string content_type)
    : status_(status), body_(std::move(body)), content_type_(std::move(content_type)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("canned server: cannot listen on loopback");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

CannedHttpServer::~CannedHttpServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void CannedHttpServer::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    // Read the head, then as much body as Content-Length says.
    std::string request;
    char buf[4096];
    std::size_t want = std::string::npos;
    while (true) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
      const auto head_end = request.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      if (want == std::string::npos) {
        std::size_t length = 0;
        if (const auto at = request.find("Content-Length: ");
            at != std::string::npos && at < head_end)
          length = std::strtoul(request.c_str() + at + 16, nullptr, 10);
        want = head_end + 4 + length;
      }
      if (request.size() >= want) break;
    }
    Reply reply{status_, 0};
    {
      std::lock_guard lock(mutex_);
      received_.push_back(request);
      if (!script_.empty()) reply = script_[std::min(received_.size() - 1, script_.size() - 1)];
    }
    for (int waited = 0; waited < reply.hang_ms && !stopping_; waited += 20) ::usleep(20'000);
    ++requests_;
    const std::string response = "HTTP/1.1 " + std::to_string(reply.status) + " Canned\r\n" +
                                 "Content-Type: " + content_type_ + "\r\n" +
                                 "Content-Length: " + std::to_string(body_.size()) + "\r\n" +
                                 "Connection: close\r\n\r\n" + body_;
    ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
}

}  // namespace kiosk::testing

// The real kiosk-hq under an open-file limit of 1,024 (as most systems set it) while 2,000
// slow connections hold on from other loopback addresses: a real terminal still syncs.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/protocol/json_codec.h"
#include "tests/support/process.h"

namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_post;
using kiosk::testing::ChildProcess;
using kiosk::testing::TempDir;

namespace {

std::string hq_binary() {
  return kiosk::testing::binary_dir() + "/sync/hq/kiosk-hq";
}

std::string admin(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), hq_binary());
  args.push_back("--db");
  args.push_back(db);
  auto r = kiosk::testing::run(args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == ' ')) r.out.pop_back();
  return r.out;
}

// A connection that opens from `from` and then sends nothing, or half a request.
int slow_connection(std::uint16_t port, const std::string& from, bool partial) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &src.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);  // EINPROGRESS is fine
  if (partial) {
    const std::string head = "POST /v1/sync HTTP/1.1\r\nHost: hq\r\nContent-Le";
    for (int i = 0; i < 50; ++i) {
      if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) >= 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return fd;
}

}  // namespace

TEST_CASE("[hq][connections] 2,000 slow connections under a 1,024 file limit; a terminal syncs") {
  // This test process itself needs more than 2,000 descriptors.
  rlimit own{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &own) == 0);
  own.rlim_cur = own.rlim_max;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &own) == 0);
  REQUIRE(own.rlim_cur > 2'200);

  TempDir dir;
  const std::string db = dir.file("hq.sqlite");
  admin(db, {"store", "add", "--id", "s1", "--name", "Downtown"});
  const std::string code = admin(db, {"enroll-code", "--store", "s1"});
  const std::string port_file = dir.file("hq.port");
  ChildProcess server({"prlimit", "--nofile=1024:1024", hq_binary(), "--db", db, "--listen",
                       "127.0.0.1:0", "--port-file", port_file, "--quiet"},
                      dir.file("hq.log"));
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::ifstream in(port_file);
    if (!(in >> port)) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE_MESSAGE(port > 0, "kiosk-hq did not start; see ", dir.file("hq.log"));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  auto enrolled = http_post({.url = url + "/v1/enroll",
                             .body = protocol::encode(protocol::EnrollRequest{code, "T1"}),
                             .bearer_token = ""});
  REQUIRE_MESSAGE(enrolled.status == 200, enrolled.body, enrolled.transport_error);
  const auto terminal = protocol::decode_enroll_response(enrolled.body).value();

  const auto start = std::chrono::steady_clock::now();
  std::vector<int> slow;
  for (int i = 0; i < 2'000; ++i) {
    const std::string from = "127.0.0." + std::to_string(2 + i % 8);
    const int fd = slow_connection(static_cast<std::uint16_t>(port), from, i % 2 == 1);
    if (fd >= 0) slow.push_back(fd);
  }
  CHECK(slow.size() == 2'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the server accept them

  for (int round = 0; round < 3; ++round) {
    const auto before = std::chrono::steady_clock::now();
    auto r = http_post({.url = url + "/v1/sync",
                        .body = protocol::encode(protocol::SyncRequest{}),
                        .bearer_token = terminal.token,
                        .timeout_ms = 5'000});
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - before);
    CAPTURE(round);
    CHECK_MESSAGE(r.status == 200, r.transport_error, r.body);
    CHECK(took < std::chrono::milliseconds(2'000));
    MESSAGE("sync round ", round, " with 2,000 slow connections open: ", took.count(), " ms");
  }
  for (int fd : slow) ::close(fd);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(40));
}

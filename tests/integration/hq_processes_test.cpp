// kiosk-hq serve --processes 2: one listening port shared by two server processes on one
// SQLite file. A terminal's escalation, sent again over new connections (landing on either
// process), is applied once; long-polls held by both processes wake when a change is written
// through either; a process that dies is started again; SIGTERM ends them all.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/protocol/json_codec.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/process.h"

namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_post;
using kiosk::testing::HqFixture;
using kiosk::testing::read_whole_file;
using kiosk::testing::TempDir;
using SteadyClock = std::chrono::steady_clock;

namespace {

// The server processes the parent started (its children), by pid.
std::vector<pid_t> children_of(pid_t parent) {
  std::ifstream in("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                   "/children");
  std::vector<pid_t> out;
  pid_t pid = 0;
  while (in >> pid) out.push_back(pid);
  return out;
}

bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

protocol::SyncResponse sync(const std::string& url, const std::string& token,
                            const protocol::SyncRequest& body, long timeout_ms = 15000) {
  kiosk::sync::client::HttpRequest request;
  request.url = url + "/v1/sync";
  request.body = protocol::encode(body);
  request.bearer_token = token;
  request.timeout_ms = timeout_ms;
  auto r = http_post(request);
  REQUIRE_MESSAGE(r.status == 200, r.body, r.transport_error);
  return protocol::decode_sync_response(r.body).value();
}

protocol::Event escalation() {
  protocol::Event e;
  e.id = "00000000-0000-4000-8000-000000000001";
  e.kind = "escalation.created";
  e.hlc = "1732320000000-0001";
  e.escalation.id = "00000001-0000-4000-8000-000000000001";
  e.escalation.mention_id = "demo:downtown:1";
  e.escalation.severity = kiosk::core::Severity::high;
  e.escalation.note = "customer waiting at the door";
  e.escalation.status = kiosk::core::EscalationStatus::open;
  e.escalation.created_at_ms = 1'732'320'000'000;
  e.escalation.status_changed_at_ms = 1'732'320'000'000;
  return e;
}

}  // namespace

TEST_CASE("[integration][hq] serve --processes 2: one port, each escalation once, live, SIGTERM") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions("s1");
  hq.start({"--processes", "2"});
  const pid_t parent = hq.process()->pid();
  const auto servers = children_of(parent);
  REQUIRE(servers.size() == 2);

  kiosk::sync::client::HttpRequest enroll;
  enroll.url = hq.url() + "/v1/enroll";
  enroll.body = protocol::encode(protocol::EnrollRequest{hq.enroll_code("s1"), "Till 1"});
  auto enrolled = http_post(enroll);
  REQUIRE_MESSAGE(enrolled.status == 200, enrolled.body, enrolled.transport_error);
  const std::string token = protocol::decode_enroll_response(enrolled.body)->token;
  const std::int64_t cursor = sync(hq.url(), token, {}).cursor;

  // Eight terminals' long-polls, each on its own connection: the two processes share them.
  std::vector<std::future<std::pair<protocol::SyncResponse, SteadyClock::time_point>>> waits;
  for (int i = 0; i < 8; ++i)
    waits.push_back(std::async(std::launch::async, [&] {
      protocol::SyncRequest body;
      body.cursor = cursor;
      body.wait_ms = 20000;
      auto r = sync(hq.url(), token, body, 40000);
      return std::make_pair(r, SteadyClock::now());
    }));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // all of them held

  // The escalation, sent three times over new connections as a terminal retrying would.
  protocol::SyncRequest with_event;
  with_event.cursor = cursor;
  with_event.events = {escalation()};
  const auto sent = SteadyClock::now();
  for (int i = 0; i < 3; ++i)
    CHECK(sync(hq.url(), token, with_event).acked ==
          std::vector<std::string>{with_event.events[0].id});
  for (auto& w : waits) {
    auto [answer, at] = w.get();
    REQUIRE(answer.changes.size() == 1);
    CHECK(answer.changes[0].kind == "escalation");
    CHECK(at - sent < std::chrono::milliseconds(2000));  // woken, not at the end of its wait
  }
  CHECK(hq.events() == 1);
  CHECK(hq.escalations().size() == 1);

  // A server process that dies is started again, with a line saying so, and HQ keeps answering.
  ::kill(servers[0], SIGKILL);
  std::vector<pid_t> now;
  for (int i = 0; i < 200; ++i) {
    now = children_of(parent);
    if (now.size() == 2 && now[0] != servers[0] && now[1] != servers[0]) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE(now.size() == 2);
  CHECK(read_whole_file(dir.file("hq.log")).find("ended (signal Killed); starting it again") !=
        std::string::npos);
  protocol::SyncRequest from_cursor;
  from_cursor.cursor = cursor;
  for (int i = 0; i < 6; ++i) CHECK(sync(hq.url(), token, from_cursor).changes.size() == 1);

  // SIGTERM to the parent ends every server process and the parent, cleanly.
  ::kill(parent, SIGTERM);
  int status = -1;
  for (int i = 0; i < 400 && ::waitpid(parent, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  for (pid_t pid : now) CHECK(gone(pid));
}

TEST_CASE("[integration][hq] serve --processes: a process that cannot start fails the start") {
  TempDir dir;
  HqFixture hq(dir);
  // The database path is a folder: every server process fails to open it.
  const auto r = kiosk::testing::run({HqFixture::binary(), "serve", "--db", dir.path, "--listen",
                                      "127.0.0.1:0", "--processes", "2", "--quiet"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("server process 1 of 2 could not start") != std::string::npos);
}

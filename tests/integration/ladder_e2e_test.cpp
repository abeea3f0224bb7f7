// The escalation ladder end to end: a real kiosk-hq on loopback with a policy and a webhook,
// the kiosk's own store and sync client; on a SQLite file, and as ladder_e2e_pg_test on
// PostgreSQL. Raised at the counter, delivered, it climbs a level at head office (each
// notification posted, signed, to a receiver that first fails), is acknowledged at head
// office, and the terminal's store shows who acknowledged it. Two kiosk-hq processes on one
// database run the ladder and the webhook side by side: each notification is posted once.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/canned_http_server.h"

using namespace kiosk;
using kiosk::testing::ChildProcess;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Polls until f() is true or 15 s pass.
template <typename F>
bool eventually(F&& f) {
  for (int i = 0; i < 300; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE(
    "[ladder][e2e] raised at the kiosk, climbs at HQ, acknowledged at HQ, shown at the kiosk") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  std::ofstream(dir.file("s1.policy")) << "severity high\n"
                                          "  level Store manager 2s\n"
                                          "  level District manager 1h\n";
  hq.admin({"policy", "set", "--store", "s1", "--file", dir.file("s1.policy")});
  std::ofstream(dir.file("hook.secret")) << "0123456789abcdef-shared\n";
  // The paging tool is down for the first post, then answers.
  kiosk::testing::CannedHttpServer receiver({{503, 0}, {200, 0}});
  hq.start({"--ladder-interval-ms", "100", "--webhook-url", receiver.url(), "--webhook-secret-file",
            dir.file("hook.secret")});

  store::Store s(dir.file("kiosk.sqlite"));
  const auto enrolled = sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"});
  REQUIRE_MESSAGE(enrolled.ok, enrolled.error.text());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;
  const auto raised = s.escalate(mention, core::Severity::high, "shouting at till 2", now_ms());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  const auto notifications = [&] {
    return nlohmann::json::parse(
        hq.admin({"notifications", "list", "--json", "--escalation", raised.id}).out);
  };
  // The store manager at once, the district manager two seconds later.
  REQUIRE(eventually([&] { return notifications().size() == 2; }));
  auto list = notifications();
  CHECK(list[0]["recipient"] == "Store manager");
  CHECK(list[1]["recipient"] == "District manager");
  CHECK(list[1]["reason"] == "not acknowledged within 2s by Store manager");
  REQUIRE(eventually([&] {
    auto l = notifications();
    return l[0]["state"] == "sent" && l[1]["state"] == "sent";
  }));
  CHECK(receiver.received().size() == 3);  // one 503, retried, and the second level's
  CHECK(receiver.received().front().find("X-Kiosk-Signature: sha256=") != std::string::npos);

  // The terminal learns who holds it now, then head office acknowledges.
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  hq.admin({"ack", "--escalation", raised.id, "--by", "District manager Ana"});
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  bool seen = false;
  for (const auto& e : s.escalations()) {
    if (e.id != raised.id) continue;
    seen = true;
    CHECK(e.status == core::EscalationStatus::acknowledged);
    CHECK(e.acknowledged_by == "District manager Ana");
  }
  CHECK(seen);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(notifications().size() == 2);  // acknowledged: no more climbing
}

TEST_CASE("[ladder][e2e] a webhook that hangs is bounded: syncs stay fast, attempts are recorded") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  std::ofstream(dir.file("s1.policy")) << "severity high\n  level Store manager 15m\n";
  hq.admin({"policy", "set", "--store", "s1", "--file", dir.file("s1.policy")});
  std::ofstream(dir.file("hook.secret")) << "0123456789abcdef-shared\n";
  kiosk::testing::CannedHttpServer receiver({{200, 4000}});  // holds every request 4 s
  hq.start({"--ladder-interval-ms", "100", "--webhook-url", receiver.url(), "--webhook-secret-file",
            dir.file("hook.secret"), "--webhook-timeout-ms", "300"});

  store::Store s(dir.file("kiosk.sqlite"));
  const auto enrolled = sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"});
  REQUIRE_MESSAGE(enrolled.ok, enrolled.error.text());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;
  const auto raised = s.escalate(mention, core::Severity::high, "till 4", now_ms());
  for (int i = 0; i < 10; ++i) {
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(sync::client::sync_once(s, now_ms()).ok);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1000));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto list = nlohmann::json::parse(
      hq.admin({"notifications", "list", "--json", "--escalation", raised.id}).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["state"] == "pending");  // not given up: retried with backoff
  CHECK(list[0]["attempts"].get<int>() >= 1);
  CHECK(list[0]["last_error"].get<std::string>().find("the webhook did not answer") !=
        std::string::npos);
}

TEST_CASE("[ladder][e2e] kiosk-hq refuses a webhook it could not use, before serving") {
  TempDir dir;
  HqFixture hq(dir);
  const auto bad_url = kiosk::testing::run(
      {HqFixture::binary(), "--db", hq.db(), "--webhook-url", "ftp://pager.example/hook"});
  CHECK(bad_url.exit_code == 1);
  CHECK(bad_url.err.find("--webhook-url must start with http:// or https://") != std::string::npos);
  const auto no_secret = kiosk::testing::run(
      {HqFixture::binary(), "--db", hq.db(), "--webhook-url", "http://127.0.0.1:9/hook"});
  CHECK(no_secret.err.find("needs --webhook-secret-file") != std::string::npos);
  std::ofstream(dir.file("short.secret")) << "abc\n";
  const auto short_secret = kiosk::testing::run(
      {HqFixture::binary(), "--db", hq.db(), "--webhook-url", "http://127.0.0.1:9/hook",
       "--webhook-secret-file", dir.file("short.secret")});
  CHECK(short_secret.err.find("shorter than 16 characters") != std::string::npos);
}

TEST_CASE("[ladder][e2e] two kiosk-hq processes on one database post each notification once") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  std::ofstream(dir.file("s1.policy")) << "severity high\n"
                                          "  level Store manager 1s\n"
                                          "  level District manager 1s\n"
                                          "  level Regional manager 1h\n";
  hq.admin({"policy", "set", "--store", "s1", "--file", dir.file("s1.policy")});
  std::ofstream(dir.file("hook.secret")) << "0123456789abcdef-shared\n";
  // A receiver that takes its time, so the two processes' dispatchers overlap.
  kiosk::testing::CannedHttpServer receiver({{200, 100}});
  const std::vector<std::string> ladder{"--ladder-interval-ms",  "50",
                                        "--webhook-url",         receiver.url(),
                                        "--webhook-secret-file", dir.file("hook.secret")};
  hq.start(ladder);
  std::vector<std::string> second_args{HqFixture::binary(), "--db",      hq.db(),
                                       "--secret-file",     hq.secret(), "--listen",
                                       "127.0.0.1:0"};
  second_args.insert(second_args.end(), ladder.begin(), ladder.end());
  ChildProcess second(second_args, dir.file("second.log"));

  store::Store s(dir.file("kiosk.sqlite"));
  const auto enrolled = sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"});
  REQUIRE_MESSAGE(enrolled.ok, enrolled.error.text());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;
  for (int i = 0; i < 4; ++i)
    s.escalate(mention, core::Severity::high, "till " + std::to_string(i), now_ms());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  // Four escalations, three levels each: twelve notifications, each sent.
  const auto notifications = [&] {
    return nlohmann::json::parse(hq.admin({"notifications", "list", "--json"}).out);
  };
  REQUIRE(eventually([&] {
    const auto list = notifications();
    if (list.size() != 12) return false;
    for (const auto& n : list)
      if (n["state"] != "sent") return false;
    return true;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // anything sent twice arrives
  std::map<std::int64_t, int> posts;                            // notification id -> posts
  for (const auto& request : receiver.received()) {
    const auto body = nlohmann::json::parse(request.substr(request.find("\r\n\r\n") + 4));
    ++posts[body["notification_id"].get<std::int64_t>()];
  }
  CHECK(posts.size() == 12);
  for (const auto& [id, count] : posts) {
    INFO("notification " << id);
    CHECK(count == 1);
  }
  for (const auto& n : notifications()) CHECK(n["attempts"] == 1);
}

// kiosk-hq's worker pool over real HTTP on 127.0.0.1: a sync held up by a write lock that
// another SQLite connection keeps on the head-office file does not stall /healthz, a reading
// sync or a long-poll's answer; past the queue limit a request is told to come back
// (503 with Retry-After) at once, and nothing a terminal sent is lost.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/http/hq_server.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_get;
using kiosk::sync::client::http_post;
using kiosk::sync::client::HttpRequest;
using kiosk::sync::client::HttpResponse;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct PoolHq {
  TempDir dir;
  std::unique_ptr<hq::RunningServer> server;

  PoolHq(unsigned workers, unsigned queue_limit) {
    hq::ServerOptions o;
    o.db_path = dir.file("hq.sqlite");
    o.threads = 2;
    o.workers = workers;
    o.queue_limit = queue_limit;
    auto started = hq::start_server(o);
    REQUIRE_MESSAGE(started.ok(), started.error());
    server = std::move(started.value());
    REQUIRE(server->storage().add_store({"S1", "Downtown"}).ok());
    REQUIRE(server->storage()
                .upsert_mentions("S1",
                                 {{"google:1", "", "google", "@guest", "Waited twenty minutes", "",
                                   1'732'320'000'000}},
                                 hq::system_now_ms())
                .ok());
  }

  std::string enroll(const std::string& name) const {
    auto code = hq::issue_enrollment_code(server->storage(), "S1", 1, hq::system_now_ms());
    REQUIRE(code.ok());
    HttpRequest r;
    r.url = server->url() + "/v1/enroll";
    r.body = protocol::encode(protocol::EnrollRequest{code.value(), name});
    auto answer = http_post(r);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return protocol::decode_enroll_response(answer.body)->token;
  }

  HttpRequest sync(const std::string& token, const protocol::SyncRequest& body) const {
    HttpRequest r;
    r.url = server->url() + "/v1/sync";
    r.body = protocol::encode(body);
    r.bearer_token = token;
    r.timeout_ms = 20000;
    return r;
  }

  std::size_t escalations() const {
    auto list = server->storage().list_escalations(std::nullopt);
    REQUIRE(list.ok());
    return list->size();
  }
};

// Another program's transaction on the head-office file: it holds the write lock until
// release(), so kiosk-hq's writes wait on it (the busy timeout), as under a slow disk or a
// long maintenance job.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  void release() {
    if (!db_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  ~WriteLock() { release(); }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

TEST_CASE("[hq][pool] syncs waiting on a write lock do not stall health, reads or a long-poll") {
  PoolHq h(/*workers=*/6, /*queue_limit=*/64);
  std::vector<std::string> writers;
  for (int i = 0; i < 4; ++i) writers.push_back(h.enroll("Till " + std::to_string(i)));
  const std::string reader = h.enroll("Back office");

  WriteLock lock(h.dir.file("hq.sqlite"));
  const auto stall_start = Clock::now();
  // Four terminals send an escalation each: every one of them waits on the lock. Before the
  // worker pool, two such requests were enough to stop both network threads and every
  // connection on them.
  std::vector<std::future<HttpResponse>> slow;
  for (const auto& token : writers) {
    protocol::SyncRequest body;
    body.events = {escalation_event("google:1")};
    slow.push_back(std::async(std::launch::async,
                              [&h, token, body] { return http_post(h.sync(token, body)); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // they are all waiting now

  std::vector<double> health_ms;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    HttpRequest r;
    r.url = h.server->url() + "/healthz";
    const auto answer = http_get(r);
    health_ms.push_back(ms_since(t0));
    CHECK(answer.status == 200);
  }
  // A terminal that only reads catches up, and its long-poll is answered when its wait ends.
  protocol::SyncRequest read;
  auto t0 = Clock::now();
  const auto caught_up = http_post(h.sync(reader, read));
  const double read_ms = ms_since(t0);
  REQUIRE_MESSAGE(caught_up.status == 200, caught_up.body);
  read.cursor = protocol::decode_sync_response(caught_up.body)->cursor;
  read.wait_ms = 500;
  t0 = Clock::now();
  const auto waited = http_post(h.sync(reader, read));
  const double wait_ms = ms_since(t0);
  CHECK(waited.status == 200);
  const double during_stall_ms = ms_since(stall_start);

  std::this_thread::sleep_for(
      std::chrono::milliseconds(2500) -
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - stall_start));
  lock.release();
  for (auto& f : slow) {
    const auto answer = f.get();
    CHECK_MESSAGE(answer.status == 200, answer.body);
  }
  MESSAGE("healthz during the stall (ms): "
          << health_ms[0] << " " << health_ms[1] << " " << health_ms[2] << " " << health_ms[3]
          << " " << health_ms[4] << "; reading sync " << read_ms
          << " ms; 500 ms long-poll answered after " << wait_ms << " ms");
  for (double ms : health_ms) CHECK(ms < 250);
  CHECK(read_ms < 500);
  CHECK(wait_ms >= 500);
  CHECK(wait_ms < 1200);
  CHECK(during_stall_ms < 2500);  // all of it happened while the writers were still waiting
  CHECK(h.escalations() == 4);    // and every escalation arrived once the lock was gone
}

TEST_CASE("[hq][pool] past the queue limit a request is told to come back, and loses nothing") {
  PoolHq h(/*workers=*/1, /*queue_limit=*/1);
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) tokens.push_back(h.enroll("Till " + std::to_string(i)));
  std::vector<protocol::SyncRequest> bodies(3);
  for (auto& b : bodies) b.events = {escalation_event("google:1")};

  WriteLock lock(h.dir.file("hq.sqlite"));
  // The first waits on the lock in the only worker, the second waits in the queue.
  auto first =
      std::async(std::launch::async, [&] { return http_post(h.sync(tokens[0], bodies[0])); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto second =
      std::async(std::launch::async, [&] { return http_post(h.sync(tokens[1], bodies[1])); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The third finds the queue full: answered at once, in words, with when to come back.
  const auto t0 = Clock::now();
  const auto refused = http_post(h.sync(tokens[2], bodies[2]));
  const double refused_ms = ms_since(t0);
  CHECK(refused.status == 503);
  CHECK(refused.header("Retry-After") == "1");
  CHECK(refused.body.find("busy") != std::string::npos);
  CHECK(refused.body.find("nothing it saved is lost") != std::string::npos);
  CHECK(refused_ms < 500);

  lock.release();
  CHECK(first.get().status == 200);
  CHECK(second.get().status == 200);
  // The refused terminal tries again, as its sync worker does after Retry-After.
  const auto retried = http_post(h.sync(tokens[2], bodies[2]));
  CHECK_MESSAGE(retried.status == 200, retried.body);
  CHECK(h.escalations() == 3);
}

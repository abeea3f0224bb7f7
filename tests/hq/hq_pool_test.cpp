// kiosk-hq's worker pool over real HTTP on 127.0.0.1: a sync held up by a write lock that
// another SQLite connection keeps on the head-office file does not stall /healthz, a reading
// sync or a long-poll's answer; past the queue limit a request is told to come back
// (503 with Retry-After) at once, and nothing a terminal sent is lost; a caught-up
// terminal's long-poll is held even then, and only for its own store and a believed token.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
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
  std::atomic<std::int64_t> skew_ms{0};  // head office's clock ahead of the wall clock by this

  PoolHq(unsigned workers, unsigned queue_limit) {
    hq::ServerOptions o;
    o.db_path = dir.file("hq.sqlite");
    o.threads = 2;
    o.workers = workers;
    o.queue_limit = queue_limit;
    o.clock = [this] { return hq::system_now_ms() + skew_ms.load(); };
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

  protocol::EnrollResponse enroll_at(const std::string& store, const std::string& name) const {
    auto code = hq::issue_enrollment_code(server->storage(), store, 1, hq::system_now_ms());
    REQUIRE(code.ok());
    HttpRequest r;
    r.url = server->url() + "/v1/enroll";
    r.body = protocol::encode(protocol::EnrollRequest{code.value(), name});
    auto answer = http_post(r);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return protocol::decode_enroll_response(answer.body).value();
  }
  std::string enroll(const std::string& name) const { return enroll_at("S1", name).token; }

  // A review of the store arriving at head office (a new change in its feed).
  void add_mention(const std::string& store, const std::string& id, const std::string& text) const {
    REQUIRE(server->storage()
                .upsert_mentions(store, {{id, "", "google", "@guest", text, "", 1'732'320'100'000}},
                                 hq::system_now_ms())
                .ok());
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

namespace {

std::vector<std::string> mention_ids(const HttpResponse& answer) {
  std::vector<std::string> ids;
  auto decoded = protocol::decode_sync_response(answer.body);
  REQUIRE_MESSAGE(decoded.ok(), decoded.error());
  for (const auto& c : decoded->changes)
    if (c.mention) ids.push_back(c.mention->id);
  return ids;
}

void wait_for_held(const PoolHq& h, std::size_t count) {
  for (int i = 0; i < 150 && h.server->held_connections() < count; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(h.server->held_connections() == count);
}

}  // namespace

TEST_CASE("[hq][pool] a caught-up terminal's long-poll is held with every worker busy") {
  PoolHq h(/*workers=*/1, /*queue_limit=*/1);
  REQUIRE(h.server->storage().add_store({"S2", "Airport"}).ok());
  const auto till = h.enroll_at("S1", "Till");
  const auto airport = h.enroll_at("S2", "Airport till");
  // The writers are at the airport, so that their escalations do not wake the till.
  h.add_mention("S2", "google:1", "Long queue at gate 2");
  const std::string writer1 = h.enroll_at("S2", "Gate 1").token;
  const std::string writer2 = h.enroll_at("S2", "Gate 2").token;
  const std::string newcomer = h.enroll("Till 2");

  // The till catches up, then waits: a worker checks its token and holds it, and from the
  // watcher's next pass head office knows the store's latest change without reading it.
  const auto caught_up = http_post(h.sync(till.token, {}));
  REQUIRE_MESSAGE(caught_up.status == 200, caught_up.body);
  protocol::SyncRequest poll;
  poll.cursor = protocol::decode_sync_response(caught_up.body)->cursor;
  poll.wait_ms = 15000;
  auto first_wait =
      std::async(std::launch::async, [&] { return http_post(h.sync(till.token, poll)); });
  wait_for_held(h, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  // The only worker and the only place in its queue are taken by writes waiting on a lock.
  WriteLock lock(h.dir.file("hq.sqlite"));
  protocol::SyncRequest write;
  write.events = {escalation_event("google:1")};
  auto w1 = std::async(std::launch::async, [&] { return http_post(h.sync(writer1, write)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  protocol::SyncRequest write2;
  write2.events = {escalation_event("google:1")};
  auto w2 = std::async(std::launch::async, [&] { return http_post(h.sync(writer2, write2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // A terminal whose token head office has not checked lately needs a worker: told to come back.
  CHECK(http_post(h.sync(newcomer, poll)).status == 503);
  // The caught-up till's next long-poll needs none: held, not refused.
  auto second_wait =
      std::async(std::launch::async, [&] { return http_post(h.sync(till.token, poll)); });
  wait_for_held(h, 2);

  lock.release();
  CHECK(w1.get().status == 200);
  CHECK(w2.get().status == 200);
  // A change to the store answers both of the till's long-polls with it.
  h.add_mention("S1", "google:2", "Lovely staff");
  for (auto* wait : {&first_wait, &second_wait}) {
    const auto answer = wait->get();
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    CHECK(mention_ids(answer) == std::vector<std::string>{"google:2"});
  }

  SUBCASE("a terminal of another store at this store's seq sees only its own store") {
    REQUIRE(http_post(h.sync(airport.token, {})).status == 200);  // its token believed now
    h.add_mention("S2", "google:9", "Gate 4 cafe");
    protocol::SyncRequest at_downtown = poll;
    at_downtown.cursor = h.server->storage().latest_seq("S1").value();
    at_downtown.wait_ms = 1000;
    const auto answer = http_post(h.sync(airport.token, at_downtown));
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    const auto ids = mention_ids(answer);
    CHECK(std::find(ids.begin(), ids.end(), "google:9") != ids.end());
    CHECK(std::find(ids.begin(), ids.end(), "google:2") == ids.end());
  }
  SUBCASE("a revoked token is refused once head office stops believing it") {
    REQUIRE(
        h.server->storage().revoke_terminal(till.terminal_id, "stolen", hq::system_now_ms()).ok());
    h.skew_ms += hq::kTokenCacheMs;
    poll.cursor = h.server->storage().latest_seq("S1").value();
    const auto answer = http_post(h.sync(till.token, poll));
    CHECK(answer.status == 401);
    CHECK(answer.body.find("terminal_revoked") != std::string::npos);
  }
}

// A change fanned out to many waiting terminals: the woken long-polls of one store share one
// changefeed page (read once), yet each terminal gets exactly what it would get without the
// sharing, token handover included, and a terminal of another store never gets that page.
// A wait that ran out with nothing new is answered from the watcher's seq; holds end with
// jitter. Real SQLite files, real kiosk-hq over HTTP on 127.0.0.1.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::HttpRequest;
using kiosk::sync::client::HttpSession;
using kiosk::sync::hq::test::TempDir;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3'600'000;
constexpr std::int64_t kStart = 1'790'000'000'000;

std::vector<kiosk::core::Mention> mentions(const std::string& prefix, int from, int count) {
  std::vector<kiosk::core::Mention> out;
  for (int i = from; i < from + count; ++i)
    out.push_back({prefix + ":" + std::to_string(i), "", "google", "@guest" + std::to_string(i),
                   "Waited at the till, number " + std::to_string(i), "", kStart + i});
  return out;
}

std::vector<std::string> mention_ids(const protocol::SyncResponse& r) {
  std::vector<std::string> ids;
  for (const auto& c : r.changes)
    if (c.mention) ids.push_back(c.mention->id);
  return ids;
}

// Head office as the API sees it, on a real SQLite file, with a clock the test moves.
struct ApiHq {
  TempDir dir;
  std::unique_ptr<hq::HqStorage> storage;
  std::atomic<std::int64_t> now{kStart};
  std::unique_ptr<hq::SyncApi> api;

  ApiHq() {
    auto opened =
        hq::open_hq_storage(dir.file("hq.sqlite"), hq::StorageMode::create_if_missing, "");
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    storage = std::move(opened.value());
    api = std::make_unique<hq::SyncApi>(*storage, [this] { return now.load(); });
    REQUIRE(storage->add_store({"S1", "Downtown"}).ok());
    REQUIRE(storage->add_store({"S2", "Airport"}).ok());
    REQUIRE(storage->upsert_mentions("S1", mentions("s1", 0, 3), now).ok());
    REQUIRE(storage->upsert_mentions("S2", mentions("s2", 0, 3), now).ok());
  }

  std::string enroll(const std::string& store, const std::string& name) {
    auto code = hq::issue_enrollment_code(*storage, store, 1, now);
    REQUIRE(code.ok());
    hq::ApiRequest r{"POST", "/v1/enroll", "",
                     protocol::encode(protocol::EnrollRequest{code.value(), name})};
    auto answer = api->handle(r);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return protocol::decode_enroll_response(answer.body)->token;
  }

  std::int64_t seq(const std::string& store) { return storage->latest_seq(store).value(); }

  // A woken long-poll as the transport asks it again: with the seq it read (the shared page)
  // or without (the terminal's own read).
  protocol::SyncResponse woken(const std::string& token, std::int64_t cursor,
                               std::optional<std::int64_t> store_seq) {
    protocol::SyncRequest body;
    body.cursor = cursor;
    body.wait_ms = 20000;
    hq::ApiRequest r{"POST", "/v1/sync", "Bearer " + token, protocol::encode(body)};
    r.answer_now = true;
    r.store_seq = store_seq;
    auto answer = api->handle(r);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    REQUIRE_FALSE(answer.hold);
    auto decoded = protocol::decode_sync_response(answer.body);
    REQUIRE_MESSAGE(decoded.ok(), decoded.error());
    return decoded.value();
  }
};

void check_same_page(const protocol::SyncResponse& a, const protocol::SyncResponse& b) {
  CHECK(a.cursor == b.cursor);
  CHECK(a.more == b.more);
  CHECK(mention_ids(a) == mention_ids(b));
  REQUIRE(a.changes.size() == b.changes.size());
  for (std::size_t i = 0; i < a.changes.size(); ++i) {
    CHECK(a.changes[i].seq == b.changes[i].seq);
    CHECK(a.changes[i].kind == b.changes[i].kind);
    if (a.changes[i].mention && b.changes[i].mention)
      CHECK(a.changes[i].mention->text == b.changes[i].mention->text);
  }
}

}  // namespace

TEST_CASE("[hq][fanout] terminals of one store woken together get exactly their own answer") {
  ApiHq h;
  // Till 1 enrolled 61 days ago: its token is due for a new one (less than 30 of 90 days
  // left). Till 2 and the airport's till enrolled today.
  const std::string till1 = h.enroll("S1", "Till 1");
  h.now += 61 * kDayMs;
  const std::string till2 = h.enroll("S1", "Till 2");
  const std::string airport = h.enroll("S2", "Airport till");

  // Every terminal is caught up to the same cursor; then two mentions arrive at Downtown.
  const std::int64_t cursor = h.seq("S1");
  REQUIRE(h.storage->upsert_mentions("S1", mentions("s1", 10, 2), h.now).ok());
  const std::int64_t s1_seq = h.seq("S1");
  REQUIRE(s1_seq > cursor);

  const auto shared2 = h.woken(till2, cursor, s1_seq);  // reads the page, keeps it
  const auto shared1 = h.woken(till1, cursor, s1_seq);  // the kept page
  const auto own2 = h.woken(till2, cursor, std::nullopt);
  const auto own1 = h.woken(till1, cursor, std::nullopt);

  CHECK(mention_ids(shared2) == std::vector<std::string>{"s1:10", "s1:11"});
  check_same_page(shared2, own2);
  check_same_page(shared1, own1);
  check_same_page(shared1, shared2);
  CHECK(shared2.server_time_ms == own2.server_time_ms);
  // The token handover is the terminal's own: Till 1 gets a new token with the shared page,
  // Till 2 none, exactly as without sharing.
  CHECK(shared1.new_token.has_value());
  CHECK(own1.new_token.has_value());
  CHECK(*shared1.new_token != *own1.new_token);
  CHECK_FALSE(shared2.new_token.has_value());
  CHECK_FALSE(own2.new_token.has_value());

  // The airport's terminal woken at the same cursor and the same seq number gets its own
  // store's changes, never Downtown's page.
  const auto airport_shared = h.woken(airport, cursor, s1_seq);
  const auto airport_own = h.woken(airport, cursor, std::nullopt);
  check_same_page(airport_shared, airport_own);
  for (const auto& id : mention_ids(airport_shared)) CHECK(id.rfind("s2:", 0) == 0);

  // The store moves again: the kept page is dropped, the next wake-up gets the new change.
  REQUIRE(h.storage->upsert_mentions("S1", mentions("s1", 20, 1), h.now).ok());
  const auto later = h.woken(till2, cursor, h.seq("S1"));
  CHECK(mention_ids(later) == std::vector<std::string>{"s1:10", "s1:11", "s1:20"});
  check_same_page(later, h.woken(till2, cursor, std::nullopt));
}

TEST_CASE("[hq][fanout] a wait that ran out with nothing new is answered from the seq alone") {
  ApiHq h;
  const std::string till = h.enroll("S1", "Till 1");
  const std::int64_t cursor = h.seq("S1");
  const auto quiet = h.woken(till, cursor, cursor);
  CHECK(quiet.changes.empty());
  CHECK(quiet.cursor == cursor);
  CHECK_FALSE(quiet.more);
  CHECK(quiet.server_time_ms == h.now.load());
  // The same answer a read of the database gives.
  const auto read = h.woken(till, cursor, std::nullopt);
  CHECK(read.changes.empty());
  CHECK(read.cursor == quiet.cursor);
  CHECK(read.features == quiet.features);
}

namespace {

// kiosk-hq over HTTP with two stores and a terminal token per till.
struct HttpHq {
  TempDir dir;
  std::unique_ptr<hq::RunningServer> server;

  HttpHq() {
    auto started =
        hq::start_server({dir.file("hq.sqlite"), "127.0.0.1:0", 2, hq::system_now_ms, {}});
    REQUIRE_MESSAGE(started.ok(), started.error());
    server = std::move(started.value());
    REQUIRE(server->storage().add_store({"S1", "Downtown"}).ok());
    REQUIRE(server->storage().add_store({"S2", "Airport"}).ok());
  }

  std::string enroll(const std::string& store) {
    auto code = hq::issue_enrollment_code(server->storage(), store, 1, hq::system_now_ms());
    REQUIRE(code.ok());
    HttpSession s;
    HttpRequest r;
    r.url = server->url() + "/v1/enroll";
    r.body = protocol::encode(protocol::EnrollRequest{code.value(), "Till"});
    auto answer = s.post(r);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return protocol::decode_enroll_response(answer.body)->token;
  }

  // One long-poll: what came back and how long it took.
  struct Wait {
    protocol::SyncResponse answer;
    std::chrono::milliseconds took{0};
    SteadyClock::time_point done;
  };
  Wait wait(const std::string& token, std::int64_t cursor, std::int64_t wait_ms) {
    HttpSession s;
    HttpRequest r;
    r.url = server->url() + "/v1/sync";
    protocol::SyncRequest body;
    body.cursor = cursor;
    body.wait_ms = wait_ms;
    r.body = protocol::encode(body);
    r.bearer_token = token;
    r.timeout_ms = wait_ms + 15000;
    const auto t0 = SteadyClock::now();
    auto answer = s.post(r);
    Wait out;
    out.done = SteadyClock::now();
    out.took = std::chrono::duration_cast<std::chrono::milliseconds>(out.done - t0);
    REQUIRE_MESSAGE(answer.status == 200, answer.body, answer.transport_error);
    out.answer = protocol::decode_sync_response(answer.body).value();
    return out;
  }
};

}  // namespace

TEST_CASE("[hq][fanout] a change wakes every waiting terminal of its store, and only those") {
  HttpHq h;
  constexpr std::size_t kTills = 12;
  std::vector<std::string> downtown;
  for (std::size_t i = 0; i < kTills; ++i) downtown.push_back(h.enroll("S1"));
  const std::string airport = h.enroll("S2");
  const std::int64_t cursor = h.server->storage().latest_seq("S1").value();
  const std::int64_t airport_cursor = h.server->storage().latest_seq("S2").value();

  std::vector<HttpHq::Wait> got(kTills);
  std::vector<std::thread> waiting;
  for (std::size_t i = 0; i < kTills; ++i)
    waiting.emplace_back([&, i] { got[i] = h.wait(downtown[i], cursor, 20000); });
  HttpHq::Wait airport_got;
  std::thread airport_waiting([&] { airport_got = h.wait(airport, airport_cursor, 1500); });
  // Every till is held before the change comes.
  for (int i = 0; i < 100 && h.server->held_connections() < kTills + 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(h.server->held_connections() == kTills + 1);

  const auto changed = SteadyClock::now();
  REQUIRE(
      h.server->storage().upsert_mentions("S1", mentions("s1", 0, 1), hq::system_now_ms()).ok());
  for (auto& t : waiting) t.join();
  airport_waiting.join();
  for (const auto& w : got) {
    CHECK(mention_ids(w.answer) == std::vector<std::string>{"s1:0"});
    // Every till of the store has the change within a second of it being written.
    CHECK(w.done - changed < std::chrono::milliseconds(1000));
  }
  // The airport's till heard nothing of Downtown's change; its wait ran out (within its
  // jitter of +-20 %).
  CHECK(airport_got.answer.changes.empty());
  CHECK(airport_got.answer.cursor == airport_cursor);
  CHECK(airport_got.took >= std::chrono::milliseconds(1200));
  CHECK(airport_got.took < std::chrono::milliseconds(3000));
}

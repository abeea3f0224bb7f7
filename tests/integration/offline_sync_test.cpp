// The walking skeleton's promise, against a real kiosk-hq over real HTTP on loopback: an
// escalation made offline reaches head office exactly once, survives HQ dying mid-sync, and
// head office's acknowledgement comes back to the terminal.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <future>

#include "kiosk/app/view/view_builder.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "sync/client/sync_worker.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/canned_http_server.h"

using namespace kiosk;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Enrolls a fresh terminal at store s1 and pulls the demo mentions.
void enroll_and_pull(store::Store& s, HqFixture& hq) {
  const auto e = sync::client::enroll(s, {hq.url(), hq.enroll_code(), "Front counter"});
  REQUIRE_MESSAGE(e.ok, e.error.text());
  const auto r = sync::client::sync_once(s, now_ms());
  REQUIRE_MESSAGE(r.ok, r.error.text());
}

std::int64_t hq_event_rows(const std::string& db) {
#ifdef KIOSK_TEST_POSTGRESQL
  try {
    return std::stoll(kiosk::testing::pg_value(db, "SELECT count(*) FROM events"));
  } catch (const std::exception&) {
    return -1;
  }
#endif
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(h, 2000);
  sqlite3_stmt* st = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

}  // namespace

TEST_CASE("[sync] an escalation made while HQ is down reaches HQ exactly once when it returns") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll_and_pull(s, hq);
  const auto feed = s.recent_mentions(50);
  REQUIRE(feed.size() >= 5);

  hq.kill();  // the store's signal drops
  const auto esc = s.escalate(feed[0].id, core::Severity::high, "Queue out the door", now_ms());
  const auto offline = sync::client::sync_once(s, now_ms());
  CHECK_FALSE(offline.ok);
  CHECK(offline.error.text().find("head office did not answer") != std::string::npos);
  CHECK(s.sync_state().events_waiting == 1);
  CHECK(s.sync_state().last_error == offline.error.text());
  CHECK(core::progress_of(s.escalations().at(0)) == core::EscalationProgress::queued_on_terminal);

  hq.start();  // signal is back
  const auto online = sync::client::sync_once(s, now_ms());
  REQUIRE_MESSAGE(online.ok, online.error.text());
  CHECK(online.events_sent == 1);
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(core::progress_of(s.escalations().at(0)) == core::EscalationProgress::delivered_to_hq);

  // A second sync (a retry, a second tap on Sync now) must not double it.
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const auto at_hq = hq.escalations();
  REQUIRE(at_hq.size() == 1);
  CHECK(at_hq[0]["id"] == esc.id);
  CHECK(at_hq[0]["note"] == "Queue out the door");
  CHECK(hq.events() == 1);
}

TEST_CASE("[sync] HQ killed in the middle of a sync: nothing lost, nothing doubled") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string kiosk_db = dir.file("kiosk.sqlite");
  store::Store s(kiosk_db);
  enroll_and_pull(s, hq);
  const auto mention_id = s.recent_mentions(1).at(0).id;

  // Enough escalations for many request batches, so the kill lands between batches or
  // inside one.
  constexpr int kEscalations = 2000;
  for (int i = 0; i < kEscalations; ++i)
    s.escalate(mention_id, core::Severity::medium, "note " + std::to_string(i), now_ms());

  // The sync runs on its own thread with its own connection, as the worker does.
  auto syncing = std::async(std::launch::async, [&] {
    store::Store worker(kiosk_db);
    return sync::client::sync_once(worker, now_ms());
  });
  // Freeze HQ as soon as it has stored part of the outbox, then kill it: a request is in
  // flight, HQ may have committed it without the terminal hearing back.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (hq_event_rows(hq.db()) <= 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE_MESSAGE(hq_event_rows(hq.db()) > 0, "HQ stored nothing within 30 s");
  hq.process()->stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  hq.kill();
  const auto interrupted = syncing.get();
  CHECK_FALSE(interrupted.ok);
  CHECK(interrupted.events_sent < kEscalations);

  // Nothing lost on the terminal: every escalation is still there, and every one not yet
  // acknowledged is still queued.
  CHECK(s.escalations().size() == kEscalations);
  CHECK(s.sync_state().events_waiting == kEscalations - interrupted.events_sent);

  hq.start();
  for (int i = 0; i < 5 && s.sync_state().events_waiting > 0; ++i)
    REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(hq.events() == kEscalations);
  CHECK(hq.escalations().size() == kEscalations);
  for (const auto& e : s.escalations()) REQUIRE(e.delivered_at_ms.has_value());
}

TEST_CASE("[sync] head office's acknowledgement shows on the terminal after the next sync") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll_and_pull(s, hq);
  const auto mention_id = s.recent_mentions(1).at(0).id;
  const auto esc = s.escalate(mention_id, core::Severity::critical, "", now_ms());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  hq.admin({"ack", "--escalation", esc.id, "--by", "HQ customer care"});
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  const auto view = app::build_view_state(s);
  const auto card = std::find_if(view.feed.begin(), view.feed.end(), [&](const ui::MentionCard& c) {
    return c.mention_id == mention_id;
  });
  REQUIRE(card != view.feed.end());
  CHECK(card->escalation_progress == core::EscalationProgress::acknowledged);
  CHECK(card->escalation_acknowledged_by == "HQ customer care");
  CHECK(view.sync.online);
  CHECK(view.store_name == "Downtown");
}

TEST_CASE("[sync] a terminal sees only its own store's mentions and escalations") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.load_demo_mentions("s2");
  hq.start();
  store::Store downtown(dir.file("downtown.sqlite"));
  enroll_and_pull(downtown, hq);
  store::Store uptown(dir.file("uptown.sqlite"));
  const auto e = sync::client::enroll(uptown, {hq.url(), hq.enroll_code("s2"), "Uptown till"});
  REQUIRE(e.ok);
  REQUIRE(sync::client::sync_once(uptown, now_ms()).ok);

  for (const auto& m : uptown.recent_mentions(100)) CHECK(m.id.find("uptown") != std::string::npos);
  for (const auto& m : downtown.recent_mentions(100))
    CHECK(m.id.find("downtown") != std::string::npos);
  downtown.escalate(downtown.recent_mentions(1).at(0).id, core::Severity::low, "", now_ms());
  REQUIRE(sync::client::sync_once(downtown, now_ms()).ok);
  REQUIRE(sync::client::sync_once(uptown, now_ms()).ok);
  CHECK(uptown.escalations().empty());
}

TEST_CASE("[sync] bad enrollment codes and unknown tokens give a sentence saying what to do") {
  TempDir dir;
  HqFixture hq(dir);
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  const auto bad = sync::client::enroll(s, {hq.url(), "WRONG-CODE", "Front counter"});
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.text().find("enrollment code") != std::string::npos);
  CHECK_FALSE(s.enrollment().has_value());

  s.save_enrollment({hq.url(), "t-forged", "s1", "Downtown", "not-a-real-token"});
  const auto r = sync::client::sync_once(s, now_ms());
  CHECK_FALSE(r.ok);
  CHECK(r.error.kind == core::ErrorKind::reenroll);
  CHECK(r.error.text().find("Re-enroll") != std::string::npos);
}

TEST_CASE("[sync] an answer the kiosk cannot read changes nothing and says so") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.upsert_mentions({{"m1", "s1", "google", "Ana", "Long queue", "", 1}}, 2);
  s.escalate("m1", core::Severity::high, "", now_ms());

  SUBCASE("JSON that is not a sync response") {
    kiosk::testing::CannedHttpServer bad(200, R"({"acked": "everything", "cursor": 99})");
    s.save_enrollment({bad.url(), "t1", "s1", "Downtown", "token"});
    const auto r = sync::client::sync_once(s, now_ms());
    CHECK_FALSE(r.ok);
    CHECK(r.error.text().find("cannot read") != std::string::npos);
    CHECK(r.error.text().find("outbox is kept") != std::string::npos);
    CHECK(s.sync_state().last_error == r.error.text());
  }
  SUBCASE("an HTML page from a captive portal or proxy") {
    kiosk::testing::CannedHttpServer portal(502, "<html>Bad gateway</html>", "text/html");
    s.save_enrollment({portal.url(), "t1", "s1", "Downtown", "token"});
    const auto r = sync::client::sync_once(s, now_ms());
    CHECK_FALSE(r.ok);
    CHECK(r.error.text().find("HTTP 502") != std::string::npos);
  }
  SUBCASE("broken UTF-8 in the answer") {
    kiosk::testing::CannedHttpServer broken(
        200, "{\"acked\":[\"\xff\xfe\"],\"cursor\":1,\"changes\":[]}");
    s.save_enrollment({broken.url(), "t1", "s1", "Downtown", "token"});
    const auto r = sync::client::sync_once(s, now_ms());
    CHECK_FALSE(r.ok);
    CHECK(r.error.text().find("UTF-8") != std::string::npos);
  }
  // Whatever the answer, nothing was applied and the escalation still waits to be sent.
  CHECK(s.sync_state().events_waiting == 1);
  CHECK(s.sync_state().cursor == 0);
  CHECK(s.escalations().size() == 1);
}

TEST_CASE("[worker] the background worker retries on its own and delivers once HQ is back") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  enroll_and_pull(s, hq);
  hq.kill();
  s.escalate(s.recent_mentions(1).at(0).id, core::Severity::high, "", now_ms());

  std::atomic<int> rounds{0};
  sync::client::SyncWorkerOptions options;
  options.db_path = db;
  options.interval_ms = 60'000;  // only backoff retries can deliver within this test
  options.backoff = {50, 200};   // short, so the test is quick; the shape is core's
  options.on_change = [&rounds] { ++rounds; };
  sync::client::SyncWorker worker(options);
  worker.start();

  // HQ down: the worker keeps trying (several rounds), and the escalation stays queued.
  const auto retry_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (rounds < 3 && std::chrono::steady_clock::now() < retry_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(rounds >= 3);
  CHECK(s.sync_state().events_waiting == 1);
  CHECK_FALSE(s.sync_state().last_error.empty());

  hq.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (s.sync_state().events_waiting > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  worker.stop();
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(s.sync_state().last_error.empty());
  CHECK(hq.events() == 1);
}

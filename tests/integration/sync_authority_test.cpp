// Head office is the authority and no single bad event stops a store's sync: each case here
// reproduces a way one event, one large mention or one move could wedge a store, against a
// real kiosk-hq over HTTP on loopback.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "kiosk/app/view/intent_applier.h"
#include "kiosk/app/view/ui_catalog.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/http_client.h"
#include "sync/client/sync_session.h"
#include "sync/client/sync_worker.h"
#include "sync/protocol/json_codec.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/manual_clock.h"
#include "tests/support/process.h"

using namespace kiosk;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void enroll(store::Store& s, HqFixture& hq, const std::string& store_id = "s1") {
  const auto e = sync::client::enroll(s, {hq.url(), hq.enroll_code(store_id), "Till"});
  REQUIRE_MESSAGE(e.ok, e.error.text());
}

sync::client::SyncOutcome sync_ok(store::Store& s) {
  auto r = sync::client::sync_once(s, now_ms());
  REQUIRE_MESSAGE(r.ok, r.error.text());
  return r;
}

// What an older kiosk that checked nothing could have queued: rewrites one queued
// escalation's note straight in the terminal's file.
void overwrite_note(const std::string& db, const std::string& escalation_id,
                    const std::string& note) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_busy_timeout(h, 2000);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "UPDATE escalations SET note = ?1 WHERE id = ?2", -1, &st,
                             nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, note.c_str(), static_cast<int>(note.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, escalation_id.c_str(), -1, SQLITE_TRANSIENT);
  CHECK(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(h);
}

std::string write_mentions_file(const TempDir& dir, int count, std::size_t text_bytes) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < count; ++i)
    list.push_back({{"id", "big:" + std::to_string(i)},
                    {"source", "rss"},
                    {"text", std::string(text_bytes, static_cast<char>('a' + i % 26))},
                    {"created_at_ms", 1'780'000'000'000 + i}});
  const std::string path = dir.file("big.json");
  std::ofstream(path) << nlohmann::json{{"mentions", list}}.dump();
  return path;
}

}  // namespace

TEST_CASE("[authority] a note over the limit is refused at the counter with its length") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.upsert_mentions({{"m1", "s1", "google", "Ana", "Long queue", "", 1'780'000'000'000}}, now_ms());
  const std::string note(5210, 'n');
  const auto refused = [&](const char* language) {
    auto catalog = app::load_ui_catalog(kiosk::testing::source_dir() + "/assets", language);
    REQUIRE_MESSAGE(catalog.ok(), catalog.error());
    ui::use_catalog(std::move(catalog.value()));
    return app::apply_intents({ui::RequestEscalate{"m1", core::Severity::high, note}}, s, now_ms(),
                              nullptr);
  };
  // The screen's words in its language; the contract's detail is for store IT, in English.
  CHECK(refused("es").error ==
        "Escalado no guardado: The note is too long: 5,210 of 4,000 characters.");
  const auto effects = refused("en");
  CHECK(effects.error == "Escalation not saved: The note is too long: 5,210 of 4,000 characters.");
  CHECK(effects.detail == "The note is too long: 5,210 of 4,000 characters.");
  CHECK(s.escalations().empty());
  CHECK(s.sync_state().events_waiting == 0);
  // 4,000 characters of two-byte letters are fine: the limit counts characters.
  std::string accents;
  for (int i = 0; i < 4000; ++i) accents += "\xC3\xA9";
  CHECK(app::apply_intents({ui::RequestEscalate{"m1", core::Severity::high, accents}}, s, now_ms(),
                           nullptr)
            .error.empty());
}

TEST_CASE("[authority] one bad event among 200 is parked with its reason; the rest flow") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  enroll(s, hq);
  sync_ok(s);
  const std::string mention = s.recent_mentions(1).at(0).id;
  std::string bad_id;
  for (int i = 0; i < 200; ++i) {
    const auto e =
        s.escalate(mention, core::Severity::medium, "event " + std::to_string(i), now_ms());
    if (i == 100) bad_id = e.id;
  }
  overwrite_note(db, bad_id, std::string(4001, 'x'));

  const auto r = sync_ok(s);
  CHECK(r.events_sent == 199);
  CHECK(r.events_rejected == 1);
  CHECK(hq.escalations().size() == 199);
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(s.sync_state().events_rejected == 1);
  for (const auto& e : s.escalations()) {
    if (e.id != bad_id) continue;
    CHECK(core::progress_of(e) == core::EscalationProgress::not_accepted);
    CHECK(e.not_accepted_reason.find("too long") != std::string::npos);
  }

  // Later escalations still reach head office, and syncs stay green.
  s.escalate(mention, core::Severity::high, "after the bad one", now_ms());
  CHECK(sync_ok(s).events_sent == 1);
  CHECK(hq.escalations().size() == 200);
  CHECK(s.sync_state().last_error.empty());
}

TEST_CASE("[authority] notes full of quotes are sent in batches under the request limit") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll(s, hq);
  sync_ok(s);
  const std::string mention = s.recent_mentions(1).at(0).id;
  // Each quote doubles in JSON: 140 x 8,000 bytes is past head office's 1 MiB limit.
  for (int i = 0; i < 140; ++i)
    s.escalate(mention, core::Severity::low, std::string(4000, '"'), now_ms());
  const auto r = sync_ok(s);
  CHECK(r.events_sent == 140);
  CHECK(r.events_rejected == 0);
  CHECK(hq.escalations().size() == 140);
}

TEST_CASE("[authority] 300 mentions of 60 KB reach a new terminal page by page") {
  TempDir dir;
  HqFixture hq(dir);
  hq.admin({"mentions", "load", "--store", "s1", "--file", write_mentions_file(dir, 300, 60'000)});
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll(s, hq);
  const auto r = sync_ok(s);
  CHECK(r.changes_applied == 300);
  CHECK(s.recent_mentions(1000).size() == 300);
  CHECK(s.sync_state().cursor > 0);
  CHECK(sync_ok(s).changes_applied == 0);  // caught up: nothing left behind
}

TEST_CASE("[authority] what only head office decides cannot come from a terminal") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll(s, hq);
  sync_ok(s);
  const auto mention = s.recent_mentions(1).at(0).id;
  const auto token = s.enrollment()->token;

  // A hostile terminal writes its own events, past the kiosk's own checks.
  int sent = 0;
  auto forged = [&](auto&& change) {
    sync::protocol::Event e;
    e.id = "0b6c2a52-1c1e-4d2b-9a57-3f1f2d8e9c1" + std::to_string(sent++);
    e.kind = "escalation.created";
    e.hlc = "1780000000000-0000000001";
    e.escalation.id = "7d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11";
    e.escalation.mention_id = mention;
    e.escalation.severity = core::Severity::high;
    e.escalation.created_at_ms = 1'780'000'000'000;
    e.escalation.status_changed_at_ms = e.escalation.created_at_ms;
    change(e);
    sync::protocol::SyncRequest req;
    req.cursor = s.sync_state().cursor;
    req.events = {e};
    auto http = sync::client::http_post(
        {.url = hq.url() + "/v1/sync", .body = sync::protocol::encode(req), .bearer_token = token});
    REQUIRE(http.status == 200);
    auto decoded = sync::protocol::decode_sync_response(http.body);
    REQUIRE(decoded.ok());
    return decoded.value();
  };
  using core::EscalationStatus;
  SUBCASE("already resolved") {
    auto r = forged([](auto& e) { e.escalation.status = EscalationStatus::resolved; });
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.find("Only head office") != std::string::npos);
  }
  SUBCASE("acknowledged by a name it chose") {
    auto r = forged([](auto& e) {
      e.escalation.status = EscalationStatus::acknowledged;
      e.escalation.acknowledged_by = "HQ care";
    });
    REQUIRE(r.rejected.size() == 1);
  }
  SUBCASE("open, but naming who acknowledged it") {
    auto r = forged([](auto& e) { e.escalation.acknowledged_by = "Regional manager"; });
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.find("who acknowledged") != std::string::npos);
  }
  SUBCASE("for a mention head office does not know") {
    auto r = forged([](auto& e) { e.escalation.mention_id = "made-up:1"; });
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.find("no mention") != std::string::npos);
  }
  SUBCASE("with a made-up clock and a negative time") {
    auto r = forged([](auto& e) {
      e.hlc = "yesterday";
      e.escalation.created_at_ms = -5;
    });
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.find("clock") != std::string::npos);
    auto r2 = forged([](auto& e) { e.escalation.created_at_ms = -5; });
    REQUIRE(r2.rejected.size() == 1);
    CHECK(r2.rejected[0].reason.find("outside 2000-2100") != std::string::npos);
  }
  CHECK(hq.escalations().empty());
  CHECK(hq.events() == 0);
}

TEST_CASE("[authority] moving a terminal to another store") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions("s1");
  hq.load_demo_mentions("s2");
  hq.start();
  store::Store s(dir.file("kiosk.sqlite"));
  enroll(s, hq, "s1");
  sync_ok(s);
  const auto downtown_mention = s.recent_mentions(1).at(0).id;

  SUBCASE("with an escalation still queued it is refused, and nothing changes") {
    hq.kill();
    s.escalate(downtown_mention, core::Severity::high, "for Downtown", now_ms());
    hq.start();
    const auto r = sync::client::enroll(s, {hq.url(), hq.enroll_code("s2"), "Till"});
    CHECK_FALSE(r.ok);
    CHECK(r.error.text().find("1 events for store s1") != std::string::npos);
    CHECK(r.error.text().find("--discard-queued") != std::string::npos);
    CHECK(s.enrollment()->store_id == "s1");
    CHECK(s.sync_state().events_waiting == 1);
    // Sent first, the escalation is filed where it belongs, and the move then goes through.
    sync_ok(s);
    CHECK(hq.escalations().at(0)["store_id"] == "s1");
    enroll(s, hq, "s2");
    CHECK(s.escalations().empty());
  }
  SUBCASE("given up on purpose, the queued escalation is dropped, not filed at the new store") {
    s.escalate(downtown_mention, core::Severity::high, "for Downtown", now_ms());
    hq.kill();
    hq.start();
    const auto r = sync::client::enroll(s, {hq.url(), hq.enroll_code("s2"), "Till", true});
    REQUIRE_MESSAGE(r.ok, r.error.text());
    sync_ok(s);
    CHECK(hq.escalations().empty());
  }
  SUBCASE("with nothing queued the old store's mentions are gone from screen and disk") {
    enroll(s, hq, "s2");
    CHECK(s.recent_mentions(100).size() == 0);
    sync_ok(s);
    for (const auto& m : s.recent_mentions(100)) CHECK(m.id.find("uptown") != std::string::npos);
    std::ifstream file(s.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), {});
    CHECK(bytes.find(downtown_mention) == std::string::npos);
  }
}

TEST_CASE("[authority] a full disk while applying a batch is shown as an error, not 'Online'") {
  TempDir dir;
  HqFixture hq(dir);
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  {
    store::Store s(db);
    enroll(s, hq);
    sync_ok(s);
  }
  hq.admin({"mentions", "load", "--store", "s1", "--file", write_mentions_file(dir, 50, 20'000)});
  store::Store s(db);
  s.cap_file_pages(40);  // about 160 KB: far less than the batch needs
  const auto r = sync::client::sync_once(s, now_ms());
  CHECK_FALSE(r.ok);
  CHECK(r.error.kind == core::ErrorKind::local_storage);
  CHECK(r.error.text().find("disk is full") != std::string::npos);
  CHECK(s.sync_state().cursor == 0);
}

TEST_CASE("[worker] steps through its states on a stepped clock, without sleeping") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  hq.start();
  enroll(s, hq);
  hq.kill();

  auto clock = std::make_shared<kiosk::testing::ManualClock>(1'780'000'000'000);
  std::mutex m;
  std::condition_variable cv;
  std::uint64_t rounds = 0;
  sync::client::SyncWorkerOptions o;
  o.db_path = db;
  o.interval_ms = 10'000;
  o.backoff = {1'000, 8'000};
  o.clock = clock;
  o.random01 = [] { return 0.999; };  // the top of each jitter range, so waits are known
  o.on_change = [&] {
    std::lock_guard g(m);
    ++rounds;
    cv.notify_all();
  };
  sync::client::SyncWorker worker(o);
  // Waits for the worker thread to finish rounds (real time only bounds a broken test).
  const auto wait_rounds = [&](std::uint64_t n,
                               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::unique_lock g(m);
    return cv.wait_for(g, limit, [&] { return rounds >= n; });
  };
  worker.start();

  // HQ down: backing off, 1 s then 2 s then 4 s, capped at 8 s; the error is published.
  REQUIRE(wait_rounds(1));
  auto st = worker.status();
  CHECK(st.state == sync::client::WorkerState::backing_off);
  REQUIRE(st.last_error);
  CHECK(st.last_error->kind == core::ErrorKind::retry_later);
  CHECK(*st.next_attempt_ms - clock->now_ms() == 999);
  clock->advance(500);
  CHECK_FALSE(wait_rounds(2, std::chrono::milliseconds(200)));  // not due yet
  clock->advance(500);
  REQUIRE(wait_rounds(2));
  CHECK(*worker.status().next_attempt_ms - clock->now_ms() == 1'998);

  // HQ back, staff tap "Sync now": idle, next round after the interval.
  hq.start();
  worker.request_sync_now();
  REQUIRE(wait_rounds(3));
  st = worker.status();
  CHECK(st.state == sync::client::WorkerState::idle);
  CHECK_FALSE(st.last_error);
  CHECK(*st.next_attempt_ms - clock->now_ms() == 10'000);

  // Token revoked at HQ (here: replaced by a token HQ never issued): the worker stops
  // calling head office and says why.
  auto e = *s.enrollment();
  e.token = "revoked-token";
  s.save_enrollment(e);
  worker.request_sync_now();
  REQUIRE(wait_rounds(4));
  st = worker.status();
  CHECK(st.state == sync::client::WorkerState::needs_enrollment);
  CHECK(st.last_error->kind == core::ErrorKind::reenroll);
  const auto failed_attempt = s.sync_state().last_attempt_ms;
  clock->advance(60'000);  // its checks look locally and make no call
  REQUIRE(wait_rounds(5));
  CHECK(worker.status().state == sync::client::WorkerState::needs_enrollment);
  CHECK(s.sync_state().last_attempt_ms == failed_attempt);
  // What `kiosk status --json` in another process reads.
  CHECK(s.sync_state().worker_state == "needs_enrollment");
  CHECK(s.sync_state().last_error_kind == "reenroll");
  worker.stop();
  CHECK(worker.status().state == sync::client::WorkerState::stopped);
}

TEST_CASE("[worker] stop() aborts a request head office never answers") {
  TempDir dir;
  HqFixture hq(dir);
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  hq.start();
  enroll(s, hq);
  hq.process()->stop();  // frozen: connections are accepted, nothing answers

  std::atomic<int> rounds{0};
  sync::client::SyncWorkerOptions o;
  o.db_path = db;
  o.on_change = [&] { ++rounds; };
  sync::client::SyncWorker worker(o);
  worker.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the request is in flight
  const auto t0 = std::chrono::steady_clock::now();
  worker.stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < std::chrono::seconds(2));  // not the 15 s request timeout
}

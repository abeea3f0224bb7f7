// Exactly once under faults, against the real kiosk-hq on loopback: network faults injected
// by a proxy between the kiosk and head office while the kiosk's own sync worker runs, and
// kiosk-hq killed (SIGKILL) at random points of syncs. Each test prints attempted, delivered,
// duplicates and lost; every escalation the terminal reported saved must be at head office
// exactly once, with no help from anyone once the network is back.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "sync/client/sync_worker.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/canned_http_server.h"
#include "tests/support/fault_proxy.h"

using namespace kiosk;
using kiosk::testing::Fault;
using kiosk::testing::FaultProxy;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int port_of(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

// Escalation notes at head office, with how many rows carry each (read straight from its
// database, as an auditor would), and how many events it stored.
struct HqTally {
  std::map<std::string, int> notes;
  std::int64_t events = 0;
};

HqTally read_hq(const std::string& db) {
  HqTally t;
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT note FROM escalations", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    ++t.notes[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))];
  sqlite3_finalize(st);
  sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) t.events = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return t;
}

// attempted / delivered / duplicates / lost, printed and checked.
void report_exactly_once(const char* name, const std::vector<std::string>& saved_notes,
                         const std::string& hq_db) {
  const HqTally t = read_hq(hq_db);
  int delivered = 0, duplicates = 0, lost = 0;
  for (const auto& note : saved_notes) {
    const auto it = t.notes.find(note);
    if (it == t.notes.end()) {
      ++lost;
      continue;
    }
    ++delivered;
    duplicates += it->second - 1;
  }
  std::printf("%s: attempted %zu, delivered %d, duplicates %d, lost %d (HQ events %lld)\n", name,
              saved_notes.size(), delivered, duplicates, lost, static_cast<long long>(t.events));
  std::fflush(stdout);
  CHECK(delivered == static_cast<int>(saved_notes.size()));
  CHECK(duplicates == 0);
  CHECK(lost == 0);
  CHECK(t.events == static_cast<std::int64_t>(saved_notes.size()));
}

}  // namespace

TEST_CASE("[faults] network faults between kiosk and HQ: the worker never wedges, exactly once") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  FaultProxy proxy(port_of(hq.url()));
  proxy.set_delay_ms(1500);

  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  REQUIRE(sync::client::enroll(s, {proxy.url(), hq.enroll_code(), "Front counter"}).ok);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;

  sync::client::SyncWorkerOptions o;
  o.db_path = db;
  o.backoff = {50, 400};  // short, so the test is quick; the shape is core's
  o.live_wait_ms = 1000;
  sync::client::SyncWorker worker(o);
  worker.start();

  const unsigned seed = std::random_device{}();
  std::printf("network faults: seed %u\n", seed);
  std::mt19937 rng(seed);
  std::vector<std::string> saved;
  const std::vector<Fault> kinds = {
      Fault::reset_before_request, Fault::reset_after_request, Fault::truncate_response,
      Fault::delay_response,       Fault::status_500,          Fault::status_502,
      Fault::status_503,           Fault::duplicate_request,   Fault::none /* refused */};
  for (const Fault kind : kinds) {
    const bool refused = kind == Fault::none;
    proxy.set_refusing(refused);
    // Half the requests of this phase hit the fault.
    auto phase_rng = std::make_shared<std::mt19937>(rng());
    proxy.set_plan([kind, phase_rng] {
      return std::uniform_int_distribution<int>(0, 1)(*phase_rng) ? kind : Fault::none;
    });
    for (int i = 0; i < 4; ++i) {
      const std::string note = "fault " + std::string(refused ? "refused" : to_string(kind)) +
                               " #" + std::to_string(saved.size());
      s.escalate(mention, core::Severity::high, note, now_ms());
      saved.push_back(note);  // the terminal said "saved"
      worker.request_sync_now();
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }

  // The network is back. Nobody touches the terminal: the worker alone delivers the rest.
  proxy.set_refusing(false);
  proxy.set_plan({});
  const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
  while (SteadyClock::now() < deadline &&
         (s.sync_state().events_waiting > 0 ||
          worker.status().state != sync::client::WorkerState::idle))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto st = worker.status();
  worker.stop();
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(st.state == sync::client::WorkerState::idle);
  std::printf("network faults: %lld requests through the proxy on %lld connections\n",
              static_cast<long long>(proxy.requests()),
              static_cast<long long>(proxy.connections()));
  report_exactly_once("network faults", saved, hq.db());
}

TEST_CASE("[faults] kiosk-hq killed with SIGKILL at random points of 30 syncs: exactly once") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  REQUIRE(sync::client::enroll(s, {hq.url(), hq.enroll_code(), "Front counter"}).ok);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;

  const unsigned seed = std::random_device{}();
  std::printf("kill -9: seed %u\n", seed);
  std::mt19937 rng(seed);
  std::vector<std::string> saved;
  int interrupted = 0;
  for (int iteration = 0; iteration < 30; ++iteration) {
    if (iteration > 0) hq.start();
    for (int i = 0; i < 250; ++i) {
      const std::string note = "kill " + std::to_string(saved.size());
      s.escalate(mention, core::Severity::medium, note, now_ms());
      saved.push_back(note);
    }
    std::thread syncing([&] {
      if (!sync::client::sync_once(s, now_ms()).ok) ++interrupted;
    });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 60)(rng)));
    hq.kill();  // SIGKILL, wherever it is
    syncing.join();
  }
  hq.start();
  bool done = false;
  for (int attempt = 0; attempt < 5 && !done; ++attempt)
    done = sync::client::sync_once(s, now_ms()).ok && s.sync_state().events_waiting == 0;
  CHECK(done);
  std::printf("kill -9: 30 kills, %d syncs cut short\n", interrupted);
  report_exactly_once("kill -9 of kiosk-hq", saved, hq.db());
}

namespace {

// Mentions for `kiosk-hq mentions load`, "google:0" to "google:<count - 1>".
void write_mentions_file(const std::string& path, int count) {
  std::ofstream f(path);
  f << "{\"mentions\": [";
  for (int i = 0; i < count; ++i)
    f << (i ? "," : "") << "{\"id\": \"google:" << i
      << "\", \"source\": \"google\", \"author\": \"@guest\", \"minutes_ago\": 5, "
         "\"text\": \"Waited at the till, number "
      << i << "\", \"url\": \"\"}";
  f << "]}";
}

// Mention changes of the store at head office up to seq (all of them when seq < 0), read
// straight from its database.
std::int64_t hq_mention_changes(const std::string& db, std::int64_t seq) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h,
                     "SELECT count(*) FROM changes WHERE kind = 'mention' AND (? < 0 OR seq <= ?)",
                     -1, &st, nullptr);
  sqlite3_bind_int64(st, 1, seq);
  sqlite3_bind_int64(st, 2, seq);
  std::int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

}  // namespace

TEST_CASE(
    "[faults] kiosk sync --once takes a large backlog in large pages, and fails when cut off "
    "with work left") {
  TempDir dir;
  HqFixture hq(dir);
  // 51,000 mentions: 11 pages of up to 5,000 (102 of version 1's 500).
  constexpr int kMentions = 51'000;
  write_mentions_file(dir.file("many.json"), kMentions);
  hq.admin({"mentions", "load", "--store", "s1", "--file", dir.file("many.json")});
  hq.start();
  FaultProxy proxy(port_of(hq.url()));
  const auto kiosk_cli = [&](const std::string& db) {
    return kiosk::testing::run(
        {kiosk::testing::binary_dir() + "/kiosk/app/kiosk", "--db", db, "sync", "--once"});
  };
  const auto mentions_in = [](const std::string& db) {
    store::Store s(db);
    return s.recent_mentions(kMentions + 10).size();
  };
  const auto enrolled = [&](const std::string& name) {
    const std::string db = dir.file(name);
    store::Store s(db);
    REQUIRE(sync::client::enroll(s, {proxy.url(), hq.enroll_code(), name}).ok);
    return db;
  };

  const std::string whole = enrolled("whole.sqlite");
  proxy.reset_counters();
  const auto r = kiosk_cli(whole);
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(mentions_in(whole) == kMentions);
  std::printf("sync --once: %d mentions in %lld requests\n", kMentions,
              static_cast<long long>(proxy.requests()));
  CHECK(proxy.requests() <= 12);  // large pages: not 102 of 500

  // Cut off after 3 pages: the command says so and exits non-zero; the next one finishes.
  // The 4th page is asked for while the 3rd is written (fetched ahead) and fails: the 3rd is
  // kept, and the terminal holds exactly the changes up to its cursor.
  const std::string cut = enrolled("cut.sqlite");
  auto served = std::make_shared<std::atomic<int>>(0);
  proxy.set_plan([served] { return ++*served > 3 ? Fault::reset_before_request : Fault::none; });
  const auto failed = kiosk_cli(cut);
  CHECK(failed.exit_code != 0);
  CHECK(failed.err.find("Sync failed") != std::string::npos);
  const auto partial = mentions_in(cut);
  constexpr auto protocol_page = sync::protocol::kMaxChangesPerLargePage;
  const auto cut_cursor = store::Store(cut).sync_state().cursor;
  CHECK(partial > 0);
  CHECK(partial < static_cast<std::size_t>(kMentions));
  CHECK(static_cast<std::int64_t>(partial) == hq_mention_changes(hq.db(), cut_cursor));
  CHECK(partial > 2 * protocol_page);  // the 3rd page is there
  proxy.set_plan({});
  const auto again = kiosk_cli(cut);
  CHECK_MESSAGE(again.exit_code == 0, again.err);
  CHECK(mentions_in(cut) == kMentions);
}

TEST_CASE(
    "[faults] a kiosk killed with SIGKILL mid catch-up holds exactly the changes up to its "
    "cursor, and the next sync completes the rest") {
  TempDir dir;
  HqFixture hq(dir);
  constexpr int kMentions = 15'000;  // 3 pages of 5,000
  write_mentions_file(dir.file("many.json"), kMentions);
  hq.admin({"mentions", "load", "--store", "s1", "--file", dir.file("many.json")});
  hq.start();
  // Each page takes a round trip of 400 ms or more, so the kill lands mid catch-up.
  FaultProxy proxy(port_of(hq.url()), kiosk::testing::Link{0, 400});
  const std::string db = dir.file("kiosk.sqlite");
  {
    store::Store s(db);
    REQUIRE(sync::client::enroll(s, {proxy.url(), hq.enroll_code(), "Front counter"}).ok);
  }
  const auto held = [&] {
    store::Store s(db);
    return std::make_pair(static_cast<std::int64_t>(s.recent_mentions(kMentions + 10).size()),
                          s.sync_state().cursor);
  };

  // Each round starts `kiosk sync --once`, waits until it committed a page more than the
  // round before, and kills it a random moment later: mid-page, between pages, mid-write.
  std::mt19937 rng(8);
  int killed_mid_way = 0;
  std::int64_t before = 0;
  for (int round = 0; round < 2; ++round) {
    kiosk::testing::ChildProcess kiosk_sync(
        {kiosk::testing::binary_dir() + "/kiosk/app/kiosk", "--db", db, "sync", "--once"},
        dir.file("sync" + std::to_string(round) + ".log"));
    const auto give_up = SteadyClock::now() + std::chrono::seconds(60);
    while (held().first <= before && SteadyClock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 600));
    kiosk_sync.kill_now();
    const auto [mentions, cursor] = held();
    std::printf("kill -9 of the kiosk mid catch-up: %lld of %d mentions held, cursor %lld\n",
                static_cast<long long>(mentions), kMentions, static_cast<long long>(cursor));
    // Exactly the mentions up to the cursor: none skipped, none applied past it.
    CHECK(mentions == hq_mention_changes(hq.db(), cursor));
    CHECK(mentions > before);
    if (mentions < kMentions) ++killed_mid_way;
    before = mentions;
  }
  CHECK(killed_mid_way > 0);

  const auto r = kiosk::testing::run(
      {kiosk::testing::binary_dir() + "/kiosk/app/kiosk", "--db", db, "sync", "--once"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  const auto [mentions, cursor] = held();
  CHECK(mentions == kMentions);
  CHECK(hq_mention_changes(hq.db(), cursor) == kMentions);
  CHECK(hq_mention_changes(hq.db(), -1) == kMentions);
}

TEST_CASE(
    "[live] online, a mention loaded at head office by another process reaches the kiosk "
    "within two seconds") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  store::Store s(db);
  REQUIRE(sync::client::enroll(s, {hq.url(), hq.enroll_code(), "Front counter"}).ok);

  sync::client::SyncWorkerOptions o;
  o.db_path = db;
  o.interval_ms = 60'000;  // the timer alone could not deliver within this test
  sync::client::SyncWorker worker(o);
  worker.start();
  const auto ready = SteadyClock::now() + std::chrono::seconds(10);
  while (!worker.status().live && SteadyClock::now() < ready)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(worker.status().live);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the long-poll is held

  for (int i = 0; i < 3; ++i) {
    const std::string file = dir.file("new" + std::to_string(i) + ".json");
    std::ofstream(file) << R"({"mentions": [{"id": "live:)" << i
                        << R"(", "source": "google", "author": "@new", "minutes_ago": 0, )"
                           R"("text": "Just now: no one at the tills", "url": ""}]})";
    // From before the command starts: the time counted includes kiosk-hq's own start-up.
    const auto t0 = SteadyClock::now();
    hq.admin({"mentions", "load", "--store", "s1", "--file", file});
    bool seen = false;
    while (!seen && SteadyClock::now() - t0 < std::chrono::seconds(5)) {
      for (const auto& m : s.recent_mentions(5)) seen = seen || m.id == "live:" + std::to_string(i);
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t0);
    std::printf("live: mention %d reached the kiosk after %lld ms\n", i,
                static_cast<long long>(took.count()));
    CHECK(seen);
    CHECK(took < std::chrono::seconds(2));
  }
  worker.stop();
}

TEST_CASE("[live] against a head office without the live channel the worker polls on its timer") {
  // An older HQ: a valid sync answer with no "features".
  kiosk::testing::CannedHttpServer old_hq(
      200, R"({"acked":[],"rejected":[],"cursor":0,"changes":[],"more":false,"server_time_ms":1})");
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  {
    store::Store s(db);
    s.save_enrollment({old_hq.url(), "t1", "s1", "Downtown", "token"});
  }
  sync::client::SyncWorkerOptions o;
  o.db_path = db;
  o.interval_ms = 10'000;
  sync::client::SyncWorker worker(o);
  worker.start();
  const auto ready = SteadyClock::now() + std::chrono::seconds(5);
  while (worker.status().rounds < 1 && SteadyClock::now() < ready)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const auto st = worker.status();
  CHECK(st.state == sync::client::WorkerState::idle);
  CHECK_FALSE(st.live);
  CHECK(old_hq.requests() == 1);  // no hard polling: the next round waits for the interval
  worker.stop();
}

// Every event kind goes through the same outbox and the same contracts: training answers and
// shared praise made at the counter (through the real kiosk program) reach head office
// exactly once, show in its reports, and a bad one is parked alone.
#include <doctest/doctest.h>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using namespace kiosk;
using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::kiosk_cli;

namespace {}  // namespace

TEST_CASE("[events] training answers and shared praise reach head office exactly once") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  // Offline: everything is queued locally.
  hq.kill();
  auto answer = [&](const char* lesson, const char* right, const char* sure) {
    const auto r =
        kiosk_cli(db, {"training", "answer", "--staff", "ana", "--lesson", lesson, right, sure});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
  };
  answer("speak-for-the-brand", "--right", "--sure");
  answer("speak-for-the-brand", "--wrong", "--sure");
  answer("always-on-camera", "--right", "--unsure");
  const std::string praised = "demo:downtown:3";
  auto shared = kiosk_cli(db, {"share-praise", "--mention", praised, "--staff", "ana", "--note",
                               "Thank Luis at the deli"});
  CHECK_MESSAGE(shared.exit_code == 0, shared.err);
  // A mention only this terminal has (imported locally): head office will not take it.
  {
    store::Store s(db);
    s.upsert_mentions({{"local:1", "s1", "rss", "", "Lovely staff", "", 1'780'000'000'000}}, 1);
  }
  CHECK(kiosk_cli(db, {"share-praise", "--mention", "local:1"}).exit_code == 0);
  // Refused before it is queued: too long a note, an unknown mention.
  auto too_long =
      kiosk_cli(db, {"share-praise", "--mention", praised, "--note", std::string(501, 'x')});
  CHECK(too_long.exit_code == 1);
  CHECK(too_long.err.find("longer than 500 characters") != std::string::npos);
  CHECK(kiosk_cli(db, {"share-praise", "--mention", "nope"}).exit_code == 1);
  {
    store::Store s(db);
    CHECK(s.sync_state().events_waiting == 5);
  }

  hq.start();
  const auto synced = kiosk_cli(db, {"sync", "--once"});
  CHECK_MESSAGE(synced.exit_code == 0, synced.err);
  CHECK(synced.out.find("4 events delivered, 1 rejected") != std::string::npos);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);  // a second sync doubles nothing
  CHECK(hq.events() == 4);

  const auto report = nlohmann::json::parse(hq.admin({"training", "report", "--json"}).out);
  CHECK(report["overall"]["answers"] == 3);
  CHECK(report["overall"]["correct"] == 2);
  CHECK(report["overall"]["sure_but_wrong"] == 1);
  CHECK(report["by_staff"]["s1/ana"]["lessons_done"] == 2);
  CHECK(report["by_lesson"]["speak-for-the-brand"]["answers"] == 2);

  const auto praise = nlohmann::json::parse(hq.admin({"praise", "list", "--json"}).out);
  REQUIRE(praise.size() == 1);
  CHECK(praise[0]["mention_id"] == praised);
  CHECK(praise[0]["note"] == "Thank Luis at the deli");
  CHECK(praise[0]["store_id"] == "s1");

  store::Store s(db);
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(s.sync_state().events_rejected == 1);
}

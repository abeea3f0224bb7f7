// The kiosk program itself in a real window (Xvfb), on both backends: the feed shows the
// store's mentions from head office, a scripted tap on Escalate queues an outbox event, and
// head office's acknowledgement appears on the card after a sync.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::pin_taps;
using kiosk::testing::with;

namespace {

nlohmann::json status(const std::string& db) {
  const auto r = kiosk_cli(db, {"status", "--json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out);
}

// The feed's first card (priority order): the mention staff see at the top.
nlohmann::json first_card(const std::string& db) {
  const auto r = kiosk_cli(db, {"mentions", "--json", "--limit", "1", "--feed", "all"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out)["mentions"].at(0);
}

// A terminal enrolled at Downtown and synced with a running head office, which has Ana
// (PIN 4821) on its staff.
std::string enrolled_kiosk(const TempDir& dir, HqFixture& hq) {
  hq.load_demo_mentions();
  std::ofstream(dir.file("ana.pin")) << "4821\n";
  hq.admin({"staff", "add", "--store", "s1", "--id", "ana", "--name", "Ana Lopez", "--role",
            "associate", "--pin-file", dir.file("ana.pin")});
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("[ui] kiosk window: feed from HQ, tap to escalate, acknowledgement shown") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const std::string db = enrolled_kiosk(dir, hq);
    const auto first = first_card(db);
    const std::string mention = first["id"].get<std::string>();

    // The feed: a real frame, not blank, with the mention's text drawn.
    const std::string feed_png = dir.file("feed.png");
    auto feed = kiosk_cli(
        db, {"--backend", backend, "--no-sync", "--print-text", "--screenshot", feed_png});
    REQUIRE_MESSAGE(feed.exit_code == 0, feed.err);
    CHECK(contains(feed.out, first["text"].get<std::string>()));
    CHECK(contains(feed.out, "Downtown"));
    CHECK(std::filesystem::file_size(feed_png) > 20'000);  // a flat image compresses to ~1 KB

    // A tap on Escalate, a tap on High, a tap on Confirm: one outbox event, queued.
    auto tapped = kiosk_cli(db, with(with({"--backend", backend, "--no-sync", "--print-text",
                                           "--tap", "escalate:" + mention},
                                          pin_taps("ana", "4821")),
                                     {"--tap", "severity:high", "--tap", "confirm", "--screenshot",
                                      dir.file("tapped.png")}));
    REQUIRE_MESSAGE(tapped.exit_code == 0, tapped.err);
    CHECK(contains(tapped.out, "Queued on this terminal"));
    auto st = status(db);
    CHECK(st["queue_depth"] == 1);
    CHECK(st["escalations"]["queued_on_terminal"] == 1);

    // Delivered, acknowledged at head office, shown on the card.
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto at_hq = hq.escalations();
    REQUIRE(at_hq.size() == 1);
    CHECK(at_hq[0]["mention_id"] == mention);
    CHECK(at_hq[0]["severity"] == "high");
    hq.admin({"ack", "--escalation", at_hq[0]["id"].get<std::string>(), "--by", "HQ care"});
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    auto acked = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text", "--screenshot",
                                dir.file("acked.png")});
    REQUIRE_MESSAGE(acked.exit_code == 0, acked.err);
    CHECK(contains(acked.out, "Acknowledged by head office (by HQ care)"));
    CHECK_FALSE(contains(acked.out, "Queued on this terminal"));
  }
}

TEST_CASE("[ui] kiosk window keeps running and keeps the queue when HQ is unreachable") {
  TempDir dir;
  HqFixture hq(dir);
  const std::string db = enrolled_kiosk(dir, hq);
  hq.kill();  // the store's network goes down

  REQUIRE(
      kiosk_cli(db, {"escalate", "--mention", "demo:downtown:2", "--severity", "low"}).exit_code ==
      0);
  const auto failed = kiosk_cli(db, {"sync", "--once"});
  CHECK(failed.exit_code == 1);
  CHECK(contains(failed.err, "head office did not answer"));
  CHECK(contains(failed.err, "1 events kept on this terminal"));

  // The window, with its sync worker failing in the background, still escalates (the first
  // card: the one surely on screen above the tabs).
  auto r = kiosk_cli(db, with(with({"--print-text", "--frames", "30", "--tap",
                                    "escalate:" + first_card(db)["id"].get<std::string>()},
                                   pin_taps("ana", "4821")),
                              {"--tap", "severity:critical", "--tap", "confirm", "--screenshot",
                               dir.file("offline.png")}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(contains(r.out, "Offline"));
  CHECK(contains(r.out, "2 waiting to send"));
  CHECK(status(db)["queue_depth"] == 2);
}

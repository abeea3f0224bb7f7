// The idle screen in the real kiosk program, in a real window (Xvfb): it appears after the
// configured time without a touch, shows what is open and a tip, and a tap wakes it without
// reaching the button under the finger (nothing opens, nothing is queued).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::TempDir;

namespace {

// The first words of every English tip in the shipped training pack: the idle screen shows
// one of them (which one depends on the clock; a long tip may wrap after these words).
std::vector<std::string> shipped_tip_openings() {
  std::vector<std::string> tips;
  const auto dir = kiosk::testing::source_dir() + "/assets/training/frontline-basics";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.path().string().ends_with(".en.lesson")) continue;
    const std::string text = kiosk::testing::read_whole_file(entry.path().string());
    const auto at = text.find("\ntip:");
    if (at == std::string::npos) continue;
    const auto start = text.find_first_not_of(' ', at + 5);
    tips.push_back(text.substr(start, 24));
  }
  return tips;
}

}  // namespace

TEST_CASE("[ui] the idle screen comes after the configured time and a tap only wakes it") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  // Before the time: the feed.
  auto early = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--idle-screen-seconds", "5",
                              "--print-text", "--screenshot", dir.file("early.png")});
  REQUIRE_MESSAGE(early.exit_code == 0, early.err);
  CHECK_FALSE(contains(early.out, "Tap anywhere to start"));
  CHECK(contains(early.out, "Report an issue"));

  // After it: the idle screen alone, with the counts and a tip.
  auto idle =
      kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--idle-screen-seconds", "1", "--print-text",
                     "--screenshot", dir.file("idle.png"), "--tap", "wait:1500"});
  REQUIRE_MESSAGE(idle.exit_code == 0, idle.err);
  CHECK(contains(idle.out, "Tap anywhere to start"));
  CHECK(contains(idle.out, "Open escalations: 0"));
  CHECK(contains(idle.out, "Posts that need attention: 6"));
  CHECK(contains(idle.out, "Tip"));
  // The tip comes from the training pack, not the catalog's fallback.
  const auto tips = shipped_tip_openings();
  REQUIRE(tips.size() == 24);
  bool shows_pack_tip = false;
  for (const auto& t : tips) shows_pack_tip = shows_pack_tip || contains(idle.out, t);
  CHECK_MESSAGE(shows_pack_tip, idle.out);
  CHECK_FALSE(contains(idle.out, "Report an issue"));

  // A tap wakes it: the feed is back, and the tap opened nothing and queued nothing.
  auto woke = kiosk_cli(
      db, {"--backend", "sdl2", "--no-sync", "--idle-screen-seconds", "1", "--print-text",
           "--screenshot", dir.file("woke.png"), "--tap", "wait:1500", "--tap", "idle_screen"});
  REQUIRE_MESSAGE(woke.exit_code == 0, woke.err);
  CHECK_FALSE(contains(woke.out, "Tap anywhere to start"));
  CHECK(contains(woke.out, "Report an issue"));
  CHECK_FALSE(contains(woke.out, "Tap in with your PIN"));
  CHECK_FALSE(contains(woke.out, "Escalate to head office"));
  const auto st = kiosk_cli(db, {"status", "--json"});
  REQUIRE(st.exit_code == 0);
  CHECK(nlohmann::json::parse(st.out)["queue_depth"] == 0);
}

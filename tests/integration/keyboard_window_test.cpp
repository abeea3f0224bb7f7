// The on-screen keyboard in the real kiosk program, in a real window (Xvfb), on both backends:
// a note typed with taps on its keys only (no physical keyboard, no injected text) travels
// with the escalation to head office, accents and capitals included.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::kiosk_window;
using kiosk::testing::with;

TEST_CASE("[ui] a note typed on the on-screen keyboard reaches head office") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    hq.load_demo_mentions();
    hq.start();
    const std::string db = dir.file("kiosk.sqlite");
    REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto listed = kiosk_cli(db, {"mentions", "--json", "--limit", "1", "--feed", "all"});
    REQUIRE(listed.exit_code == 0);
    const std::string mention =
        nlohmann::json::parse(listed.out)["mentions"].at(0)["id"].get<std::string>();

    // "Mañana 2pm!": shift for the capital, the accents page for ñ, the symbols page for the
    // digit and "!", a wrong letter taken back with delete, then Done and Confirm.
    const std::vector<std::string> typing{"escalate:" + mention,
                                          "field:note",
                                          "key:shift",
                                          "key:m",
                                          "key:a",
                                          "key:page:accents",
                                          "key:\xC3\xB1",
                                          "key:page:letters",
                                          "key:a",
                                          "key:n",
                                          "key:a",
                                          "key:space",
                                          "key:page:symbols",
                                          "key:2",
                                          "key:page:letters",
                                          "key:p",
                                          "key:q",
                                          "key:back",
                                          "key:m",
                                          "key:page:symbols",
                                          "key:!"};
    auto typed = kiosk_window(db, backend, typing, {"--staff", "ana"}, dir.file("keyboard.png"));
    REQUIRE_MESSAGE(typed.exit_code == 0, typed.err);
    // The keyboard is on screen under the note, with the text typed so far.
    CHECK(contains(typed.out, "Done"));
    CHECK(contains(typed.out, "ABC"));

    auto confirmed = kiosk_window(db, backend, with(typing, {"key:done", "confirm"}),
                                  {"--staff", "ana"}, dir.file("confirmed.png"));
    REQUIRE_MESSAGE(confirmed.exit_code == 0, confirmed.err);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto at_hq = hq.escalations();
    REQUIRE(at_hq.size() == 1);
    CHECK(at_hq[0]["mention_id"] == mention);
    CHECK(at_hq[0]["note"] ==
          "Ma\xC3\xB1"
          "ana 2pm!");
  }
}

TEST_CASE("[ui] --keyboard off: a tapped field opens no on-screen keyboard") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  auto on = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--print-text", "--screenshot",
                           dir.file("on.png"), "--tap", "search"});
  REQUIRE_MESSAGE(on.exit_code == 0, on.err);
  CHECK(contains(on.out, "Done"));
  auto off = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--keyboard", "off", "--print-text",
                            "--screenshot", dir.file("off.png"), "--tap", "search"});
  REQUIRE_MESSAGE(off.exit_code == 0, off.err);
  CHECK_FALSE(contains(off.out, "Done"));
}

// A 1280x800 counter screen with the keyboard open under the note: every tap below must land
// inside the window (scripted taps refuse a target past its edge), so the note, the keys,
// Done and Confirm are all within a finger's reach, and the choices fold into one line that
// unfolds when tapped. In Spanish the longest category wraps onto two lines, never cut.
TEST_CASE("[ui] the escalate dialog with the keyboard open fits a 1280x800 window") {
  TempDir dir;
  HqFixture hq(dir);
  const std::string db = kiosk::testing::enrolled_demo_kiosk(dir, hq);
  const std::string mention = kiosk::testing::first_card_id(db);
  const std::vector<std::string> size{"--staff", "ana", "--width", "1280", "--height", "800"};

  // Spanish: the grid before typing shows the long category on two lines.
  auto grid = kiosk_window(db, "sdl2", {"escalate:" + mention, "print"},
                           with(size, {"--language", "es"}), dir.file("grid-es.png"));
  REQUIRE_MESSAGE(grid.exit_code == 0, grid.err);
  CHECK(contains(grid.out, "\ndevoluciones o\n"));
  CHECK(contains(grid.out, "\nreembolsos\n"));

  // Choices made, the note tapped: the grid folds into one line saying what was chosen.
  const std::vector<std::string> typing{"escalate:" + mention,
                                        "category:returns_or_refunds",
                                        "severity:high",
                                        "field:note",
                                        "key:o",
                                        "key:k",
                                        "print"};
  auto folded =
      kiosk_window(db, "sdl2", typing, with(size, {"--language", "es"}), dir.file("folded-es.png"));
  REQUIRE_MESSAGE(folded.exit_code == 0, folded.err);
  const auto frames = kiosk::testing::printed_frames(folded.out);
  REQUIRE(!frames.empty());
  CHECK(contains(frames.back(), "devoluciones o reembolsos  \xC2\xB7  Alta  \xC2\xB7  Cambiar"));
  CHECK_FALSE(contains(frames.back(), "\xC2\xBFQu\xC3\xA9 gravedad tiene?"));  // folded away

  // Tapping the folded line closes the keyboard and brings the choices back.
  auto unfolded =
      kiosk_window(db, "sdl2", with(typing, {"choices", "print"}), size, dir.file("unfolded.png"));
  REQUIRE_MESSAGE(unfolded.exit_code == 0, unfolded.err);
  const auto after = kiosk::testing::printed_frames(unfolded.out);
  REQUIRE(!after.empty());
  CHECK(contains(after.back(), "How serious is it?"));
  CHECK_FALSE(contains(after.back(), "Done"));

  // Done, then Confirm with the keyboard open again: both in reach; head office gets it all.
  auto sent = kiosk_window(db, "sdl2", with(typing, {"key:done", "field:note", "key:s", "confirm"}),
                           size, dir.file("sent.png"));
  REQUIRE_MESSAGE(sent.exit_code == 0, sent.err);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  const auto at_hq = hq.escalations();
  REQUIRE(at_hq.size() == 1);
  CHECK(at_hq[0]["mention_id"] == mention);
  CHECK(at_hq[0]["severity"] == "high");
  CHECK(at_hq[0]["category"] == "returns_or_refunds");
  CHECK(at_hq[0]["note"] == "oks");
}

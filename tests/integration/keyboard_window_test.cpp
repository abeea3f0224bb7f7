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

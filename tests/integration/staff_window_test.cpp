// Shared-device mode in the real kiosk window (Xvfb), on both backends, with staff from a real
// kiosk-hq on loopback: Escalate while nobody is tapped in asks for a PIN, the PIN pad taps
// Ana in and the escalation reaches head office carrying her id; three wrong PINs lock Max
// out ("Locked for 30 s") and the lockout reaches head office once; the idle lock taps the
// person out and the next Escalate asks for a PIN again. Max reads the screens in Spanish.
// A PIN whose hash head office made deliberately slow is checked off the UI thread: the pad
// says "Checking…" and the window keeps drawing until the answer.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::first_card_id;
using kiosk::testing::kiosk_cli;
using kiosk::testing::kiosk_window;
using kiosk::testing::pin_pad_targets;
using kiosk::testing::staffed_kiosk;

TEST_CASE("[ui][staff] tap in on the PIN pad, escalate, and head office sees who") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const auto [db, mention] = staffed_kiosk(dir, hq, "es");

    // Nobody tapped in: Escalate opens the PIN pad, not the dialog.
    auto pad = kiosk_window(db, backend, {"escalate:" + mention, "staff:ana", "pin:4", "pin:8"}, {},
                            dir.file("pad.png"));
    REQUIRE_MESSAGE(pad.exit_code == 0, pad.err);
    CHECK(contains(pad.out, "Tap in with your PIN"));
    CHECK(contains(pad.out, "PIN for Ana Lopez"));
    CHECK(contains(pad.out, "\xE2\x80\xA2 \xE2\x80\xA2\n"));  // two dots, never the digits
    CHECK_FALSE(contains(pad.out, "Escalate to head office"));
    CHECK(contains(pad.out, "Read only"));
    CHECK(std::filesystem::file_size(dir.file("pad.png")) > 10'000);

    // The right PIN: tapped in, the dialog follows, and the escalation carries her id.
    std::vector<std::string> taps{"escalate:" + mention};
    for (const auto& t : pin_pad_targets("ana", "4821")) taps.push_back(t);
    taps.insert(taps.end(), {"severity:high", "confirm"});
    auto escalated = kiosk_window(db, backend, taps, {}, dir.file("escalated.png"));
    REQUIRE_MESSAGE(escalated.exit_code == 0, escalated.err);
    CHECK(contains(escalated.out, "Tapped in: Ana Lopez"));
    CHECK(contains(escalated.out, "Tap out"));
    CHECK(contains(escalated.out, "Queued on this terminal"));
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto escalations = hq.escalations();
    REQUIRE(escalations.size() == 1);
    CHECK(escalations[0]["mention_id"] == mention);
    CHECK(escalations[0]["severity"] == "high");
    CHECK(escalations[0]["staff_id"] == "ana");

    // Max reads the screen in Spanish while he is tapped in; tap out: back to the read-only
    // feed in the terminal's language.
    auto max_taps = pin_pad_targets("max", "90210");
    max_taps.insert(max_taps.begin(), "tap_in");
    auto max = kiosk_window(db, backend, max_taps, {}, dir.file("max-es.png"));
    REQUIRE_MESSAGE(max.exit_code == 0, max.err);
    CHECK(contains(max.out, "Identificado: Max Weber"));
    CHECK(contains(max.out, "Salir"));
    max_taps.emplace_back("tap_out");
    auto out = kiosk_window(db, backend, max_taps, {}, dir.file("out.png"));
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    CHECK(contains(out.out, "Read only"));
    CHECK(contains(out.out, "Tap in"));
    CHECK_FALSE(contains(out.out, "Identificado"));
  }
}

TEST_CASE("[ui][staff] three wrong PINs lock the person out, and head office hears once") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const std::string db = staffed_kiosk(dir, hq, "es").db;

    std::vector<std::string> taps{"tap_in"};
    for (const auto& t : pin_pad_targets("max", "1111")) taps.push_back(t);
    auto once = kiosk_window(db, backend, taps, {}, dir.file("wrong.png"));
    REQUIRE_MESSAGE(once.exit_code == 0, once.err);
    CHECK(contains(once.out, "Wrong PIN, 2 tries left"));
    CHECK_FALSE(contains(once.out, "Tapped in:"));

    // Two more (the count is kept by the terminal, across restarts of the app).
    taps = {"tap_in", "staff:max", "pin:1", "pin:1", "pin:1", "pin:1", "pin:ok"};
    auto twice = kiosk_window(db, backend, taps, {}, dir.file("wrong2.png"));
    CHECK(contains(twice.out, "Wrong PIN, 1 try left"));
    auto locked = kiosk_window(db, backend, taps, {}, dir.file("locked.png"));
    REQUIRE_MESSAGE(locked.exit_code == 0, locked.err);
    // "Locked for 30 s", counting down (a loaded machine may have drawn a few seconds on).
    const auto at = locked.out.find("Locked for ");
    REQUIRE(at != std::string::npos);
    const int seconds = std::stoi(locked.out.substr(at + 11));
    CHECK(seconds <= 30);
    CHECK(seconds >= 15);
    CHECK(contains(locked.out.substr(at), " s\n"));

    // While locked, even the right PIN cannot be typed: the keys are disabled.
    auto right = pin_pad_targets("max", "90210");
    right.insert(right.begin(), "tap_in");
    auto still = kiosk_window(db, backend, right, {}, dir.file("still.png"));
    REQUIRE_MESSAGE(still.exit_code == 0, still.err);
    CHECK(contains(still.out, "Locked for "));
    CHECK_FALSE(contains(still.out, "Tapped in:"));
    const auto staff = nlohmann::json::parse(kiosk_cli(db, {"staff", "list", "--json"}).out);
    CHECK(staff[1]["id"] == "max");
    CHECK(staff[1]["locked"] == true);

    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto lockouts = nlohmann::json::parse(hq.admin({"staff", "lockouts", "--json"}).out);
    REQUIRE(lockouts.size() == 1);
    CHECK(lockouts[0]["staff_id"] == "max");
    CHECK(lockouts[0]["failed_attempts"] == 3);
  }
}

TEST_CASE("[ui][staff] the idle lock taps the person out; the next action asks for a PIN") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const std::string db = staffed_kiosk(dir, hq, "es").db;

    std::vector<std::string> taps{"tap_in"};
    for (const auto& t : pin_pad_targets("ana", "4821")) taps.push_back(t);
    // Still tapped in a moment later (the idle lock is 2 s here)...
    auto active =
        kiosk_window(db, backend, taps, {"--idle-lock-seconds", "2"}, dir.file("active.png"));
    REQUIRE_MESSAGE(active.exit_code == 0, active.err);
    CHECK(contains(active.out, "Tapped in: Ana Lopez"));

    // ...and tapped out after 2.5 s without a touch; Escalate then asks for a PIN.
    taps.insert(taps.end(), {"wait:2500", "escalate:" + first_card_id(db)});
    auto idle = kiosk_window(db, backend, taps, {"--idle-lock-seconds", "2"}, dir.file("idle.png"));
    REQUIRE_MESSAGE(idle.exit_code == 0, idle.err);
    CHECK_FALSE(contains(idle.out, "Tapped in:"));
    CHECK(contains(idle.out, "Read only"));
    CHECK(contains(idle.out, "Tap in with your PIN"));
    CHECK_FALSE(contains(idle.out, "Escalate to head office"));
  }
}

namespace {

int frames_in(const std::string& segment) {
  int n = 0;
  for (std::size_t at = segment.find("frame="); at != std::string::npos;
       at = segment.find("frame=", at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("[ui][staff] a slow PIN hash is checked off the UI thread: the pad says Checking") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    hq.load_demo_mentions();
    // The strongest hash a terminal accepts: 8 passes over 64 MiB (a second or so here, many
    // on a slow tablet).
    std::ofstream(dir.file("lena.pin")) << "2468\n";
    const auto added = hq.admin({"staff", "add", "--store", "s1", "--id", "lena", "--name",
                                 "Lena Kraus", "--role", "manager", "--pin-passes", "8",
                                 "--pin-memory-mib", "64", "--pin-file", dir.file("lena.pin")});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    hq.start();
    const std::string db = dir.file("kiosk.sqlite");
    REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

    // A wrong PIN: the answer arrives after the check and is counted as before.
    auto wrong = pin_pad_targets("lena", "1111");
    wrong.insert(wrong.begin(), "tap_in");
    auto once = kiosk_window(db, backend, wrong, {}, dir.file("wrong.png"));
    REQUIRE_MESSAGE(once.exit_code == 0, once.err);
    CHECK(contains(once.out, "Wrong PIN, 2 tries left"));
    CHECK(nlohmann::json::parse(kiosk_cli(db, {"staff", "list", "--json"}).out)[0]["wrong_pins"] ==
          1);

    // OK, then what the next frames show, then once she is tapped in (a tap waits while a PIN
    // is being checked, drawing as usual). Counted in frames, not milliseconds: the check takes
    // about a second here, longer on a loaded machine, and no wall-clock bound is needed.
    auto targets = pin_pad_targets("lena", "2468");
    targets.insert(targets.begin(), "tap_in");
    targets.insert(targets.end(), {"print", "tab:feed", "print"});
    setenv("KIOSK_TRACE_FRAMES", "1", 1);  // a line per frame drawn
    auto r = kiosk_window(db, backend, targets, {}, dir.file("checking.png"));
    unsetenv("KIOSK_TRACE_FRAMES");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto segments = kiosk::testing::printed_frames(r.out);
    REQUIRE(segments.size() == 2);
    const std::string checking = "Checking\xE2\x80\xA6\n";
    // The frames right after OK: the key says the PIN is being checked, nobody is tapped in.
    CHECK(contains(segments[0], checking));
    CHECK_FALSE(contains(segments[0], "Tapped in:"));
    // The window kept drawing while the check ran, and the answer came when it ended.
    CHECK(frames_in(segments[1]) >= 3);
    MESSAGE("frames drawn while the PIN was being checked: " << frames_in(segments[1]));
    CHECK(contains(segments[1], "Tapped in: Lena Kraus"));
    CHECK_FALSE(contains(segments[1], checking));
    // The right PIN cleared the wrong one in the store.
    const auto staff = nlohmann::json::parse(kiosk_cli(db, {"staff", "list", "--json"}).out);
    REQUIRE(staff.size() == 1);
    CHECK(staff[0]["id"] == "lena");
    CHECK(staff[0]["locked"] == false);
    CHECK(staff[0]["wrong_pins"] == 0);
  }
}

// Training in the real kiosk window (Xvfb), on both backends: a member of staff taps in with
// a PIN, the Training tab shows their daily set, a lesson answered wrongly shows the right
// answer and why, the answer reaches head office exactly once, and a wait-time mention arriving
// through the sync brings a contextual lesson prompt that one tap dismisses.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::kiosk_window;
using kiosk::testing::pin_pad_targets;
using kiosk::testing::with;

namespace {

// A lesson's field ("answer", "why", "a", ...) as its English file has it.
std::string lesson_field(const std::string& id, const std::string& field) {
  std::ifstream in(kiosk::testing::source_dir() + "/assets/training/frontline-basics/" + id +
                   ".en.lesson");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ": ", 0) == 0) return line.substr(field.size() + 2);
  return {};
}

// The window with a member of staff on shift, tapping taps in order; the last frame's texts on
// stdout and its pixels beside the database. With a PIN they tap in on the pad first, as at
// the counter; without one the window takes them from --staff.
RunResult window(const std::string& db, const char* backend, std::vector<std::string> targets,
                 const std::string& staff = "ana", const std::string& pin = "") {
  if (!pin.empty()) targets = with(with({"tap_in"}, pin_pad_targets(staff, pin)), targets);
  return kiosk_window(db, backend, targets,
                      pin.empty() ? std::vector<std::string>{"--staff", staff, "--frames", "8"}
                                  : std::vector<std::string>{"--frames", "8"},
                      db + ".png");
}

}  // namespace

TEST_CASE("[ui][training] the daily set, a wrong answer and why, and a contextual prompt") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    hq.load_demo_mentions();
    std::ofstream(dir.file("ana.pin")) << "2468\n";
    hq.admin({"staff", "add", "--store", "s1", "--id", "ana", "--name", "Ana Lopez", "--role",
              "associate", "--pin-file", dir.file("ana.pin")});
    hq.start();
    const std::string db = dir.file("kiosk.sqlite");
    REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    // Ana taps in with her PIN on the pad in every run below, as at the counter.
    const auto window = [&](const std::string& w_db, const char* w_backend,
                            std::vector<std::string> taps) {
      return ::window(w_db, w_backend, std::move(taps), "ana", "2468");
    };

    // The Training tab lists the set the scheduler chose for ana.
    const auto next =
        nlohmann::json::parse(kiosk_cli(db, {"training", "next", "--staff", "ana", "--json"}).out);
    REQUIRE(!next["daily_set"].empty());
    const std::string id = next["daily_set"][0]["id"];
    const std::string title = next["daily_set"][0]["title"];
    auto list = window(db, backend, {"tab:training"});
    REQUIRE_MESSAGE(list.exit_code == 0, list.err);
    CHECK(contains(list.out, "Today's training for Ana Lopez"));
    CHECK(contains(list.out, title));

    // Open it, take the quiz, answer wrongly but sure: the right answer and why show.
    const std::string right = lesson_field(id, "answer");
    REQUIRE(right.size() == 1);
    const std::string wrong = right == "a" ? "b" : "a";
    auto answered = window(
        db, backend,
        {"tab:training", "lesson:" + id, "quiz", "choice:" + wrong, "confidence:sure", "answer"});
    REQUIRE_MESSAGE(answered.exit_code == 0, answered.err);
    CHECK(contains(answered.out, "Not quite."));
    CHECK(contains(answered.out, "The right answer: " + lesson_field(id, right)));
    CHECK(contains(answered.out, "Why: " + lesson_field(id, "why")));
    CHECK(contains(answered.out, "1 waiting to send"));

    // The answer reaches head office once, however often the terminal syncs.
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto report = nlohmann::json::parse(hq.admin({"training", "report", "--json"}).out);
    CHECK(report["overall"]["answers"] == 1);
    CHECK(report["overall"]["correct"] == 0);
    CHECK(report["overall"]["sure_but_wrong"] == 1);
    CHECK(report["by_lesson"][id]["answers"] == 1);

    // No prompt for what was already there; a wait-time mention arriving brings one.
    CHECK_FALSE(contains(window(db, backend, {}).out, "just arrived"));
    hq.admin({"mentions", "add", "--store", "s1", "--source", "google", "--author", "Kim", "--text",
              "Waited 35 minutes in the queue at the checkout today, one till open."});
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    auto prompted = window(db, backend, {});
    REQUIRE_MESSAGE(prompted.exit_code == 0, prompted.err);
    CHECK_MESSAGE(contains(prompted.out, "A new wait time post just arrived"), prompted.out);
    auto opened = window(db, backend, {"prompt:open"});
    CHECK(contains(opened.out, "Take the quiz"));
    CHECK_FALSE(contains(opened.out, "just arrived"));  // opened: the banner goes

    // Another wait-time post: a new prompt, and one tap on "Not now" dismisses it.
    hq.admin({"mentions", "add", "--store", "s1", "--source", "google", "--author", "Lee", "--text",
              "Twenty minutes waiting at the deli counter for a sandwich."});
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    CHECK(contains(window(db, backend, {}).out, "just arrived"));
    auto dismissed = window(db, backend, {"prompt:dismiss"});
    REQUIRE_MESSAGE(dismissed.exit_code == 0, dismissed.err);
    CHECK_FALSE(contains(dismissed.out, "just arrived"));
    CHECK_FALSE(contains(window(db, backend, {}).out, "just arrived"));

    // Escalating a wait-time post offers a lesson too; an urgent item open takes it away.
    REQUIRE(kiosk_cli(db, {"escalate", "--mention", "demo:downtown:1", "--severity", "low"})
                .exit_code == 0);
    CHECK(contains(window(db, backend, {}).out, "A new wait time post just arrived"));
    REQUIRE(kiosk_cli(db, {"escalate", "--mention", "demo:downtown:2", "--severity", "critical"})
                .exit_code == 0);
    CHECK_FALSE(contains(window(db, backend, {}).out, "just arrived"));
  }
}

TEST_CASE("[ui][training] the first tap-in of the day offers the daily set once") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    const std::string db = dir.file("kiosk.sqlite");
    // Shift start: the offer, on the feed, with the set's reading time.
    auto first = window(db, backend, {});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    CHECK_MESSAGE(contains(first.out, "Your training for today is ready: about"), first.out);
    CHECK(contains(first.out, "Report an issue"));  // the feed is still there under it

    // "Start" opens the Training tab's list, and the offer does not come back today.
    auto started = window(db, backend, {"daily:start"});
    REQUIRE_MESSAGE(started.exit_code == 0, started.err);
    CHECK(contains(started.out, "Today's training for ana"));
    CHECK_FALSE(contains(started.out, "Your training for today is ready"));
    CHECK_FALSE(contains(window(db, backend, {}).out, "Your training for today is ready"));

    // Another member of staff gets their own offer; "Later" puts it off for the day.
    CHECK(contains(window(db, backend, {}, "bea").out, "Your training for today is ready"));
    auto later = window(db, backend, {"daily:later"}, "bea");
    CHECK_FALSE(contains(later.out, "Your training for today is ready"));
    CHECK_FALSE(contains(later.out, "Today's training for bea"));  // still on the feed
    CHECK_FALSE(contains(window(db, backend, {}, "bea").out, "Your training for today is ready"));

    // The set chosen at the first tap-in stays the day's set: taking a lesson shrinks it.
    const auto next =
        nlohmann::json::parse(kiosk_cli(db, {"training", "next", "--staff", "ana", "--json"}).out);
    REQUIRE(next["daily_set"].size() >= 2);
    const std::string id = next["daily_set"][0]["id"];
    const std::string second = next["daily_set"][1]["title"];
    REQUIRE(
        kiosk_cli(db, {"training", "answer", "--staff", "ana", "--lesson", id, "--right", "--sure"})
            .exit_code == 0);
    auto list = window(db, backend, {"tab:training"});
    CHECK_FALSE(contains(list.out, std::string(next["daily_set"][0]["title"])));
    CHECK(contains(list.out, second));
  }
}

// A card's detail view in the real kiosk window (Xvfb), on both backends: tapping a long post's
// card opens its detail with the whole text (the card stops at its line limit), author, link
// and a QR code of it; Escalate in the detail queues an escalation the store holds; closing
// the detail returns to the feed where it was scrolled.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kiosk/store/kiosk_store.h"
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::TempDir;
namespace store = kiosk::store;

namespace {

// The window's texts of its last frame after the taps, one per line; the screenshot beside db.
std::string window_text(const std::string& db, const std::string& backend,
                        const std::vector<std::string>& taps, const std::string& png,
                        const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"--backend", backend, "--no-sync",    "--print-text",
                                "--frames",  "8",     "--screenshot", png};
  args.insert(args.end(), extra.begin(), extra.end());
  for (const auto& t : taps) args.insert(args.end(), {"--tap", t});
  const auto r = kiosk_cli(db, args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

// A complaint far longer than a card's 40 lines, with its last words only at the end.
std::string long_post() {
  std::string text = "STILL WAITING at the counter, nobody here!!! I want a manager.";
  for (int i = 1; i <= 120; ++i)
    text += " Minute " + std::to_string(i) + " and the queue at till four has not moved at all.";
  return text + " Last words: ask for Dana at till four.";
}

constexpr const char* kUrl = "https://maps.example.com/review/downtown-4711";

}  // namespace

TEST_CASE("[ui][detail] a card's detail: the whole post, author, link, escalate, back in place") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  const std::string text = long_post();
  const auto added = hq.admin({"mentions", "add", "--store", "s1", "--source", "google", "--author",
                               "Dana R.", "--text", text, "--rating", "1", "--url", kUrl,
                               "--followers", "5400", "--lang", "en"});
  const std::string prefix = "added mention ";
  const std::string id =
      added.out.substr(prefix.size(), added.out.find(" for store") - prefix.size());
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  std::string last_id;
  std::string last_text;
  {
    store::Store s(db);
    const auto first = s.feed_page({}, 0, 1);
    REQUIRE(first.size() == 1);
    REQUIRE(first[0].mention.id == id);  // the long urgent complaint is the first card
    const auto total = s.feed_count({});
    const auto last = s.feed_page({}, total - 1, 1).at(0);
    last_id = last.mention.id;
    last_text = last.mention.text;
  }

  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    // The card shows the start of the post and stops: its last words are not on it.
    const std::string feed =
        window_text(db, backend, {}, dir.file(std::string("feed-") + backend + ".png"));
    CHECK(contains(feed, "STILL WAITING at the counter"));
    CHECK_FALSE(contains(feed, "ask for Dana at till four."));

    // A tap on the card's body: the detail, with every word, the author, the link and more.
    const std::string detail_png = dir.file(std::string("detail-") + backend + ".png");
    const std::string detail = window_text(db, backend, {"detail:" + id}, detail_png);
    CHECK(contains(detail, text));
    CHECK(contains(detail, "Dana R."));
    CHECK(contains(detail, kUrl));
    CHECK(contains(detail, "Scan with a phone to open it"));  // the QR code was drawn
    CHECK(contains(detail, "Posted "));
    CHECK(contains(detail, "Language: en"));
    CHECK(contains(detail, "5,400 followers"));
    CHECK(contains(detail, "1/5"));
    CHECK(contains(detail, "About: "));
    CHECK(contains(detail, "Back to the feed"));
    CHECK(std::filesystem::file_size(detail_png) > 20'000);
  }

  // Escalate from the detail: the dialog, High, Confirm; the store holds the escalation and
  // the detail shows it queued.
  const std::string escalated =
      window_text(db, "sdl2", {"detail:" + id, "escalate:" + id, "severity:high", "confirm"},
                  dir.file("escalated.png"), {"--staff", "ana"});
  CHECK(contains(escalated, "Queued on this terminal"));
  CHECK(contains(escalated, "Back to the feed"));  // still in the detail
  {
    const auto r = kiosk_cli(db, {"escalations", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto list = nlohmann::json::parse(r.out);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["mention_id"] == id);
    CHECK(list[0]["severity"] == "high");
  }
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  REQUIRE(hq.escalations().size() == 1);

  // Back to the feed where it was: at its end, the last card and the end line on screen.
  const std::string back = window_text(
      db, "sdl2", {"feed:end", "detail:" + last_id, "close_detail"}, dir.file("back.png"));
  CHECK_FALSE(contains(back, "Back to the feed"));
  CHECK(contains(back, "End of the feed"));
  CHECK(contains(back, last_text.substr(0, 20)));
}

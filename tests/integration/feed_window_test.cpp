// The triaged feed in the real kiosk window (Xvfb), on both backends: a review with stars and
// reach added at head office reaches the terminal with its fields and its triage and is the
// first card; the Praise chip shows only praise with its count; Share with the team queues one
// praise.shared event; search finds a mention; a 100,000-mention feed scrolls to its end.
#include <doctest/doctest.h>

#include <filesystem>

#include "kiosk/store/kiosk_store.h"
#include "sync/sources/lexicon_files.h"
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;
namespace store = kiosk::store;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::kiosk_window;

namespace {

// The window's texts of its last frame after the taps, one per line.
std::string window_text(const std::string& db, const std::string& backend,
                        const std::vector<std::string>& taps, int frames = 8) {
  const auto r = kiosk_window(db, backend, taps, {"--frames", std::to_string(frames)});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

std::int64_t queue_depth(const std::string& db) {
  const auto r = kiosk_cli(db, {"status", "--json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out)["queue_depth"].get<std::int64_t>();
}

// n mentions of four kinds, a minute apart, triaged with the bundled lexicon as they are
// stored, 10,000 to a transaction.
void fill_triaged_feed(store::Store& s, int n) {
  auto lexicon = kiosk::sync::sources::load_lexicon(kiosk::testing::source_dir() + "/assets");
  REQUIRE_MESSAGE(lexicon.ok(), lexicon.error());
  s.set_lexicon(std::make_shared<const kiosk::core::Lexicon>(std::move(lexicon.value())));
  const char* texts[] = {"Queue at the till again, slow", "Lovely bakery, thanks Ana",
                         "Open late on Friday?", "Spill in aisle 3, careful"};
  std::vector<kiosk::core::Mention> batch;
  for (int i = 0; i < n; ++i) {
    batch.push_back({"m" + std::to_string(i), "s1", "mastodon", "shopper",
                     std::string(texts[i % 4]) + " (post " + std::to_string(i) + ")", "",
                     1'732'320'000'000 - std::int64_t{i} * 60'000});
    if (batch.size() == 10'000 || i + 1 == n) {
      s.upsert_mentions(batch, 1'732'320'000'000);
      batch.clear();
    }
  }
}

const char* kUrgent =
    "STILL WAITING at the counter for 40 minutes, nobody here!!! I want a manager";

}  // namespace

TEST_CASE("[ui][feed] the triaged feed: urgent first, chips, share praise, search") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  const auto added = hq.admin({"mentions", "add", "--store", "s1", "--source", "google", "--author",
                               "Dana R.", "--text", kUrgent, "--rating", "1", "--followers", "5400",
                               "--likes", "12", "--lang", "en"});
  const std::string prefix = "added mention ";
  const std::string urgent_id =
      added.out.substr(prefix.size(), added.out.find(" for store") - prefix.size());
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  std::int64_t praise_count = 0;
  std::string praise_id;
  {
    // The review reached the terminal with its stars, reach and language, triaged.
    store::Store s(db);
    const auto m = s.mention(urgent_id);
    REQUIRE(m);
    CHECK(m->rating == 1);
    CHECK(m->reach.author_followers == 5400);
    CHECK(m->reach.likes == 12);
    CHECK(m->lang == "en");
    CHECK(s.untriaged_count() == 0);
    const auto first = s.feed_page({}, 0, 1).at(0);
    CHECK(first.mention.id == urgent_id);
    CHECK(first.triage.urgency == kiosk::core::Urgency::urgent);
    CHECK(first.triage.sentiment == kiosk::core::Sentiment::negative);
    const auto praise = s.feed_page({store::FeedFilter::praise, ""}, 0, 100);
    praise_count = static_cast<std::int64_t>(praise.size());
    REQUIRE(praise_count >= 1);
    for (const auto& p : praise)
      if (contains(p.mention.text, "bakery")) praise_id = p.mention.id;
    REQUIRE(!praise_id.empty());
  }

  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    // The urgent complaint is the first card, with its stars, reach and reasons in words.
    const std::string feed = window_text(db, backend, {});
    const auto urgent_at = feed.find(kUrgent);
    REQUIRE(urgent_at != std::string::npos);
    for (const char* other : {"Waited 25 minutes", "Shout-out to the guy", "self-checkout"})
      if (contains(feed, other)) CHECK(urgent_at < feed.find(other));
    CHECK(contains(feed, "1/5"));
    CHECK(contains(feed, "5,400 followers"));
    CHECK(contains(feed, "Urgent"));
    CHECK(contains(feed, "still in store"));
    CHECK(contains(feed, "Needs attention"));

    // Praise: only praise, its count on the chip, the associate named, Share with the team.
    const std::string praise = window_text(db, backend, {"chip:praise"});
    CHECK(contains(praise, "Praise  " + std::to_string(praise_count)));
    CHECK(contains(praise, "Shout-out to the guy in the bakery"));
    CHECK_FALSE(contains(praise, kUrgent));
    CHECK_FALSE(contains(praise, "Waited 25 minutes"));
    CHECK(contains(praise, "Needs a thank-you"));
    CHECK(contains(praise, "Names the guy (bakery)"));
    CHECK_FALSE(contains(praise, "\nEscalate\n"));  // praise is thanked, not escalated

    // Searching finds the mention about oat milk, and nothing else.
    const std::string found = window_text(db, backend, {"search", "type:oat milk"});
    CHECK(contains(found, "restocked oat milk"));
    CHECK_FALSE(contains(found, kUrgent));
    CHECK(contains(found, "All  1"));
  }

  // Share with the team: one praise.shared event queued, and the card says it was shared.
  const std::int64_t before = queue_depth(db);
  const std::string shared = window_text(db, "sdl2", {"chip:praise", "share:" + praise_id}, 16);
  CHECK(queue_depth(db) == before + 1);
  CHECK(contains(shared, "Shared with the team"));
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  CHECK(contains(hq.admin({"praise", "list"}).out, praise_id));
}

TEST_CASE("[ui][feed] a 100,000-mention feed scrolls to its end") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  std::string last_text;
  {
    store::Store s(db);
    fill_triaged_feed(s, 100'000);
    REQUIRE(s.mention_count() == 100'000);
    last_text = s.feed_page({}, 99'999, 1).at(0).mention.text;
  }
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    const std::string end = window_text(db, backend, {"feed:end"}, 20);
    CHECK(contains(end, last_text));
    CHECK(contains(end, "End of the feed"));
    CHECK(contains(end, "All  100000"));
  }
}

TEST_CASE("[ui][feed] the chips' counts: no number on the first frame, the right ones after") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  store::FeedCounts counts{};
  {
    store::Store s(db);
    fill_triaged_feed(s, 40);
    counts = s.feed_counts("");
  }
  const auto chip = [&counts](const char* label, store::FeedFilter f) {
    return std::string(label) + "  " + std::to_string(counts[static_cast<std::size_t>(f)]);
  };
  REQUIRE(counts[static_cast<std::size_t>(store::FeedFilter::praise)] > 0);
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    // The first frame: the chips and the cards, and no count that could be wrong.
    const std::string first = window_text(db, backend, {}, 1);
    CHECK(contains(first, "(post "));
    for (const char* label : {"Needs attention", "Negative", "Praise", "All"}) {
      CHECK(contains(first, "\n" + std::string(label) + "\n"));
      CHECK_FALSE(contains(first, std::string(label) + "  "));
    }
    // The next frame: every chip with its count.
    const std::string second = window_text(db, backend, {}, 2);
    CHECK(contains(second, chip("Needs attention", store::FeedFilter::needs_attention)));
    CHECK(contains(second, chip("Negative", store::FeedFilter::negative)));
    CHECK(contains(second, chip("Praise", store::FeedFilter::praise)));
    CHECK(contains(second, chip("All", store::FeedFilter::all)));
  }
}

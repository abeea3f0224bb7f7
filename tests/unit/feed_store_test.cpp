// The feed as the store keeps it: triage stored with each mention, the feed's order (priority,
// newest first within a level), the filter chips and their counts, search, and paging through
// the whole feed by offset and by key. Real SQLite files and the real lexicons from assets/.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/migrations.h"
#include "sync/sources/lexicon_files.h"
#include "tests/support/process.h"

using namespace kiosk;
using store::FeedFilter;
using store::FeedQuery;

namespace {

constexpr std::int64_t kT0 = 1'732'320'000'000;
constexpr std::int64_t kMin = 60'000;

std::shared_ptr<const core::Lexicon> lexicon() {
  static const auto lex = [] {
    auto l = sync::sources::load_lexicon(testing::source_dir() + "/assets");
    REQUIRE_MESSAGE(l.ok(), l.error());
    return std::make_shared<const core::Lexicon>(std::move(l.value()));
  }();
  return lex;
}

core::Mention post(const std::string& id, std::int64_t minutes_ago, const std::string& text) {
  return {id, "s1", "mastodon", "someone", text, "", kT0 - minutes_ago * kMin};
}

core::Mention review(const std::string& id, std::int64_t minutes_ago, const std::string& text,
                     int stars) {
  core::Mention m{id, "s1", "google", "reviewer", text, "", kT0 - minutes_ago * kMin};
  m.rating = stars;
  return m;
}

// A small feed with one of each kind a manager must tell apart.
std::vector<core::Mention> small_feed() {
  return {
      post("neutral-new", 1, "Does the Elm St store open at 8 on Sundays?"),
      post("praise", 5, "Luis in the bakery was so kind and helpful today, thank you!"),
      post("urgent", 30,
           "STILL WAITING at the counter for 40 minutes, nobody here!!! Manager please"),
      post("complaint", 2, "The self checkout was broken again, annoying"),
      review("review-bad", 60, "Rude staff and a dirty floor.", 1),
      review("review-good", 90, "Lovely shop, great prices.", 5),
  };
}

std::vector<std::string> ids(const std::vector<store::FeedRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.mention.id);
  return out;
}

}  // namespace

TEST_CASE("[store][feed] triage is stored with each mention; the feed is ordered by priority") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  s.upsert_mentions(small_feed(), kT0);

  const auto rows = s.feed_page({}, 0, 100);
  REQUIRE(rows.size() == 6);
  // The urgent complaint first, though it is 30 minutes old; the neutral question last.
  CHECK(rows.front().mention.id == "urgent");
  CHECK(rows.front().triage.urgency == core::Urgency::urgent);
  CHECK(rows.front().triage.sentiment == core::Sentiment::negative);
  CHECK(rows.front().triage.reasons.size() >= 2);
  CHECK(rows.back().mention.id == "neutral-new");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CAPTURE(rows[i].mention.id);
    CHECK(rows[i - 1].triage.priority >= rows[i].triage.priority);
    if (rows[i - 1].triage.priority == rows[i].triage.priority)
      CHECK(rows[i - 1].mention.created_at_ms >= rows[i].mention.created_at_ms);
  }
  // The praise names its associate, and the review keeps its stars.
  const auto praise = s.feed_page({FeedFilter::praise, ""}, 0, 10);
  REQUIRE(!praise.empty());
  CHECK(praise.front().triage.attention == core::Attention::needs_thank_you);
  const auto luis = std::find_if(praise.begin(), praise.end(),
                                 [](const store::FeedRow& r) { return r.mention.id == "praise"; });
  REQUIRE(luis != praise.end());
  REQUIRE(luis->triage.staff.has_value());
  CHECK(luis->triage.staff->who == "Luis");
  const auto reviews = s.feed_page({FeedFilter::reviews, ""}, 0, 10);
  CHECK(ids(reviews) == std::vector<std::string>{"review-bad", "review-good"});
  CHECK(reviews.front().mention.rating == 1);
}

TEST_CASE("[store][feed] each chip filters, and its count matches what it shows") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  s.upsert_mentions(small_feed(), kT0);
  s.escalate("complaint", core::Severity::high, "", kT0);

  const store::FeedCounts counts = s.feed_counts("");
  for (std::size_t i = 0; i < store::kFeedFilterCount; ++i) {
    const FeedQuery q{static_cast<FeedFilter>(i), ""};
    CAPTURE(i);
    CHECK(counts[i] == static_cast<std::int64_t>(s.feed_page(q, 0, 100).size()));
    CHECK(counts[i] == s.feed_count(q));
  }
  CHECK(counts[static_cast<std::size_t>(FeedFilter::all)] == 6);
  CHECK(counts[static_cast<std::size_t>(FeedFilter::reviews)] == 2);
  CHECK(ids(s.feed_page({FeedFilter::escalated, ""}, 0, 10)) ==
        std::vector<std::string>{"complaint"});
  for (const auto& r : s.feed_page({FeedFilter::needs_attention, ""}, 0, 10))
    CHECK(r.triage.attention == core::Attention::needs_attention);
  for (const auto& r : s.feed_page({FeedFilter::negative, ""}, 0, 10))
    CHECK(r.triage.sentiment == core::Sentiment::negative);
  std::set<std::string> praise;
  for (const auto& r : s.feed_page({FeedFilter::praise, ""}, 0, 10)) praise.insert(r.mention.id);
  CHECK(praise.count("praise") == 1);
  CHECK(praise.count("urgent") == 0);
  CHECK(praise.count("review-bad") == 0);
}

TEST_CASE("[store][feed] search finds text and authors in any case, and counts per chip") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  s.upsert_mentions(small_feed(), kT0);

  CHECK(ids(s.feed_page({FeedFilter::all, "BAKERY"}, 0, 10)) == std::vector<std::string>{"praise"});
  CHECK(s.feed_page({FeedFilter::all, "reviewer"}, 0, 10).size() == 2);  // the author
  CHECK(s.feed_page({FeedFilter::negative, "bakery"}, 0, 10).empty());
  CHECK(s.feed_page({FeedFilter::all, "no such words"}, 0, 10).empty());
  const auto counts = s.feed_counts("floor");
  CHECK(counts[static_cast<std::size_t>(FeedFilter::all)] == 1);
  CHECK(counts[static_cast<std::size_t>(FeedFilter::reviews)] == 1);
  CHECK(counts[static_cast<std::size_t>(FeedFilter::praise)] == 0);
  // Characters that mean something to SQL's LIKE are plain text here.
  CHECK(s.feed_page({FeedFilter::all, "%"}, 0, 10).empty());
}

namespace {

// Every page of a search by key, and its counts, on one search path.
struct SearchResult {
  std::vector<std::string> by_key;
  store::FeedCounts counts{};
};

SearchResult search_all(store::Store& s, const std::string& search, FeedFilter filter) {
  SearchResult r;
  const FeedQuery q{filter, search};
  auto page = s.feed_page(q, 0, 7);
  while (!page.empty()) {
    for (const auto& row : page) r.by_key.push_back(row.mention.id);
    page = s.feed_page_after(q, s.key_of(page.back().mention.id), 7);
  }
  CHECK(static_cast<std::int64_t>(r.by_key.size()) == s.feed_count(q));
  r.counts = s.feed_counts(search);
  return r;
}

// FTS5's own integrity check of the search index against the mentions it was built from.
void check_search_index(const std::string& path) {
  store::Database raw(path);
  CHECK_NOTHROW(
      raw.exec("INSERT INTO mentions_search(mentions_search, rank) VALUES ('integrity-check', 1)"));
}

}  // namespace

TEST_CASE("[store][feed] the search index finds what reading every row finds, in the same order") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  std::vector<core::Mention> many;
  const char* texts[] = {"Still WAITING at the till, 20 minutes!!",
                         "Thanks Ana at the deli, lovely",
                         "Café crème at the bakery was cold",
                         "CAFÉ CRÈME again, Élodie was great",
                         "He said \"NEAR(me)\" OR was it *near* (you)?",
                         "a lone \" quote and 100% off",
                         "Broken trolley again"};
  const char* authors[] = {"someone", "Zoë", "BAKERY fan", "x"};
  for (int i = 0; i < 300; ++i) {
    core::Mention m = post("m" + std::to_string(i), i % 37, texts[i % 7]);
    m.author = authors[i % 4];
    many.push_back(m);
  }
  s.upsert_mentions(many, kT0);

  // Long and short, ASCII case, accents in either case (only ASCII letters fold, as before),
  // the author column, and FTS5's syntax typed as plain text.
  const std::vector<std::string> searches{
      "waiting", "BAKERY",       "café",  "CAFÉ", "crème", "cafe",    "élodie",          "zoë",
      "ZOË",     "ti",           "é",     "éé",   "\"",    "\"NEAR(", "NEAR(",           "OR",
      " OR ",    "*near*",       "(you)", "*",    "(",     ")",       "a lone \" quote", "100%",
      "\"\"\"",  "no such words"};
  for (const auto& search : searches) {
    CAPTURE(search);
    for (const FeedFilter filter : {FeedFilter::all, FeedFilter::negative}) {
      s.set_search_path(store::Store::SearchPath::scan);
      const SearchResult scanned = search_all(s, search, filter);
      s.set_search_path(store::Store::SearchPath::automatic);
      const SearchResult indexed = search_all(s, search, filter);
      CHECK(indexed.by_key == scanned.by_key);
      CHECK(indexed.counts == scanned.counts);
    }
  }
  // What a person notices: the typed text is found as it is, never read as a query language.
  CHECK(s.feed_count({FeedFilter::all, "\"NEAR(me)\" OR"}) == 300 / 7 + 1);
  CHECK(s.feed_count({FeedFilter::all, "a lone \""}) == 300 / 7 + 1);
  CHECK(s.feed_count({FeedFilter::all, "CAFÉ"}) == 300 / 7 + 1);  // not "Café"
  CHECK(s.feed_count({FeedFilter::all, "café"}) == 300 / 7 + 1);  // not "CAFÉ"
  CHECK(s.feed_count({FeedFilter::all, "zoë"}) == 300 / 4);
  CHECK(s.feed_count({FeedFilter::all, "OR"}) > 0);
  check_search_index(s.path());
}

TEST_CASE("[store][feed] the search index follows edits, and a new store empties it") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.upsert_mentions({post("a", 1, "The freezer aisle is leaking"), post("b", 2, "Great bread")},
                    kT0);
  CHECK(ids(s.feed_page({FeedFilter::all, "freezer"}, 0, 10)) == std::vector<std::string>{"a"});
  // Edited at the source: the new words are found, the old ones are gone.
  core::Mention edited = post("a", 1, "The chiller aisle is leaking");
  edited.author = "Renée";
  s.upsert_mentions({edited}, kT0);
  CHECK(s.feed_page({FeedFilter::all, "freezer"}, 0, 10).empty());
  CHECK(ids(s.feed_page({FeedFilter::all, "chiller"}, 0, 10)) == std::vector<std::string>{"a"});
  CHECK(ids(s.feed_page({FeedFilter::all, "renée"}, 0, 10)) == std::vector<std::string>{"a"});
  check_search_index(s.path());
  // Enrolled at another store: the old store's mentions are erased, the index with them.
  s.enroll_at_new_store({"http://127.0.0.1:1", "t2", "s2", "Uptown", "token"});
  CHECK(s.feed_page({FeedFilter::all, "bread"}, 0, 10).empty());
  s.upsert_mentions({post("c", 1, "Fresh bread at Uptown")}, kT0);
  CHECK(ids(s.feed_page({FeedFilter::all, "bread"}, 0, 10)) == std::vector<std::string>{"c"});
  check_search_index(s.path());
}

TEST_CASE("[store][feed] a file from before the search index gets it built for its mentions") {
  testing::TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  {
    // The schema as the previous release left it, with mentions in it.
    store::Database raw(path);
    const auto all = store::kiosk_migrations();
    REQUIRE(all[10].version == 11);
    store::migrate(raw, all.first(10));
    raw.exec(
        "INSERT INTO mentions(id, source, author, text, created_at_ms, received_at_ms) VALUES "
        "('old-1', 'mastodon', 'Tomás', 'Queue at the pharmacy counter', 1, 1), "
        "('old-2', 'google', 'someone', 'Nice flowers', 2, 2)");
  }
  store::Store s(path);
  CHECK(ids(s.feed_page({FeedFilter::all, "PHARMACY"}, 0, 10)) ==
        std::vector<std::string>{"old-1"});
  CHECK(ids(s.feed_page({FeedFilter::all, "tomás"}, 0, 10)) == std::vector<std::string>{"old-1"});
  CHECK(s.feed_counts("flowers")[static_cast<std::size_t>(FeedFilter::all)] == 1);
  check_search_index(path);
}

TEST_CASE("[store][feed] the whole feed is reachable, by offset and by key, in one order") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  std::vector<core::Mention> many;
  const char* texts[] = {"Still waiting at the till, 20 minutes!!",
                         "Thanks Ana at the deli, lovely", "Open on Sunday?",
                         "Broken trolley again"};
  for (int i = 0; i < 1000; ++i)
    many.push_back(post("m" + std::to_string(i), i % 97, texts[i % 4]));
  s.upsert_mentions(many, kT0);

  std::vector<std::string> by_offset;
  for (std::int64_t off = 0;; off += 64) {
    const auto page = s.feed_page({}, off, 64);
    if (page.empty()) break;
    for (const auto& r : page) by_offset.push_back(r.mention.id);
  }
  std::vector<std::string> by_key;
  auto page = s.feed_page({}, 0, 64);
  while (!page.empty()) {
    for (const auto& r : page) by_key.push_back(r.mention.id);
    page = s.feed_page_after({}, s.key_of(page.back().mention.id), 64);
  }
  CHECK(by_offset.size() == 1000);
  CHECK(std::set<std::string>(by_offset.begin(), by_offset.end()).size() == 1000);
  CHECK(by_key == by_offset);
  CHECK(s.feed_page({}, 999, 10).size() == 1);
}

TEST_CASE("[store][feed] mentions stored without the lexicon are triaged when it arrives") {
  testing::TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  {
    store::Store s(path);  // a CLI run without the assets folder
    s.upsert_mentions(small_feed(), kT0);
    CHECK(s.untriaged_count() == 6);
    // Stars alone still put the one-star review among what needs attention.
    CHECK(s.feed_count({FeedFilter::reviews, ""}) == 2);
  }
  store::Store s(path);
  s.set_lexicon(lexicon());
  CHECK(s.untriaged_count() == 0);
  CHECK(s.feed_page({}, 0, 1).at(0).mention.id == "urgent");
}

TEST_CASE("[store][feed] the new mention fields are kept, and survive an update") {
  testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.set_lexicon(lexicon());
  core::Mention m = review("g:1", 3, "Great service from Maria at the till", 5);
  m.lang = "en";
  m.reach.author_followers = 1200;
  m.reach.likes = 3;
  m.location = {"Elm St", 51.5, -0.12};
  m.reply_to = "g:0";
  m.owner_reply = "Thank you!";
  m.edited_at_ms = kT0 - kMin;
  s.upsert_mentions({m}, kT0);
  const auto got = s.mention("g:1");
  REQUIRE(got);
  CHECK(got->rating == 5);
  CHECK(got->lang == "en");
  CHECK(got->reach.author_followers == 1200);
  CHECK(got->reach.likes == 3);
  CHECK_FALSE(got->reach.reposts.has_value());
  CHECK(got->location.name == "Elm St");
  CHECK(got->location.lat == doctest::Approx(51.5));
  CHECK(got->reply_to == "g:0");
  CHECK(got->owner_reply == "Thank you!");
  CHECK(got->edited_at_ms == kT0 - kMin);
  m.rating = 2;
  m.text = "Waited ages, rude";
  s.upsert_mentions({m}, kT0);
  const auto row = s.feed_page({FeedFilter::reviews, ""}, 0, 1).at(0);
  CHECK(row.mention.rating == 2);
  CHECK(row.triage.sentiment == core::Sentiment::negative);
}

TEST_CASE("[store][feed] what the window reads at start gives the same answers from indexes") {
  testing::TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  {
    // The schema as the previous release left it: no index of arrival times yet.
    store::Database raw(path);
    const auto all = store::kiosk_migrations();
    REQUIRE(all.back().version == 12);
    store::migrate(raw, all.first(all.size() - 1));
    raw.exec(
        "INSERT INTO mentions(id, source, author, text, created_at_ms, received_at_ms, priority, "
        "triaged) VALUES "
        "('calm', 'google', 'a', 'Nice flowers', 1, 100, 0, 1), "
        "('urgent-old', 'google', 'b', 'Fire exit blocked', 2, 300, 700, 1), "
        "('attention', 'google', 'c', 'Slow queue', 3, 200, 450, 1), "
        "('urgent-new', 'google', 'd', 'Someone fell', 4, 400, 650, 1)");
  }
  store::Store s(path);
  {
    store::Database raw(path);
    auto st = raw.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'mentions_received'");
    REQUIRE(st.step());
    CHECK(st.column_int(0) == 1);
  }
  const auto urgent_ids = [&s](std::size_t limit) {
    std::vector<std::string> out;
    for (const auto& m : s.urgent_mentions(limit)) out.push_back(m.id);
    return out;
  };
  // Urgent posts newest first, only the urgent band, at most the limit.
  CHECK(urgent_ids(10) == std::vector<std::string>{"urgent-new", "urgent-old"});
  CHECK(urgent_ids(1) == std::vector<std::string>{"urgent-new"});
  CHECK(s.urgent_mentions(10).front().priority == 650);
  CHECK(s.latest_received_ms() == 400);
  std::vector<std::string> arrived;
  for (const auto& [m, at] : s.mentions_received_after(150, 50)) arrived.push_back(m.id);
  CHECK(arrived == std::vector<std::string>{"attention", "urgent-old", "urgent-new"});
  CHECK(s.feed_counts("")[static_cast<std::size_t>(FeedFilter::all)] == 4);

  // A new urgent post arriving later is counted, newest, and first among the urgent.
  s.set_lexicon(lexicon());
  s.upsert_mentions({post("fresh", 0,
                          "STILL WAITING at the counter for 40 minutes, nobody here!!! Manager "
                          "please, someone fainted")},
                    kT0);
  CHECK(s.feed_counts("")[static_cast<std::size_t>(FeedFilter::all)] == 5);
  CHECK(s.latest_received_ms() == kT0);
  CHECK(s.mentions_received_after(400, 50).size() == 1);
  const bool fresh_urgent = s.feed_row("fresh")->triage.priority >= core::kChimeMinPriority;
  CHECK(urgent_ids(10).size() == (fresh_urgent ? 3U : 2U));
  if (fresh_urgent) CHECK(urgent_ids(10).front() == "fresh");
}

TEST_CASE("[store][feed] a large catch-up page leaves no large write-ahead log on the disk") {
  // A page of a catch-up commits thousands of mentions at once, so the log grows past its
  // usual 4 MiB; a counter tablet's small disk should get that space back at the next write.
  testing::TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  store::Store s(path);
  std::vector<core::Mention> page;
  for (int i = 0; i < 5000; ++i)
    page.push_back(
        post("big" + std::to_string(i), i % 600,
             "The queue at the self checkout was long again today. " + std::string(1200, 'x')));
  s.upsert_mentions(page, kT0);
  const auto grown = std::filesystem::file_size(path + "-wal");
  CHECK(grown > 6U * 1024 * 1024);  // the page itself went through the log
  s.upsert_mentions({post("after", 0, "Thanks, the queue is short now")}, kT0);
  CHECK(std::filesystem::file_size(path + "-wal") <= 4U * 1024 * 1024);
  CHECK(s.mention_count() == 5001);
}

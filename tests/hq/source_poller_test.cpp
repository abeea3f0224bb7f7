// The polling connectors against the fake source API over real HTTP on loopback (libcurl on
// the connector's side): paging by token, offset, cursor and Link header, since_id, 429 with
// Retry-After, 5xx backoff, timeouts, malformed bodies skipped and counted, the daily quota,
// a missing credential, and the health line `kiosk-hq sources list` shows.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sync/hq/api/source_poller.h"
#include "sync/hq/sim/fake_source_api.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "tests/hq/hq_test_support.h"

using namespace kiosk::sync::hq;
using kiosk::sync::sources::ConnectorConfig;
using kiosk::sync::sources::Source;
using json = nlohmann::json;

namespace {

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE_MESSAGE(f, "cannot read " << path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string shared(const std::string& rel) {
  const char* dir = std::getenv("KIOSK_SHARED_DIR");
  REQUIRE(dir);
  return read(std::string(dir) + "/fixtures/" + rel);
}

std::string fixture(const std::string& rel) {
  const char* dir = std::getenv("KIOSK_SOURCE_DIR");
  REQUIRE(dir);
  return read(std::string(dir) + "/tests/fixtures/sources/" + rel);
}

// The items of a recorded envelope, as the fake serves them.
std::vector<std::string> items_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.dump());
  return out;
}

struct Rig {
  test::TempDir dir;
  std::unique_ptr<HqStorage> storage;
  std::unique_ptr<FakeSourceApi> api;
  std::int64_t now = 1'800'000'000'000;
  Rig() {
    auto s = open_hq_storage(test::test_database(dir), StorageMode::create_if_missing,
                             test::test_secret(dir));
    REQUIRE_MESSAGE(s, s.error());
    storage = std::move(s.value());
    REQUIRE(storage->add_store({"downtown", "Downtown"}));
    REQUIRE(storage->set_store_profile(
        "downtown",
        R"({"city": "Springfield", "nicknames": ["Elm St"], "location_ids": {"google": "accounts/1/locations/2", "yelp": "frontline-grocery-elm-st-springfield"}})",
        now));
    auto a = FakeSourceApi::start();
    REQUIRE_MESSAGE(a, a.error());
    api = std::move(a.value());
  }
  ConnectorConfig connector(const std::string& name, Source source, const std::string& key) {
    ConnectorConfig c;
    c.name = name;
    c.source = source;
    c.base_url = api->url();
    if (source == Source::google || source == Source::yelp || source == Source::facebook)
      c.location = key;
    else
      c.query = key;
    c.credential = "test-token-" + name;
    c.interval_ms = 60'000;
    c.timeout_ms = 2000;
    return c;
  }
  SourcePoller poller(std::vector<ConnectorConfig> list,
                      std::vector<std::string>* lines = nullptr) {
    PollerOptions o;
    o.holder = "test";
    o.clock = [this] { return now; };
    o.random01 = [] { return 0.0; };
    if (lines) o.log = [lines](const std::string& l) { lines->push_back(l); };
    return SourcePoller(*storage, std::move(list), o);
  }
  SourceState state(const std::string& name) {
    auto s = storage->source_state(name);
    REQUIRE(s);
    REQUIRE(s.value());
    return *s.value();
  }
};

// Google reviews written for these tests, newest first.
std::vector<std::string> google_reviews(int n, int first = 0) {
  std::vector<std::string> out;
  for (int i = first + n - 1; i >= first; --i)
    out.push_back(json{{"name", "accounts/1/locations/2/reviews/r" + std::to_string(i)},
                       {"reviewId", "r" + std::to_string(i)},
                       {"reviewer", {{"displayName", "Reviewer " + std::to_string(i)}}},
                       {"starRating", "TWO"},
                       {"comment", "Review number " + std::to_string(i) + " about the queue"},
                       {"createTime", "2026-11-20T17:02:11Z"},
                       {"updateTime", "2026-11-20T17:02:11Z"}}
                      .dump());
  return out;
}

}  // namespace

TEST_CASE("connectors: Google pages by nextPageToken, with the bearer token [sources]") {
  Rig rig;
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(5));
  rig.api->set_page_size(Source::google, "accounts/1/locations/2", 2);
  auto c = rig.connector("google-elm", Source::google, "accounts/1/locations/2");
  auto poller = rig.poller({c});
  const auto r = poller.poll(c);
  CHECK(r.error == "");
  CHECK(r.pages == 3);
  CHECK(r.mentions == 5);
  CHECK(r.counts.added == 5);  // matched to downtown by the review target
  const auto stats = rig.api->stats(Source::google, "accounts/1/locations/2");
  REQUIRE(stats.requests == 3);
  CHECK(stats.authorizations[0] == "Bearer test-token-google-elm");
  CHECK(stats.queries[1].find("pageToken=2") != std::string::npos);
  CHECK(rig.state("google-elm").items_seen == 5);
  CHECK(rig.state("google-elm").next_poll_ms == rig.now + 60'000);
  CHECK(rig.state("google-elm").lease_holder.empty());  // released

  // Not due yet: nothing is asked.
  CHECK(!poller.poll(c).polled);
  // Due again, with two new reviews: the first page holds them, the rest is known.
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(2, 5));
  rig.now += 60'000;
  const auto again = poller.poll(c);
  CHECK(again.counts.added == 2);
  CHECK(again.requests == 2);  // the second page brought nothing new: stop there
}

TEST_CASE("connectors: Yelp pages by offset from the recorded reviews [sources]") {
  Rig rig;
  auto body = json::parse(fixture("yelp_business_reviews.json"));
  const std::string key = "frontline-grocery-elm-st-springfield";
  rig.api->add_items(Source::yelp, key, items_of(body["reviews"]));
  rig.api->set_page_size(Source::yelp, key, 1);
  auto c = rig.connector("yelp-elm", Source::yelp, key);
  auto poller = rig.poller({c});
  const auto r = poller.poll(c);
  CHECK(r.error == "");
  CHECK(r.mentions == static_cast<int>(body["reviews"].size()));
  CHECK(r.pages == static_cast<int>(body["reviews"].size()));
  const auto stats = rig.api->stats(Source::yelp, key);
  CHECK(stats.queries.back().find("offset=" + std::to_string(body["reviews"].size() - 1)) !=
        std::string::npos);
}

TEST_CASE(
    "connectors: Mastodon follows the Link header, then polls since the newest id [sources]") {
  Rig rig;
  auto recorded =
      json::parse(shared("mastodon/timeline_tag_hoot_localhost_mastodonpy_cassette.json"));
  REQUIRE(recorded.is_array());
  std::vector<std::string> items;
  // The recorded status plus two more of our own in the same format, newest first.
  for (const char* id : {"109440153064280360", "109440153064280359"}) {
    auto s = recorded[0];
    s["id"] = id;
    s["content"] = std::string("<p>Queue at the Elm St store, post ") + id + "</p>";
    items.push_back(s.dump());
  }
  items.push_back(recorded[0].dump());
  rig.api->add_items(Source::mastodon, "hoot", items);
  rig.api->set_page_size(Source::mastodon, "hoot", 2);
  auto c = rig.connector("mastodon-hoot", Source::mastodon, "hoot");
  auto poller = rig.poller({c});
  auto r = poller.poll(c);
  CHECK(r.error == "");
  CHECK(r.pages == 2);
  CHECK(r.mentions == 3);
  CHECK(rig.state("mastodon-hoot").cursor == "109440153064280360");
  const auto first = rig.api->stats(Source::mastodon, "hoot");
  CHECK(first.queries[1].find("max_id=109440153064280359") != std::string::npos);

  auto newer = recorded[0];
  newer["id"] = "109440153064280400";
  newer["content"] = "<p>Still waiting at the Elm St tills</p>";
  rig.api->add_items(Source::mastodon, "hoot", {newer.dump()});
  rig.now += 60'000;
  r = poller.poll(c);
  CHECK(r.mentions == 1);  // only what is newer than the cursor
  CHECK(
      rig.api->stats(Source::mastodon, "hoot").queries.back().find("since_id=109440153064280360") !=
      std::string::npos);
  CHECK(rig.state("mastodon-hoot").cursor == "109440153064280400");
}

TEST_CASE("connectors: Reddit pages by data.after over the recorded listing [sources]") {
  Rig rig;
  auto listing = json::parse(shared("reddit/search_listing_go-reddit.json"));
  std::vector<std::string> items;
  for (const auto& child : listing["data"]["children"]) items.push_back(child["data"].dump());
  REQUIRE(items.size() >= 2);
  rig.api->add_items(Source::reddit, "frontline", items);
  rig.api->set_page_size(Source::reddit, "frontline", 1);
  auto c = rig.connector("reddit", Source::reddit, "frontline");
  c.max_pages = 10;
  auto poller = rig.poller({c});
  const auto r = poller.poll(c);
  CHECK(r.error == "");
  CHECK(r.mentions + r.skipped == static_cast<int>(items.size()));
  CHECK(r.pages == static_cast<int>(items.size()));
  // These posts name no store: unmatched, none lost.
  CHECK(r.counts.unmatched == r.mentions);
  auto queued = rig.storage->unmatched_mentions();
  REQUIRE(queued);
  CHECK(static_cast<int>(queued->size()) == r.mentions);
  CHECK(rig.api->stats(Source::reddit, "frontline").queries[1].find("after=t3_") !=
        std::string::npos);
}

TEST_CASE("connectors: 429 waits as Retry-After says; 5xx backs off; both recover [sources]") {
  Rig rig;
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(2));
  auto c = rig.connector("google-elm", Source::google, "accounts/1/locations/2");
  auto poller = rig.poller({c});
  rig.api->push_fault(Source::google, "accounts/1/locations/2", {429, "120", "", "", false, 0});
  auto r = poller.poll(c);
  CHECK(r.error.find("rate limited (429); waiting 120 s as the source asked") != std::string::npos);
  CHECK(rig.state("google-elm").next_poll_ms == rig.now + 120'000);
  CHECK(rig.state("google-elm").failures == 1);
  rig.now += 60'000;
  CHECK(!poller.poll(c).polled);  // it waits the whole two minutes
  rig.now += 60'000;
  rig.api->push_fault(Source::google, "accounts/1/locations/2", {503, "", "", "", false, 0});
  r = poller.poll(c);
  CHECK(r.error.find("answered 503") != std::string::npos);
  // Second failure in a row, jitter 0: half of the 60 s ceiling.
  CHECK(rig.state("google-elm").next_poll_ms == rig.now + 30'000);
  CHECK(rig.state("google-elm").failures == 2);
  rig.now += 30'000;
  r = poller.poll(c);
  CHECK(r.error == "");
  CHECK(r.counts.added == 2);
  CHECK(rig.state("google-elm").failures == 0);
  CHECK(rig.state("google-elm").last_error.find("503") != std::string::npos);  // kept for IT
  CHECK(rig.state("google-elm").last_success_ms == rig.now);
  // X's own header when there is no Retry-After.
  auto x = rig.connector("x-search", Source::x, "frontline");
  rig.api->push_fault(Source::x, "frontline",
                      {429, "", std::to_string(rig.now / 1000 + 900), "", false, 0});
  r = poller.poll(x);
  CHECK(r.error.find("waiting 900 s") != std::string::npos);
}

TEST_CASE("connectors: a timeout backs off; a malformed body is skipped and counted [sources]") {
  Rig rig;
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(3));
  auto c = rig.connector("google-elm", Source::google, "accounts/1/locations/2");
  c.timeout_ms = 300;
  std::vector<std::string> lines;
  auto poller = rig.poller({c}, &lines);
  rig.api->push_fault(Source::google, "accounts/1/locations/2", {0, "", "", "", false, 1500});
  auto r = poller.poll(c);
  CHECK(r.error.find("took too long") != std::string::npos);
  CHECK(r.error.find("google's API") != std::string::npos);
  CHECK(rig.state("google-elm").next_poll_ms == rig.now + 15'000);

  rig.now += 15'000;
  rig.api->push_fault(Source::google, "accounts/1/locations/2",
                      {0, "", "", R"({"reviews": [{"reviewId": "cut)", true, 0});
  r = poller.poll(c);
  CHECK(r.skipped == 1);
  CHECK(r.counts.added == 0);
  CHECK(rig.state("google-elm").items_skipped == 1);
  CHECK(rig.state("google-elm").last_error.find("could not be read") != std::string::npos);
  CHECK(rig.state("google-elm").next_poll_ms == rig.now + 60'000);  // not hammered
  // A page with one bad item: the others are kept, the bad one counted.
  rig.now += 60'000;
  auto good = google_reviews(1, 10);
  rig.api->add_items(Source::google, "accounts/1/locations/2",
                     {good[0], R"({"reviewId": "bad1", "createTime": "last tuesday"})"});
  r = poller.poll(c);
  CHECK(r.counts.added == 4);
  CHECK(r.skipped == 1);
  CHECK(rig.state("google-elm").items_skipped == 2);
  // No line of the log holds the credential.
  for (const auto& l : lines) CHECK(l.find("test-token") == std::string::npos);
}

TEST_CASE("connectors: the daily quota and a missing credential stop polling politely [sources]") {
  Rig rig;
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(6));
  rig.api->set_page_size(Source::google, "accounts/1/locations/2", 1);
  auto c = rig.connector("google-elm", Source::google, "accounts/1/locations/2");
  c.daily_quota = 2;
  auto poller = rig.poller({c});
  auto r = poller.poll(c);
  CHECK(r.requests == 2);
  CHECK(r.error.find("daily quota of 2 requests is used up") != std::string::npos);
  CHECK(rig.state("google-elm").next_poll_ms % 86'400'000 == 0);  // midnight UTC

  auto x = rig.connector("x-search", Source::x, "frontline");
  x.credential.clear();
  x.credential_env = "KIOSK_TEST_X_TOKEN";
  x.needs_credential = true;
  r = poller.poll(x);
  CHECK(r.requests == 0);
  CHECK(r.error == "no credential: set the environment variable KIOSK_TEST_X_TOKEN");
}

TEST_CASE("connectors: the health line in kiosk-hq sources list [sources]") {
  Rig rig;
  rig.api->add_items(Source::google, "accounts/1/locations/2", google_reviews(3));
  auto c = rig.connector("google-elm", Source::google, "accounts/1/locations/2");
  auto poller = rig.poller({c});
  poller.poll(c);
  rig.storage.reset();
  const std::string db = test::test_database(rig.dir);
  auto listed = test::kiosk_hq(
      {"sources", "list", "--db", db, "--secret-file", test::test_secret(rig.dir), "--json"});
  REQUIRE_MESSAGE(listed.code == 0, listed.err);
  auto rows = json::parse(listed.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["name"] == "google-elm");
  CHECK(rows[0]["status"] == "ok");
  CHECK(rows[0]["items_seen"] == 3);
  CHECK(rows[0]["next_poll_ms"] == rig.now + 60'000);
  auto table =
      test::kiosk_hq({"sources", "list", "--db", db, "--secret-file", test::test_secret(rig.dir)});
  CHECK(table.out.find("LAST SUCCESS") != std::string::npos);
  CHECK(table.out.find("google-elm") != std::string::npos);
}

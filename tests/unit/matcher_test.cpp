// The store matcher, post fingerprints and the connectors' pure parts (requests, paging
// tokens, Retry-After, the sources file).
#include <doctest/doctest.h>

#include "sync/sources/connector.h"
#include "sync/sources/matcher.h"

using namespace kiosk::sync::sources;
using kiosk::core::Mention;

namespace {

std::vector<StoreProfile> springfield() {
  auto elm = parse_store_profile(R"({
    "address": "120 Elm St, Springfield", "city": "Springfield",
    "lat": 39.7817, "lon": -89.6501, "radius_m": 250,
    "nicknames": ["the Elm St one"], "handles": ["@frontline_elm"], "hashtags": ["#frontlineelm"],
    "location_ids": {"google": "accounts/1/locations/10", "yelp": "frontline-elm"}})",
                                 "downtown");
  auto oak = parse_store_profile(R"({
    "address": "48 Oak Ave, Springfield", "city": "Springfield",
    "lat": 39.8020, "lon": -89.6440, "radius_m": 250,
    "nicknames": ["the Oak Ave one"], "location_ids": {"google": "accounts/1/locations/20"}})",
                                 "uptown");
  auto far = parse_store_profile(R"({"address": "9 Main St, Shelbyville", "city": "Shelbyville"})",
                                 "shelbyville");
  REQUIRE(elm);
  REQUIRE(oak);
  REQUIRE(far);
  return {elm.value(), oak.value(), far.value()};
}

Mention post(std::string source, std::string text) {
  Mention m;
  m.id = source + ":1";
  m.source = std::move(source);
  m.text = std::move(text);
  return m;
}

}  // namespace

TEST_CASE("matcher: a review is matched by the review site's location id [matcher]") {
  const auto stores = springfield();
  auto m = post("google", "Terrible wait at the counter");
  const auto r = match_store(m, "accounts/1/locations/20", stores);
  CHECK(r.kind == MatchResult::Kind::matched);
  CHECK(r.store_id == "uptown");
  CHECK(r.reason.find("review target") != std::string::npos);
  // The same id from another source is not that store's.
  auto other = post("yelp", "Terrible wait at the counter");
  CHECK(match_store(other, "accounts/1/locations/20", stores).kind == MatchResult::Kind::none);
}

TEST_CASE("matcher: a geotag within the radius matches; outside it does not [matcher]") {
  const auto stores = springfield();
  auto m = post("facebook", "Freezer aisle is flooded");
  m.location.lat = 39.7820;  // about 40 m from Elm St
  m.location.lon = -89.6502;
  auto r = match_store(m, "", stores);
  CHECK(r.kind == MatchResult::Kind::matched);
  CHECK(r.store_id == "downtown");
  CHECK(r.reason.find("geotag") != std::string::npos);
  m.location.lat = 39.7900;  // about 900 m from either
  m.location.lon = -89.6470;
  CHECK(match_store(m, "", stores).kind == MatchResult::Kind::none);
}

TEST_CASE("matcher: a nickname, handle, hashtag or street in the text matches [matcher]") {
  const auto stores = springfield();
  CHECK(match_store(post("x", "The Oak Ave one has no oat milk AGAIN"), "", stores).store_id ==
        "uptown");
  CHECK(match_store(post("bluesky", "no baskets at the elm st one lol"), "", stores).store_id ==
        "downtown");
  CHECK(match_store(post("mastodon", "thanks @frontline_elm!"), "", stores).store_id == "downtown");
  CHECK(match_store(post("mastodon", "queue again #FrontlineElm"), "", stores).store_id ==
        "downtown");
  // "Street" and "St" are the same street.
  CHECK(match_store(post("reddit", "Frontline on Oak Avenue is closed?"), "", stores).store_id ==
        "uptown");
  // "elm" alone is not the street.
  CHECK(match_store(post("reddit", "elm trees are nice"), "", stores).kind ==
        MatchResult::Kind::none);
}

TEST_CASE("matcher: a city with two stores and no street goes unmatched, never to one [matcher]") {
  const auto stores = springfield();
  const auto r =
      match_store(post("bluesky", "Frontline Grocery in Springfield is out of milk"), "", stores);
  CHECK(r.kind == MatchResult::Kind::ambiguous);
  CHECK(r.store_id.empty());
  REQUIRE(r.candidates.size() == 2);
  CHECK(r.candidates[0] == "downtown");
  CHECK(r.candidates[1] == "uptown");
  CHECK(r.reason.find("no street") != std::string::npos);
  // A city with one store is that store.
  CHECK(match_store(post("x", "Shelbyville Frontline is great"), "", stores).store_id ==
        "shelbyville");
  // Both nicknames: ambiguous, not the first one found.
  CHECK(match_store(post("x", "the Elm St one is better than the Oak Ave one"), "", stores).kind ==
        MatchResult::Kind::ambiguous);
  // Nothing at all.
  CHECK(match_store(post("x", "great day"), "", stores).kind == MatchResult::Kind::none);
}

TEST_CASE("matcher: overlapping circles pick the store that is clearly nearer [matcher]") {
  auto stores = springfield();
  stores[0].radius_m = 5000;
  stores[1].radius_m = 5000;
  auto m = post("facebook", "spill by the door");
  m.location.lat = 39.8019;  // beside Oak Ave, 2 km from Elm St
  m.location.lon = -89.6441;
  CHECK(match_store(m, "", stores).store_id == "uptown");
  m.location.lat = 39.7918;  // half way
  m.location.lon = -89.6470;
  CHECK(match_store(m, "", stores).kind == MatchResult::Kind::ambiguous);
  m.text = "spill by the door of the Oak Ave one";  // the text settles it
  CHECK(match_store(m, "", stores).store_id == "uptown");
}

TEST_CASE("store profiles: bad files say which field and what is wanted [matcher]") {
  CHECK(parse_store_profile("[]", "s").error().find("JSON object") != std::string::npos);
  CHECK(parse_store_profile(R"({"lat": 120, "lon": 0})", "s").error().find("\"lat\"") !=
        std::string::npos);
  CHECK(parse_store_profile(R"({"lat": 10})", "s").error().find("go together") !=
        std::string::npos);
  CHECK(parse_store_profile(R"({"nicknames": "x"})", "s").error().find("list") !=
        std::string::npos);
  auto p = parse_store_profile(R"({"address": "12-14 Elm Street, Springfield"})", "s");
  REQUIRE(p);
  CHECK(p->street == "Elm Street");
  auto again = parse_store_profile(store_profile_json(p.value()), "s");
  REQUIRE(again);
  CHECK(again->street == "Elm Street");
}

TEST_CASE("fingerprints: cross-posts and retweets are the same post [matcher]") {
  const std::string a =
      "Spilled oil in aisle 7 at Frontline Elm St, no sign up. Please send someone NOW";
  CHECK(!post_fingerprint(a).empty());
  CHECK(post_fingerprint(a) == post_fingerprint("RT @dana: " + a));
  CHECK(post_fingerprint(a) == post_fingerprint(a + " https://t.co/xyz123"));
  CHECK(post_fingerprint(a) == post_fingerprint("spilled oil in aisle 7 at frontline elm st no "
                                                "sign up please send someone now!!"));
  CHECK(post_fingerprint(a) != post_fingerprint("Spilled milk in aisle 7 at Frontline Elm St"));
  CHECK(post_fingerprint("still waiting").empty());  // too short to tell apart
}

TEST_CASE("connectors: requests, paging tokens and Retry-After [connector]") {
  auto configs = parse_sources_config(
      R"({"connectors": [
      {"name": "x-search", "source": "x", "query": "frontline grocery", "token_env": "X_TOKEN",
       "base_url": "http://127.0.0.1:9/"},
      {"name": "yelp-elm", "source": "yelp", "location": "frontline-elm", "every": "10m",
       "daily_quota": 500}]})",
      [](const std::string& name) {
        return name == "X_TOKEN" ? std::optional<std::string>("secret-x") : std::nullopt;
      });
  REQUIRE(configs);
  const auto& x = configs.value()[0];
  CHECK(x.credential == "secret-x");
  CHECK(x.needs_credential);
  const auto r = page_request(x, "1578516068309794817", "b26v89c19zqg8o3fo");
  CHECK(r.url.rfind("http://127.0.0.1:9/2/tweets/search/recent?query=frontline%20grocery", 0) == 0);
  CHECK(r.url.find("since_id=1578516068309794817") != std::string::npos);
  CHECK(r.url.find("next_token=b26v89c19zqg8o3fo") != std::string::npos);
  CHECK(r.url.find("secret") == std::string::npos);  // the token goes in a header only
  CHECK(r.bearer_token == "secret-x");
  const auto& yelp = configs.value()[1];
  CHECK(yelp.interval_ms == 600'000);
  CHECK(yelp.daily_quota == 500);
  CHECK(yelp.base_url == "https://api.yelp.com");
  Page page;
  page.total = 45;
  CHECK(next_page_token(yelp, page, "", "", 20) == "20");
  CHECK(next_page_token(yelp, page, "", "40", 5).empty());

  CHECK(retry_after_ms("120", "", 0) == 120'000);
  CHECK(retry_after_ms("Wed, 21 Oct 2015 07:28:30 GMT", "", 1445412480000) == 30'000);
  CHECK(retry_after_ms("", "1445412510", 1445412480000) == 30'000);
  CHECK(!retry_after_ms("soon", "", 0));

  CHECK(parse_sources_config(R"({"connectors": [{"name": "a", "source": "google"}]})",
                             [](const std::string&) { return std::nullopt; })
            .error()
            .find("\"location\" is required") != std::string::npos);
  CHECK(parse_sources_config(R"({"connectors": [{"name": "a b", "source": "rss"}]})",
                             [](const std::string&) { return std::nullopt; })
            .error()
            .find("\"name\"") != std::string::npos);
}

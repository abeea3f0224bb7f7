#include "sync/hq/sim/simulator.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <iterator>

#include "sync/sources/connector.h"

namespace kiosk::sync::hq {
namespace {

using json = nlohmann::json;
using sources::Source;

// The demo stores' review pages and the brand's searches (assets/demo/*.store.json).
constexpr const char* kGoogleDowntown = "accounts/1098765432/locations/5566778899";
constexpr const char* kGoogleUptown = "accounts/1098765432/locations/5566778800";
constexpr const char* kYelpDowntown = "frontline-grocery-elm-st-springfield";
constexpr const char* kYelpUptown = "frontline-grocery-oak-ave-springfield";
constexpr const char* kFacebookPage = "104512345678901";
constexpr const char* kTag = "frontlinegrocery";
constexpr const char* kQuery = "frontline grocery";
constexpr const char* kFeed = "alerts";

enum class Where { downtown, uptown, city };

struct Post {
  Source source;
  Where where;
  const char* author;
  const char* text;
  int stars = 0;     // reviews
  bool geo = false;  // Facebook: tagged at the store's place
};

// Written for this project. Complaints, praise naming staff, reviews, questions, a safety
// hazard, news, a cross-post (same words on two networks), a retweet, and city-only posts.
const Post kPosts[] = {
    {Source::google, Where::downtown, "Maria O.",
     "Waited 35 minutes at the pharmacy counter and nobody came. STILL waiting!!", 1},
    {Source::mastodon, Where::downtown, "kit@mastodon.social",
     "Anyone else stuck at the Elm St Frontline right now? One till open and the queue goes "
     "back to the freezers #frontlinegrocery"},
    {Source::x, Where::uptown, "Dee Marsh",
     "Huge shoutout to Marco in the bakery at Frontline Oak Ave, he found me the last "
     "sourdough loaf \xF0\x9F\x99\x8C"},
    {Source::yelp, Where::uptown, "Priya N.",
     "Spotless store and friendly staff. Sam at the deli remembered my usual order. Best "
     "Frontline in town.",
     5},
    {Source::bluesky, Where::downtown, "Dana",
     "Spilled oil in aisle 7 at Frontline Elm St, no sign up and a kid just slipped. Please "
     "send someone NOW"},
    {Source::reddit, Where::city, "springfield_local",
     "Does the Frontline Grocery in Springfield still cut keys? Asking before I drive over"},
    {Source::facebook, Where::uptown, "Tom Reyes",
     "The cashier was rude when I asked about a refund. I want to speak to a manager today.", 0,
     true},
    {Source::rss, Where::downtown, "Springfield Herald",
     "Frontline Grocery Elm St store extends pharmacy hours after complaints about queues"},
    {Source::google, Where::uptown, "Ben K.",
     "Shelf said $3.99 for the coffee, rang up at $5.49. Had to argue at the till to get the "
     "promo price.",
     2},
    {Source::x, Where::downtown, "kit",
     "Anyone else stuck at the Elm St Frontline right now? One till open and the queue goes "
     "back to the freezers #frontlinegrocery"},
    {Source::mastodon, Where::uptown, "oatlover@fosstodon.org",
     "Out of oat milk AGAIN at the Oak Ave one. Third week in a row \xF0\x9F\x98\xA4 "
     "#frontlinegrocery"},
    {Source::yelp, Where::downtown, "Lou P.",
     "Self checkout was quick but the bags ran out. Jen at customer service sorted it out in a "
     "minute, thank you Jen.",
     4},
    {Source::bluesky, Where::city, "Rafa",
     "Frontline Grocery in Springfield is out of milk again, seriously?"},
    {Source::facebook, Where::downtown, "Alex Brandt",
     "Thank you to the Elm St team for rescuing my daughter's birthday cake order. Luis in the "
     "bakery, you're a star!"},
    {Source::reddit, Where::downtown, "pharm_queue",
     "PSA: the Elm St Frontline pharmacy has a 2 hour wait today, bring a book"},
    {Source::google, Where::downtown, "Grace L.",
     "Ana on checkout 3 is the kindest person in Springfield. Five stars for her alone.", 5},
    {Source::mastodon, Where::uptown, "sundays@mastodon.social",
     "Is the Frontline on Oak Ave open late on Sunday evenings? #frontlinegrocery"},
    {Source::x, Where::downtown, "springfield_eats",
     "RT @dana: Spilled oil in aisle 7 at Frontline Elm St, no sign up and a kid just slipped. "
     "Please send someone NOW"},
    {Source::rss, Where::uptown, "Springfield Herald",
     "Frontline Grocery Oak Ave store to open until midnight from December"},
    {Source::yelp, Where::uptown, "Chris V.",
     "Chicken was off two days before its date. The returns desk told me to come back "
     "tomorrow. Not impressed.",
     1},
    {Source::bluesky, Where::downtown, "Mo",
     "the Elm St one has no baskets and no trolleys left, carrying everything in my arms "
     "\xF0\x9F\x99\x83"},
    {Source::facebook, Where::downtown, "Sofia M.",
     "Freezer aisle is flooded, water everywhere by the ice cream. Someone is going to fall.", 0,
     true},
    {Source::google, Where::uptown, "Henry T.",
     "Good prices this week. The queue was long but it moved quickly and the staff were "
     "cheerful.",
     4},
    {Source::reddit, Where::uptown, "oakave_dad",
     "Shoutout to the Oak Ave Frontline staff who helped me find my lost kid in two minutes. "
     "Heroes."},
};
constexpr int kPostCount = static_cast<int>(std::size(kPosts));

const char* kAgain[] = {"", "Again today: ", "Update: ", "Week later: ", "Still the case: "};

std::string iso(std::int64_t ms, bool fraction = true) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&s, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[64];
  if (fraction)
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  else
    std::snprintf(out, sizeof out, "%sZ", buf);
  return out;
}

std::string facebook_time(std::int64_t ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&s, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+0000", &utc);
  return buf;
}

std::string rfc822(std::int64_t ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&s, &utc);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return buf;
}

// Yelp gives local time in the business's zone, without an offset: Pacific for the demo.
std::string yelp_time(std::int64_t ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000 - 8 * 3600);
  std::tm t{};
  gmtime_r(&s, &t);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
  return buf;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out.push_back(c);
  }
  return out;
}

std::string handle_of(const char* author) {
  std::string h;
  for (const char* p = author; *p; ++p)
    if (std::isalnum(static_cast<unsigned char>(*p)))
      h.push_back(static_cast<char>(std::tolower(*p)));
  return h.empty() ? "someone" : h;
}

const char* kStars[] = {"", "ONE", "TWO", "THREE", "FOUR", "FIVE"};

}  // namespace

Simulator::Simulator(FakeSourceApi& api, std::uint64_t seed) : api_(api), seed_(seed) {}

std::string Simulator::post_next(std::int64_t now_ms) {
  const int n = next_++;
  const Post& p = kPosts[n % kPostCount];
  const int round = n / kPostCount;
  const std::string text = std::string(kAgain[round % 5]) + p.text;
  const std::string id_tail = std::to_string(seed_ % 1000) + std::to_string(100000 + n);
  const std::string big_id = "1150" + std::to_string(now_ms) + std::to_string(100 + n % 900);
  const bool down = p.where == Where::downtown;
  const std::string handle = handle_of(p.author);
  const auto likes = static_cast<int>((seed_ + static_cast<std::uint64_t>(n) * 7919) % 40);
  std::string line = std::string(sources::source_name(p.source)) + " " +
                     (p.where == Where::downtown ? "downtown"
                      : p.where == Where::uptown ? "uptown"
                                                 : "(city only)") +
                     ": " + text;
  switch (p.source) {
    case Source::google: {
      const std::string location = down ? kGoogleDowntown : kGoogleUptown;
      const std::string id = "AIsim" + id_tail;
      json r{{"name", location + "/reviews/" + id},
             {"reviewId", id},
             {"reviewer", {{"displayName", p.author}, {"isAnonymous", false}}},
             {"starRating", kStars[p.stars]},
             {"comment", text},
             {"createTime", iso(now_ms)},
             {"updateTime", iso(now_ms)}};
      api_.add_items(Source::google, location, {r.dump()});
      break;
    }
    case Source::yelp: {
      const std::string business = down ? kYelpDowntown : kYelpUptown;
      const std::string id = "ysim" + id_tail;
      json r{{"id", id},
             {"url", "https://www.yelp.com/biz/" + business + "?hrid=" + id},
             {"text", text},
             {"rating", p.stars},
             {"time_created", yelp_time(now_ms)},
             {"user", {{"id", "u" + handle}, {"name", p.author}}}};
      api_.add_items(Source::yelp, business, {r.dump()});
      break;
    }
    case Source::facebook: {
      const std::string id = std::string(kFacebookPage) + "_" + id_tail;
      json post{{"id", id},
                {"message", text},
                {"created_time", facebook_time(now_ms)},
                {"from", {{"id", "f" + handle}, {"name", p.author}}},
                {"permalink_url", "https://www.facebook.com/" + id},
                {"reactions", {{"data", json::array()}, {"summary", {{"total_count", likes}}}}}};
      if (p.geo)
        post["place"] = {{"id", "110843418940484"},
                         {"name", "Frontline Grocery"},
                         {"location",
                          {{"city", "Springfield"},
                           {"latitude", down ? 39.78172 : 39.80205},
                           {"longitude", down ? -89.65008 : -89.64398}}}};
      api_.add_items(Source::facebook, kFacebookPage, {post.dump()});
      break;
    }
    case Source::mastodon: {
      std::string acct = p.author;
      json s{{"id", big_id},
             {"created_at", iso(now_ms)},
             {"in_reply_to_id", nullptr},
             {"language", "en"},
             {"url", "https://mastodon.social/@" + handle + "/" + big_id},
             {"uri", "https://mastodon.social/users/" + handle + "/statuses/" + big_id},
             {"content", "<p>" + xml_escape(text) + "</p>"},
             {"spoiler_text", ""},
             {"replies_count", likes % 5},
             {"reblogs_count", likes % 7},
             {"favourites_count", likes},
             {"edited_at", nullptr},
             {"reblog", nullptr},
             {"account",
              {{"id", "9" + id_tail},
               {"acct", acct},
               {"display_name", acct},
               {"followers_count", 120 + likes}}}};
      api_.add_items(Source::mastodon, kTag, {s.dump()});
      break;
    }
    case Source::bluesky: {
      const std::string did = "did:plc:sim" + handle;
      const std::string rkey = "3sim" + id_tail;
      json post{{"uri", "at://" + did + "/app.bsky.feed.post/" + rkey},
                {"cid", "bafysim" + id_tail},
                {"author",
                 {{"did", did}, {"handle", handle + ".bsky.social"}, {"displayName", p.author}}},
                {"record",
                 {{"$type", "app.bsky.feed.post"},
                  {"text", text},
                  {"createdAt", iso(now_ms)},
                  {"langs", {"en"}}}},
                {"replyCount", likes % 4},
                {"repostCount", likes % 6},
                {"likeCount", likes},
                {"quoteCount", 0},
                {"indexedAt", iso(now_ms)}};
      api_.add_items(Source::bluesky, kQuery, {post.dump()});
      break;
    }
    case Source::reddit: {
      const std::string id = "sim" + id_tail;
      json d{{"id", id},
             {"name", "t3_" + id},
             {"title", text},
             {"selftext", ""},
             {"author", p.author},
             {"created_utc", static_cast<double>(now_ms / 1000)},
             {"permalink", "/r/springfield/comments/" + id + "/post/"},
             {"subreddit", "springfield"},
             {"score", likes},
             {"num_comments", likes % 9}};
      api_.add_items(Source::reddit, kQuery, {d.dump()});
      break;
    }
    case Source::x: {
      const std::string user_id =
          "77" + std::to_string(static_cast<unsigned>(handle.size()) * 131u + 7u);
      json t{{"id", big_id},
             {"text", text},
             {"created_at", iso(now_ms)},
             {"author_id", user_id},
             {"lang", "en"},
             {"edit_history_tweet_ids", {big_id}},
             {"public_metrics",
              {{"retweet_count", likes % 6},
               {"reply_count", likes % 3},
               {"like_count", likes},
               {"quote_count", 0}}}};
      json u{{"id", user_id},
             {"username", handle},
             {"name", p.author},
             {"public_metrics", {{"followers_count", 300 + likes * 10}}}};
      api_.add_x_users(kQuery, {u.dump()});
      api_.add_items(Source::x, kQuery, {t.dump()});
      break;
    }
    case Source::rss: {
      const std::string guid = "sim-" + id_tail;
      std::string item = "<item><title>" + xml_escape(text) +
                         "</title><link>https://herald.example/news/" + guid +
                         "</link><guid isPermaLink=\"false\">" + guid + "</guid><pubDate>" +
                         rfc822(now_ms) + "</pubDate><description>" + xml_escape(text) +
                         "</description><author>" + p.author + "</author></item>";
      api_.add_items(Source::rss, kFeed, {item});
      break;
    }
  }
  return line;
}

void Simulator::post_history(int count, std::int64_t now_ms) {
  for (int i = 0; i < count; ++i)
    post_next(now_ms - static_cast<std::int64_t>(count - i) * 7 * 60'000);
}

std::string Simulator::sources_config(const std::string& every) const {
  const std::string base = api_.url();
  json list = json::array();
  const auto add = [&](const std::string& name, Source s, const char* field,
                       const std::string& value, bool token) {
    json c{{"name", name},   {"source", std::string(sources::source_name(s))},
           {"every", every}, {field, value},
           {"max_pages", 3}, {"timeout_ms", 3000}};
    if (s != Source::rss) c["base_url"] = base;
    if (token) c["token"] = "demo-token-" + name;
    list.push_back(c);
  };
  add("google-downtown", Source::google, "location", kGoogleDowntown, true);
  add("google-uptown", Source::google, "location", kGoogleUptown, true);
  add("yelp-downtown", Source::yelp, "location", kYelpDowntown, true);
  add("yelp-uptown", Source::yelp, "location", kYelpUptown, true);
  add("facebook-page", Source::facebook, "location", kFacebookPage, true);
  add("mastodon-tag", Source::mastodon, "query", kTag, false);
  add("bluesky-search", Source::bluesky, "query", kQuery, false);
  add("reddit-search", Source::reddit, "query", kQuery, true);
  add("x-search", Source::x, "query", kQuery, true);
  add("news-alerts", Source::rss, "url", api_.feed_url(kFeed), false);
  return json{{"connectors", list}}.dump(2);
}

}  // namespace kiosk::sync::hq

#pragma once
// A stand-in for the sources' APIs on one loopback HTTP server: Google Business Profile
// reviews, Yelp Fusion reviews, Facebook tagged posts, a Mastodon tag timeline, Bluesky
// searchPosts, Reddit search, X recent search and RSS/Atom feeds, each answered in the real
// API's own format with its own paging (page tokens, offsets, cursors, the Link header,
// since_id), so the real connectors (sync/hq/api/source_poller.h) talk to it through libcurl
// exactly as they would to the source. Tests queue faults per feed (429 with Retry-After,
// 5xx, hanging past the client's timeout, a malformed body); `kiosk-hq simulate` feeds it a
// stream of posts for the demo stores.
//
// Feeds are keyed by the connector's `location` (Google, Yelp, Facebook), `query` (Mastodon
// tag, Bluesky, Reddit, X) or a feed name (RSS, served at /feeds/NAME.xml). Items are the
// source's own JSON objects (RSS: <item> or <entry> elements), newest first.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "sync/sources/sources.h"

namespace kiosk::sync::hq {

class HttpServer;

class FakeSourceApi {
 public:
  struct Fault {
    int status = 0;           // answer this instead (429, 500, 503...); 0: the normal page
    std::string retry_after;  // Retry-After header, when not empty
    std::string rate_reset;   // x-rate-limit-reset header (X), when not empty
    std::string body;         // this body instead of the page (a malformed one), when set
    bool replace_body = false;
    int hang_ms = 0;  // wait this long first (past the client's timeout: a timeout)
  };
  struct Stats {
    int requests = 0;
    int max_in_flight = 0;                    // requests of this feed served at once, at most
    std::vector<std::string> authorizations;  // the Authorization header of each request
    std::vector<std::string> queries;         // each request's query, "a=1&b=2"
  };

  static core::Result<std::unique_ptr<FakeSourceApi>> start(
      const std::string& listen = "127.0.0.1:0");
  ~FakeSourceApi();
  FakeSourceApi(const FakeSourceApi&) = delete;
  FakeSourceApi& operator=(const FakeSourceApi&) = delete;

  std::string url() const;  // the base_url for connectors: "http://127.0.0.1:PORT"
  // The address of an RSS feed served here.
  std::string feed_url(const std::string& name) const { return url() + "/feeds/" + name + ".xml"; }

  // Newer items go before older ones: these become the newest of the feed. Each item is one
  // JSON object as text (RSS: one XML element); a text that is not JSON is served as it is,
  // as a broken item inside the page.
  void add_items(sources::Source source, const std::string& key, std::vector<std::string> items);
  // Every item of a source's page envelope as served (X users go in includes.users).
  void add_x_users(const std::string& key, std::vector<std::string> users);
  // An RSS/Atom feed served whole, as given (a recorded feed).
  void set_feed(const std::string& name, std::string body);
  void set_page_size(sources::Source source, const std::string& key, int items);
  // The next requests of the feed get these, in order, before it answers normally again.
  void push_fault(sources::Source source, const std::string& key, Fault fault);
  Stats stats(sources::Source source, const std::string& key) const;
  int item_count(sources::Source source, const std::string& key) const;

  struct Feed;

 private:
  FakeSourceApi() = default;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Feed>> feeds_;
  std::unique_ptr<HttpServer> http_;
  Feed& feed_locked(sources::Source source, const std::string& key);
  const Feed* find_locked(sources::Source source, const std::string& key) const;
  friend struct FakeSourceApiHandler;
};

}  // namespace kiosk::sync::hq

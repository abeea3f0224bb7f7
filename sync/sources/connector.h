#pragma once
// What a polling connector asks each source's API, as pure functions: the sources config file
// (which pages or searches to poll, how often, with which credential), the address and
// headers of each page request, the next page's token, and how long a 429 says to wait.
// The poller that sends the requests (libcurl) and stores what comes back is head office's
// (sync/hq/api/source_poller.h).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/result.h"
#include "sync/sources/sources.h"

namespace kiosk::sync::sources {

struct ConnectorConfig {
  std::string name;  // unique, e.g. "google-downtown": health, cursor and lease are kept by it
  Source source = Source::rss;
  std::string base_url;  // the API's root; defaults to the real one (default_base_url)
  // A review page of one store: Google "accounts/1/locations/2", Yelp business id or alias,
  // Facebook page id. Also the review target the matcher looks up.
  std::string location;
  std::string query;           // searches: Mastodon hashtag, Bluesky, Reddit and X query
  std::string feed_url;        // rss: the feed's address
  std::string credential;      // the token or API key, sent as Authorization: Bearer; never logged
  std::string credential_env;  // where the credential came from (for "set X" hints), or empty
  bool needs_credential = false;  // the source refuses requests without one
  bool enabled = true;
  std::int64_t interval_ms = 5 * 60'000;  // between polls when healthy
  int daily_quota = 0;                    // requests per UTC day; 0: no limit of our own
  int max_pages = 5;                      // pages per poll at most
  long timeout_ms = 10'000;               // per request
};

// The real API root of each source ("https://mybusiness.googleapis.com", ...); empty for rss.
std::string default_base_url(Source source);

// The sources config file (JSON, docs/hq.md#sources). A credential is taken from "token" or,
// better, from the environment variable named by "token_env"; `getenv` is passed in (tests).
// Errors name the connector and field.
core::Result<std::vector<ConnectorConfig>> parse_sources_config(
    std::string_view json,
    const std::function<std::optional<std::string>(const std::string&)>& getenv);

struct PageRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // User-Agent and the like
  std::string bearer_token;
};

// The request for one page. since: the newest id kept from earlier polls (Mastodon since_id,
// X since_id), empty on the first poll. page_token: empty for the first page, else what
// next_page_token returned.
PageRequest page_request(const ConnectorConfig& config, const std::string& since,
                         const std::string& page_token);

// The token of the page after this one, or empty when this was the last: the parser's
// cursor (Google, Facebook, Bluesky, Reddit, X), the Link header's rel="next" address
// (Mastodon) or the next offset (Yelp, which says how many there are in `total`).
std::string next_page_token(const ConnectorConfig& config, const Page& page,
                            const std::string& link_header, const std::string& page_token,
                            std::size_t items_on_page);

// How long a 429 (or 503) answer says to wait: Retry-After in seconds or as an HTTP date,
// else X's x-rate-limit-reset (Unix seconds). Empty when it says nothing usable.
std::optional<std::int64_t> retry_after_ms(std::string_view retry_after,
                                           std::string_view rate_limit_reset, std::int64_t now_ms);

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view text);

}  // namespace kiosk::sync::sources

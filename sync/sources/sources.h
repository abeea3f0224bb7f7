#pragma once
// Source payload parsers: one function per source turns the body of one API response (as
// text) into mentions. A poller calls the parser with each response body and passes
// `next_cursor` (or `newest_id`) back to the source on its next call.
//
// Parsers never throw and never stop at a bad item: an item that cannot become a mention is
// listed in `skipped` with the reason, and the rest of the page is still read. A body that
// cannot be read as a whole (truncated JSON, not XML at all) sets `error`; mentions found
// before the damage (feeds are read item by item) are kept.
//
// Ids are prefixed by source ("mastodon:109...", "x:1460323737035677698") and kept as exact
// strings. `store_id` is left empty: matching a mention to a store comes later.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/mention.h"

namespace kiosk::sync::sources {

enum class Source { google, yelp, facebook, mastodon, bluesky, reddit, x, rss };

std::optional<Source> source_from_name(std::string_view name);
std::string_view source_name(Source source);
// "google, yelp, facebook, mastodon, bluesky, reddit, x, rss": for help texts and errors.
std::string source_names_list();

struct SkippedItem {
  std::string item;    // the item's id when it has one, else its place ("item 3")
  std::string reason;  // why it is not a mention, in words
};

struct Page {
  std::vector<core::Mention> mentions;
  std::vector<SkippedItem> skipped;
  std::string next_cursor;  // the source's token for the next page; empty on the last page
                            // or when the format has none (Yelp pages by offset, feeds and
                            // Mastodon's Link header carry none in the body)
  std::string newest_id;    // the newest post id seen, for since_id/min_id polls (Mastodon, X)
  std::string error;        // set when the body as a whole could not be read
  std::int64_t total = -1;  // how many items the source says there are (Yelp), -1: not said
};

// Bodies larger than this are refused as a whole (no API pages that much at once).
inline constexpr std::size_t kMaxBodyBytes = 32u << 20;
// Text longer than this is cut at a character boundary and ends with "…".
inline constexpr std::size_t kMaxTextBytes = 16u << 10;

// Google Business Profile accounts.locations.reviews.list.
Page parse_google(std::string_view body);
// Yelp Fusion GET /v3/businesses/{id}/reviews.
Page parse_yelp(std::string_view body);
// Facebook Graph API page visitor posts, tagged posts and comments ({data: [...], paging}).
Page parse_facebook(std::string_view body);
// Mastodon timelines (a JSON array of Status) and the v2 search envelope.
Page parse_mastodon(std::string_view body);
// Bluesky app.bsky.feed.searchPosts.
Page parse_bluesky(std::string_view body);
// Reddit Listing (search, subreddit new; posts and comments).
Page parse_reddit(std::string_view body);
// X API v2 recent search (data, includes, meta, errors).
Page parse_x(std::string_view body);
// RSS 2.0 and Atom feeds, including Google Alerts.
Page parse_rss(std::string_view body);

Page parse_payload(Source source, std::string_view body);

// Mastodon pages through the HTTP Link header, not the body:
//   <https://h/api/v1/timelines/tag/x?max_id=1>; rel="next", <https://h/...?min_id=9>; rel="prev"
// Returns the address for `rel` ("next": older posts, "prev": newer), empty when absent.
std::string link_header_url(std::string_view link_header, std::string_view rel);

}  // namespace kiosk::sync::sources

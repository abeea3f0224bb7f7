#pragma once
// A public post or review about one store, as the kiosk shows it.
#include <cstdint>
#include <optional>
#include <string>

namespace kiosk::core {

// How far a post reaches, as its source counts it. Each is empty when the source does not
// say (Mastodon has no geo, Reddit no followers, reviews no likes...), never a guessed 0.
struct Reach {
  std::optional<std::int64_t> author_followers = {};
  std::optional<std::int64_t> likes = {};    // likes, favourites, reactions, upvotes
  std::optional<std::int64_t> reposts = {};  // reposts, boosts, retweets, shares, crossposts
  std::optional<std::int64_t> replies = {};  // replies or comments
  bool operator==(const Reach&) const = default;
};

// Where the author says the post was made: a place name, coordinates, or both.
struct Place {
  std::string name = {};  // "Springfield, IL", a page's place name; may be empty
  std::optional<double> lat = {};
  std::optional<double> lon = {};
};

struct Mention {
  std::string id;        // stable per source, e.g. "mastodon:109..." (strings: ids exceed 2^53)
  std::string store_id;  // the store the mention is about
  std::string source;    // "mastodon", "google", "yelp", ... shown on the card
  std::string author;    // display name or handle, may be empty
  std::string text;      // plain UTF-8, already stripped of markup
  std::string url;       // where staff can read it in full, may be empty
  std::int64_t created_at_ms = 0;  // when the author posted it (Unix ms, UTC)

  // What staff need to judge it. Every field below has a default, so older code that
  // builds a Mention from the seven fields above still compiles and means the same.
  std::optional<int> rating = {};  // 1-5 stars for reviews
  std::string lang = {};           // ISO 639-1 or BCP 47 code the source gives, may be empty
  Reach reach = {};
  Place location = {};
  std::string reply_to = {};     // id (same form as `id`) of the post this one replies to
  std::string owner_reply = {};  // the business's public answer to a review, empty if none
  std::optional<std::int64_t> edited_at_ms = {};  // when the author last changed it
};

}  // namespace kiosk::core

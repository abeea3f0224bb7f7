#pragma once
// A public post or review about one store, as the kiosk shows it.
#include <cstdint>
#include <string>

namespace kiosk::core {

struct Mention {
  std::string id;        // stable per source, e.g. "mastodon:109..." (strings: ids exceed 2^53)
  std::string store_id;  // the store the mention is about
  std::string source;    // "mastodon", "google", "yelp", ... shown on the card
  std::string author;    // display name or handle, may be empty
  std::string text;      // plain UTF-8, already stripped of markup
  std::string url;       // where staff can read it in full, may be empty
  std::int64_t created_at_ms = 0;  // when the author posted it (Unix ms, UTC)
};

}  // namespace kiosk::core

#pragma once
// Which store a post is about. A pure function of the post, where it was fetched from and the
// stores' profiles: no I/O, no clock. Head office runs it on every mention a connector or the
// webhook brings; whatever it cannot place with confidence goes to the unmatched queue, never
// to a store it only might be about.
//
// Evidence, strongest first:
//   1. review target: the post was fetched from a review site's page of one store (Google
//      location, Yelp business, Facebook page) and that id is in exactly one store's profile;
//   2. geotag: the post's coordinates fall within one store's radius (the nearest store when
//      several circles overlap and it is clearly nearer), or its place name holds one store's
//      street;
//   3. text: a store's nickname, handle, hashtag, street or own keyword, found in one store
//      only ("the Elm St one", "@cornerelm", "#cornerelm");
//   4. city: the post names a city that has one store only.
// Two stores with equal evidence at the strongest level found ("Springfield" with two stores
// there, no street) is ambiguous: unmatched, with both as candidates.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"

namespace kiosk::sync::sources {

// What head office knows about a store for matching (`kiosk-hq store set`, docs/hq.md).
struct StoreProfile {
  std::string store_id;
  std::string address;  // "12 Elm St, Springfield", shown and searched for its street
  std::string street;   // "Elm St"; taken from the address's first part when empty
  std::string city;     // "Springfield"
  std::optional<double> lat = {};
  std::optional<double> lon = {};
  double radius_m = 250;               // a geotag this close belongs to the store
  std::vector<std::string> names;      // "Downtown", "Corner Market Downtown"
  std::vector<std::string> nicknames;  // "the Elm St one"
  std::vector<std::string> handles;    // "@cornerelm" (any source)
  std::vector<std::string> hashtags;   // "#cornerelm"
  std::vector<std::string> keywords;   // other words only this store's posts use
  // Review-site location ids by source: google "accounts/1/locations/2", yelp business id or
  // alias, facebook page id.
  std::vector<std::pair<std::string, std::string>> location_ids;
};

// A store profile from its JSON file; errors name the field and say what a good value is.
core::Result<StoreProfile> parse_store_profile(std::string_view json, const std::string& store_id);
std::string store_profile_json(const StoreProfile& profile);

struct MatchResult {
  enum class Kind { matched, ambiguous, none };
  Kind kind = Kind::none;
  std::string store_id;                 // set when matched
  std::string reason;                   // in words: "review target google accounts/1/...",
                                        // "geotag 40 m from the store", "nickname \"...\""
  std::vector<std::string> candidates;  // the stores it could be, when ambiguous
};

// review_target: the review site's id of the page the post was fetched from (a connector's
// `location`), empty for searches and the webhook unless the pusher names one.
MatchResult match_store(const core::Mention& mention, std::string_view review_target,
                        const std::vector<StoreProfile>& stores);

// Great-circle distance in metres.
double distance_m(double lat1, double lon1, double lat2, double lon2);

// A key that is equal for the same post seen twice under other ids: cross-posted to another
// network, retweeted ("RT @x: ..."), or quoted without a word added. Empty when the text is
// too short to tell posts apart (short posts are only the same by id).
std::string post_fingerprint(std::string_view text);

}  // namespace kiosk::sync::sources

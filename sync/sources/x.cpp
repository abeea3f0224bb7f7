// X API v2 GET /2/tweets/search/recent:
// {data?: [{id (string, up to 19 digits), text (entity-escaped), author_id, created_at, lang,
//   public_metrics{like_count, retweet_count, reply_count, quote_count},
//   referenced_tweets[{type: "replied_to"|"retweeted"|"quoted", id}],
//   geo{place_id, coordinates{type: "Point", coordinates: [lon, lat]}}}],
//  includes{users[{id, username, name, public_metrics{followers_count}}],
//   places[{id, full_name}], tweets[...]}, meta{newest_id, oldest_id, result_count,
//   next_token?}, errors?[{detail, title, resource_id}]}
// Long posts carry their whole text in note_tweet.text. Every field but id and text appears
// only when requested; `data` is absent when nothing
// matched.
#include <map>

#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

// Tweet ids are Snowflake ids: milliseconds since Twitter's epoch in the bits above 22.
// Used when the request did not ask for created_at.
std::optional<std::int64_t> snowflake_ms(const std::string& id) {
  if (id.empty() || id.size() > 19 || id.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const auto value = std::stoull(id);
  const auto ms = static_cast<std::int64_t>(value >> 22) + 1288834974657LL;
  return value > (1ULL << 22) ? std::optional<std::int64_t>(ms) : std::nullopt;
}

std::map<std::string, const json*> index_by_id(const json& root, std::string_view list) {
  std::map<std::string, const json*> out;
  const json* items = at(root, {"includes", list});
  if (!items || !items->is_array()) return out;
  for (const auto& item : *items)
    if (auto id = id_at(item, "id")) out.emplace(*id, &item);
  return out;
}

Page read_x(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  if (!root->is_object()) {
    page.error = "the body is not a search result (expected an object)";
    return page;
  }
  if (const json* meta = member(*root, "meta")) {
    page.next_cursor = string_at(*meta, "next_token").value_or("");
    page.newest_id = string_at(*meta, "newest_id").value_or("");
  }
  // Errors that come instead of some results (a deleted tweet, a suspended user).
  if (const json* errors = member(*root, "errors"); errors && errors->is_array())
    for (std::size_t k = 0; k < errors->size(); ++k) {
      const json& e = (*errors)[k];
      const auto detail =
          string_at(e, "detail").value_or(string_at(e, "message").value_or("no detail"));
      page.skipped.push_back({id_at(e, "resource_id").value_or("error " + std::to_string(k + 1)),
                              "the source reported an error: " + clean_text(detail)});
    }
  const json* data = member(*root, "data");
  if (!data) {
    // No matches: data is absent. A problem answer ({title, detail, status}) has no meta.
    if (!member(*root, "meta") && member(*root, "title"))
      page.error = "the source answered with an error instead of data: " +
                   clean_text(string_at(*root, "title").value_or("") + ": " +
                              string_at(*root, "detail").value_or(""));
    return page;
  }
  if (!data->is_array()) {
    page.error = "\"data\" is a " + std::string(data->type_name()) + ", not a list";
    return page;
  }
  const auto users = index_by_id(*root, "users");
  const auto places = index_by_id(*root, "places");
  const auto tweets = index_by_id(*root, "tweets");
  for (std::size_t i = 0; i < data->size(); ++i) {
    const json& t = (*data)[i];
    if (!t.is_object()) {
      skip(page, i, std::nullopt, "it is not an object");
      continue;
    }
    const auto id = id_at(t, "id");
    if (!id || id->find_first_not_of("0123456789") != std::string::npos) {
      skip(page, i, id, id ? "its id is not a tweet id (digits)" : "it has no id");
      continue;
    }
    core::Mention m;
    m.id = "x:" + *id;
    m.source = "x";
    if (member(t, "created_at")) {
      const auto when = date_at(t, "created_at");
      if (!when.ms) {
        skip(page, i, m.id, when.why);
        continue;
      }
      m.created_at_ms = *when.ms;
    } else if (auto ms = snowflake_ms(*id)) {
      m.created_at_ms = *ms;
    } else {
      skip(page, i, m.id, "it has no created_at and its id carries no time");
      continue;
    }
    std::string text = string_at(t, "text").value_or("");
    // Posts over 280 characters come whole in note_tweet (tweet.fields=note_tweet).
    if (const json* note = member(t, "note_tweet"))
      if (auto whole = string_at(*note, "text"); whole && !whole->empty()) text = *whole;
    if (const json* refs = member(t, "referenced_tweets"); refs && refs->is_array())
      for (const auto& ref : *refs) {
        const auto type = string_at(ref, "type").value_or("");
        const auto ref_id = id_at(ref, "id");
        if (!ref_id) continue;
        if (type == "replied_to") m.reply_to = "x:" + *ref_id;
        // A retweet's own text is cut short; the full text is in includes.tweets.
        if (const auto it = tweets.find(*ref_id); type == "retweeted" && it != tweets.end())
          if (auto full = string_at(*it->second, "text"))
            text = text.substr(0, text.find(':') + 1) + " " + *full;
      }
    m.text = clean_text(decode_entities(text));
    if (m.text.empty()) {
      skip(page, i, m.id, "it has no text");
      continue;
    }
    std::string username;
    if (auto author_id = id_at(t, "author_id"))
      if (const auto it = users.find(*author_id); it != users.end()) {
        username = clean_text(string_at(*it->second, "username").value_or(""));
        if (const json* pm = member(*it->second, "public_metrics"))
          m.reach.author_followers = count_at(*pm, "followers_count");
      }
    m.author = username;
    m.url = username.empty() ? "https://x.com/i/web/status/" + *id
                             : "https://x.com/" + username + "/status/" + *id;
    const auto lang = string_at(t, "lang").value_or("");
    if (lang != "und" && lang != "zxx" && lang != "qme") m.lang = clean_text(lang);
    if (const json* pm = member(t, "public_metrics")) {
      m.reach.likes = count_at(*pm, "like_count");
      m.reach.reposts = count_at(*pm, "retweet_count");
      m.reach.replies = count_at(*pm, "reply_count");
    }
    if (const json* geo = member(t, "geo")) {
      if (auto place_id = id_at(*geo, "place_id"))
        if (const auto it = places.find(*place_id); it != places.end())
          m.location.name = clean_text(string_at(*it->second, "full_name").value_or(""));
      // GeoJSON order is [lon, lat].
      if (const json* point = at(*geo, {"coordinates", "coordinates"});
          point && point->is_array() && point->size() == 2 && (*point)[0].is_number() &&
          (*point)[1].is_number()) {
        const double lon = (*point)[0].get<double>(), lat = (*point)[1].get<double>();
        if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
          m.location.lat = lat;
          m.location.lon = lon;
        }
      }
    }
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace

Page parse_x(std::string_view body) {
  Page page = read_x(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

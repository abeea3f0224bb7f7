// Yelp Fusion GET /v3/businesses/{id}/reviews:
// {reviews: [{id, url, text, rating, time_created: "YYYY-MM-DD HH:MM:SS" (Pacific),
//   user{id, profile_url, image_url, name}}], total, possible_languages}
#include <cmath>

#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/timestamps.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

Page read_yelp(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  const json* reviews = member(*root, "reviews");
  if (!reviews || !reviews->is_array()) {
    page.error = "the body has no \"reviews\" list";
    return page;
  }
  if (const auto total = count_at(*root, "total")) page.total = *total;
  for (std::size_t i = 0; i < reviews->size(); ++i) {
    const json& r = (*reviews)[i];
    if (!r.is_object()) {
      skip(page, i, std::nullopt, "it is not an object");
      continue;
    }
    const auto id = id_at(r, "id");
    if (!id) {
      skip(page, i, std::nullopt, "it has no id");
      continue;
    }
    core::Mention m;
    m.id = "yelp:" + *id;
    m.source = "yelp";
    const auto when = string_at(r, "time_created");
    if (!when) {
      skip(page, i, m.id, "it has no time_created");
      continue;
    }
    // Documented as Pacific time without a zone; accept a zoned form too.
    auto ms = parse_pacific_local_ms(*when);
    if (!ms) ms = parse_iso8601_ms(*when);
    if (!ms) {
      skip(page, i, m.id, "time_created \"" + clean_text(when->substr(0, 60)) + "\" is not a date");
      continue;
    }
    m.created_at_ms = *ms;
    if (auto stars = number_at(r, "rating"); stars && *stars >= 1 && *stars <= 5)
      m.rating = static_cast<int>(std::lround(*stars));
    // Excerpts may carry HTML character references (&amp;, &#39;).
    m.text = clean_text(decode_entities(string_at(r, "text").value_or("")));
    m.url = strip_tracking_parameters(string_at(r, "url").value_or(""));
    if (const json* user = member(r, "user"))
      m.author = clean_text(string_at(*user, "name").value_or(""));
    if (m.text.empty() && !m.rating) {
      skip(page, i, m.id, "it has neither text nor a rating");
      continue;
    }
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace

Page parse_yelp(std::string_view body) {
  Page page = read_yelp(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

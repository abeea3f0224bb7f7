// Facebook Graph API page visitor posts (/{page-id}/visitor_posts), posts that tag the page
// (/{page-id}/tagged) and comments (/{object-id}/comments, or nested comments{...}):
// {data: [{id, message, created_time: "2019-05-07T18:14:20+0000", from{id, name},
//   permalink_url, place{name, location{latitude, longitude}}, reactions.summary.total_count,
//   comments{data: [...], summary.total_count}, shares.count, parent{id}}],
//  paging{cursors{before, after}, next?}}
// The ratings edge (/{page-id}/ratings) is deprecated since Graph API v22.0 and answers
// error 12; such an answer becomes the page's error.
#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

std::optional<std::int64_t> summary_count(const json& post, std::string_view edge) {
  const json* summary = at(post, {edge, "summary"});
  return summary ? count_at(*summary, "total_count") : std::nullopt;
}

// Reads one post or comment; comments nested under a post are read after it.
void read_post(const json& p, const std::string& label, const std::string& parent_id, Page& page,
               int depth) {
  if (!p.is_object()) {
    page.skipped.push_back({label, "it is not an object"});
    return;
  }
  const auto id = id_at(p, "id");
  if (!id) {
    const bool recommendation = member(p, "recommendation_type") || member(p, "review_text");
    page.skipped.push_back(
        {label, recommendation ? "it is a page rating (the ratings edge, deprecated since Graph "
                                 "API v22.0) without an id"
                               : "it has no id"});
    return;
  }
  core::Mention m;
  m.id = "facebook:" + *id;
  m.source = "facebook";
  const auto when = date_at(p, "created_time");
  if (!when.ms) {
    page.skipped.push_back({m.id, when.why});
    return;
  }
  m.created_at_ms = *when.ms;
  m.text = clean_text(string_at(p, "message").value_or(string_at(p, "story").value_or("")));
  if (const json* from = member(p, "from"))
    m.author = clean_text(string_at(*from, "name").value_or(""));
  m.url = string_at(p, "permalink_url").value_or("");
  if (const json* parent = member(p, "parent"); parent && id_at(*parent, "id"))
    m.reply_to = "facebook:" + *id_at(*parent, "id");
  else if (!parent_id.empty())
    m.reply_to = "facebook:" + parent_id;
  if (const json* place = member(p, "place"); place && place->is_object()) {
    m.location.name = clean_text(string_at(*place, "name").value_or(""));
    if (const json* loc = member(*place, "location")) {
      const auto lat = number_at(*loc, "latitude");
      const auto lon = number_at(*loc, "longitude");
      if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180) {
        m.location.lat = lat;
        m.location.lon = lon;
      }
    }
  }
  m.reach.likes = summary_count(p, "reactions");
  if (!m.reach.likes) m.reach.likes = summary_count(p, "likes");
  m.reach.replies = summary_count(p, "comments");
  if (const json* shares = member(p, "shares")) m.reach.reposts = count_at(*shares, "count");
  if (m.text.empty())
    page.skipped.push_back({m.id, "it has no message"});
  else
    page.mentions.push_back(std::move(m));

  const json* comments = at(p, {"comments", "data"});
  if (!comments || !comments->is_array() || depth >= 2) return;
  for (std::size_t k = 0; k < comments->size(); ++k)
    read_post((*comments)[k], *id + " comment " + std::to_string(k + 1), *id, page, depth + 1);
}

Page read_facebook(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  const json* data = member(*root, "data");
  if (!data || !data->is_array()) {
    page.error = "the body has no \"data\" list";
    return page;
  }
  // paging.next is absent on the last page, even when cursors are present.
  if (at(*root, {"paging", "next"}))
    if (const json* cursors = at(*root, {"paging", "cursors"}))
      page.next_cursor = string_at(*cursors, "after").value_or("");
  for (std::size_t i = 0; i < data->size(); ++i)
    read_post((*data)[i], item_label(i, std::nullopt), "", page, 0);
  return page;
}

}  // namespace

Page parse_facebook(std::string_view body) {
  Page page = read_facebook(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

// Reddit Listing (/search.json, /r/{sub}/new.json, comment listings):
// {kind: "Listing", data: {after, before, dist, children: [{kind: "t3"|"t1", data: {...}}]}}
// Post (t3): name "t3_...", title, selftext (entity-escaped markdown), author, created_utc
// (epoch seconds, a float on the wire), permalink (relative), score, num_comments,
// num_crossposts, subreddit. Comment (t1): name "t1_...", body, parent_id, link_id.
// Unless the request sent raw_json=1, every string is HTML-entity escaped.
#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

bool removed(const std::string& s) {
  return s == "[removed]" || s == "[deleted]";
}

std::string unescaped(const json& d, std::string_view key) {
  auto s = decode_entities(string_at(d, key).value_or(""));
  return removed(s) ? std::string() : s;
}

Page read_reddit(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  const json* children = at(*root, {"data", "children"});
  if (!children || !children->is_array()) {
    page.error = "the body is not a Listing (no data.children list)";
    return page;
  }
  page.next_cursor = string_at(*at(*root, {"data"}), "after").value_or("");
  for (std::size_t i = 0; i < children->size(); ++i) {
    const json& child = (*children)[i];
    const json* d = member(child, "data");
    const auto kind = string_at(child, "kind").value_or("");
    if (!d || !d->is_object()) {
      skip(page, i, std::nullopt, "it has no data object");
      continue;
    }
    if (kind != "t3" && kind != "t1") {
      skip(page, i, std::nullopt,
           kind == "more" ? "it is a \"more comments\" marker, not a post"
                          : "it is not a post or comment (kind \"" + clean_text(kind) + "\")");
      continue;
    }
    auto name = id_at(*d, "name");
    if (!name) {
      if (auto id = id_at(*d, "id")) name = kind + "_" + *id;
    }
    if (!name) {
      skip(page, i, std::nullopt, "it has no name or id");
      continue;
    }
    core::Mention m;
    m.id = "reddit:" + *name;
    m.source = "reddit";
    const auto when = date_at(*d, "created_utc");
    if (!when.ms) {
      skip(page, i, m.id, when.why);
      continue;
    }
    m.created_at_ms = *when.ms;
    if (kind == "t3") {
      const auto title = unescaped(*d, "title");
      const auto self = unescaped(*d, "selftext");
      m.text = clean_text(self.empty() ? title : title + "\n" + self);
      m.reach.replies = count_at(*d, "num_comments");
      m.reach.reposts = count_at(*d, "num_crossposts");
    } else {
      m.text = clean_text(unescaped(*d, "body"));
      if (auto parent = id_at(*d, "parent_id")) m.reply_to = "reddit:" + *parent;
    }
    if (m.text.empty()) {
      skip(page, i, m.id, "it has no text (removed or deleted)");
      continue;
    }
    const auto author = string_at(*d, "author").value_or("");
    if (!removed(author)) m.author = clean_text(author);
    m.reach.likes = count_at(*d, "score");
    if (auto permalink = string_at(*d, "permalink"); permalink && !permalink->empty())
      m.url = (*permalink)[0] == '/' ? "https://www.reddit.com" + decode_entities(*permalink)
                                     : decode_entities(*permalink);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace

Page parse_reddit(std::string_view body) {
  Page page = read_reddit(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

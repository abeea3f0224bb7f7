// Bluesky app.bsky.feed.searchPosts: {posts: [PostView], cursor?, hitsTotal?}
// PostView: {uri: "at://did:plc:.../app.bsky.feed.post/{rkey}", cid, author{did, handle,
// displayName?}, record{$type, text, createdAt, langs[], reply{root, parent}{uri, cid}},
// indexedAt, likeCount, repostCount, replyCount, quoteCount}.
#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

Page read_bluesky(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  const json* posts = member(*root, "posts");
  if (!posts || !posts->is_array()) {
    page.error = "the body has no \"posts\" list";
    return page;
  }
  page.next_cursor = string_at(*root, "cursor").value_or("");
  for (std::size_t i = 0; i < posts->size(); ++i) {
    const json& p = (*posts)[i];
    if (!p.is_object()) {
      skip(page, i, std::nullopt, "it is not an object");
      continue;
    }
    const auto uri = string_at(p, "uri");
    if (!uri || uri->rfind("at://", 0) != 0) {
      skip(page, i, std::nullopt, uri ? "its uri is not an at:// address" : "it has no uri");
      continue;
    }
    core::Mention m;
    m.id = "bluesky:" + *uri;
    m.source = "bluesky";
    const json* record = member(p, "record");
    if (!record || !record->is_object()) {
      skip(page, i, m.id, "it has no record");
      continue;
    }
    // createdAt is set by the client; the index time is the fallback.
    auto when = date_at(*record, "createdAt");
    if (!when.ms) {
      if (auto indexed = date_at(p, "indexedAt"); indexed.ms) when = indexed;
    }
    if (!when.ms) {
      skip(page, i, m.id, when.why);
      continue;
    }
    m.created_at_ms = *when.ms;
    m.text = clean_text(string_at(*record, "text").value_or(""));
    if (m.text.empty()) {
      skip(page, i, m.id, "it has no text");
      continue;
    }
    std::string handle;
    if (const json* author = member(p, "author"))
      handle = clean_text(string_at(*author, "handle").value_or(""));
    m.author = handle;
    const std::string rkey = uri->substr(uri->rfind('/') + 1);
    if (!handle.empty() && !rkey.empty())
      m.url = "https://bsky.app/profile/" + handle + "/post/" + rkey;
    if (const json* langs = member(*record, "langs");
        langs && langs->is_array() && !langs->empty() && (*langs)[0].is_string())
      m.lang = clean_text((*langs)[0].get<std::string>());
    if (const json* parent = at(*record, {"reply", "parent"}))
      if (auto parent_uri = string_at(*parent, "uri")) m.reply_to = "bluesky:" + *parent_uri;
    m.reach.likes = count_at(p, "likeCount");
    m.reach.reposts = count_at(p, "repostCount");
    m.reach.replies = count_at(p, "replyCount");
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace

Page parse_bluesky(std::string_view body) {
  Page page = read_bluesky(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

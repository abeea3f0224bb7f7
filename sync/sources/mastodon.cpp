// Mastodon GET /api/v1/timelines/tag/:hashtag (a JSON array of Status) and GET /api/v2/search
// ({accounts, statuses, hashtags}). Status: {id (string), uri, url, created_at, language,
// content (HTML), spoiler_text, in_reply_to_id, account{acct, display_name, followers_count},
// favourites_count, reblogs_count, replies_count, reblog (null or the boosted Status)}.
// Paging lives in the HTTP Link header, not the body: the poller passes `newest_id` back as
// min_id/since_id.
#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

// Mastodon ids are decimal strings ordered by time; compare by length, then digits.
bool id_newer(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() > b.size();
  return a > b;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

void read_status(const json& wrapper, std::size_t i, Page& page) {
  if (!wrapper.is_object()) {
    skip(page, i, std::nullopt, "it is not an object");
    return;
  }
  // A boost carries no text of its own: the boosted status is the post.
  const json* boosted = member(wrapper, "reblog");
  const json& s = boosted && boosted->is_object() ? *boosted : wrapper;
  const auto id = id_at(s, "id");
  if (!id || !all_digits(*id)) {
    skip(page, i, id, id ? "its id is not a Mastodon id (digits)" : "it has no id");
    return;
  }
  core::Mention m;
  m.id = "mastodon:" + *id;
  m.source = "mastodon";
  const auto when = date_at(s, "created_at");
  if (!when.ms) {
    skip(page, i, m.id, when.why);
    return;
  }
  m.created_at_ms = *when.ms;
  if (const auto edited = date_at(s, "edited_at"); edited.ms) m.edited_at_ms = edited.ms;
  const auto warning = html_to_text(string_at(s, "spoiler_text").value_or(""));
  const auto content = html_to_text(string_at(s, "content").value_or(""));
  m.text = warning.empty() ? content : clean_text(warning + "\n" + content);
  if (m.text.empty()) {
    skip(page, i, m.id, "it has no text (media only, or a deleted status)");
    return;
  }
  if (const json* account = member(s, "account")) {
    m.author = clean_text(string_at(*account, "acct").value_or(""));
    if (m.author.empty()) m.author = clean_text(string_at(*account, "display_name").value_or(""));
    m.reach.author_followers = count_at(*account, "followers_count");
  }
  m.url = string_at(s, "url").value_or(string_at(s, "uri").value_or(""));
  m.lang = clean_text(string_at(s, "language").value_or(""));
  m.reach.likes = count_at(s, "favourites_count");
  m.reach.reposts = count_at(s, "reblogs_count");
  m.reach.replies = count_at(s, "replies_count");
  if (auto parent = id_at(s, "in_reply_to_id")) m.reply_to = "mastodon:" + *parent;
  if (page.newest_id.empty() || id_newer(*id, page.newest_id)) page.newest_id = *id;
  page.mentions.push_back(std::move(m));
}

Page read_mastodon(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  const json* statuses = root->is_array() ? &*root : member(*root, "statuses");
  if (!statuses || !statuses->is_array()) {
    page.error = "the body is neither a list of statuses nor a search result with \"statuses\"";
    return page;
  }
  for (std::size_t i = 0; i < statuses->size(); ++i) read_status((*statuses)[i], i, page);
  return page;
}

}  // namespace

Page parse_mastodon(std::string_view body) {
  Page page = read_mastodon(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

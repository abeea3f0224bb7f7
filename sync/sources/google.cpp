// Google Business Profile API v4, accounts.locations.reviews.list:
// {reviews: [{name, reviewId, reviewer{displayName, isAnonymous}, starRating: "ONE".."FIVE",
//   comment?, createTime, updateTime, reviewReply?{comment, updateTime}}], nextPageToken?}
#include "sync/sources/json_fields.h"
#include "sync/sources/text.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {

using namespace detail;

namespace {

std::optional<int> star_rating(std::string_view word) {
  static constexpr std::string_view kWords[] = {"ONE", "TWO", "THREE", "FOUR", "FIVE"};
  for (int i = 0; i < 5; ++i)
    if (word == kWords[i]) return i + 1;
  return std::nullopt;
}

Page read_google(std::string_view body) {
  Page page;
  const auto root = parse_body(body, page);
  if (!root) return page;
  if (!root->is_object()) {
    page.error = "the body is not a reviews list (expected an object with \"reviews\")";
    return page;
  }
  page.next_cursor = string_at(*root, "nextPageToken").value_or("");
  const json* reviews = member(*root, "reviews");
  if (!reviews) return page;  // a location with no reviews answers {}
  if (!reviews->is_array()) {
    page.error = "\"reviews\" is a " + std::string(reviews->type_name()) + ", not a list";
    return page;
  }
  for (std::size_t i = 0; i < reviews->size(); ++i) {
    const json& r = (*reviews)[i];
    if (!r.is_object()) {
      skip(page, i, std::nullopt, "it is not an object");
      continue;
    }
    auto id = id_at(r, "reviewId");
    if (!id) {
      // The resource name ends with the review id.
      if (auto name = string_at(r, "name"); name && name->find("/reviews/") != std::string::npos)
        id = name->substr(name->rfind('/') + 1);
    }
    if (!id || id->empty()) {
      skip(page, i, std::nullopt, "it has no reviewId");
      continue;
    }
    core::Mention m;
    m.id = "google:" + *id;
    m.source = "google";
    auto created = date_at(r, "createTime");
    const auto updated = date_at(r, "updateTime");
    if (!created.ms && updated.ms) created = updated;
    if (!created.ms) {
      skip(page, i, m.id, created.why);
      continue;
    }
    m.created_at_ms = *created.ms;
    if (updated.ms && *updated.ms > *created.ms) m.edited_at_ms = updated.ms;
    if (auto stars = string_at(r, "starRating")) m.rating = star_rating(*stars);
    // Rating-only reviews have no comment; they still count.
    m.text = clean_text(string_at(r, "comment").value_or(""));
    if (const json* reviewer = member(r, "reviewer")) {
      const json* anonymous = member(*reviewer, "isAnonymous");
      if (!(anonymous && anonymous->is_boolean() && anonymous->get<bool>()))
        m.author = clean_text(string_at(*reviewer, "displayName").value_or(""));
    }
    if (const json* reply = member(r, "reviewReply"))
      m.owner_reply = clean_text(string_at(*reply, "comment").value_or(""));
    if (m.text.empty() && !m.rating) {
      skip(page, i, m.id, "it has neither a comment nor a star rating");
      continue;
    }
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace

Page parse_google(std::string_view body) {
  Page page = read_google(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources

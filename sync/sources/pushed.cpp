#include "sync/sources/pushed.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/utf8.h"
#include "sync/sources/sources.h"
#include "sync/sources/text.h"
#include "sync/sources/timestamps.h"

namespace kiosk::sync::sources {
namespace {

using json = nlohmann::json;

core::Result<PushedMention> from_json(const json& j) {
  using R = core::Result<PushedMention>;
  if (!j.is_object()) return R::failure("it is not a JSON object");
  const auto text = [&](const char* field, std::size_t max, bool required,
                        std::string& out) -> std::optional<std::string> {
    if (!j.contains(field) || j[field].is_null()) {
      if (required) return std::string("\"") + field + "\" is missing";
      return std::nullopt;
    }
    if (!j[field].is_string()) return std::string("\"") + field + "\" must be a text";
    out = j[field].get<std::string>();
    if (required && out.empty()) return std::string("\"") + field + "\" is empty";
    if (out.size() > max)
      return std::string("\"") + field + "\" is longer than " + std::to_string(max) + " bytes";
    return std::nullopt;
  };
  PushedMention p;
  core::Mention& m = p.mention;
  std::string created_at, edited_at;
  for (const auto& [field, max, required, out] :
       {std::tuple<const char*, std::size_t, bool, std::string*>{"id", 256, true, &m.id},
        {"source", 32, true, &m.source},
        {"author", 256, false, &m.author},
        {"text", 4 * kMaxTextBytes, true, &m.text},
        {"url", 2048, false, &m.url},
        {"lang", 35, false, &m.lang},
        {"reply_to", 256, false, &m.reply_to},
        {"owner_reply", 4 * kMaxTextBytes, false, &m.owner_reply},
        {"store_id", 128, false, &p.store_id},
        {"review_target", 256, false, &p.review_target},
        {"created_at", 64, true, &created_at},
        {"edited_at", 64, false, &edited_at}})
    if (auto bad = text(field, max, required, *out)) return R::failure(*bad);
  for (const char c : m.id)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return R::failure("\"id\" holds a line break, tab or other control character");
  const auto when = parse_iso8601_ms(created_at);
  if (!when)
    return R::failure("\"created_at\" \"" + created_at.substr(0, 40) +
                      "\" is not an RFC 3339 date such as 2026-11-20T17:02:11Z");
  m.created_at_ms = *when;
  if (!edited_at.empty()) {
    const auto e = parse_iso8601_ms(edited_at);
    if (!e) return R::failure("\"edited_at\" is not an RFC 3339 date");
    m.edited_at_ms = *e;
  }
  // Text arrives as plain text or with markup and entities; staff read plain text.
  m.text = clean_text(m.text.find('<') != std::string::npos ? html_to_text(m.text) : m.text);
  if (m.text.empty()) return R::failure("\"text\" has no words once markup is removed");
  if (j.contains("rating") && !j["rating"].is_null()) {
    // Read as 64 bits: 4294967297 read as an int would wrap to 1 star.
    const json& stars = j["rating"];
    if (!stars.is_number_integer() ||
        (stars.is_number_unsigned() && stars.get<std::uint64_t>() > 5) ||
        stars.get<std::int64_t>() < 1 || stars.get<std::int64_t>() > 5)
      return R::failure("\"rating\" must be a whole number of stars from 1 to 5");
    m.rating = static_cast<int>(stars.get<std::int64_t>());
  }
  if (j.contains("metrics") && !j["metrics"].is_null()) {
    const auto& x = j["metrics"];
    if (!x.is_object()) return R::failure("\"metrics\" must be an object");
    for (const auto& [field, out] : {std::pair<const char*, std::optional<std::int64_t>*>{
                                         "author_followers", &m.reach.author_followers},
                                     {"likes", &m.reach.likes},
                                     {"reposts", &m.reach.reposts},
                                     {"replies", &m.reach.replies}}) {
      if (!x.contains(field)) continue;
      if (!x[field].is_number_integer() || x[field].get<std::int64_t>() < 0)
        return R::failure(std::string("\"metrics\".\"") + field +
                          "\" must be a whole number, 0 or more");
      *out = x[field].get<std::int64_t>();
    }
  }
  if (j.contains("location") && !j["location"].is_null()) {
    const auto& w = j["location"];
    if (!w.is_object()) return R::failure("\"location\" must be an object");
    if (w.contains("name")) {
      if (!w["name"].is_string() || w["name"].get<std::string>().size() > 256)
        return R::failure("\"location\".\"name\" must be a text of at most 256 bytes");
      m.location.name = w["name"].get<std::string>();
    }
    const bool has_lat = w.contains("lat"), has_lon = w.contains("lon");
    if (has_lat != has_lon) return R::failure("\"location\" needs both \"lat\" and \"lon\"");
    if (has_lat) {
      if (!w["lat"].is_number() || !w["lon"].is_number() || w["lat"].get<double>() < -90 ||
          w["lat"].get<double>() > 90 || w["lon"].get<double>() < -180 ||
          w["lon"].get<double>() > 180)
        return R::failure("\"location\" \"lat\" must be -90 to 90 and \"lon\" -180 to 180");
      m.location.lat = w["lat"].get<double>();
      m.location.lon = w["lon"].get<double>();
    }
  }
  return p;
}

}  // namespace

core::Result<PushedMention> parse_pushed_mention(std::string_view object_json) {
  auto j = json::parse(object_json, nullptr, false);
  if (j.is_discarded()) return core::Result<PushedMention>::failure("it is not valid JSON");
  return from_json(j);
}

PushedBatch parse_pushed_mentions(std::string_view body) {
  PushedBatch out;
  if (!core::is_valid_utf8(body)) {
    out.error = "the body is not valid UTF-8; send the JSON encoded as UTF-8";
    return out;
  }
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("mentions") || !j["mentions"].is_array()) {
    out.error = "the body must be a JSON object with a \"mentions\" list (docs/hq.md#webhook)";
    return out;
  }
  const auto& list = j["mentions"];
  if (list.size() > kMaxPushedMentions) {
    out.error = "at most " + std::to_string(kMaxPushedMentions) +
                " mentions per request; send the rest in another request";
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto one = from_json(list[i]);
    if (one) {
      out.accepted.push_back(std::move(one.value()));
      continue;
    }
    std::string id;
    if (list[i].is_object() && list[i].contains("id") && list[i]["id"].is_string())
      id = list[i]["id"].get<std::string>().substr(0, 256);
    out.rejected.push_back({i, id, one.error()});
  }
  return out;
}

}  // namespace kiosk::sync::sources

#include "sync/sources/connector.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "kiosk/core/escalation_policy.h"
#include "sync/sources/timestamps.h"

namespace kiosk::sync::sources {

std::string default_base_url(Source source) {
  switch (source) {
    case Source::google:
      return "https://mybusiness.googleapis.com";
    case Source::yelp:
      return "https://api.yelp.com";
    case Source::facebook:
      return "https://graph.facebook.com";
    case Source::mastodon:
      return "https://mastodon.social";
    case Source::bluesky:
      return "https://public.api.bsky.app";
    case Source::reddit:
      return "https://oauth.reddit.com";
    case Source::x:
      return "https://api.twitter.com";
    case Source::rss:
      return "";
  }
  return "";
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

core::Result<std::vector<ConnectorConfig>> parse_sources_config(
    std::string_view json,
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  using R = core::Result<std::vector<ConnectorConfig>>;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("connectors") ||
      !j["connectors"].is_array())
    return R::failure(
        "the sources file must be a JSON object with a \"connectors\" list (docs/hq.md#sources)");
  std::vector<ConnectorConfig> out;
  std::set<std::string> names;
  std::size_t index = 0;
  for (const auto& c : j["connectors"]) {
    ++index;
    const std::string where = "connector " + std::to_string(index);
    if (!c.is_object()) return R::failure(where + " is not a JSON object");
    const auto text = [&](const char* field) -> std::optional<std::string> {
      if (!c.contains(field) || !c[field].is_string()) return std::nullopt;
      return c[field].get<std::string>();
    };
    for (const auto& [field, value] : c.items())
      if (!value.is_string() && !value.is_number_integer() && !value.is_boolean())
        return R::failure(where + ": \"" + field +
                          "\" must be a text, a whole number or true/false");
    ConnectorConfig k;
    k.name = text("name").value_or("");
    if (k.name.empty() || k.name.size() > 64 ||
        k.name.find_first_of(" \t\r\n\"'\\") != std::string::npos)
      return R::failure(where +
                        ": \"name\" must be 1 to 64 characters without spaces or quotes, e.g. "
                        "\"google-downtown\"");
    const std::string who = "connector \"" + k.name + "\"";
    if (!names.insert(k.name).second) return R::failure(who + " is named twice");
    const auto source = source_from_name(text("source").value_or(""));
    if (!source) return R::failure(who + ": \"source\" must be one of " + source_names_list());
    k.source = *source;
    k.base_url = text("base_url").value_or(default_base_url(k.source));
    while (!k.base_url.empty() && k.base_url.back() == '/') k.base_url.pop_back();
    k.location = text("location").value_or("");
    k.query = text("query").value_or("");
    k.feed_url = text("url").value_or("");
    if (c.contains("enabled") && c["enabled"].is_boolean()) k.enabled = c["enabled"].get<bool>();
    if (auto every = text("every")) {
      auto ms = core::parse_duration_ms(*every);
      if (!ms || ms.value() < 1000)
        return R::failure(who + ": \"every\" must be a duration of a second or more, e.g. \"5m\"");
      k.interval_ms = ms.value();
    }
    const auto whole = [&](const char* field, long lo, long hi, auto& value) -> bool {
      if (!c.contains(field)) return true;
      if (!c[field].is_number_integer()) return false;
      const long v = c[field].get<long>();
      if (v < lo || v > hi) return false;
      value = static_cast<std::remove_reference_t<decltype(value)>>(v);
      return true;
    };
    if (!whole("daily_quota", 0, 10'000'000, k.daily_quota))
      return R::failure(who + ": \"daily_quota\" must be a whole number from 0 (none) up");
    if (!whole("max_pages", 1, 100, k.max_pages))
      return R::failure(who + ": \"max_pages\" must be from 1 to 100");
    if (!whole("timeout_ms", 100, 120'000, k.timeout_ms))
      return R::failure(who + ": \"timeout_ms\" must be from 100 to 120000");
    switch (k.source) {
      case Source::google:
      case Source::yelp:
      case Source::facebook:
        if (k.location.empty())
          return R::failure(who + ": \"location\" is required for " +
                            std::string(source_name(k.source)) +
                            " (the store's location, business or page id)");
        k.needs_credential = true;
        break;
      case Source::mastodon:
      case Source::bluesky:
      case Source::reddit:
      case Source::x:
        if (k.query.empty())
          return R::failure(who + ": \"query\" is required for " +
                            std::string(source_name(k.source)) + " (a hashtag or search words)");
        k.needs_credential = k.source == Source::reddit || k.source == Source::x;
        break;
      case Source::rss:
        if (k.feed_url.rfind("http://", 0) != 0 && k.feed_url.rfind("https://", 0) != 0)
          return R::failure(who + ": \"url\" must be the feed's http:// or https:// address");
        break;
    }
    if (k.source != Source::rss && k.base_url.rfind("http://", 0) != 0 &&
        k.base_url.rfind("https://", 0) != 0)
      return R::failure(who + ": \"base_url\" must start with http:// or https://");
    if (auto env = text("token_env")) {
      k.credential_env = *env;
      if (auto value = getenv(*env)) k.credential = *value;
    }
    if (k.credential.empty()) k.credential = text("token").value_or("");
    out.push_back(std::move(k));
  }
  return out;
}

PageRequest page_request(const ConnectorConfig& k, const std::string& since,
                         const std::string& page_token) {
  PageRequest r;
  r.bearer_token = k.credential;
  r.headers.emplace_back("User-Agent", "kiosk-hq/1 (Frontline Kiosk)");
  const std::string& b = k.base_url;
  switch (k.source) {
    case Source::google:
      r.url = b + "/v4/" + k.location + "/reviews?pageSize=50&orderBy=updateTime%20desc";
      if (!page_token.empty()) r.url += "&pageToken=" + url_encode(page_token);
      break;
    case Source::yelp:
      r.url = b + "/v3/businesses/" + url_encode(k.location) + "/reviews?limit=20&sort_by=newest";
      if (!page_token.empty()) r.url += "&offset=" + url_encode(page_token);
      break;
    case Source::facebook:
      r.url = b + "/v22.0/" + url_encode(k.location) +
              "/tagged?fields=id,message,from,created_time,permalink_url,place&limit=25";
      if (!page_token.empty()) r.url += "&after=" + url_encode(page_token);
      break;
    case Source::mastodon:
      // Older pages come from the Link header as whole addresses on the same server.
      if (!page_token.empty() && page_token.rfind(b + "/", 0) == 0) {
        r.url = page_token;
      } else {
        r.url = b + "/api/v1/timelines/tag/" + url_encode(k.query) + "?limit=40";
        if (!since.empty()) r.url += "&since_id=" + url_encode(since);
      }
      break;
    case Source::bluesky:
      r.url =
          b + "/xrpc/app.bsky.feed.searchPosts?q=" + url_encode(k.query) + "&sort=latest&limit=25";
      if (!page_token.empty()) r.url += "&cursor=" + url_encode(page_token);
      break;
    case Source::reddit:
      r.url = b + "/search.json?q=" + url_encode(k.query) + "&sort=new&limit=25&raw_json=1";
      if (!page_token.empty()) r.url += "&after=" + url_encode(page_token);
      break;
    case Source::x:
      r.url = b + "/2/tweets/search/recent?query=" + url_encode(k.query) +
              "&max_results=100&tweet.fields=created_at,lang,public_metrics,geo,"
              "referenced_tweets,conversation_id&expansions=author_id,geo.place_id"
              "&user.fields=public_metrics,username&place.fields=full_name,geo";
      if (!since.empty()) r.url += "&since_id=" + url_encode(since);
      if (!page_token.empty()) r.url += "&next_token=" + url_encode(page_token);
      break;
    case Source::rss:
      r.url = k.feed_url;
      break;
  }
  return r;
}

std::string next_page_token(const ConnectorConfig& k, const Page& page,
                            const std::string& link_header, const std::string& page_token,
                            std::size_t items_on_page) {
  switch (k.source) {
    case Source::mastodon:
      return items_on_page == 0 ? std::string() : link_header_url(link_header, "next");
    case Source::yelp: {
      if (items_on_page == 0) return {};
      long offset = 0;
      std::from_chars(page_token.data(), page_token.data() + page_token.size(), offset);
      offset += static_cast<long>(items_on_page);
      return offset < page.total ? std::to_string(offset) : std::string();
    }
    case Source::rss:
      return {};
    default:
      return page.next_cursor;
  }
}

std::optional<std::int64_t> retry_after_ms(std::string_view retry_after,
                                           std::string_view rate_limit_reset, std::int64_t now_ms) {
  constexpr std::int64_t kMaxWaitMs = 24LL * 3'600'000;
  if (!retry_after.empty()) {
    std::int64_t seconds = 0;
    const auto [p, ec] =
        std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
    if (ec == std::errc() && p == retry_after.data() + retry_after.size() && seconds >= 0)
      return std::min(seconds * 1000, kMaxWaitMs);
    if (auto at = parse_rfc822_ms(retry_after))
      return std::clamp(*at - now_ms, std::int64_t{0}, kMaxWaitMs);
  }
  if (!rate_limit_reset.empty()) {
    std::int64_t reset = 0;
    const auto [p, ec] = std::from_chars(rate_limit_reset.data(),
                                         rate_limit_reset.data() + rate_limit_reset.size(), reset);
    if (ec == std::errc() && reset > 0)
      return std::clamp(reset * 1000 - now_ms, std::int64_t{0}, kMaxWaitMs);
  }
  return std::nullopt;
}

}  // namespace kiosk::sync::sources

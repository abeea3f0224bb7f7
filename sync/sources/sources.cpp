#include "sync/sources/sources.h"

#include <array>
#include <utility>

namespace kiosk::sync::sources {
namespace {

constexpr std::array<std::pair<Source, std::string_view>, 8> kNames = {{
    {Source::google, "google"},
    {Source::yelp, "yelp"},
    {Source::facebook, "facebook"},
    {Source::mastodon, "mastodon"},
    {Source::bluesky, "bluesky"},
    {Source::reddit, "reddit"},
    {Source::x, "x"},
    {Source::rss, "rss"},
}};

}  // namespace

std::optional<Source> source_from_name(std::string_view name) {
  for (const auto& [source, n] : kNames)
    if (n == name) return source;
  return std::nullopt;
}

std::string_view source_name(Source source) {
  for (const auto& [s, n] : kNames)
    if (s == source) return n;
  return "unknown";
}

std::string source_names_list() {
  std::string out;
  for (const auto& [s, n] : kNames) {
    if (!out.empty()) out += ", ";
    out.append(n);
  }
  return out;
}

Page parse_payload(Source source, std::string_view body) {
  switch (source) {
    case Source::google:
      return parse_google(body);
    case Source::yelp:
      return parse_yelp(body);
    case Source::facebook:
      return parse_facebook(body);
    case Source::mastodon:
      return parse_mastodon(body);
    case Source::bluesky:
      return parse_bluesky(body);
    case Source::reddit:
      return parse_reddit(body);
    case Source::x:
      return parse_x(body);
    case Source::rss:
      return parse_rss(body);
  }
  return {};
}

std::string link_header_url(std::string_view link_header, std::string_view rel) {
  std::size_t at = 0;
  while (at < link_header.size()) {
    const auto open = link_header.find('<', at);
    if (open == std::string_view::npos) break;
    const auto close = link_header.find('>', open);
    if (close == std::string_view::npos) break;
    const auto next_link = link_header.find('<', close);
    const auto params =
        link_header.substr(close + 1, next_link == std::string_view::npos ? std::string_view::npos
                                                                          : next_link - close - 1);
    const std::string wanted = "rel=\"" + std::string(rel) + "\"";
    if (params.find(wanted) != std::string_view::npos)
      return std::string(link_header.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return {};
}

}  // namespace kiosk::sync::sources

#include "sync/sources/matcher.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

// [SECTION] text normalisation
// [SECTION] store profiles as JSON
// [SECTION] matching
// [SECTION] fingerprints

namespace kiosk::sync::sources {
namespace {

// [SECTION] text normalisation
// Lower-case ASCII words separated by one space, with a space at each end, so a phrase is
// found as whole words by searching " phrase ". Bytes of other scripts are kept as they are;
// '@', '#' and punctuation separate words. Common street abbreviations are folded so that
// "Elm Street" finds "Elm St".
std::string words_of(std::string_view text) {
  std::string raw;
  raw.reserve(text.size() + 2);
  raw.push_back(' ');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c))
      raw.push_back(static_cast<char>(std::tolower(c)));
    else if (raw.back() != ' ')
      raw.push_back(' ');
  }
  if (raw.back() != ' ') raw.push_back(' ');
  static const std::pair<const char*, const char*> kFold[] = {
      {" street ", " st "},      {" avenue ", " ave "}, {" road ", " rd "},
      {" boulevard ", " blvd "}, {" drive ", " dr "},   {" saint ", " st "}};
  for (const auto& [from, to] : kFold) {
    for (auto at = raw.find(from); at != std::string::npos; at = raw.find(from, at + 1))
      raw.replace(at, std::strlen(from), to);
  }
  return raw;
}

bool has_phrase(const std::string& words, const std::string& phrase) {
  const std::string p = words_of(phrase);
  return p.size() > 2 && words.find(p) != std::string::npos;
}

// The street of an address: its first comma-separated part without the house number.
std::string street_of(const std::string& address) {
  std::string first = address.substr(0, address.find(','));
  std::size_t i = 0;
  while (i < first.size() &&
         (std::isdigit(static_cast<unsigned char>(first[i])) || first[i] == '-' || first[i] == ' '))
    ++i;
  return first.substr(i);
}

// [SECTION] store profiles as JSON
core::Result<std::vector<std::string>> strings_of(const nlohmann::json& j, const char* field) {
  using R = core::Result<std::vector<std::string>>;
  std::vector<std::string> out;
  if (!j.contains(field)) return out;
  const auto& v = j.at(field);
  if (!v.is_array())
    return R::failure(std::string("\"") + field +
                      "\" must be a list of texts, e.g. [\"a\", \"b\"]");
  for (const auto& s : v) {
    if (!s.is_string() || s.get<std::string>().empty() || s.get<std::string>().size() > 200)
      return R::failure(std::string("\"") + field +
                        "\" must hold texts of 1 to 200 characters only");
    out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

core::Result<StoreProfile> parse_store_profile(std::string_view json, const std::string& store_id) {
  using R = core::Result<StoreProfile>;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return R::failure("the store profile is not a JSON object (see docs/hq.md#matching)");
  StoreProfile p;
  p.store_id = store_id;
  const auto text = [&](const char* field, std::string& out) -> std::optional<std::string> {
    if (!j.contains(field)) return std::nullopt;
    if (!j[field].is_string() || j[field].get<std::string>().size() > 500)
      return std::string("\"") + field + "\" must be a text of at most 500 characters";
    out = j[field].get<std::string>();
    return std::nullopt;
  };
  for (const auto& [field, out] : {std::pair<const char*, std::string*>{"address", &p.address},
                                   {"street", &p.street},
                                   {"city", &p.city}})
    if (auto bad = text(field, *out)) return R::failure(*bad);
  if (p.street.empty() && !p.address.empty()) p.street = street_of(p.address);
  const auto number = [&](const char* field, double lo, double hi,
                          std::optional<double>& out) -> std::optional<std::string> {
    if (!j.contains(field)) return std::nullopt;
    if (!j[field].is_number() || j[field].get<double>() < lo || j[field].get<double>() > hi) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "\"%s\" must be a number from %g to %g", field, lo, hi);
      return std::string(buf);
    }
    out = j[field].get<double>();
    return std::nullopt;
  };
  std::optional<double> radius;
  if (auto bad = number("lat", -90, 90, p.lat)) return R::failure(*bad);
  if (auto bad = number("lon", -180, 180, p.lon)) return R::failure(*bad);
  if (auto bad = number("radius_m", 1, 50'000, radius)) return R::failure(*bad);
  if (radius) p.radius_m = *radius;
  if (p.lat.has_value() != p.lon.has_value())
    return R::failure("\"lat\" and \"lon\" go together: give both or neither");
  for (const auto& [field, out] :
       {std::pair<const char*, std::vector<std::string>*>{"names", &p.names},
        {"nicknames", &p.nicknames},
        {"handles", &p.handles},
        {"hashtags", &p.hashtags},
        {"keywords", &p.keywords}}) {
    auto list = strings_of(j, field);
    if (!list) return R::failure(list.error());
    *out = std::move(list.value());
  }
  if (j.contains("location_ids")) {
    const auto& ids = j["location_ids"];
    if (!ids.is_object())
      return R::failure(
          "\"location_ids\" must be an object of source to id, e.g. {\"google\": "
          "\"accounts/1/locations/2\", \"yelp\": \"corner-market-springfield\"}");
    for (const auto& [source, id] : ids.items()) {
      if (!id.is_string() || id.get<std::string>().empty())
        return R::failure("\"location_ids\".\"" + source + "\" must be a non-empty text");
      p.location_ids.emplace_back(source, id.get<std::string>());
    }
  }
  return p;
}

std::string store_profile_json(const StoreProfile& p) {
  nlohmann::json j{{"address", p.address},   {"street", p.street},     {"city", p.city},
                   {"radius_m", p.radius_m}, {"names", p.names},       {"nicknames", p.nicknames},
                   {"handles", p.handles},   {"hashtags", p.hashtags}, {"keywords", p.keywords}};
  if (p.lat) j["lat"] = *p.lat;
  if (p.lon) j["lon"] = *p.lon;
  j["location_ids"] = nlohmann::json::object();
  for (const auto& [source, id] : p.location_ids) j["location_ids"][source] = id;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// [SECTION] matching
double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusM = 6'371'000;
  constexpr double kRad = 3.14159265358979323846 / 180;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

namespace {

struct Evidence {
  std::string store_id;
  std::string reason;
};

// The stores this level of evidence points to (one entry per store).
std::vector<Evidence> review_target_evidence(const core::Mention& m, std::string_view target,
                                             const std::vector<StoreProfile>& stores) {
  std::vector<Evidence> out;
  if (target.empty()) return out;
  for (const auto& s : stores)
    for (const auto& [source, id] : s.location_ids)
      if (source == m.source && id == target) {
        out.push_back({s.store_id, "review target " + source + " " + id});
        break;
      }
  return out;
}

std::vector<Evidence> geo_evidence(const core::Mention& m,
                                   const std::vector<StoreProfile>& stores) {
  std::vector<Evidence> out;
  if (!m.location.lat || !m.location.lon) return out;
  std::vector<std::pair<double, const StoreProfile*>> near;
  for (const auto& s : stores) {
    if (!s.lat || !s.lon) continue;
    const double d = distance_m(*m.location.lat, *m.location.lon, *s.lat, *s.lon);
    if (d <= s.radius_m) near.emplace_back(d, &s);
  }
  std::sort(near.begin(), near.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Overlapping circles: the nearest store wins when it is at most half as far as the next.
  if (near.size() > 1 && near[0].first * 2 <= near[1].first) near.resize(1);
  for (const auto& [d, s] : near)
    out.push_back({s->store_id, "geotag " + std::to_string(static_cast<long>(std::lround(d))) +
                                    " m from the store"});
  return out;
}

std::vector<Evidence> text_evidence(const std::string& words,
                                    const std::vector<StoreProfile>& stores) {
  std::vector<Evidence> out;
  for (const auto& s : stores) {
    std::string found;
    const auto look = [&](const std::vector<std::string>& phrases, const char* what) {
      for (const auto& p : phrases)
        if (found.empty() && has_phrase(words, p)) found = std::string(what) + " \"" + p + "\"";
    };
    look(s.nicknames, "nickname");
    look(s.handles, "handle");
    look(s.hashtags, "hashtag");
    look(s.names, "name");
    look(s.keywords, "keyword");
    if (found.empty() && !s.street.empty() && has_phrase(words, s.street))
      found = "street \"" + s.street + "\"";
    if (!found.empty()) out.push_back({s.store_id, found});
  }
  return out;
}

std::vector<Evidence> city_evidence(const std::string& words,
                                    const std::vector<StoreProfile>& stores) {
  std::vector<Evidence> out;
  for (const auto& s : stores)
    if (!s.city.empty() && has_phrase(words, s.city))
      out.push_back({s.store_id, "the only store in " + s.city});
  return out;
}

std::vector<std::string> ids_of(const std::vector<Evidence>& e) {
  std::vector<std::string> out;
  for (const auto& x : e) out.push_back(x.store_id);
  return out;
}

}  // namespace

MatchResult match_store(const core::Mention& mention, std::string_view review_target,
                        const std::vector<StoreProfile>& stores) {
  const std::string words = words_of(mention.text + " " + mention.location.name);
  const std::vector<std::vector<Evidence>> levels = {
      review_target_evidence(mention, review_target, stores), geo_evidence(mention, stores),
      text_evidence(words, stores), city_evidence(words, stores)};
  MatchResult out;
  for (std::size_t level = 0; level < levels.size(); ++level) {
    const auto& found = levels[level];
    if (found.empty()) continue;
    if (found.size() == 1) {
      out.kind = MatchResult::Kind::matched;
      out.store_id = found[0].store_id;
      out.reason = found[0].reason;
      return out;
    }
    // Several at this level: weaker evidence may still single one of them out ("near both
    // stores, but it says Elm St").
    for (std::size_t next = level + 1; next < levels.size(); ++next) {
      std::vector<Evidence> narrowed;
      for (const auto& e : levels[next])
        for (const auto& f : found)
          if (e.store_id == f.store_id) narrowed.push_back(e);
      if (narrowed.size() == 1) {
        out.kind = MatchResult::Kind::matched;
        out.store_id = narrowed[0].store_id;
        out.reason = narrowed[0].reason;
        return out;
      }
    }
    out.kind = MatchResult::Kind::ambiguous;
    out.candidates = ids_of(found);
    std::string list;
    for (const auto& id : out.candidates) list += (list.empty() ? "" : ", ") + id;
    out.reason = "could be any of " + list + " (" + found[0].reason.substr(0, 40) +
                 (found[0].reason.size() > 40 ? "..." : "") + " for each)";
    if (level == 3) out.reason = "names a city with several stores (" + list + ") but no street";
    return out;
  }
  out.reason = "names no store: no review target, geotag, nickname, handle, street or city";
  return out;
}

// [SECTION] fingerprints
std::string post_fingerprint(std::string_view text) {
  std::string_view t = text;
  // A retweet's text starts with "RT @author: ", the rest is the original's.
  if (t.rfind("RT @", 0) == 0) {
    const auto colon = t.find(": ");
    if (colon != std::string_view::npos && colon < 64) t.remove_prefix(colon + 2);
  }
  // Links differ between networks (shorteners, previews): they are no part of the text.
  std::string unlinked;
  for (std::size_t i = 0; i < t.size();) {
    if (t.substr(i, 7) == "http://" || t.substr(i, 8) == "https://") {
      while (i < t.size() && !std::isspace(static_cast<unsigned char>(t[i]))) ++i;
      continue;
    }
    unlinked.push_back(t[i++]);
  }
  std::string kept;
  for (const char c : words_of(unlinked))
    if (c != ' ') kept.push_back(c);
  if (kept.size() < 24) return {};
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bits
  for (const char c : kept) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace kiosk::sync::sources

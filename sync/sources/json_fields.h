#pragma once
// Shared by the JSON source parsers: reading a body safely and fields by their expected
// type. Every accessor returns nothing for a missing field or a field of the wrong type.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sync/sources/sources.h"

namespace kiosk::sync::sources::detail {

using json = nlohmann::json;

// The body as JSON. Invalid UTF-8 is repaired first (bad bytes become U+FFFD), so one bad
// byte costs a character, not the page. Sets page.error and returns nothing when the body is
// too large, nested absurdly deep, not JSON, or the source's own error envelope.
std::optional<json> parse_body(std::string_view body, Page& page);

const json* member(const json& object, std::string_view key);
// Follows object keys: at(j, {"data", "children"}).
const json* at(const json& root, std::initializer_list<std::string_view> keys);
std::optional<std::string> string_at(const json& object, std::string_view key);
// An id: a non-empty string, or a non-negative integer written out exactly.
std::optional<std::string> id_at(const json& object, std::string_view key);
// A count: a non-negative whole number (integers, or floats such as 12.0).
std::optional<std::int64_t> count_at(const json& object, std::string_view key);
std::optional<double> number_at(const json& object, std::string_view key);

// "item 3" (1-based) or the id when there is one, for the skipped list.
std::string item_label(std::size_t index, const std::optional<std::string>& id);
void skip(Page& page, std::size_t index, const std::optional<std::string>& id, std::string reason);

// A date field read with parse_any_date_ms; the reason names the field when it fails.
struct DateOrWhy {
  std::optional<std::int64_t> ms;
  std::string why;
};
DateOrWhy date_at(const json& object, std::string_view key);

}  // namespace kiosk::sync::sources::detail

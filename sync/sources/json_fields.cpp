#include "sync/sources/json_fields.h"

#include <cmath>

#include "kiosk/core/utf8.h"
#include "sync/sources/timestamps.h"

namespace kiosk::sync::sources::detail {
namespace {

constexpr int kMaxDepth = 64;

// Deepest nesting of arrays and objects outside strings. nlohmann-json parses any depth,
// but freeing and walking a tree a million levels deep would exhaust the stack.
int nesting_depth(std::string_view s) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > kMaxDepth) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string error_envelope(const json& j) {
  if (!j.is_object()) return {};
  const json* e = member(j, "error");
  if (!e || e->is_null() || (e->is_boolean() && !e->get<bool>())) return {};
  std::string message, code;
  if (e->is_object()) {
    message = string_at(*e, "message").value_or(string_at(*e, "description").value_or(""));
    if (const json* c = member(*e, "code"); c && (c->is_number() || c->is_string()))
      code = c->is_string() ? c->get<std::string>() : c->dump();
  } else {
    message = string_at(j, "message").value_or("");
    if (e->is_number() || e->is_string()) code = e->is_string() ? e->get<std::string>() : e->dump();
  }
  std::string out = "the source answered with an error instead of data";
  if (!message.empty()) out += ": " + message;
  if (!code.empty()) out += " (code " + code + ")";
  return out;
}

}  // namespace

std::optional<json> parse_body(std::string_view body, Page& page) {
  if (body.size() > kMaxBodyBytes) {
    page.error = "the body is " + std::to_string(body.size() >> 20) + " MiB, over the " +
                 std::to_string(kMaxBodyBytes >> 20) + " MiB a page may have; nothing was read";
    return std::nullopt;
  }
  const std::string valid = core::repair_utf8(body);
  if (nesting_depth(valid) > kMaxDepth) {
    page.error = "the body nests arrays or objects more than " + std::to_string(kMaxDepth) +
                 " levels deep, which no source sends; nothing was read";
    return std::nullopt;
  }
  json j = json::parse(valid, nullptr, false);
  if (j.is_discarded()) {
    page.error = valid.empty() ? "the body is empty; nothing was read"
                               : "the body is not complete JSON (cut short or not JSON at all); "
                                 "nothing was read";
    return std::nullopt;
  }
  if (auto why = error_envelope(j); !why.empty()) {
    page.error = why;
    return std::nullopt;
  }
  return j;
}

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const json* at(const json& root, std::initializer_list<std::string_view> keys) {
  const json* cur = &root;
  for (const auto key : keys) {
    cur = member(*cur, key);
    if (!cur) return nullptr;
  }
  return cur;
}

std::optional<std::string> string_at(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (!v || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<std::string> id_at(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    auto s = v->get<std::string>();
    if (s.empty() || s.size() > 512) return std::nullopt;
    return s;
  }
  if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
  if (v->is_number_integer() && v->get<std::int64_t>() >= 0)
    return std::to_string(v->get<std::int64_t>());
  return std::nullopt;
}

std::optional<std::int64_t> count_at(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v->is_number_integer()) {
    const auto i = v->get<std::int64_t>();
    if (i < 0) return std::nullopt;
    return i;
  }
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < 0 || d > 9.0e15 || std::floor(d) != d) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> number_at(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (!v || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::string item_label(std::size_t index, const std::optional<std::string>& id) {
  if (id) return *id;
  return "item " + std::to_string(index + 1);
}

void skip(Page& page, std::size_t index, const std::optional<std::string>& id, std::string reason) {
  page.skipped.push_back({item_label(index, id), std::move(reason)});
}

DateOrWhy date_at(const json& object, std::string_view key) {
  const json* v = member(object, key);
  if (!v || v->is_null()) return {std::nullopt, "it has no " + std::string(key)};
  if (v->is_number()) {
    if (auto ms = epoch_seconds_to_ms(v->get<double>())) return {ms, {}};
    return {std::nullopt, std::string(key) + " " + v->dump() + " is not a date"};
  }
  if (!v->is_string())
    return {std::nullopt, std::string(key) + " is a " + v->type_name() + ", not a date"};
  const auto text = v->get<std::string>();
  if (auto ms = parse_any_date_ms(text)) return {ms, {}};
  return {std::nullopt,
          std::string(key) + " \"" + core::repair_utf8(text.substr(0, 60)) + "\" is not a date"};
}

}  // namespace kiosk::sync::sources::detail

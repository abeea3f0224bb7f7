// libFuzzer target for one source parser; the source is named by `kiosk_fuzz_source`, defined
// in a one-line file per target (tests/fuzz/CMakeLists.txt builds one binary per source, all
// sharing this object). Beyond the promises of check_mention for each mention, it checks what
// the issue asks of every connector: a bad item is skipped and counted, never lost and never
// stopping the page, so every item of the page's list is either a mention or a skipped entry.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/utf8.h"
#include "sync/sources/sources.h"
#include "tests/fuzz/fuzz_checks.h"

extern "C" const char kiosk_fuzz_source[];

namespace {

using json = nlohmann::json;
using kiosk::fuzz::require;
using namespace kiosk::sync::sources;

const json* find(const json& j, std::initializer_list<const char*> keys) {
  const json* cur = &j;
  for (const char* k : keys) {
    if (!cur->is_object()) return nullptr;
    const auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::size_t size_of_list(const json* list) {
  return list && list->is_array() ? list->size() : 0;
}

// How many items the page lists, read independently of the parser; nothing for feeds (the
// reader's own business) and for Facebook, whose nested comments are items too (counted as
// a lower bound below).
std::optional<std::size_t> listed_items(Source source, const json& root) {
  switch (source) {
    case Source::google:
    case Source::yelp:
      return size_of_list(find(root, {"reviews"}));
    case Source::mastodon:
      return root.is_array() ? root.size() : size_of_list(find(root, {"statuses"}));
    case Source::bluesky:
      return size_of_list(find(root, {"posts"}));
    case Source::reddit:
      return size_of_list(find(root, {"data", "children"}));
    case Source::x:  // the errors the source reports are skipped items too
      return size_of_list(find(root, {"data"})) + size_of_list(find(root, {"errors"}));
    case Source::facebook:
    case Source::rss:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto source = *source_from_name(kiosk_fuzz_source);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const Page page = parse_payload(source, body);
  for (const auto& m : page.mentions) kiosk::fuzz::check_mention(m, kiosk_fuzz_source);
  for (const auto& s : page.skipped)
    require(!s.item.empty() && !s.reason.empty() && kiosk::core::is_valid_utf8(s.item) &&
                kiosk::core::is_valid_utf8(s.reason),
            "a skipped item is named, with a reason in valid UTF-8");
  require(kiosk::core::is_valid_utf8(page.error), "the page's error is valid UTF-8");
  require(
      kiosk::core::is_valid_utf8(page.next_cursor) && kiosk::core::is_valid_utf8(page.newest_id),
      "cursors are valid UTF-8");

  if (source == Source::rss || !page.error.empty()) return 0;
  // The parser read the body whole: every listed item became a mention or a skipped entry.
  const json root = json::parse(kiosk::core::repair_utf8(body), nullptr, false);
  require(!root.is_discarded(), "a body read without error is JSON");
  const std::size_t accounted = page.mentions.size() + page.skipped.size();
  if (source == Source::facebook) {
    require(accounted >= size_of_list(find(root, {"data"})), "every post accounted for");
  } else if (const auto listed = listed_items(source, root)) {
    require(accounted == *listed, "every item is a mention or a skipped entry");
  }
  return 0;
}

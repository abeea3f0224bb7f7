// libFuzzer target for the body of POST /v1/mentions (sync/sources/pushed.h). Beyond
// check_mention for each accepted mention: every listed item is accepted or rejected with
// its place and a reason (never lost, never stopping the rest), a rating is exactly the
// number sent, and an accepted item reads alone the same way.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "kiosk/core/utf8.h"
#include "sync/sources/pushed.h"
#include "tests/fuzz/fuzz_checks.h"

using kiosk::fuzz::require;
using json = nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto batch = kiosk::sync::sources::parse_pushed_mentions(body);
  require(kiosk::core::is_valid_utf8(batch.error), "the error is valid UTF-8");
  if (!batch.error.empty()) {
    require(batch.accepted.empty() && batch.rejected.empty(), "a refused body has no items");
    return 0;
  }
  const json root = json::parse(body, nullptr, false);
  require(!root.is_discarded() && root.contains("mentions"), "an accepted body is JSON");
  const json& list = root["mentions"];
  require(batch.accepted.size() + batch.rejected.size() == list.size(),
          "every item is accepted or rejected");
  std::size_t previous = 0;
  for (std::size_t k = 0; k < batch.rejected.size(); ++k) {
    const auto& r = batch.rejected[k];
    require(r.index < list.size() && (k == 0 || r.index > previous), "rejections in order");
    require(!r.reason.empty() && kiosk::core::is_valid_utf8(r.reason) &&
                kiosk::core::is_valid_utf8(r.id),
            "a rejection says why");
    previous = r.index;
  }
  // Accepted items are the listed ones that were not rejected, in order.
  std::size_t next_rejected = 0, a = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (next_rejected < batch.rejected.size() && batch.rejected[next_rejected].index == i) {
      ++next_rejected;
      continue;
    }
    const auto& p = batch.accepted[a++];
    const auto& m = p.mention;
    kiosk::fuzz::check_mention(m, {});
    const json& item = list[i];
    if (m.rating)
      require(item["rating"].is_number_integer() && item["rating"] == *m.rating,
              "the rating is the number sent");
    else
      require(!item.contains("rating") || item["rating"].is_null(), "a rating is not dropped");
    const auto alone = kiosk::sync::sources::parse_pushed_mention(item.dump());
    require(alone.ok() && alone.value().mention.id == m.id && alone.value().mention.text == m.text,
            "an item reads the same alone");
  }
  return 0;
}

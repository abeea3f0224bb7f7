// libFuzzer target for the date formats sources use (sync/sources/timestamps.h): any text
// a parser accepts is a time that format_rfc3339 writes and parse_iso8601_ms reads back to
// the same millisecond (so an `ingest` line can be pushed as it is), and parse_any_date_ms
// agrees with the format-specific parsers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sync/sources/timestamps.h"
#include "tests/fuzz/fuzz_checks.h"

using kiosk::fuzz::require;
using namespace kiosk::sync::sources;

namespace {

void check_round_trip(std::optional<std::int64_t> ms) {
  if (!ms) return;
  const auto text = format_rfc3339(*ms);
  const auto back = parse_iso8601_ms(text);
  require(back && *back == *ms, "a date reads back from its RFC 3339 form");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto iso = parse_iso8601_ms(text);
  const auto rfc822 = parse_rfc822_ms(text);
  const auto pacific = parse_pacific_local_ms(text);
  const auto any = parse_any_date_ms(text);
  for (const auto& ms : {iso, rfc822, pacific, any}) check_round_trip(ms);
  if (iso) require(any == iso, "parse_any_date_ms reads RFC 3339 first");
  if (!iso && rfc822) require(any == rfc822, "then RFC 822");
  if (iso || rfc822) require(any.has_value(), "any accepts what one accepts");
  return 0;
}

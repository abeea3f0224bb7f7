#pragma once
// The date formats sources use, to Unix milliseconds (UTC), and back to RFC 3339.
// Each parser returns nothing for text it does not fully understand, never a guess.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::sync::sources {

// RFC 3339 / ISO 8601: "2025-07-17T16:57:57.865Z", any number of fractional digits, offsets
// "Z", "+02:00" or "+0200" (Facebook's Graph form), and a date alone ("2025-07-17").
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);
// RFC 822 / RFC 1123 as in RSS pubDate: "Tue, 17 Oct 2017 22:17:00 +0000", "GMT", "EST"...
std::optional<std::int64_t> parse_rfc822_ms(std::string_view text);
// Yelp's "2016-08-29 00:41:13": no zone, documented as US Pacific time (DST applied).
std::optional<std::int64_t> parse_pacific_local_ms(std::string_view text);
// Unix seconds as a number (Reddit's created_utc is a float such as 1523049024.0).
std::optional<std::int64_t> epoch_seconds_to_ms(double seconds);
// Any of the text forms above, tried in turn.
std::optional<std::int64_t> parse_any_date_ms(std::string_view text);

// "2025-07-17T16:57:57.865Z"; the fraction is left out when it is zero.
std::string format_rfc3339(std::int64_t unix_ms);

}  // namespace kiosk::sync::sources

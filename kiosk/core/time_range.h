#pragma once
// Times that arrive from outside (a terminal's clock, a post's date, a hand-written file) are
// checked against this range before any arithmetic, so a hostile or broken value can neither
// overflow a subtraction nor sort a card a thousand years into the future.
#include <cstdint>

namespace kiosk::core {

inline constexpr std::int64_t kEarliestPlausibleMs = 946'684'800'000;  // 2000-01-01 UTC
inline constexpr std::int64_t kLatestPlausibleMs = 4'102'444'800'000;  // 2100-01-01 UTC

constexpr bool is_plausible_time_ms(std::int64_t ms) {
  return ms >= kEarliestPlausibleMs && ms < kLatestPlausibleMs;
}

}  // namespace kiosk::core

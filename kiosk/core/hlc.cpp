#include "kiosk/core/hlc.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>

namespace kiosk::core {

HlcTimestamp HybridLogicalClock::tick(std::int64_t now_ms) {
  now_ms = std::max<std::int64_t>(now_ms, 0);  // the text form has no sign
  if (now_ms > last_.wall_ms) {
    last_ = {now_ms, 0};
  } else if (last_.counter == UINT32_MAX) {
    last_ = {last_.wall_ms + 1, 0};  // the counter is full: borrow a millisecond, stay ordered
  } else {
    ++last_.counter;
  }
  return last_;
}

HlcTimestamp HybridLogicalClock::observe(HlcTimestamp remote, std::int64_t now_ms) {
  const std::int64_t wall = std::max({last_.wall_ms, remote.wall_ms, now_ms, std::int64_t{0}});
  std::uint64_t counter = 0;
  if (wall == last_.wall_ms && wall == remote.wall_ms) {
    counter = std::uint64_t{std::max(last_.counter, remote.counter)} + 1;
  } else if (wall == last_.wall_ms) {
    counter = std::uint64_t{last_.counter} + 1;
  } else if (wall == remote.wall_ms) {
    counter = std::uint64_t{remote.counter} + 1;
  }
  // A full counter borrows a millisecond rather than wrapping to 0.
  last_ = counter > UINT32_MAX ? HlcTimestamp{wall + 1, 0}
                               : HlcTimestamp{wall, static_cast<std::uint32_t>(counter)};
  return last_;
}

// Fixed widths: 19 digits hold every non-negative int64 and 10 every uint32, so text order is
// timestamp order whatever the values.
constexpr std::size_t kWallDigits = 19;
constexpr std::size_t kCounterDigits = 10;
// The form written before: "%013lld-%04u" (13-digit wall, counter of 4 or more digits).
constexpr std::size_t kOldWallDigits = 13;
constexpr std::size_t kOldMinCounterDigits = 4;

std::string format_hlc(HlcTimestamp t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%019lld-%010u",
                static_cast<long long>(std::max<std::int64_t>(t.wall_ms, 0)), t.counter);
  return buf;
}

namespace {
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::optional<HlcTimestamp> parse_hlc(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view wall = s.substr(0, dash), counter = s.substr(dash + 1);
  if (!all_digits(wall) || !all_digits(counter)) return std::nullopt;
  const bool current = wall.size() == kWallDigits && counter.size() == kCounterDigits;
  const bool old = wall.size() == kOldWallDigits && counter.size() >= kOldMinCounterDigits &&
                   counter.size() <= kCounterDigits;
  if (!current && !old) return std::nullopt;
  HlcTimestamp t;
  auto r1 = std::from_chars(wall.data(), wall.data() + wall.size(), t.wall_ms);
  if (r1.ec != std::errc{} || r1.ptr != wall.data() + wall.size()) return std::nullopt;
  auto r2 = std::from_chars(counter.data(), counter.data() + counter.size(), t.counter);
  if (r2.ec != std::errc{} || r2.ptr != counter.data() + counter.size()) return std::nullopt;
  return t;
}

}  // namespace kiosk::core

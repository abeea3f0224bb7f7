#include "kiosk/core/hlc.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace kiosk::core {

HlcTimestamp HybridLogicalClock::tick(std::int64_t now_ms) {
  if (now_ms > last_.wall_ms) {
    last_ = {now_ms, 0};
  } else {
    ++last_.counter;
  }
  return last_;
}

HlcTimestamp HybridLogicalClock::observe(HlcTimestamp remote, std::int64_t now_ms) {
  const std::int64_t wall = std::max({last_.wall_ms, remote.wall_ms, now_ms});
  std::uint32_t counter = 0;
  if (wall == last_.wall_ms && wall == remote.wall_ms) {
    counter = std::max(last_.counter, remote.counter) + 1;
  } else if (wall == last_.wall_ms) {
    counter = last_.counter + 1;
  } else if (wall == remote.wall_ms) {
    counter = remote.counter + 1;
  }
  last_ = {wall, counter};
  return last_;
}

std::string format_hlc(HlcTimestamp t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%013lld-%04u", static_cast<long long>(t.wall_ms), t.counter);
  return buf;
}

std::optional<HlcTimestamp> parse_hlc(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= s.size()) return std::nullopt;
  HlcTimestamp t;
  const char* end_wall = s.data() + dash;
  auto r1 = std::from_chars(s.data(), end_wall, t.wall_ms);
  if (r1.ec != std::errc{} || r1.ptr != end_wall || t.wall_ms < 0) return std::nullopt;
  const char* end = s.data() + s.size();
  auto r2 = std::from_chars(end_wall + 1, end, t.counter);
  if (r2.ec != std::errc{} || r2.ptr != end) return std::nullopt;
  return t;
}

}  // namespace kiosk::core

#pragma once
// Hybrid logical clock: wall-clock milliseconds plus a counter, so events from one terminal
// stay ordered even when its clock steps back, and free-text fields can merge
// last-writer-wins across terminals. Time is passed in; the clock reads nothing itself.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

struct HlcTimestamp {
  std::int64_t wall_ms = 0;
  std::uint32_t counter = 0;
  auto operator<=>(const HlcTimestamp&) const = default;
};

class HybridLogicalClock {
 public:
  explicit HybridLogicalClock(HlcTimestamp last = {}) : last_(last) {}
  // A new local event at wall time now_ms.
  HlcTimestamp tick(std::int64_t now_ms);
  // A timestamp seen from elsewhere; later local ticks sort after it.
  HlcTimestamp observe(HlcTimestamp remote, std::int64_t now_ms);
  HlcTimestamp last() const { return last_; }

 private:
  HlcTimestamp last_;
};

// "0001732320000000-0000000007": a 19-digit wall time (any non-negative int64) and a 10-digit
// counter (any uint32), so text order is timestamp order at every value. parse_hlc() also
// reads the older "1732320000000-0007" form (13-digit wall, 4 or more counter digits) that
// existing databases hold, and refuses anything else.
std::string format_hlc(HlcTimestamp t);
std::optional<HlcTimestamp> parse_hlc(std::string_view s);

}  // namespace kiosk::core

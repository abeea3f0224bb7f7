#include "kiosk/core/backoff.h"

#include <algorithm>

namespace kiosk::core {

std::int64_t Backoff::ceiling_ms(int failures) const {
  if (failures <= 0) return 0;
  std::int64_t ceiling = policy_.base_ms;
  for (int i = 1; i < failures && ceiling < policy_.cap_ms; ++i) ceiling *= 2;
  return std::min(ceiling, policy_.cap_ms);
}

std::int64_t Backoff::next_delay_ms(double random01) {
  ++failures_;
  const double r = std::clamp(random01, 0.0, 1.0);
  const std::int64_t ceiling = ceiling_ms(failures_);
  // Full jitter, but never zero: a terminal must not hammer HQ in a tight loop.
  const auto jittered = static_cast<std::int64_t>(static_cast<double>(ceiling) * r);
  return std::max<std::int64_t>(jittered, std::min<std::int64_t>(100, ceiling));
}

}  // namespace kiosk::core

#include "kiosk/core/time_format.h"

#include <chrono>
#include <cstdio>

#include "kiosk/core/time_range.h"

namespace kiosk::core {

std::string time_ago(std::int64_t now_ms, std::int64_t then_ms) {
  // Hostile times must not overflow the subtraction: outside the plausible range there is
  // no age worth showing.
  if (!is_plausible_time_ms(now_ms) || !is_plausible_time_ms(then_ms)) return "just now";
  const std::int64_t s = (now_ms - then_ms) / 1000;
  if (s < 45) return "just now";  // also covers small clock skew into the future
  const std::int64_t m = (s + 30) / 60;
  if (m < 60) return std::to_string(m) + " min ago";
  const std::int64_t h = (m + 30) / 60;
  if (h < 24) return std::to_string(h) + " h ago";
  const std::int64_t d = (h + 12) / 24;
  return std::to_string(d) + (d == 1 ? " day ago" : " days ago");
}

std::string utc_minute(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{unix_ms}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<minutes>(t - day)};
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return text;
}

}  // namespace kiosk::core

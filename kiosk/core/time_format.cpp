#include "kiosk/core/time_format.h"

#include <chrono>
#include <cstdio>

#include "kiosk/core/time_range.h"

namespace kiosk::core {

namespace {

// pattern with its "{}" replaced by n; a pattern without one as it is.
std::string with_number(std::string_view pattern, std::int64_t n) {
  std::string text(pattern);
  if (const auto at = text.find("{}"); at != std::string::npos)
    text.replace(at, 2, std::to_string(n));
  return text;
}

}  // namespace

std::string time_ago(std::int64_t now_ms, std::int64_t then_ms, const AgeWords& words) {
  // Hostile times must not overflow the subtraction: outside the plausible range there is
  // no age worth showing.
  if (!is_plausible_time_ms(now_ms) || !is_plausible_time_ms(then_ms))
    return std::string(words.just_now);
  const std::int64_t s = (now_ms - then_ms) / 1000;
  // Also covers small clock skew into the future.
  if (s < 45) return std::string(words.just_now);
  const std::int64_t m = (s + 30) / 60;
  if (m < 60) return with_number(words.minutes, m);
  const std::int64_t h = (m + 30) / 60;
  if (h < 24) return with_number(words.hours, h);
  const std::int64_t d = (h + 12) / 24;
  return with_number(d == 1 ? words.day : words.days, d);
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

std::int64_t time_ago_changes_at(std::int64_t now_ms, std::int64_t then_ms) {
  // time_ago reads only whole seconds of age, s; find the first s at which the label moves.
  // Minutes round at s = 60m - 30, hours at m = 60h - 30, days at h = 24d - 12 (see above).
  const std::int64_t s = (now_ms - then_ms) / 1000;
  std::int64_t next_s = 0;
  if (s < 45) {
    next_s = 45;
  } else {
    const std::int64_t m = (s + 30) / 60;
    if (m < 60) {
      next_s = (m + 1) * 60 - 30;
    } else {
      const std::int64_t h = (m + 30) / 60;
      const std::int64_t next_m =
          h < 24 ? (h + 1) * 60 - 30 : (((h + 12) / 24 + 1) * 24 - 12) * 60 - 30;
      next_s = next_m * 60 - 30;
    }
  }
  // Ages before then_ms (a poster's clock ahead of ours) truncate towards zero: s = 0 spans
  // then_ms - 999 .. then_ms + 999, so age 45 s starts exactly at then_ms + 45,000.
  return then_ms + next_s * 1000;
}

}  // namespace kiosk::core

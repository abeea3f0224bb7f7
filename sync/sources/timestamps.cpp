#include "sync/sources/timestamps.h"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace kiosk::sync::sources {
namespace {

using namespace std::chrono;

// A cursor over the text that reads fixed-width numbers and literal characters.
struct Scanner {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  // Exactly n digits.
  std::optional<int> digits(int n) {
    if (i + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = s[i + static_cast<std::size_t>(k)];
      if (!digit(c)) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(n);
    return v;
  }
  // 1 to max_n digits.
  std::optional<int> some_digits(int max_n) {
    int v = 0, n = 0;
    while (n < max_n && digit(peek())) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    if (n == 0) return std::nullopt;
    return v;
  }
  void skip_spaces() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++i;
  }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Milliseconds since the epoch of a civil date and time read as UTC, or nothing when the
// date does not exist (February 30th) or a field is out of range.
std::optional<std::int64_t> civil_ms(int y, int mo, int d, int h, int mi, int sec, int ms) {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second reads as the second before it
  const auto t =
      sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
  return duration_cast<milliseconds>(t).count();
}

// Reads "YYYY-MM-DD" as year, month, day (checked later by civil_ms).
std::optional<std::array<int, 3>> read_date(Scanner& sc) {
  const auto y = sc.digits(4);
  if (!y || !sc.eat('-')) return std::nullopt;
  const auto mo = sc.digits(2);
  if (!mo || !sc.eat('-')) return std::nullopt;
  const auto d = sc.digits(2);
  if (!d) return std::nullopt;
  return std::array<int, 3>{*y, *mo, *d};
}

// Reads "HH:MM[:SS][.fff...]" into the out-parameters.
bool read_clock(Scanner& sc, int& h, int& mi, int& sec, int& ms) {
  const auto hh = sc.digits(2);
  if (!hh || !sc.eat(':')) return false;
  const auto mm = sc.digits(2);
  if (!mm) return false;
  h = *hh;
  mi = *mm;
  sec = 0;
  ms = 0;
  if (sc.eat(':')) {
    const auto ss = sc.digits(2);
    if (!ss) return false;
    sec = *ss;
    if (sc.peek() == '.' || sc.peek() == ',') {
      ++sc.i;
      int n = 0;
      while (Scanner::digit(sc.peek())) {
        if (n < 3) ms = ms * 10 + (sc.peek() - '0');
        ++n;
        ++sc.i;
      }
      if (n == 0) return false;
      for (int k = n; k < 3; ++k) ms *= 10;
    }
  }
  return true;
}

// "+02:00", "+0200", "+02" or "Z": minutes east of UTC.
std::optional<int> read_numeric_offset(Scanner& sc) {
  if (sc.eat('Z') || sc.eat('z')) return 0;
  const char sign = sc.peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  ++sc.i;
  const auto hh = sc.digits(2);
  if (!hh) return std::nullopt;
  int mm = 0;
  if (sc.eat(':')) {
    const auto m = sc.digits(2);
    if (!m) return std::nullopt;
    mm = *m;
  } else if (Scanner::digit(sc.peek())) {
    const auto m = sc.digits(2);
    if (!m) return std::nullopt;
    mm = *m;
  }
  if (*hh > 23 || mm > 59) return std::nullopt;
  const int total = *hh * 60 + mm;
  return sign == '-' ? -total : total;
}

// The times RFC 3339 can write: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
constexpr std::int64_t kFirstMs = -62'135'596'800'000;
constexpr std::int64_t kLastMs = 253'402'300'799'999;

// Local time to UTC. Nothing when the offset moves it out of years 1 to 9999, so every
// time read can be written back (format_rfc3339) and read again.
std::optional<std::int64_t> with_offset(std::optional<std::int64_t> local_ms, int east_minutes) {
  if (!local_ms) return std::nullopt;
  const std::int64_t utc = *local_ms - std::int64_t{east_minutes} * 60'000;
  if (utc < kFirstMs || utc > kLastMs) return std::nullopt;
  return utc;
}

int month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  char low[3];
  for (int k = 0; k < 3; ++k) {
    const char c = name[static_cast<std::size_t>(k)];
    low[k] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (std::size_t m = 0; m < kMonths.size(); ++m)
    if (std::string_view(low, 3) == kMonths[m]) return static_cast<int>(m) + 1;
  return 0;
}

std::optional<int> zone_name_offset(std::string_view z) {
  struct Zone {
    std::string_view name;
    int east_minutes;
  };
  static constexpr std::array<Zone, 12> kZones = {{{"UT", 0},
                                                   {"UTC", 0},
                                                   {"GMT", 0},
                                                   {"Z", 0},
                                                   {"EST", -300},
                                                   {"EDT", -240},
                                                   {"CST", -360},
                                                   {"CDT", -300},
                                                   {"MST", -420},
                                                   {"MDT", -360},
                                                   {"PST", -480},
                                                   {"PDT", -420}}};
  for (const auto& zone : kZones)
    if (z == zone.name) return zone.east_minutes;
  // RFC 2822 says the one-letter military zones were never used consistently: read as UTC.
  if (z.size() == 1 && z[0] >= 'A' && z[0] <= 'Z' && z[0] != 'J') return 0;
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  Scanner sc{trim(text)};
  const auto date = read_date(sc);
  if (!date) return std::nullopt;
  const auto [y, mo, d] = *date;
  if (sc.done()) return civil_ms(y, mo, d, 0, 0, 0, 0);
  if (!(sc.eat('T') || sc.eat('t') || sc.eat(' '))) return std::nullopt;
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_clock(sc, h, mi, sec, ms)) return std::nullopt;
  sc.skip_spaces();
  const auto offset = read_numeric_offset(sc);
  if (!offset || !sc.done()) return std::nullopt;
  return with_offset(civil_ms(y, mo, d, h, mi, sec, ms), *offset);
}

std::optional<std::int64_t> parse_rfc822_ms(std::string_view text) {
  Scanner sc{trim(text)};
  // An optional day name: "Tue,".
  if (!Scanner::digit(sc.peek())) {
    while (!sc.done() && sc.peek() != ',' && sc.peek() != ' ') ++sc.i;
    sc.eat(',');
    sc.skip_spaces();
  }
  const auto d = sc.some_digits(2);
  if (!d) return std::nullopt;
  sc.skip_spaces();
  sc.eat('-');
  const std::size_t month_start = sc.i;
  while (!sc.done() && sc.peek() != ' ' && sc.peek() != '-') ++sc.i;
  const int mo = month_from_name(sc.s.substr(month_start, sc.i - month_start));
  if (mo == 0) return std::nullopt;
  sc.skip_spaces();
  sc.eat('-');
  const std::size_t year_start = sc.i;
  auto y = sc.some_digits(4);
  if (!y) return std::nullopt;
  if (sc.i - year_start == 2)
    *y += *y < 50 ? 2000 : 1900;
  else if (sc.i - year_start != 4)
    return std::nullopt;
  sc.skip_spaces();
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_clock(sc, h, mi, sec, ms)) return std::nullopt;
  sc.skip_spaces();
  std::optional<int> offset;
  if (sc.peek() == '+' || sc.peek() == '-') {
    offset = read_numeric_offset(sc);
  } else {
    const std::size_t zone_start = sc.i;
    while (!sc.done() && sc.peek() != ' ') ++sc.i;
    offset = zone_name_offset(sc.s.substr(zone_start, sc.i - zone_start));
  }
  sc.skip_spaces();
  if (!offset || !sc.done()) return std::nullopt;
  return with_offset(civil_ms(*y, mo, *d, h, mi, sec, ms), *offset);
}

std::optional<std::int64_t> parse_pacific_local_ms(std::string_view text) {
  Scanner sc{trim(text)};
  const auto date = read_date(sc);
  if (!date || !(sc.eat(' ') || sc.eat('T'))) return std::nullopt;
  const auto [y, mo, d] = *date;
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_clock(sc, h, mi, sec, ms) || !sc.done()) return std::nullopt;
  const auto local = civil_ms(y, mo, d, h, mi, sec, ms);
  if (!local) return std::nullopt;
  // US daylight time (since 2007): from 02:00 on March's second Sunday to 02:00 on
  // November's first Sunday, local clock. The repeated hour in November reads as daylight.
  const auto yr = year{y};
  const auto start = sys_days{yr / March / Sunday[2]} + hours{2};
  const auto end = sys_days{yr / November / Sunday[1]} + hours{2};
  const auto as_time = sys_time<milliseconds>{milliseconds{*local}};
  const bool daylight = as_time >= start && as_time < end;
  return with_offset(local, daylight ? -7 * 60 : -8 * 60);
}

std::optional<std::int64_t> epoch_seconds_to_ms(double seconds) {
  // 1970 to the year 9999: anything else is a wrong field, not a date.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(seconds * 1000.0));
}

std::optional<std::int64_t> parse_any_date_ms(std::string_view text) {
  if (auto t = parse_iso8601_ms(text)) return t;
  if (auto t = parse_rfc822_ms(text)) return t;
  // Plain epoch seconds ("1518478934", as in some feeds' dc:date).
  const auto digits = trim(text);
  if (!digits.empty() && digits.size() <= 11 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos)
    return epoch_seconds_to_ms(std::stod(std::string(digits)));
  return std::nullopt;
}

std::string format_rfc3339(std::int64_t unix_ms) {
  const sys_time<milliseconds> t{milliseconds{unix_ms}};
  const auto day_start = floor<days>(t);
  const year_month_day ymd{day_start};
  const hh_mm_ss<milliseconds> clock{t - day_start};
  char buf[40];
  const int y = static_cast<int>(ymd.year());
  const unsigned mo = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  const auto h = clock.hours().count();
  const auto mi = clock.minutes().count();
  const auto s = clock.seconds().count();
  const auto ms = clock.subseconds().count();
  if (ms == 0)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", y, mo, d,
                  static_cast<long>(h), static_cast<long>(mi), static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lld.%03lldZ", y, mo, d,
                  static_cast<long>(h), static_cast<long>(mi), static_cast<long long>(s),
                  static_cast<long long>(ms));
  return buf;
}

}  // namespace kiosk::sync::sources

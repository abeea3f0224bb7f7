#include "kiosk/core/escalation_policy.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <sstream>

// [SECTION] small helpers
// [SECTION] durations
// [SECTION] the file format
// [SECTION] business time
// [SECTION] the ladder

namespace kiosk::core {
namespace {

// [SECTION] small helpers
constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};
constexpr int kMaxRepeats = 100;
constexpr int kMaxLevels = 20;
constexpr std::size_t kMaxLevelName = 120;
constexpr std::int64_t kMaxDurationMs = 365 * kDayMs;
// add_business_ms gives up after this many days without enough opening time.
constexpr std::int64_t kMaxSearchDays = 3 * 366;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// "09:30" -> 570; "24:00" allowed as a closing time.
std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const auto h = parse_int(s.substr(0, 2));
  const auto m = parse_int(s.substr(3, 2));
  if (!h || !m || *h < 0 || *m < 0 || *m > 59 || *h > 24 || (*h == 24 && *m != 0))
    return std::nullopt;
  return *h * 60 + *m;
}

std::string format_clock(int minute) {
  std::string out(5, '0');
  out[0] = static_cast<char>('0' + minute / 600);
  out[1] = static_cast<char>('0' + (minute / 60) % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + (minute % 60) / 10);
  out[4] = static_cast<char>('0' + minute % 10);
  return out;
}

std::optional<int> day_index(std::string_view s) {
  for (std::size_t i = 0; i < kDayNames.size(); ++i)
    if (kDayNames[i] == s) return static_cast<int>(i);
  return std::nullopt;
}

// "mon-fri", "sat,sun", "daily", "tue" -> the weekdays named.
std::optional<std::vector<int>> parse_days(std::string_view s) {
  if (s == "daily") return std::vector<int>{0, 1, 2, 3, 4, 5, 6};
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t comma = std::min(s.find(',', start), s.size());
    const std::string_view part = s.substr(start, comma - start);
    const std::size_t dash = part.find('-');
    if (dash == std::string_view::npos) {
      const auto d = day_index(part);
      if (!d) return std::nullopt;
      out.push_back(*d);
    } else {
      const auto a = day_index(part.substr(0, dash));
      const auto b = day_index(part.substr(dash + 1));
      if (!a || !b) return std::nullopt;
      for (int d = *a;; d = (d + 1) % 7) {
        out.push_back(d);
        if (d == *b) break;
      }
    }
    start = comma + 1;
  }
  return out;
}

std::string format_offset(int offset_s) {
  const int minutes = std::abs(offset_s) / 60;
  return std::string(offset_s < 0 ? "-" : "+") + format_clock(minutes);
}

std::optional<int> parse_offset(std::string_view s) {
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const auto minutes = parse_clock(s.substr(1));
  if (!minutes || *minutes > 14 * 60) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * *minutes * 60;
}

}  // namespace

// [SECTION] durations

Result<std::int64_t> parse_duration_ms(std::string_view text) {
  using R = Result<std::int64_t>;
  const std::string shown = "\"" + std::string(text) + "\"";
  if (text.empty()) return R::failure("a duration is missing; write it like 15m, 2h or 1d");
  if (text[0] == '-') return R::failure("a duration cannot be negative (" + shown + ")");
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i || j == text.size())
      return R::failure(shown + " is not a duration; write it like 90s, 15m, 2h, 1d or 1h30m");
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(text.data() + i, text.data() + j, n);
    if (ec != std::errc() || n > kMaxDurationMs / 1000)
      return R::failure(shown + " is too long; a duration is at most 365d");
    (void)p;
    std::int64_t unit = 0;
    switch (text[j]) {
      case 's':
        unit = 1000;
        break;
      case 'm':
        unit = kMinuteMs;
        break;
      case 'h':
        unit = 60 * kMinuteMs;
        break;
      case 'd':
        unit = kDayMs;
        break;
      default:
        return R::failure(shown + " has an unknown unit '" + std::string(1, text[j]) +
                          "'; use s, m, h or d");
    }
    total += n * unit;
    if (total > kMaxDurationMs) return R::failure(shown + " is too long; at most 365d");
    i = j + 1;
  }
  if (total <= 0) return R::failure("a duration must be more than zero (" + shown + ")");
  return total;
}

std::string format_duration(std::int64_t ms) {
  if (ms <= 0) return "0s";
  std::string out;
  const std::pair<std::int64_t, char> units[] = {
      {kDayMs, 'd'}, {60 * kMinuteMs, 'h'}, {kMinuteMs, 'm'}, {1000, 's'}};
  for (const auto& [size, letter] : units) {
    if (ms >= size) {
      out += std::to_string(ms / size) + letter;
      ms %= size;
    }
  }
  if (out.empty()) out = "1s";
  return out;
}

// [SECTION] the file format

bool WeeklyHours::empty() const {
  return std::all_of(days.begin(), days.end(), [](const auto& d) { return d.empty(); });
}

int UtcOffsets::offset_at(std::int64_t utc_ms) const {
  int offset = initial_offset_s;
  for (const auto& c : changes) {
    if (c.at_ms > utc_ms) break;
    offset = c.offset_s;
  }
  return offset;
}

const SeverityPolicy* StorePolicy::for_severity(Severity s) const {
  for (const auto& p : severities)
    if (p.severity == s) return &p;
  return nullptr;
}

Result<StorePolicy> parse_store_policy(std::string_view text) {
  using R = Result<StorePolicy>;
  StorePolicy out;
  SeverityPolicy* current = nullptr;
  int current_line = 0;
  int line_no = 0;
  bool has_offset = false;
  const auto at = [&](int n, const std::string& what) {
    return R::failure("line " + std::to_string(n) + ": " + what);
  };
  const auto close_block = [&]() -> std::optional<std::string> {
    if (current && current->levels.empty())
      return "line " + std::to_string(current_line) + ": severity " +
             std::string(to_string(current->severity)) +
             " has no levels; add at least one, e.g. \"level Store manager 15m\"";
    return std::nullopt;
  };

  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const auto words = split_words(line);
    if (words.empty()) continue;
    const std::string& key = words[0];

    if (key == "severity") {
      if (auto bad = close_block()) return R::failure(*bad);
      if (words.size() != 2) return at(line_no, "write one severity, e.g. \"severity high\"");
      const auto s = parse_severity(words[1]);
      if (!s)
        return at(line_no,
                  "unknown severity \"" + words[1] + "\"; use low, medium, high or critical");
      if (out.for_severity(*s))
        return at(line_no, "severity " + words[1] + " appears twice; keep one block");
      out.severities.push_back(SeverityPolicy{});
      current = &out.severities.back();
      current->severity = *s;
      current_line = line_no;
    } else if (key == "time_zone") {
      if (words.size() != 2 || words[1].find("..") != std::string::npos || words[1][0] == '/')
        return at(line_no, "write the zone by its name, e.g. \"time_zone Europe/London\"");
      out.time_zone = words[1];
    } else if (key == "utc_offset") {
      const auto o = words.size() == 2 ? parse_offset(words[1]) : std::nullopt;
      if (!o)
        return at(line_no, "write the offset as +HH:MM or -HH:MM, e.g. \"utc_offset +01:00\"");
      out.fixed_offset_s = *o;
      has_offset = true;
    } else if (key == "hours") {
      if (words.size() != 3)
        return at(line_no, "write hours as \"hours mon-fri 09:00-21:00\" or \"hours sun closed\"");
      const auto days = parse_days(words[1]);
      if (!days)
        return at(line_no, "unknown days \"" + words[1] +
                               "\"; use sun, mon, tue, wed, thu, fri, sat, ranges like mon-fri, "
                               "lists like sat,sun, or daily");
      std::vector<OpeningInterval> intervals;
      if (words[2] != "closed") {
        std::string_view spans = words[2];
        std::size_t s = 0;
        while (s <= spans.size()) {
          const std::size_t comma = std::min(spans.find(',', s), spans.size());
          const std::string_view span = spans.substr(s, comma - s);
          s = comma + 1;
          const auto open =
              span.size() == 11 && span[5] == '-' ? parse_clock(span.substr(0, 5)) : std::nullopt;
          const auto close = open ? parse_clock(span.substr(6)) : std::nullopt;
          if (!open || !close)
            return at(line_no, "\"" + std::string(span) +
                                   "\" is not opening hours; write HH:MM-HH:MM, e.g. 09:00-21:00");
          if (*close <= *open)
            return at(line_no,
                      "\"" + std::string(span) + "\" closes before it opens; a day ends at 24:00");
          intervals.push_back({*open, *close});
        }
      }
      for (const int d : *days) out.hours.days[static_cast<std::size_t>(d)] = intervals;
    } else if (key == "level" || key == "repeat" || key == "respond_within" ||
               key == "resolve_within" || key == "pause_outside_hours") {
      if (!current) return at(line_no, "\"" + key + "\" must come after a \"severity\" line");
      if (key == "level") {
        if (words.size() < 3)
          return at(line_no,
                    "write a level as \"level NAME TIMEOUT\", e.g. \"level District "
                    "manager 30m\"");
        std::string name;
        for (std::size_t i = 1; i + 1 < words.size(); ++i) name += (i > 1 ? " " : "") + words[i];
        if (name.size() > kMaxLevelName)
          return at(line_no,
                    "a level's name is at most " + std::to_string(kMaxLevelName) + " characters");
        auto timeout = parse_duration_ms(words.back());
        if (!timeout)
          return at(line_no, "the timeout of level \"" + name + "\": " + timeout.error());
        if (current->levels.size() >= static_cast<std::size_t>(kMaxLevels))
          return at(line_no, "at most " + std::to_string(kMaxLevels) + " levels per severity");
        current->levels.push_back({name, timeout.value()});
      } else if (key == "repeat") {
        const auto n = words.size() == 2 ? parse_int(words[1]) : std::nullopt;
        if (!n || *n < 0 || *n > kMaxRepeats)
          return at(line_no, "repeat takes a whole number from 0 to " +
                                 std::to_string(kMaxRepeats) +
                                 " (how many more times the "
                                 "whole ladder runs)");
        current->repeats = *n;
      } else if (key == "pause_outside_hours") {
        if (words.size() != 2 || (words[1] != "yes" && words[1] != "no"))
          return at(line_no, "pause_outside_hours takes yes or no");
        current->pause_outside_hours = words[1] == "yes";
      } else {
        if (words.size() != 2) return at(line_no, "write \"" + key + " 4h\"");
        auto d = parse_duration_ms(words[1]);
        if (!d) return at(line_no, key + ": " + d.error());
        (key == "respond_within" ? current->respond_within_ms : current->resolve_within_ms) =
            d.value();
      }
    } else {
      return at(line_no, "unknown setting \"" + key +
                             "\"; the settings are time_zone, utc_offset, hours, severity, "
                             "level, repeat, respond_within, resolve_within, "
                             "pause_outside_hours (docs/escalation.md)");
    }
  }
  if (auto bad = close_block()) return R::failure(*bad);
  if (out.severities.empty())
    return R::failure(
        "the policy has no \"severity\" block; add one, e.g. \"severity high\" "
        "followed by \"level Store manager 15m\"");
  if (!out.time_zone.empty() && has_offset)
    return R::failure("give either time_zone or utc_offset, not both");
  for (const auto& s : out.severities) {
    if (s.pause_outside_hours && out.hours.empty())
      return R::failure("severity " + std::string(to_string(s.severity)) +
                        " pauses outside hours, but the policy has no \"hours\" lines");
    if (s.resolve_within_ms > 0 && s.resolve_within_ms <= s.response_target_ms())
      return R::failure("severity " + std::string(to_string(s.severity)) +
                        ": resolve_within must be longer than the response target");
  }
  return out;
}

std::string format_store_policy(const StorePolicy& p) {
  std::ostringstream out;
  if (!p.time_zone.empty())
    out << "time_zone " << p.time_zone << "\n";
  else if (p.fixed_offset_s != 0)
    out << "utc_offset " << format_offset(p.fixed_offset_s) << "\n";
  if (!p.hours.empty()) {
    for (std::size_t d = 0; d < 7; ++d) {
      out << "hours " << kDayNames[d] << " ";
      const auto& day = p.hours.days[d];
      if (day.empty()) out << "closed";
      for (std::size_t i = 0; i < day.size(); ++i)
        out << (i ? "," : "") << format_clock(day[i].open_minute) << "-"
            << format_clock(day[i].close_minute);
      out << "\n";
    }
  }
  for (const auto& s : p.severities) {
    out << "\nseverity " << to_string(s.severity) << "\n";
    for (const auto& l : s.levels)
      out << "  level " << l.name << " " << format_duration(l.timeout_ms) << "\n";
    out << "  repeat " << s.repeats << "\n";
    if (s.respond_within_ms > 0)
      out << "  respond_within " << format_duration(s.respond_within_ms) << "\n";
    if (s.resolve_within_ms > 0)
      out << "  resolve_within " << format_duration(s.resolve_within_ms) << "\n";
    out << "  pause_outside_hours " << (s.pause_outside_hours ? "yes" : "no") << "\n";
  }
  return out.str();
}

// [SECTION] business time
namespace {

// A local wall-clock instant (ms since the local epoch) to UTC, with the offset in force then.
std::int64_t local_to_utc(const UtcOffsets& o, std::int64_t local_ms) {
  int offset = o.offset_at(local_ms - std::int64_t{o.initial_offset_s} * 1000);
  offset = o.offset_at(local_ms - std::int64_t{offset} * 1000);
  return local_ms - std::int64_t{offset} * 1000;
}

std::int64_t local_day(const UtcOffsets& o, std::int64_t utc_ms) {
  return floor_div(utc_ms + std::int64_t{o.offset_at(utc_ms)} * 1000, kDayMs);
}

// Calls f(open_utc, close_utc) for each opening interval of the local day.
template <typename F>
void for_each_interval(const BusinessHours& h, std::int64_t day, F&& f) {
  const auto weekday = static_cast<std::size_t>(((day % 7) + 7 + 4) % 7);  // 1970-01-01: Thu
  for (const auto& iv : h.weekly.days[weekday]) {
    const std::int64_t open = local_to_utc(h.offsets, day * kDayMs + iv.open_minute * kMinuteMs);
    const std::int64_t close = local_to_utc(h.offsets, day * kDayMs + iv.close_minute * kMinuteMs);
    if (close > open) f(open, close);
  }
}

}  // namespace

std::int64_t business_ms_between(const BusinessHours& h, std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return 0;
  if (h.weekly.empty()) return to_ms - from_ms;
  std::int64_t total = 0;
  const std::int64_t last = local_day(h.offsets, to_ms) + 1;
  for (std::int64_t day = local_day(h.offsets, from_ms) - 1; day <= last; ++day) {
    for_each_interval(h, day, [&](std::int64_t a, std::int64_t b) {
      const std::int64_t lo = std::max(a, from_ms);
      const std::int64_t hi = std::min(b, to_ms);
      if (hi > lo) total += hi - lo;
    });
  }
  return total;
}

std::int64_t add_business_ms(const BusinessHours& h, std::int64_t from_ms,
                             std::int64_t duration_ms) {
  if (h.weekly.empty()) return from_ms + duration_ms;
  std::int64_t left = duration_ms;
  const std::int64_t first = local_day(h.offsets, from_ms) - 1;
  for (std::int64_t day = first; day <= first + kMaxSearchDays; ++day) {
    std::optional<std::int64_t> found;
    for_each_interval(h, day, [&](std::int64_t a, std::int64_t b) {
      if (found) return;
      const std::int64_t lo = std::max(a, from_ms);
      if (b <= lo) return;
      if (b - lo >= left && left >= 0) {
        found = lo + left;
        return;
      }
      left -= b - lo;
    });
    if (found) return *found;
  }
  return std::numeric_limits<std::int64_t>::max();
}

// [SECTION] the ladder
namespace {

// How many steps of a ladder that started at start_ms are due at now_ms, and when the next one
// is. Step i (0-based) is due once the timeouts of steps 0..i-1 have run in business time.
struct Schedule {
  int due = 0;
  std::optional<std::int64_t> next_ms;
  bool exhausted = false;  // all steps due and the last one's timeout has run too
};

Schedule schedule(const SeverityPolicy& p, const BusinessHours& h, std::int64_t start_ms,
                  std::int64_t now_ms) {
  Schedule out;
  if (now_ms < start_ms) {
    out.next_ms = start_ms;
    return out;
  }
  const auto n = static_cast<int>(p.levels.size());
  const int total = n * (p.repeats + 1);
  const std::int64_t elapsed = business_ms_between(h, start_ms, now_ms);
  std::int64_t cumulative = 0;
  for (int i = 0; i < total; ++i) {
    if (cumulative > elapsed) {
      out.next_ms = add_business_ms(h, start_ms, cumulative);
      return out;
    }
    ++out.due;
    cumulative += p.levels[static_cast<std::size_t>(i % n)].timeout_ms;
  }
  out.exhausted = cumulative <= elapsed;
  return out;
}

}  // namespace

LadderView evaluate_ladder(const LadderState& state, const SeverityPolicy& policy,
                           const BusinessHours& hours_in, std::int64_t now_ms) {
  LadderView out;
  out.next_state = state;
  if (policy.levels.empty()) return out;
  const BusinessHours always{};
  const BusinessHours& hours = policy.pause_outside_hours ? hours_in : always;
  const auto n = static_cast<int>(policy.levels.size());
  const auto level_of = [n](int step) { return (step - 1) % n; };
  const auto name_of = [&](int level) {
    return policy.levels[static_cast<std::size_t>(level)].name;
  };
  out.respond_by_ms = add_business_ms(hours, state.raised_at_ms, policy.response_target_ms());

  if (state.status == EscalationStatus::resolved) {
    if (state.step > 0) {
      out.level = level_of(state.step);
      out.holder = name_of(out.level);
    }
    return out;
  }

  const auto emit = [&](int phase, int from_step, int to_step, bool reclimb) {
    for (int s = from_step + 1; s <= to_step; ++s) {
      LadderAction a;
      a.kind = reclimb && s == 1 ? LadderAction::Kind::reclimb : LadderAction::Kind::notify;
      a.phase = phase;
      a.step = s;
      a.level = level_of(s);
      a.round = (s - 1) / n;
      a.who = name_of(a.level);
      if (phase == 0 && s == 1)
        a.why = "new " + std::string(to_string(policy.severity)) + " escalation";
      else if (phase == 0)
        a.why =
            "not acknowledged within " +
            format_duration(policy.levels[static_cast<std::size_t>(level_of(s - 1))].timeout_ms) +
            " by " + name_of(level_of(s - 1));
      else if (s == 1)
        a.why = "acknowledged but not resolved within " + format_duration(policy.resolve_within_ms);
      else
        a.why =
            "still unresolved; not picked up within " +
            format_duration(policy.levels[static_cast<std::size_t>(level_of(s - 1))].timeout_ms) +
            " by " + name_of(level_of(s - 1));
      if (a.round > 0) a.why += " (repeat " + std::to_string(a.round) + ")";
      out.actions.push_back(std::move(a));
    }
  };

  if (state.status == EscalationStatus::open && state.phase == 0) {
    const Schedule s = schedule(policy, hours, state.raised_at_ms, now_ms);
    emit(0, state.step, s.due, false);
    out.next_state.step = std::max(state.step, s.due);
    out.next_deadline_ms = s.next_ms;
    out.exhausted = s.exhausted;
    out.breached = now_ms >= *out.respond_by_ms;
  } else {
    // Acknowledged: the climb stopped. It starts again, from the first level, if the
    // escalation is still unresolved resolve_within after the acknowledgement.
    const std::int64_t acked = state.acknowledged_at_ms.value_or(state.raised_at_ms);
    out.breached = acked >= *out.respond_by_ms;
    if (policy.resolve_within_ms > 0) {
      const std::int64_t restart = add_business_ms(hours, acked, policy.resolve_within_ms);
      if (now_ms >= restart) {
        out.breached = true;
        const Schedule s = schedule(policy, hours, restart, now_ms);
        const int done = state.phase == 1 ? state.step : 0;
        emit(1, done, s.due, true);
        out.next_state.phase = 1;
        out.next_state.step = std::max(done, s.due);
        out.next_deadline_ms = s.next_ms;
        out.exhausted = s.exhausted;
      } else {
        out.next_deadline_ms = restart;
      }
    }
  }
  if (out.next_state.step > 0) {
    out.level = level_of(out.next_state.step);
    out.holder = name_of(out.level);
  }
  return out;
}

}  // namespace kiosk::core

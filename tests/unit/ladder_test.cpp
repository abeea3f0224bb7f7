// The escalation ladder and its policy file, under a clock the test moves by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "kiosk/core/escalation_policy.h"

using namespace kiosk::core;

namespace {

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kHour = 60 * kMin;
// Monday 2026-11-23 00:00 UTC.
constexpr std::int64_t kMonday = 1'795'392'000'000;

const char* kPolicy = R"(# Downtown
utc_offset +00:00
hours mon-fri 09:00-21:00
hours sat 10:00-18:00
hours sun closed

severity high
  level Store manager 15m
  level District manager 30m
  level Head-office care team 1h
  repeat 1
  resolve_within 4h

severity critical
  level Store manager 5m
  level District manager 10m
  pause_outside_hours yes
)";

StorePolicy policy() {
  auto p = parse_store_policy(kPolicy);
  REQUIRE_MESSAGE(p.ok(), p.error());
  return p.value();
}

BusinessHours hours_of(const StorePolicy& p) {
  BusinessHours h;
  h.weekly = p.hours;
  h.offsets.initial_offset_s = p.fixed_offset_s;
  return h;
}

// Evaluates and applies, as HQ does on each tick: returns the names notified.
std::vector<std::string> tick(LadderState& s, const SeverityPolicy& p, const BusinessHours& h,
                              std::int64_t now) {
  const LadderView v = evaluate_ladder(s, p, h, now);
  std::vector<std::string> who;
  for (const auto& a : v.actions) who.push_back(a.who);
  s = v.next_state;
  return who;
}

}  // namespace

TEST_CASE("[policy] the documented file parses, and show prints a file that parses the same") {
  const StorePolicy p = policy();
  REQUIRE(p.severities.size() == 2);
  const SeverityPolicy* high = p.for_severity(Severity::high);
  REQUIRE(high);
  CHECK(high->levels.size() == 3);
  CHECK(high->levels[1].name == "District manager");
  CHECK(high->levels[1].timeout_ms == 30 * kMin);
  CHECK(high->repeats == 1);
  CHECK(high->resolve_within_ms == 4 * kHour);
  CHECK(high->response_target_ms() == 15 * kMin);
  CHECK(p.for_severity(Severity::low) == nullptr);
  CHECK(p.hours.days[0].empty());  // Sunday closed
  CHECK(p.hours.days[6].front().open_minute == 600);

  auto again = parse_store_policy(format_store_policy(p));
  REQUIRE_MESSAGE(again.ok(), again.error());
  CHECK(format_store_policy(again.value()) == format_store_policy(p));
}

TEST_CASE("[policy] bad files are refused with the line and what to write instead") {
  const auto error_of = [](const std::string& text) {
    auto p = parse_store_policy(text);
    REQUIRE_FALSE(p.ok());
    return p.error();
  };
  CHECK(error_of("severity high\n  level Store manager 0m\n") ==
        "line 2: the timeout of level \"Store manager\": a duration must be more than zero "
        "(\"0m\")");
  CHECK(error_of("severity high\n  level Store manager -5m\n").find("cannot be negative") !=
        std::string::npos);
  CHECK(error_of("severity high\n  repeat 1\n") ==
        "line 1: severity high has no levels; add at least one, e.g. \"level Store manager "
        "15m\"");
  CHECK(error_of("severity urgent\n").find("unknown severity \"urgent\"") != std::string::npos);
  CHECK(error_of("# nothing\n").find("no \"severity\" block") != std::string::npos);
  CHECK(error_of("level Store manager 5m\n") ==
        "line 1: \"level\" must come after a \"severity\" line");
  CHECK(
      error_of("severity high\n level A 5m\nseverity high\n level B 5m\n").find("appears twice") !=
      std::string::npos);
  CHECK(error_of("hours mon 21:00-09:00\n").find("closes before it opens") != std::string::npos);
  CHECK(error_of("colour blue\n").find("unknown setting \"colour\"") != std::string::npos);
  CHECK(error_of("severity high\n level A 5m\n pause_outside_hours yes\n")
            .find("no \"hours\" lines") != std::string::npos);
  CHECK(error_of("severity high\n level A 5m\n level B 5x\n").find("unknown unit 'x'") !=
        std::string::npos);
}

TEST_CASE("[ladder] unacknowledged, it climbs one level per timeout, repeats, then stops") {
  const StorePolicy sp = policy();
  const SeverityPolicy& high = *sp.for_severity(Severity::high);
  const BusinessHours h = hours_of(sp);  // high does not pause: hours do not matter
  const std::int64_t t0 = kMonday + 10 * kHour;
  LadderState s{EscalationStatus::open, t0, {}, 0, 0};

  CHECK(tick(s, high, h, t0) == std::vector<std::string>{"Store manager"});
  CHECK(tick(s, high, h, t0) == std::vector<std::string>{});  // evaluated twice: once only
  LadderView v = evaluate_ladder(s, high, h, t0 + 14 * kMin);
  CHECK(v.actions.empty());
  CHECK(v.holder == "Store manager");
  CHECK(v.next_deadline_ms == t0 + 15 * kMin);
  CHECK_FALSE(v.breached);

  CHECK(tick(s, high, h, t0 + 15 * kMin) == std::vector<std::string>{"District manager"});
  v = evaluate_ladder(s, high, h, t0 + 15 * kMin);
  CHECK(v.breached);  // the 15 min response target passed unacknowledged
  CHECK(v.next_deadline_ms == t0 + 45 * kMin);
  CHECK(tick(s, high, h, t0 + 45 * kMin) == std::vector<std::string>{"Head-office care team"});
  // repeat 1: the whole ladder once more, after the last level's hour
  CHECK(tick(s, high, h, t0 + 105 * kMin) == std::vector<std::string>{"Store manager"});
  // A tick that was late catches up on every step it missed, in order.
  const LadderView late = evaluate_ladder(s, high, h, t0 + 10 * kHour);
  REQUIRE(late.actions.size() == 2);
  CHECK(late.actions[0].who == "District manager");
  CHECK(late.actions[1].who == "Head-office care team");
  CHECK(late.actions[1].round == 1);
  CHECK(late.actions[1].why.find("(repeat 1)") != std::string::npos);
  CHECK(late.exhausted);
  CHECK_FALSE(late.next_deadline_ms.has_value());
  s = late.next_state;
  CHECK(tick(s, high, h, t0 + 20 * kHour).empty());
}

TEST_CASE("[ladder] acknowledgement stops the climb; unresolved past the target it climbs again") {
  const StorePolicy sp = policy();
  const SeverityPolicy& high = *sp.for_severity(Severity::high);
  const BusinessHours h = hours_of(sp);
  const std::int64_t t0 = kMonday + 10 * kHour;
  LadderState s{EscalationStatus::open, t0, {}, 0, 0};
  tick(s, high, h, t0);
  tick(s, high, h, t0 + 20 * kMin);  // district manager holds it
  s.status = EscalationStatus::acknowledged;
  s.acknowledged_at_ms = t0 + 25 * kMin;

  LadderView v = evaluate_ladder(s, high, h, t0 + 2 * kHour);
  CHECK(v.actions.empty());
  CHECK(v.holder == "District manager");
  CHECK(v.breached);  // acknowledged after the 15 min target
  CHECK(v.next_deadline_ms == t0 + 25 * kMin + 4 * kHour);

  const std::int64_t restart = t0 + 25 * kMin + 4 * kHour;
  v = evaluate_ladder(s, high, h, restart);
  REQUIRE(v.actions.size() == 1);
  CHECK(v.actions[0].kind == LadderAction::Kind::reclimb);
  CHECK(v.actions[0].who == "Store manager");
  CHECK(v.actions[0].why == "acknowledged but not resolved within 4h");
  s = v.next_state;
  CHECK(s.phase == 1);
  CHECK(tick(s, high, h, restart + 15 * kMin) == std::vector<std::string>{"District manager"});

  s.status = EscalationStatus::resolved;
  CHECK(tick(s, high, h, restart + 10 * kHour).empty());
}

TEST_CASE("[ladder] outside business hours the clock pauses and resumes at opening") {
  const StorePolicy sp = policy();
  const SeverityPolicy& critical = *sp.for_severity(Severity::critical);
  const BusinessHours h = hours_of(sp);
  // Monday 20:58: two minutes of the store manager's five run before closing at 21:00.
  const std::int64_t t0 = kMonday + 20 * kHour + 58 * kMin;
  LadderState s{EscalationStatus::open, t0, {}, 0, 0};
  CHECK(tick(s, critical, h, t0) == std::vector<std::string>{"Store manager"});
  LadderView v = evaluate_ladder(s, critical, h, t0 + 3 * kHour);
  CHECK(v.actions.empty());
  CHECK_FALSE(v.breached);
  // Tuesday 09:03: the remaining three minutes ran after opening.
  const std::int64_t tuesday_0903 = kMonday + 24 * kHour + 9 * kHour + 3 * kMin;
  CHECK(v.next_deadline_ms == tuesday_0903);
  CHECK(v.respond_by_ms == tuesday_0903);
  CHECK(tick(s, critical, h, tuesday_0903 - 1).empty());
  CHECK(tick(s, critical, h, tuesday_0903) == std::vector<std::string>{"District manager"});

  SUBCASE("Saturday's shorter hours and Sunday closed") {
    const std::int64_t sat_1758 = kMonday + 5 * 24 * kHour + 17 * kHour + 58 * kMin;
    LadderState w{EscalationStatus::open, sat_1758, {}, 0, 0};
    const LadderView wv = evaluate_ladder(w, critical, h, sat_1758);
    // 2 min on Saturday, Sunday closed, 3 min on Monday from 09:00
    CHECK(wv.respond_by_ms == kMonday + 7 * 24 * kHour + 9 * kHour + 3 * kMin);
  }
  SUBCASE("a store seven hours behind UTC pauses on its own local hours") {
    BusinessHours west = h;
    west.offsets.initial_offset_s = -7 * 3600;
    // 04:00 UTC Tuesday is 21:00 Monday there: closed; it opens at 16:00 UTC.
    const std::int64_t at = kMonday + 28 * kHour;
    LadderState w{EscalationStatus::open, at, {}, 0, 0};
    const LadderView wv = evaluate_ladder(w, critical, west, at);
    CHECK(wv.respond_by_ms == kMonday + 24 * kHour + 16 * kHour + 5 * kMin);
  }
  SUBCASE("a change of UTC offset (summer time) moves the opening hour in UTC") {
    BusinessHours dst = h;
    dst.offsets.changes.push_back({kMonday + 24 * kHour, 3600});  // +01:00 from Tuesday
    const std::int64_t at = kMonday + 24 * kHour + 7 * kHour;     // 08:00 local, closed
    LadderState w{EscalationStatus::open, at, {}, 0, 0};
    const LadderView wv = evaluate_ladder(w, critical, dst, at);
    CHECK(wv.respond_by_ms == kMonday + 24 * kHour + 8 * kHour + 5 * kMin);  // 09:05 local
  }
}

TEST_CASE("[ladder] a terminal whose clock is hours wrong moves nothing: HQ's clock rules") {
  // The ladder starts from when head office received the escalation (raised_at_ms), never from
  // the terminal's created_at_ms; this test pins that an HQ-side start is all it reads.
  const StorePolicy sp = policy();
  const SeverityPolicy& high = *sp.for_severity(Severity::high);
  const std::int64_t received = kMonday + 10 * kHour;
  LadderState s{EscalationStatus::open, received, {}, 0, 0};
  const LadderView v = evaluate_ladder(s, high, hours_of(sp), received + 5 * kMin);
  CHECK(v.actions.size() == 1);  // the store manager only: nothing skipped ahead
  CHECK(v.next_deadline_ms == received + 15 * kMin);
}

TEST_CASE("[policy] durations read and print in the file's units") {
  CHECK(parse_duration_ms("90s").value() == 90'000);
  CHECK(parse_duration_ms("1h30m").value() == 90 * kMin);
  CHECK(parse_duration_ms("2d").value() == 48 * kHour);
  CHECK_FALSE(parse_duration_ms("0s").ok());
  CHECK_FALSE(parse_duration_ms("15").ok());
  CHECK_FALSE(parse_duration_ms("400d").ok());
  CHECK(format_duration(90 * kMin) == "1h30m");
}

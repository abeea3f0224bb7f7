#pragma once
// The escalation ladder: who must act on an escalation, by when, and what head office does
// when nobody has. Pure: the policy, the store's hours and the time are passed in, and the
// result says what to do; kiosk-hq does it (and the kiosk may mirror the store-level part).
//
//   auto policy = parse_store_policy(text);          // the file format of docs/escalation.md
//   LadderView v = evaluate_ladder(state, policy->for_severity(Severity::high),
//                                  hours_of(*policy, offsets), now_ms);
//   for (const auto& a : v.actions) notify(a.who, a.why);   // then store v.next_state
//
// Time: every instant is Unix milliseconds on the evaluator's clock (head office's), never a
// terminal's, so a terminal whose clock is hours wrong moves nothing. With business hours,
// timeouts only run while the store is open (a 15 min timeout at 20:55 in a store that
// closes at 21:00 expires ten minutes after it opens the next day).
//
// Time zones: core has no time-zone database. The caller hands in the store's UTC offsets
// (a fixed one, or the transitions HQ reads from the system's zoneinfo), so core stays pure.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/result.h"

namespace kiosk::core {

// [SECTION] the policy value
struct PolicyLevel {
  std::string name;             // who holds it at this level, e.g. "District manager"
  std::int64_t timeout_ms = 0;  // how long this level has to acknowledge before the next
};

struct SeverityPolicy {
  Severity severity = Severity::medium;
  std::vector<PolicyLevel> levels;     // at least one
  int repeats = 0;                     // how many more times the whole ladder runs, unacknowledged
  std::int64_t respond_within_ms = 0;  // the response target ("time left"); 0: first timeout
  std::int64_t resolve_within_ms = 0;  // after acknowledgement; 0: never climbs again
  bool pause_outside_hours = false;    // timeouts run only while the store is open

  std::int64_t response_target_ms() const {
    return respond_within_ms > 0 ? respond_within_ms : levels.front().timeout_ms;
  }
};

// Opening hours in the store's local time, per weekday (0 = Sunday ... 6 = Saturday).
struct OpeningInterval {
  int open_minute = 0;   // minutes after local midnight
  int close_minute = 0;  // exclusive; may be 1440 (midnight)
};
struct WeeklyHours {
  std::array<std::vector<OpeningInterval>, 7> days;
  bool empty() const;
};

// A store's UTC offset over time: initial_offset_s, then each change at its instant.
struct UtcOffsetChange {
  std::int64_t at_ms = 0;
  int offset_s = 0;
};
struct UtcOffsets {
  int initial_offset_s = 0;
  std::vector<UtcOffsetChange> changes;  // sorted by at_ms
  int offset_at(std::int64_t utc_ms) const;
};

struct BusinessHours {
  WeeklyHours weekly;  // empty: open around the clock
  UtcOffsets offsets;
};

// One store's whole policy file.
struct StorePolicy {
  std::string time_zone;   // an IANA name ("Europe/London") for HQ to resolve, or empty
  int fixed_offset_s = 0;  // "utc_offset +01:00" when there is no time_zone
  WeeklyHours hours;
  std::vector<SeverityPolicy> severities;  // at most one per severity

  const SeverityPolicy* for_severity(Severity s) const;
};

// [SECTION] the file format (docs/escalation.md)
// Errors name the line: "line 7: a level's timeout must be more than zero (\"0m\")".
Result<StorePolicy> parse_store_policy(std::string_view text);
// The same file back out (policy show), so set then show round-trips.
std::string format_store_policy(const StorePolicy& p);
// "15m", "2h", "90s", "1d" (also "1h30m"). Zero or negative durations are errors.
Result<std::int64_t> parse_duration_ms(std::string_view text);
std::string format_duration(std::int64_t ms);

// [SECTION] business time
// Milliseconds the store was open between from and to (to >= from).
std::int64_t business_ms_between(const BusinessHours& h, std::int64_t from_ms, std::int64_t to_ms);
// The instant after from_ms at which `duration_ms` of opening time has passed.
std::int64_t add_business_ms(const BusinessHours& h, std::int64_t from_ms,
                             std::int64_t duration_ms);

// [SECTION] the ladder
// What head office keeps per escalation to evaluate it; stored with the escalation so that
// several evaluators (kiosk-hq processes) agree: the one whose update of `step` from the
// value it read succeeds is the one that notifies.
struct LadderState {
  EscalationStatus status = EscalationStatus::open;
  std::int64_t raised_at_ms = 0;  // when head office received it (its own clock)
  std::optional<std::int64_t> acknowledged_at_ms;
  int phase = 0;  // 0: climbing until acknowledged; 1: climbing again, acknowledged unresolved
  int step = 0;   // notifications already sent in this phase (0: none yet)
};

struct LadderAction {
  enum class Kind { notify, reclimb };
  Kind kind = Kind::notify;
  int phase = 0;
  int step = 0;     // 1-based: the step-th notification of the phase
  int level = 0;    // 0-based index into the levels
  int round = 0;    // 0 for the first run of the ladder, 1 for the first repeat...
  std::string who;  // the level's name
  std::string why;  // one sentence for the notification and the outgoing table
};

struct LadderView {
  int level = -1;      // who holds it now (index), -1 when no one yet / resolved
  std::string holder;  // that level's name
  std::optional<std::int64_t> next_deadline_ms;  // when it climbs next, if it will
  std::optional<std::int64_t> respond_by_ms;     // the response target, for "time left"
  bool breached = false;              // a target (respond, or resolve after ack) has passed
  bool exhausted = false;             // every level and repeat notified, still unacknowledged
  std::vector<LadderAction> actions;  // in order; empty when nothing is due
  LadderState next_state;             // state after the actions are carried out
};

LadderView evaluate_ladder(const LadderState& state, const SeverityPolicy& policy,
                           const BusinessHours& hours, std::int64_t now_ms);

}  // namespace kiosk::core

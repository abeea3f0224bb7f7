// The merge rules of escalation actions (kiosk/core/escalation_actions.h): copies that saw the
// same actions are equal whatever the order; reopening is a new generation; the store-level
// step of the ladder, mirrored on the terminal's clock.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/hlc.h"

using namespace kiosk::core;

namespace {

constexpr std::int64_t kT0 = 1'795'000'000'000;  // 2026-11-18
constexpr std::int64_t kMin = 60'000;

Escalation base() {
  Escalation e;
  e.id = "0b7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c10";
  e.severity = Severity::high;
  e.category = Category::wait_time;
  e.created_at_ms = kT0;
  e.status_changed_at_ms = kT0;
  return e;
}

EscalationAction act(const char* id, EscalationActionKind kind, std::int64_t at_ms, int generation,
                     std::string by, std::string terminal, std::string text = {}) {
  return {id,
          kind,
          generation,
          std::move(by),
          std::move(terminal),
          at_ms,
          format_hlc({at_ms, 0}),
          std::move(text)};
}

SeverityPolicy high_policy() {
  SeverityPolicy p;
  p.severity = Severity::high;
  p.levels = {{"Store manager", 15 * kMin}, {"District manager", 30 * kMin}};
  p.respond_within_ms = 20 * kMin;
  return p;
}

}  // namespace

TEST_CASE("[merge] resolved at the store while head office reassigns: both orders converge") {
  const auto resolve = act("a1", EscalationActionKind::resolve, kT0 + 5 * kMin, 0, "ana",
                           "terminal-1", "Refunded at the till");
  const auto reassign = act("a2", EscalationActionKind::reassign, kT0 + 6 * kMin, 0,
                            "HQ customer care", "", "District manager Ruth");

  // Head office gets the store's resolution after its own reassignment...
  Escalation hq = base();
  apply_action(hq, reassign);
  const Escalation hq_before = hq;  // what the store receives first
  apply_action(hq, resolve);
  // ...while the store resolved offline, then met head office's copies in either order.
  Escalation store = base();
  apply_action(store, resolve);
  Escalation store_a = merge_escalation(merge_escalation(store, hq_before), hq);
  Escalation store_b = merge_escalation(merge_escalation(store, hq), hq_before);
  // And head office applying them the other way round.
  Escalation hq_other = base();
  apply_action(hq_other, resolve);
  apply_action(hq_other, reassign);

  for (const Escalation* e : {&hq, &store_a, &store_b, &hq_other}) {
    CHECK(e->status == EscalationStatus::resolved);
    CHECK(e->resolution_note == "Refunded at the till");
    CHECK(e->ladder_holder == "District manager Ruth");
    REQUIRE(e->history.size() == 2);
    CHECK(e->history[0].id == "a1");
    CHECK(e->history[1].id == "a2");
    CHECK(e->status_changed_at_ms == kT0 + 5 * kMin);
  }
  CHECK(hq.history == store_a.history);
  CHECK(store_a.history == store_b.history);
  CHECK(hq_other.history == hq.history);
}

TEST_CASE("[merge] an action applied twice changes nothing; history is append-only") {
  Escalation e = base();
  const auto ack = act("a1", EscalationActionKind::acknowledge, kT0 + kMin, 0, "ana", "t1");
  CHECK(apply_action(e, ack));
  CHECK_FALSE(apply_action(e, ack));
  CHECK(e.history.size() == 1);
  CHECK(e.status == EscalationStatus::acknowledged);
  CHECK(e.acknowledged_by == "ana");
}

TEST_CASE("[merge] two acknowledgements: the first by HLC names who acknowledged, any order") {
  const auto a = act("a1", EscalationActionKind::acknowledge, kT0 + 2 * kMin, 0, "ana", "t1");
  const auto b = act("a2", EscalationActionKind::acknowledge, kT0 + 3 * kMin, 0, "HQ care", "");
  Escalation x = base();
  apply_action(x, a);
  apply_action(x, b);
  Escalation y = base();
  apply_action(y, b);
  apply_action(y, a);
  CHECK(x.acknowledged_by == "ana");
  CHECK(y.acknowledged_by == "ana");
  CHECK(x.status_changed_at_ms == y.status_changed_at_ms);
}

TEST_CASE("[merge] reopen is a new generation: a stale resolve of the old one cannot close it") {
  Escalation e = base();
  apply_action(e, act("a1", EscalationActionKind::resolve, kT0 + kMin, 0, "ana", "t1", "done"));
  apply_action(e, act("a2", EscalationActionKind::reopen, kT0 + 2 * kMin, 1, "HQ care", ""));
  CHECK(e.generation == 1);
  CHECK(e.status == EscalationStatus::open);
  // A second terminal resolved generation 0 too, offline; it arrives late.
  apply_action(e, act("a3", EscalationActionKind::resolve, kT0 + 90'000, 0, "luis", "t2", "x"));
  CHECK(e.status == EscalationStatus::open);
  CHECK(e.generation == 1);
  CHECK(e.history.size() == 3);
  // Acknowledging the new generation moves it on.
  apply_action(e, act("a4", EscalationActionKind::acknowledge, kT0 + 3 * kMin, 1, "ana", "t1"));
  CHECK(e.status == EscalationStatus::acknowledged);
  CHECK(e.acknowledged_by == "ana");
}

TEST_CASE("[merge] the resolution note is last-writer-wins by HLC, whatever the arrival order") {
  const auto early = act("a1", EscalationActionKind::resolve, kT0 + kMin, 0, "ana", "t1", "first");
  const auto late = act("a2", EscalationActionKind::resolve, kT0 + 2 * kMin, 0, "HQ", "", "second");
  Escalation x = base();
  apply_action(x, late);
  apply_action(x, early);
  CHECK(x.resolution_note == "second");
}

TEST_CASE("[merge] who may do what now") {
  Escalation e = base();
  CHECK_FALSE(action_refused(e, EscalationActionKind::acknowledge));
  CHECK(action_refused(e, EscalationActionKind::reopen));
  e.status = EscalationStatus::resolved;
  CHECK(*action_refused(e, EscalationActionKind::acknowledge) ==
        "This escalation is already resolved.");
  CHECK_FALSE(action_refused(e, EscalationActionKind::reopen));
}

TEST_CASE("[clock] time left, overdue, and the store-level step on a stepped clock") {
  const SeverityPolicy p = high_policy();
  Escalation e = base();
  std::int64_t now = kT0;

  EscalationClock c = escalation_clock(e, &p, now);
  CHECK(c.elapsed_ms == 0);
  CHECK(*c.target_ms == 20 * kMin);
  CHECK(*c.left_ms == 20 * kMin);
  CHECK(c.holder == "Store manager");
  CHECK(c.level == 0);
  CHECK_FALSE(c.store_level_missed);
  CHECK(*c.store_level_due_ms == kT0 + 15 * kMin);

  now += 15 * kMin - 1;  // one millisecond before the store manager's timeout
  c = escalation_clock(e, &p, now);
  CHECK_FALSE(c.store_level_missed);
  CHECK(*c.left_ms == 5 * kMin + 1);

  now += 1;  // the store manager did not acknowledge in time: flag the card
  c = escalation_clock(e, &p, now);
  CHECK(c.store_level_missed);
  CHECK_FALSE(c.store_level_due_ms);

  now += 10 * kMin;  // past the response target: overdue by 5 minutes
  c = escalation_clock(e, &p, now);
  CHECK(*c.left_ms == -5 * kMin);

  // Head office says where it is on the ladder: its word wins over the policy's first level.
  e.ladder_level = 1;
  e.ladder_holder = "District manager";
  c = escalation_clock(e, &p, now);
  CHECK(c.holder == "District manager");
  CHECK(c.level == 1);

  // Acknowledged: the clock stops counting down and the flag goes.
  apply_action(e, act("a1", EscalationActionKind::acknowledge, now, 0, "ana", "t1"));
  c = escalation_clock(e, &p, now + kMin);
  CHECK_FALSE(c.left_ms);
  CHECK_FALSE(c.store_level_missed);
}

TEST_CASE("[clock] a reopened escalation counts from the reopening; no policy: no target") {
  const SeverityPolicy p = high_policy();
  Escalation e = base();
  apply_action(e, act("a1", EscalationActionKind::resolve, kT0 + kMin, 0, "ana", "t1"));
  apply_action(e, act("a2", EscalationActionKind::reopen, kT0 + 60 * kMin, 1, "ana", "t1"));
  const EscalationClock c = escalation_clock(e, &p, kT0 + 61 * kMin);
  CHECK(c.started_at_ms == kT0 + 60 * kMin);
  CHECK(c.elapsed_ms == kMin);
  CHECK_FALSE(c.store_level_missed);
  const EscalationClock none = escalation_clock(e, nullptr, kT0 + 61 * kMin);
  CHECK_FALSE(none.target_ms);
  CHECK_FALSE(none.left_ms);
}

TEST_CASE("[merge] a resolution of the next generation before its reopening clears the old ack") {
  const auto ack =
      act("a1", EscalationActionKind::acknowledge, kT0 + 1 * kMin, 0, "ana", "terminal-1");
  const auto resolve0 =
      act("a2", EscalationActionKind::resolve, kT0 + 2 * kMin, 0, "ana", "terminal-1", "Done");
  const auto reopen =
      act("a3", EscalationActionKind::reopen, kT0 + 3 * kMin, 1, "HQ customer care", "");
  const auto resolve1 = act("a4", EscalationActionKind::resolve, kT0 + 4 * kMin, 1, "ben",
                            "terminal-2", "Done again");

  Escalation in_order = base();
  for (const auto& a : {ack, resolve0, reopen, resolve1}) apply_action(in_order, a);
  Escalation late_reopen = base();
  for (const auto& a : {ack, resolve0, resolve1, reopen}) apply_action(late_reopen, a);

  CHECK(in_order.acknowledged_by.empty());  // nobody acknowledged generation 1
  CHECK(late_reopen.acknowledged_by == in_order.acknowledged_by);
  CHECK(late_reopen.status == EscalationStatus::resolved);
  CHECK(late_reopen.generation == 1);
}

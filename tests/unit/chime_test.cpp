// When the terminal chimes (kiosk/core/chime.h): urgent posts, head office's updates and
// store-level breaches, once each, rate-limited, and silent after a restart with nothing new.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "kiosk/core/chime.h"

using namespace kiosk::core;

namespace {

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kT0 = 1'795'392'000'000;  // Monday 2026-11-23 00:00 UTC

// A terminal that ran before: its memory is primed with what it held then.
ChimeMemory primed_with(const ChimeSnapshot& held, std::int64_t now = kT0) {
  ChimeMemory memory;
  const ChimeDecision first = decide_chime(memory, held, now);
  REQUIRE_FALSE(first.chime);
  return memory;
}

ChimeEscalation escalation(const std::string& id, int level = 0) {
  ChimeEscalation e;
  e.id = id;
  e.level = level;
  return e;
}

// A restart: the memory goes through the store's text and back.
ChimeMemory restarted(const ChimeMemory& memory) {
  return decode_chime_memory(encode_chime_memory(memory));
}

}  // namespace

TEST_CASE("an urgent mention chimes once, a non-urgent one never") {
  ChimeSnapshot held{{{"google:old", 650}}, {}};
  ChimeMemory memory = primed_with(held);

  ChimeSnapshot now = held;
  now.urgent_mentions.push_back({"x:new", 680});
  const ChimeDecision d = decide_chime(memory, now, kT0 + kMin);
  CHECK(d.chime);
  REQUIRE(d.news.size() == 1);
  CHECK(d.news[0] == ChimeNews{ChimeReason::urgent_mention, "x:new"});
  CHECK(d.memory_changed);

  // The same again, later (a redraw, a sync that brought nothing): silent.
  CHECK_FALSE(decide_chime(memory, now, kT0 + 5 * kMin).chime);

  // The window only ever hands urgent mentions in (priority 600 and up): a complaint of
  // the high band (500-599) is not in the snapshot, so it adds nothing to chime about.
  CHECK(kChimeMinPriority == 600);
  CHECK(kChimeMinPriority > kPriorityNeedsAttention);
}

TEST_CASE("nothing new: no chime, and nothing to persist") {
  ChimeSnapshot held{{{"google:a", 610}}, {escalation("e1", 0)}};
  ChimeMemory memory = primed_with(held);
  const ChimeDecision d = decide_chime(memory, held, kT0 + kMin);
  CHECK_FALSE(d.chime);
  CHECK(d.news.empty());
  CHECK_FALSE(d.memory_changed);
  CHECK_FALSE(d.next_check_ms.has_value());
}

TEST_CASE("the first run takes in what is there without a chime") {
  ChimeMemory memory;
  ChimeSnapshot held{{{"google:a", 690}}, {escalation("e1", 2)}};
  held.escalations[0].hq_notes = 3;
  const ChimeDecision d = decide_chime(memory, held, kT0);
  CHECK_FALSE(d.chime);
  CHECK(d.memory_changed);
  CHECK(memory.primed);
  CHECK_FALSE(decide_chime(memory, held, kT0 + kMin).chime);
}

TEST_CASE("a restart with nothing new stays silent; news that came while it was off chimes") {
  ChimeSnapshot held{{{"google:a", 690}}, {escalation("e1", 1)}};
  held.escalations[0].hq_notes = 1;
  ChimeMemory memory = primed_with(held);
  ChimeSnapshot now = held;
  now.urgent_mentions.push_back({"x:b", 640});
  REQUIRE(decide_chime(memory, now, kT0 + kMin).chime);

  ChimeMemory after_restart = restarted(memory);
  CHECK(after_restart == memory);
  CHECK_FALSE(decide_chime(after_restart, now, kT0 + 30 * kMin).chime);

  // Off for an hour; an urgent post arrived meanwhile (the sync at start brings it).
  ChimeMemory again = restarted(after_restart);
  now.urgent_mentions.push_back({"x:c", 700});
  const ChimeDecision d = decide_chime(again, now, kT0 + 90 * kMin);
  CHECK(d.chime);
  REQUIRE(d.news.size() == 1);
  CHECK(d.news[0].id == "x:c");
}

TEST_CASE("head office's updates of an escalation chime; what this terminal did does not") {
  ChimeEscalation e = escalation("e1", -1);  // raised here, not yet delivered
  ChimeSnapshot now{{}, {e}};
  ChimeMemory memory = primed_with(now);
  std::int64_t t = kT0;
  const auto step = [&](const ChimeEscalation& changed) {
    now.escalations[0] = changed;
    t += 11'000;  // past the rate limit each time
    return decide_chime(memory, now, t);
  };

  // Delivered: head office puts it on the first level. Not news.
  e.level = 0;
  CHECK_FALSE(step(e).chime);
  // It climbed a level.
  e.level = 1;
  ChimeDecision d = step(e);
  CHECK(d.chime);
  REQUIRE(d.news.size() == 1);
  CHECK(d.news[0] == ChimeNews{ChimeReason::escalation_update, "e1"});
  // A note from the district manager.
  e.hq_notes = 1;
  CHECK(step(e).chime);
  // Acknowledged at head office (kiosk-hq ack).
  e.hq_acknowledged = true;
  CHECK(step(e).chime);
  // Resolved at head office: an action with no terminal id.
  e.hq_actions = 1;
  CHECK(step(e).chime);
  // Nothing more: silent.
  CHECK_FALSE(step(e).chime);
  // A manager here reopens it: a new generation, no chime for our own action.
  e.generation = 1;
  CHECK_FALSE(step(e).chime);
}

TEST_CASE("an escalation first seen with head office's part already in it chimes") {
  ChimeSnapshot now{{}, {}};
  ChimeMemory memory = primed_with(now);
  ChimeEscalation e = escalation("from-another-terminal", 0);
  now.escalations.push_back(e);
  CHECK_FALSE(decide_chime(memory, now, kT0 + kMin).chime);  // raised, delivered: not news
  ChimeEscalation noted = escalation("noted", 0);
  noted.hq_notes = 1;
  now.escalations.push_back(noted);
  const ChimeDecision d = decide_chime(memory, now, kT0 + 2 * kMin);
  CHECK(d.chime);
  REQUIRE(d.news.size() == 1);
  CHECK(d.news[0].id == "noted");
}

TEST_CASE("offline, a store-level breach chimes once, at the moment it passes") {
  ChimeEscalation e = escalation("e1", -1);  // offline: never reached head office
  e.store_level_due_ms = kT0 + 15 * kMin;
  ChimeSnapshot now{{}, {e}};
  ChimeMemory memory = primed_with(now, kT0);

  // Before: silent, and the loop is told when to look again.
  ChimeDecision before = decide_chime(memory, now, kT0 + 5 * kMin);
  CHECK_FALSE(before.chime);
  REQUIRE(before.next_check_ms.has_value());
  CHECK(*before.next_check_ms == kT0 + 15 * kMin);

  // At that moment: a chime.
  ChimeDecision at = decide_chime(memory, now, kT0 + 15 * kMin);
  CHECK(at.chime);
  REQUIRE(at.news.size() == 1);
  CHECK(at.news[0] == ChimeNews{ChimeReason::store_level_missed, "e1"});
  CHECK_FALSE(at.next_check_ms.has_value());

  // Later, and after a restart: not again.
  CHECK_FALSE(decide_chime(memory, now, kT0 + 40 * kMin).chime);
  ChimeMemory after_restart = restarted(memory);
  CHECK_FALSE(decide_chime(after_restart, now, kT0 + 50 * kMin).chime);

  // Acknowledged here: no longer due. Reopened: a new generation with its own clock.
  e.store_level_due_ms.reset();
  now.escalations[0] = e;
  CHECK_FALSE(decide_chime(after_restart, now, kT0 + 60 * kMin).chime);
  e.generation = 1;
  e.store_level_due_ms = kT0 + 80 * kMin;
  now.escalations[0] = e;
  CHECK_FALSE(decide_chime(after_restart, now, kT0 + 70 * kMin).chime);
  CHECK(decide_chime(after_restart, now, kT0 + 80 * kMin).chime);
}

TEST_CASE("the rate limit holds news and announces it in one chime when the gap ends") {
  ChimeSnapshot now{{}, {}};
  ChimeMemory memory = primed_with(now);
  now.urgent_mentions.push_back({"a", 600});
  REQUIRE(decide_chime(memory, now, kT0).chime);

  // Three more arrive within the gap: held, one wake-up at the end of the gap.
  now.urgent_mentions.push_back({"b", 610});
  ChimeDecision d = decide_chime(memory, now, kT0 + 2'000);
  CHECK_FALSE(d.chime);
  CHECK(d.held == 1);
  REQUIRE(d.next_check_ms.has_value());
  CHECK(*d.next_check_ms == kT0 + kChimeMinGapMs);
  now.urgent_mentions.push_back({"c", 620});
  ChimeEscalation e = escalation("e1", 0);
  e.hq_notes = 1;
  now.escalations.push_back(e);
  d = decide_chime(memory, now, kT0 + 5'000);
  CHECK_FALSE(d.chime);
  CHECK(d.held == 3);

  d = decide_chime(memory, now, kT0 + kChimeMinGapMs);
  CHECK(d.chime);
  CHECK(d.news.size() == 3);
  CHECK_FALSE(decide_chime(memory, now, kT0 + kChimeMinGapMs + 1).chime);
}

TEST_CASE("the memory is only as big as what the terminal holds, and a damaged one is read") {
  ChimeSnapshot now{{{"a", 600}, {"b", 600}}, {}};
  ChimeMemory memory = primed_with(now);
  CHECK(memory.mentions.size() == 2);
  now.urgent_mentions.erase(now.urgent_mentions.begin());
  const ChimeDecision d = decide_chime(memory, now, kT0 + kMin);
  CHECK_FALSE(d.chime);
  CHECK(d.memory_changed);
  CHECK(memory.mentions == std::set<std::string>{"b"});

  ChimeMemory damaged = decode_chime_memory("chime-memory 1\nm\tb\ne\tx\t0\t0\t0\te1\ngarbage\n");
  CHECK(damaged.primed);
  CHECK(damaged.mentions == std::set<std::string>{"b"});
  CHECK(damaged.escalations.empty());
  CHECK_FALSE(decode_chime_memory("").primed);
}

TEST_CASE("chime_view: head office's part and the store-level due time") {
  auto policy =
      parse_store_policy("severity high\n  level Store manager 15m\n  level District 30m\n");
  REQUIRE_MESSAGE(policy.ok(), policy.error());
  Escalation e;
  e.id = "e1";
  e.severity = Severity::high;
  e.created_at_ms = kT0;
  e.status_changed_at_ms = kT0;
  e.ladder_level = 1;
  e.hq_notes.push_back({"District manager", "On my way", kT0 + kMin});
  e.history.push_back({"a1", EscalationActionKind::note, 0, "ana", "terminal-1", kT0, "h1", "x"});
  e.history.push_back({"a2", EscalationActionKind::note, 0, "HQ", "", kT0, "h2", "y"});
  const ChimeEscalation c = chime_view(e, policy->for_severity(Severity::high));
  CHECK(c.level == 1);
  CHECK(c.hq_notes == 1);
  CHECK(c.hq_actions == 1);
  CHECK_FALSE(c.hq_acknowledged);
  REQUIRE(c.store_level_due_ms.has_value());
  CHECK(*c.store_level_due_ms == kT0 + 15 * kMin);
  e.status = EscalationStatus::acknowledged;
  CHECK_FALSE(chime_view(e, policy->for_severity(Severity::high)).store_level_due_ms);
  CHECK_FALSE(chime_view(e, nullptr).store_level_due_ms);
}

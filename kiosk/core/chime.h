#pragma once
// When the terminal chimes and wakes its idle screen (issues 7 and 9): an urgent post
// arrived, head office updated an escalation (it climbed a level, was acknowledged or
// resolved there, got a note), or the store-level step of an escalation's ladder passed with
// nobody at the store acknowledging (offline too). Pure: the caller passes what the terminal
// holds now and the time, and keeps the memory of what was announced (the store persists it,
// so a restart with nothing new stays silent).
//
//   ChimeMemory memory = decode_chime_memory(store.chime_memory_text());
//   ChimeDecision d = decide_chime(memory, snapshot, now_ms);
//   if (d.chime) play_and_wake();
//   if (d.memory_changed) store.save_chime_memory_text(encode_chime_memory(memory));
//   wake the loop at d.next_check_ms (a breach falls due, or held news after the rate limit)
//
// The rules:
// - Urgent = the triage's urgent band (priority kChimeMinPriority and up), the same mentions the
//   feed puts first; each urgent mention is announced once.
// - An escalation update counts when head office's part grew: its ladder level went up from a
//   known level (the first level it is given on delivery does not count), a note from head
//   office, an action done at head office (acknowledge, resolve, reopen, ...), or head office
//   acknowledged it. What this terminal did itself never chimes.
// - A store-level breach (open, the first ladder level's timeout passed) chimes once per
//   escalation and generation, at the moment it passes.
// - At most one chime per min_gap_ms: news within the gap is held and announced together, in
//   one chime, when the gap ends.
// - A memory never primed (a terminal's first run) takes in what is there without a chime.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_policy.h"
#include "kiosk/core/triage.h"

namespace kiosk::core {

inline constexpr std::int64_t kChimeMinGapMs = 10'000;
// Urgent mentions: the urgent band of the triage priority (triage.h: 600-699, the urgent
// complaints the "Needs attention" feed puts first).
inline constexpr int kChimeMinPriority = kPriorityNeedsAttention + 200;

// One urgent mention the terminal holds.
struct ChimeMention {
  std::string id;
  int priority = 0;
};

// What head office has done to one escalation, as far as a chime goes, and when its
// store-level step is missed.
struct ChimeEscalation {
  std::string id;
  int generation = 0;
  int level = -1;                // head office's ladder level; -1 unknown
  int hq_notes = 0;              // notes from head office
  int hq_actions = 0;            // actions done at head office (no terminal id)
  bool hq_acknowledged = false;  // acknowledged at head office (kiosk-hq ack)
  // While open: when the first level's timeout passes (the store manager has not
  // acknowledged in time); nullopt when acknowledged, resolved, or without a policy.
  std::optional<std::int64_t> store_level_due_ms;
  bool operator==(const ChimeEscalation&) const = default;
};

// The parts of one escalation that decide_chime looks at; policy: its severity's ladder
// (nullptr without one).
ChimeEscalation chime_view(const Escalation& e, const SeverityPolicy* policy);

struct ChimeSnapshot {
  std::vector<ChimeMention> urgent_mentions;  // priority >= kChimeMinPriority
  std::vector<ChimeEscalation> escalations;
};

enum class ChimeReason { urgent_mention, escalation_update, store_level_missed };
std::string_view to_string(ChimeReason r);  // "urgent_mention", ...

struct ChimeNews {
  ChimeReason reason = ChimeReason::urgent_mention;
  std::string id;  // the mention or the escalation
  bool operator==(const ChimeNews&) const = default;
};

// What was announced already, per thing the terminal holds.
struct ChimeMemory {
  struct Seen {
    int level = -1;
    int hq_notes = 0;
    int hq_actions = 0;
    bool hq_acknowledged = false;
    bool operator==(const Seen&) const = default;
  };
  bool primed = false;
  std::set<std::string> mentions;           // urgent mentions announced
  std::map<std::string, Seen> escalations;  // head office's part as last announced
  std::set<std::string> breaches;           // "<escalation id>#<generation>" announced
  std::optional<std::int64_t> last_chime_ms;
  bool operator==(const ChimeMemory&) const = default;
};

struct ChimeDecision {
  bool chime = false;           // play the chime and wake the idle screen now
  std::vector<ChimeNews> news;  // what it announces (empty without a chime)
  // News held by the rate limit: how much waits for the next chime.
  std::size_t held = 0;
  // Ask again at this time even if nothing changes: a store-level step falls due, or the
  // rate limit ends with news held. nullopt: only when the store changes.
  std::optional<std::int64_t> next_check_ms;
  bool memory_changed = false;  // persist the memory
};

ChimeDecision decide_chime(ChimeMemory& memory, const ChimeSnapshot& now, std::int64_t now_ms,
                           std::int64_t min_gap_ms = kChimeMinGapMs);

// A line per thing announced; decode ignores lines it cannot read (a damaged memory at
// worst chimes once more, it never stops the kiosk). Empty text: never primed.
std::string encode_chime_memory(const ChimeMemory& memory);
ChimeMemory decode_chime_memory(std::string_view text);

}  // namespace kiosk::core

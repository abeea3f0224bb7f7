#pragma once
// What happens to an escalation after it was raised, as pure functions both sides run: a
// terminal applies its manager's actions at once (offline too) and head office applies the
// same actions when they arrive, so every copy that has seen the same actions is the same,
// whatever the order they arrived in (docs/escalation.md, "Merging").
//
//   EscalationAction a{event_id, EscalationActionKind::resolve, e.generation, "ana", terminal,
//                      now_ms, hlc, "Refunded at the till"};
//   apply_action(e, a);                    // history + status join + last writer wins
//   e = merge_escalation(e, from_hq);      // a copy from head office met the local one
//   EscalationClock c = escalation_clock(e, policy.for_severity(e.severity), now_ms);
//
// The rules:
// - Status is a join on (generation, status): open < acknowledged < resolved within a
//   generation, and a later generation wins whatever its status. Reopening writes
//   (generation + 1, open), so a stale "resolved" of the old generation cannot close it.
// - Free text (the resolution note, who holds it after a reassignment) is last-writer-wins
//   by (HLC, action id).
// - The history is append-only: each action id once, ordered by (HLC, id).
// - Who acknowledged and when the status last changed are read from the history, so they do
//   not depend on arrival order either.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_policy.h"

namespace kiosk::core {

// The order key of an action for last-writer-wins: its HLC (normalised so text order is time
// order) and its id. Compare keys as text.
std::string lww_key(const EscalationAction& a);

// Applies one action; false (and nothing changes) when the history already holds its id.
bool apply_action(Escalation& e, const EscalationAction& a);

// Two copies of one escalation met: every action either has seen, the status join, and the
// fields only head office sets (ladder level, response target, notes, who acknowledged at
// head office) from `theirs` when it is head office's copy. Commutative in the actions.
Escalation merge_escalation(Escalation mine, const Escalation& theirs);

// Whether a person may do this now; nullopt when yes, otherwise one sentence saying why not
// (acknowledge needs an open escalation, resolve one not yet resolved, reopen a resolved one).
std::optional<std::string> action_refused(const Escalation& e, EscalationActionKind kind);

// Who acknowledged (or resolved) the current generation, as a card tells it apart, so a dead
// zone is never mistaken for neglect: done here and still waiting to reach head office, done
// here and delivered, or done at head office.
enum class AcknowledgementState { not_acknowledged, here_not_synced, here_synced, by_head_office };
AcknowledgementState acknowledgement_state(const Escalation& e,
                                           const std::vector<std::string>& unsynced_action_ids);
std::string_view to_string(AcknowledgementState s);

// The escalation's clock as a card shows it, on the caller's clock (the terminal's).
struct EscalationClock {
  std::int64_t started_at_ms = 0;         // raised, or reopened (this generation)
  std::int64_t elapsed_ms = 0;            // since then
  std::optional<std::int64_t> target_ms;  // the response target of its severity's policy
  // Response target minus elapsed while it waits for an acknowledgement: negative means
  // "overdue by"; nullopt once acknowledged or resolved, or without a policy.
  std::optional<std::int64_t> left_ms;
  int level = -1;      // where it is on the ladder (0: the first level), -1: unknown
  std::string holder;  // who holds it now: head office's word, else the policy's first level
  // The store-level step of the ladder, mirrored: still open after the first level's timeout
  // (the store manager has not acknowledged in time). Flag the card.
  bool store_level_missed = false;
  // When store_level_missed turns true, if it has not yet: the loop wakes then.
  std::optional<std::int64_t> store_level_due_ms;
};

EscalationClock escalation_clock(const Escalation& e, const SeverityPolicy* policy,
                                 std::int64_t now_ms);

}  // namespace kiosk::core

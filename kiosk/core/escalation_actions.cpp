#include "kiosk/core/escalation_actions.h"

#include <algorithm>
#include <utility>

#include "kiosk/core/hlc.h"

namespace kiosk::core {
namespace {

// The (generation, status) an action moves the escalation to, if it moves it at all.
std::optional<std::pair<int, EscalationStatus>> target_of(const EscalationAction& a) {
  switch (a.kind) {
    case EscalationActionKind::acknowledge:
      return std::pair{a.generation, EscalationStatus::acknowledged};
    case EscalationActionKind::resolve:
      return std::pair{a.generation, EscalationStatus::resolved};
    case EscalationActionKind::reopen:
      return std::pair{a.generation, EscalationStatus::open};
    case EscalationActionKind::note:
    case EscalationActionKind::reassign:
      break;
  }
  return std::nullopt;
}

bool history_has(const Escalation& e, const std::string& id) {
  return std::any_of(e.history.begin(), e.history.end(),
                     [&](const EscalationAction& h) { return h.id == id; });
}

void insert_sorted(Escalation& e, const EscalationAction& a) {
  const std::string key = lww_key(a);
  const auto at = std::find_if(e.history.begin(), e.history.end(),
                               [&](const EscalationAction& h) { return lww_key(h) > key; });
  e.history.insert(at, a);
}

// Who acknowledged and when the status last changed, from the history alone (so arrival
// order cannot change them); left as they are when no action explains the status (head
// office's own acknowledgement before actions existed).
void derive_from_history(Escalation& e) {
  const EscalationAction* reached = nullptr;
  const EscalationAction* first_ack = nullptr;
  for (const auto& h : e.history) {
    const auto t = target_of(h);
    if (!t || t->first != e.generation) continue;
    if (!reached && t->second == e.status) reached = &h;
    if (!first_ack && h.kind == EscalationActionKind::acknowledge) first_ack = &h;
  }
  if (reached) e.status_changed_at_ms = reached->at_ms;
  if (first_ack && e.status != EscalationStatus::open)
    e.acknowledged_by = first_ack->by.empty() ? std::string("anonymous") : first_ack->by;
  else if (e.generation > 0 && e.status == EscalationStatus::open)
    e.acknowledged_by.clear();  // a new generation: the last acknowledgement no longer counts
}

void join_status(Escalation& e, int generation, EscalationStatus status) {
  if (std::pair{generation, status} > std::pair{e.generation, e.status}) {
    // A new generation: the last one's acknowledgement no longer counts, even when this copy
    // meets the new generation's resolution before its reopening.
    if (generation > e.generation) e.acknowledged_by.clear();
    e.generation = generation;
    e.status = status;
  }
}

}  // namespace

std::string lww_key(const EscalationAction& a) {
  const auto t = parse_hlc(a.hlc);
  return (t ? format_hlc(*t) : a.hlc) + "/" + a.id;
}

bool apply_action(Escalation& e, const EscalationAction& a) {
  if (history_has(e, a.id)) return false;
  insert_sorted(e, a);
  if (const auto t = target_of(a)) join_status(e, t->first, t->second);
  const std::string key = lww_key(a);
  if (a.kind == EscalationActionKind::resolve && !a.text.empty() && key > e.resolution_key) {
    e.resolution_note = a.text;
    e.resolution_key = key;
  }
  if (a.kind == EscalationActionKind::reassign && key > e.holder_key) {
    e.ladder_holder = a.text;
    e.holder_key = key;
    if (e.ladder_level < 0) e.ladder_level = 0;
  }
  derive_from_history(e);
  return true;
}

Escalation merge_escalation(Escalation mine, const Escalation& theirs) {
  const bool theirs_ahead =
      std::pair{theirs.generation, theirs.status} > std::pair{mine.generation, mine.status};
  // Head office's own fields: it is the authority on the ladder and its notes.
  if (theirs.holder_key >= mine.holder_key) {
    mine.ladder_level = theirs.ladder_level;
    mine.ladder_holder = theirs.ladder_holder;
    mine.holder_key = theirs.holder_key;
  }
  mine.respond_by_ms = theirs.respond_by_ms;
  mine.next_climb_at_ms = theirs.next_climb_at_ms;
  if (theirs.hq_notes.size() >= mine.hq_notes.size()) mine.hq_notes = theirs.hq_notes;
  if (!mine.category) mine.category = theirs.category;
  if (mine.staff_id.empty()) mine.staff_id = theirs.staff_id;
  if (theirs.resolution_key > mine.resolution_key) {
    mine.resolution_note = theirs.resolution_note;
    mine.resolution_key = theirs.resolution_key;
  }
  if (theirs_ahead) {
    mine.generation = theirs.generation;
    mine.status = theirs.status;
    mine.status_changed_at_ms = theirs.status_changed_at_ms;
    mine.acknowledged_by = theirs.acknowledged_by;
  } else if (std::pair{theirs.generation, theirs.status} ==
                 std::pair{mine.generation, mine.status} &&
             mine.acknowledged_by.empty()) {
    mine.acknowledged_by = theirs.acknowledged_by;
  }
  for (const auto& a : theirs.history) apply_action(mine, a);
  derive_from_history(mine);
  return mine;
}

std::optional<std::string> action_refused(const Escalation& e, EscalationActionKind kind) {
  switch (kind) {
    case EscalationActionKind::acknowledge:
      if (e.status != EscalationStatus::open)
        return "This escalation is already " + std::string(to_string(e.status)) + ".";
      break;
    case EscalationActionKind::resolve:
      if (e.status == EscalationStatus::resolved) return "This escalation is already resolved.";
      break;
    case EscalationActionKind::reopen:
      if (e.status != EscalationStatus::resolved)
        return "Only a resolved escalation can be reopened; this one is " +
               std::string(to_string(e.status)) + ".";
      break;
    case EscalationActionKind::note:
    case EscalationActionKind::reassign:
      break;
  }
  return std::nullopt;
}

AcknowledgementState acknowledgement_state(const Escalation& e,
                                           const std::vector<std::string>& unsynced_action_ids) {
  if (e.status == EscalationStatus::open) return AcknowledgementState::not_acknowledged;
  for (const auto& h : e.history) {
    if (h.generation != e.generation ||
        (h.kind != EscalationActionKind::acknowledge && h.kind != EscalationActionKind::resolve))
      continue;
    if (h.terminal_id.empty()) return AcknowledgementState::by_head_office;
    const bool waiting = std::find(unsynced_action_ids.begin(), unsynced_action_ids.end(), h.id) !=
                         unsynced_action_ids.end();
    return waiting ? AcknowledgementState::here_not_synced : AcknowledgementState::here_synced;
  }
  return AcknowledgementState::by_head_office;  // head office's own acknowledgement (kiosk-hq ack)
}

std::string_view to_string(AcknowledgementState s) {
  switch (s) {
    case AcknowledgementState::not_acknowledged:
      return "not_acknowledged";
    case AcknowledgementState::here_not_synced:
      return "acknowledged_here_not_synced";
    case AcknowledgementState::here_synced:
      return "acknowledged_here";
    case AcknowledgementState::by_head_office:
      break;
  }
  return "acknowledged_by_head_office";
}

EscalationClock escalation_clock(const Escalation& e, const SeverityPolicy* policy,
                                 std::int64_t now_ms) {
  EscalationClock c;
  c.started_at_ms = e.created_at_ms;
  for (const auto& h : e.history)
    if (h.kind == EscalationActionKind::reopen && h.generation == e.generation)
      c.started_at_ms = h.at_ms;
  c.elapsed_ms = std::max<std::int64_t>(0, now_ms - c.started_at_ms);
  c.level = e.ladder_level;
  c.holder = e.ladder_holder;
  if (policy == nullptr || policy->levels.empty()) return c;
  c.target_ms = policy->response_target_ms();
  if (c.holder.empty()) {
    c.level = 0;
    c.holder = policy->levels.front().name;
  }
  if (e.status != EscalationStatus::open) return c;
  c.left_ms = *c.target_ms - c.elapsed_ms;
  const std::int64_t due = c.started_at_ms + policy->levels.front().timeout_ms;
  c.store_level_missed = now_ms >= due;
  if (!c.store_level_missed) c.store_level_due_ms = due;
  return c;
}

}  // namespace kiosk::core

// What every HqStorage backend shares: how an action on an escalation changes what head office
// keeps around it (the ladder's start, the first acknowledgement).
#include "sync/hq/storage/hq_storage.h"

#include "kiosk/core/escalation_actions.h"

namespace kiosk::sync::hq {

bool apply_action_to_stored(StoredEscalation& e, const core::EscalationAction& a,
                            std::int64_t now_ms) {
  core::Escalation& x = e.escalation;
  const int generation_before = x.generation;
  const core::EscalationStatus status_before = x.status;
  if (!core::apply_action(x, a)) return false;
  if (x.generation != generation_before) {
    // Reopened: the ladder starts again from its first level, counted from now. Who holds it
    // after a reassignment stays (level 0, as a reassignment applied after the reopening would
    // leave it), so the order the two arrive in changes nothing.
    e.received_at_ms = now_ms;
    e.acknowledged_at_ms.reset();
    e.ladder_phase = 0;
    e.ladder_step = 0;
    x.respond_by_ms.reset();
    x.next_climb_at_ms.reset();
    x.ladder_level = x.holder_key.empty() ? -1 : 0;
    if (x.holder_key.empty()) x.ladder_holder.clear();
  }
  if (x.status != core::EscalationStatus::open && !e.acknowledged_at_ms &&
      (status_before == core::EscalationStatus::open || x.generation != generation_before))
    e.acknowledged_at_ms = now_ms;
  return true;
}

bool apply_ladder_advance_to_stored(StoredEscalation& e, const LadderAdvance& a) {
  core::Escalation& x = e.escalation;
  if (a.level == x.ladder_level && a.holder == x.ladder_holder &&
      a.respond_by_ms == x.respond_by_ms.value_or(0) &&
      a.next_climb_at_ms == x.next_climb_at_ms.value_or(0))
    return false;
  x.ladder_level = a.level;
  x.ladder_holder = a.holder;
  if (a.respond_by_ms) x.respond_by_ms = a.respond_by_ms;
  x.next_climb_at_ms.reset();
  if (a.next_climb_at_ms) x.next_climb_at_ms = a.next_climb_at_ms;
  return true;
}

}  // namespace kiosk::sync::hq

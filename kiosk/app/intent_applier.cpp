#include "kiosk/app/intent_applier.h"

#include <type_traits>

#include "sync/protocol/contracts.h"

namespace kiosk::app {

IntentEffects apply_intents(const ui::Intents& intents, store::Store& store, std::int64_t now_ms,
                            const std::function<void()>& request_sync) {
  IntentEffects effects;
  for (const auto& intent : intents) {
    std::visit(
        [&](const auto& i) {
          using T = std::decay_t<decltype(i)>;
          if constexpr (std::is_same_v<T, ui::RequestEscalate>) {
            // The same contract head office applies, checked before anything is queued, so
            // staff hear about a note that is too long now, not as a refusal hours later.
            if (auto why = sync::protocol::check_escalation_note(i.note)) {
              effects.error = "Escalation not saved: " + *why;
              return;
            }
            try {
              store.escalate(i.mention_id, i.severity, i.note, now_ms, i.category, i.staff_id);
              effects.data_changed = true;
              if (request_sync) request_sync();  // deliver it now if head office is reachable
            } catch (const store::StoreError& e) {
              effects.error = std::string("Escalation not saved: ") + e.what();
            }
          } else if constexpr (std::is_same_v<T, ui::RequestSyncNow>) {
            if (request_sync) request_sync();
          } else if constexpr (std::is_same_v<T, ui::RequestEscalationAction>) {
            core::EscalationAction a;
            a.kind = i.kind;
            a.by = i.staff_id;
            a.text = i.text;
            try {
              // The body is checked against its kind's contract before anything is saved: a
              // refused one rolls the whole action back.
              store.record_action(
                  i.escalation_id, a,
                  [&](const core::EscalationAction& done) {
                    const std::string body = sync::protocol::body_of(
                        sync::protocol::EscalationActed{i.escalation_id, done});
                    if (auto why = sync::protocol::check_body(core::event_kind(done.kind), body))
                      throw store::StoreError(0, *why);
                    return body;
                  },
                  now_ms);
              effects.data_changed = true;
              if (request_sync) request_sync();
            } catch (const store::StoreError& e) {
              effects.error = std::string("Not saved: ") + e.what();
            }
          }
        },
        intent);
  }
  return effects;
}

}  // namespace kiosk::app

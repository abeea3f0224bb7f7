#include "kiosk/app/view/intent_applier.h"

#include <type_traits>

#include "kiosk/ui/model/strings.h"
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
              effects.detail = *why;
              effects.error = ui::tr(ui::Str::escalation_not_saved, effects.detail);
              return;
            }
            try {
              store.escalate(i.mention_id, i.severity, i.note, now_ms, i.category, i.staff_id);
              effects.data_changed = true;
              if (request_sync) request_sync();  // deliver it now if head office is reachable
            } catch (const store::StoreError& e) {
              effects.detail = e.what();
              effects.error = ui::tr(ui::Str::escalation_not_saved, effects.detail);
            }
          } else if constexpr (std::is_same_v<T, ui::RequestSharePraise>) {
            // The same event `kiosk share-praise` queues, checked by its contract first.
            const sync::protocol::PraiseShared praise{i.mention_id, "", i.staff_id, now_ms};
            const std::string body = sync::protocol::body_of(praise);
            if (auto why = sync::protocol::check_body("praise.shared", body)) {
              effects.error = "Praise not shared: " + *why;
              return;
            }
            try {
              store.queue_event({"praise.shared", i.mention_id, body}, now_ms);
              effects.data_changed = true;
              if (request_sync) request_sync();
            } catch (const store::StoreError& e) {
              effects.error = std::string("Praise not shared: ") + e.what();
            }
          } else if constexpr (std::is_same_v<T, ui::RequestSyncNow>) {
            if (request_sync) request_sync();
          } else if constexpr (std::is_same_v<T, ui::RequestEscalationAction>) {
            // Only a manager acts on an escalation, whichever way the tap or command came.
            const auto who = i.staff_id.empty() ? std::nullopt : store.staff_member(i.staff_id);
            if (!who || !who->active || who->member.role != core::StaffRole::manager) {
              effects.error = "Not saved: only a manager on this terminal can " +
                              std::string(core::to_string(i.kind)) + " an escalation" +
                              (i.staff_id.empty() ? "; tap in with a manager's PIN"
                                                  : " (\"" + i.staff_id + "\" is not one)") +
                              ".";
              return;
            }
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
          // RequestTapIn and RequestTapOut change the window's session, not the store's data:
          // WindowLoop applies them (staff_session.h).
        },
        intent);
  }
  return effects;
}

}  // namespace kiosk::app

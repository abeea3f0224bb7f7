#include "kiosk/app/intent_applier.h"

#include <type_traits>

namespace kiosk::app {

IntentEffects apply_intents(const ui::Intents& intents, store::Store& store, std::int64_t now_ms,
                            const std::function<void()>& request_sync) {
  IntentEffects effects;
  for (const auto& intent : intents) {
    std::visit(
        [&](const auto& i) {
          using T = std::decay_t<decltype(i)>;
          if constexpr (std::is_same_v<T, ui::RequestEscalate>) {
            try {
              store.escalate(i.mention_id, i.severity, i.note, now_ms);
              effects.data_changed = true;
              if (request_sync) request_sync();  // deliver it now if head office is reachable
            } catch (const store::StoreError& e) {
              effects.error = std::string("Escalation not saved: ") + e.what();
            }
          } else if constexpr (std::is_same_v<T, ui::RequestSyncNow>) {
            if (request_sync) request_sync();
          }
        },
        intent);
  }
  return effects;
}

}  // namespace kiosk::app

#pragma once
// Applies what the screens asked for, after the frame is drawn. The store commits first;
// the sync worker is only nudged, so a tap never waits on the network.
#include <cstdint>
#include <functional>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/model/intents.h"

namespace kiosk::app {

struct IntentEffects {
  bool data_changed = false;  // rebuild the view state
  // One sentence to show staff when an intent could not be saved, in the screen's language
  // (the current catalog), and its detail alone in the store's or the contract's English
  // words, for the command line, which has no catalog (empty when the sentence has none).
  std::string error;
  std::string detail;
};

IntentEffects apply_intents(const ui::Intents& intents, store::Store& store, std::int64_t now_ms,
                            const std::function<void()>& request_sync);

}  // namespace kiosk::app

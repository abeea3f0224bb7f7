#pragma once
// The chime's eyes on the store (kiosk/core/chime.h): what the terminal holds now (urgent
// mentions, escalations with their store's ladder) against what was announced, which it
// keeps in the store's settings so a restart with nothing new stays silent.
#include <cstdint>

#include "kiosk/core/chime.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::app {

// Urgent mentions looked at: the newest arrivals (older ones were announced or taken in).
inline constexpr std::size_t kChimeMentionWindow = 200;

core::ChimeSnapshot chime_snapshot(store::Store& store);

class ChimeWatch {
 public:
  explicit ChimeWatch(store::Store& store);
  // Decides at now_ms and saves the memory when it changed. Throws StoreError as the store
  // does (the caller keeps drawing; the next check tries again).
  core::ChimeDecision check(std::int64_t now_ms);

 private:
  store::Store& store_;
  core::ChimeMemory memory_;
};

// "1 urgent post, 1 escalation update": what a chime announced, for the log.
std::string describe_chime(const core::ChimeDecision& decision);

}  // namespace kiosk::app

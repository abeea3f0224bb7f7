#pragma once
// Turns what the store holds into the plain ViewState the screens draw. Runs only when the
// store's change counter moves or the clock needs a new "time ago", never every frame.
#include <cstdint>
#include <optional>

#include "kiosk/core/error.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/view_state.h"

namespace kiosk::app {

// How many of the newest mentions the feed holds; the list clipper draws only what is visible.
inline constexpr int kFeedWindow = 500;

ui::ViewState build_view_state(store::Store& store, std::int64_t now_ms,
                               int feed_limit = kFeedWindow);

// The sync worker's last failure, when it has one, is what the status bar says: it may be
// one the store could not record (a full disk while applying a batch).
void show_sync_failure(ui::SyncStatus& sync, const std::optional<core::Error>& failure);

}  // namespace kiosk::app

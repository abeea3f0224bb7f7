#pragma once
// Turns what the store holds into the plain ViewState the screens draw. Runs only when the
// store's change counter moves or the feed scrolls past the rows the view holds, never every
// frame. The feed comes as one page around what is on screen (one query for the page), so the
// cost follows the screen, not the size of the database.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "kiosk/core/drawable_text.h"
#include "kiosk/core/error.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/model/view_state.h"

namespace kiosk::app {

// Which rows of the feed (newest first) the view holds.
struct FeedWindow {
  std::int64_t first = 0;
  std::int64_t count = 48;  // a few screens of cards
};

// The rows to hold so that [visible_first, visible_end) is covered with a margin of a screen
// or two either side, for scrolling without a query every frame.
FeedWindow feed_window_around(std::int64_t visible_first, std::int64_t visible_end);

// Whether the view holds every row of [visible_first, visible_end) that the feed has.
bool holds_rows(const ui::ViewState& view, std::int64_t visible_first, std::int64_t visible_end);

// The feed under one chip and search: its rows in the window, and every chip's count.
struct FeedSelection {
  ui::FeedChip chip = ui::FeedChip::all;
  std::string search;
  std::string detail_mention_id = {};  // the mention whose detail is open; empty: none
  // false: every chip's count is left out (ViewState::chip_counts empty), only the chosen
  // chip's length is counted; the window's first frame does not wait for the others.
  bool chip_counts = true;
};

// drawable: what the window's font can draw; the posts' texts are made drawable once here
// (core/drawable_text.h: emoji as "[thumbs up]", never a box). Empty: only the emoji
// presentation marks are dropped (no window, e.g. the CLI).
ui::ViewState build_view_state(store::Store& store, FeedWindow window = {},
                               const FeedSelection& selection = {},
                               std::span<const core::GlyphRange> drawable = {});

// The sync worker's last failure, when it has one, is what the status bar says: it may be
// one the store could not record (a full disk while applying a batch).
void show_sync_failure(ui::SyncStatus& sync, const std::optional<core::Error>& failure);

}  // namespace kiosk::app

#pragma once
// UI-local state that lives across frames: which dialog is open and what is typed in it. Data
// from the store never lives here (that is ViewState). Also holds per-frame records for tests
// and diagnostics: the text submitted and the screen rectangles of named touch targets.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/ui/view_state.h"

struct ImFont;

namespace kiosk::ui {

// A screen rectangle in pixels (top-left origin), like ImGui's ImRect.
struct HitRect {
  float min_x = 0.0f;
  float min_y = 0.0f;
  float max_x = 0.0f;
  float max_y = 0.0f;

  float center_x() const { return (min_x + max_x) * 0.5f; }
  float center_y() const { return (min_y + max_y) * 0.5f; }
  float width() const { return max_x - min_x; }
  float height() const { return max_y - min_y; }
};

struct UiState {
  // Escalate dialog.
  std::string dialog_mention_id;  // mention whose dialog is open; empty = closed
  core::Severity dialog_severity = core::Severity::medium;  // chosen in the dialog
  std::string dialog_note;                                  // optional note typed in the dialog

  // Time, set by the app before each frame: ages on screen ("5 min ago") are computed from it.
  std::int64_t now_ms = 0;
  // Set by the screens while drawing: the first moment a text drawn this frame changes by
  // itself (a "min ago" label), so the loop sleeps until then; nullopt when nothing would.
  std::optional<std::int64_t> next_label_change_ms;
  std::vector<std::int64_t> label_times;  // the times the age labels of this frame count from
  // Set by the feed while drawing: the rows of the whole feed it had on screen, [first, end),
  // so the app can fetch them when the view does not hold them.
  std::int64_t feed_visible_first = 0;
  std::int64_t feed_visible_end = 0;

  // The feed: the chip tapped and the text typed in the search box (the app rebuilds the view
  // when they differ from what it holds), and where the list is scrolled to: the row at the
  // top of the screen and how many pixels of it are scrolled past. Cards differ in height, so
  // the position is a row, not a pixel offset into the whole feed.
  FeedChip chip = FeedChip::all;
  std::string search;
  std::int64_t feed_top = 0;
  float feed_top_offset = 0.0f;

  // Fonts from the platform layer; nullptr = ImGui's current font.
  ImFont* heading_font = nullptr;  // store name and dialog title

  // Records for tests and diagnostics, cleared at the start of each draw_kiosk_screen().
  bool record = false;                  // fill the two records below
  std::vector<std::string> drawn_text;  // every piece of text submitted this frame
  // Touch targets by name: "escalate:<mention_id>", "share:<mention_id>",
  // "severity:low|medium|high|critical", "confirm", "cancel", "sync_now", "chip:<chip>"
  // (needs_attention, negative, praise, reviews, escalated, all), "search", "feed:end". Only the
  // visible part; clipped-away targets are absent.
  std::map<std::string, HitRect> hit_rects;
};

}  // namespace kiosk::ui

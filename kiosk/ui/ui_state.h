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

// The big tabs along the bottom (nav_bar.h); each screen is a file of its own.
enum class Screen { feed, escalations, training };

struct UiState {
  Screen screen = Screen::feed;  // the tab shown

  // "Report an issue" dialog (report_dialog.h): something that happened in the store, no post.
  bool report_open = false;
  std::optional<core::Category> report_category;            // chosen chip; Send needs one
  core::Severity report_severity = core::Severity::medium;  // follows the category until tapped
  bool report_severity_chosen = false;                      // staff tapped a severity
  std::string report_note;                                  // optional

  // Escalations screen: the card opened for its history and text actions, and what is typed.
  std::string open_escalation_id;
  std::string escalation_text;  // a note, who holds it now, or a resolution note

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

  // Fonts from the platform layer; nullptr = ImGui's current font.
  ImFont* heading_font = nullptr;  // store name and dialog title

  // Records for tests and diagnostics, cleared at the start of each draw_kiosk_screen().
  bool record = false;                  // fill the two records below
  std::vector<std::string> drawn_text;  // every piece of text submitted this frame
  // Touch targets by name: "escalate:<mention_id>", "severity:low|medium|high|critical",
  // "confirm", "cancel", "sync_now". Only the visible part; clipped-away targets are absent.
  std::map<std::string, HitRect> hit_rects;
};

}  // namespace kiosk::ui

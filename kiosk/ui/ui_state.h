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
#include "kiosk/ui/model/view_state.h"

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

// The big tabs along the bottom (nav_bar.h).
enum class Screen { feed, escalations, training };

// The text fields the on-screen keyboard types into (keyboard.h).
enum class TextField { none, escalate_note, report_note, escalation_text, reply_draft, search };
enum class KeyboardPage { letters, symbols, accents };

// Where the Training tab is: the daily set, a lesson, its quiz, or the answer's result.
enum class TrainingStep { list, lesson, quiz, result };

struct UiState {
  Screen screen = Screen::feed;  // the tab shown

  // Training tab (training_screen.h).
  TrainingStep training_step = TrainingStep::list;
  std::optional<LessonView> training_open;  // the lesson being taken (a copy: answering it
                                            // may take it out of the daily set)
  char training_choice = 0;                 // the choice tapped in the quiz, 0 = none yet
  std::optional<bool> training_sure;        // the confidence tapped, nullopt = none yet
  bool training_last_correct = false;       // the result shown after answering
  std::string training_result_title;        // kept from the lesson: it may leave the set
  std::string training_result_answer;       // the right choice's text
  std::string training_result_why;          // the lesson's why

  // Idle screen (idle_screen.h): set by the app after a while without a touch, cleared by a
  // tap on it.
  bool idle_screen = false;

  // On-screen keyboard (keyboard.h): on unless the terminal has a physical keyboard.
  bool onscreen_keyboard = true;
  TextField keyboard_field = TextField::none;  // the field it types into; none = hidden
  KeyboardPage keyboard_page = KeyboardPage::letters;
  bool keyboard_shift = false;       // the next letter is a capital
  bool keyboard_field_seen = false;  // its field was drawn this frame

  // Reply dialog (reply_dialog.h).
  std::string reply_mention_id;  // mention whose reply dialog is open; empty = closed
  std::string reply_draft;       // what staff typed so far

  // "Report an issue" dialog (report_dialog.h): something that happened in the store, no post.
  bool report_open = false;
  std::optional<core::Category> report_category;            // chosen chip; Send needs one
  core::Severity report_severity = core::Severity::medium;  // follows the category until tapped
  bool report_severity_chosen = false;                      // staff tapped a severity
  std::string report_note;                                  // optional

  // Escalations screen: the card opened for its history and text actions, and what is typed.
  std::string open_escalation_id;
  std::string escalation_text;  // a note, who holds it now, or a resolution note
  // Scroll the field and its buttons into sight above the docked keys (when they open, and
  // when the first letter brings the buttons).
  bool escalation_keys_reveal = true;

  // Escalate dialog.
  std::string dialog_mention_id;  // mention whose dialog is open; empty = closed
  core::Severity dialog_severity = core::Severity::medium;  // chosen in the dialog
  std::string dialog_note;                                  // optional note typed in the dialog
  std::optional<core::Category> dialog_category;  // the post's triage category, until tapped
  bool dialog_category_chosen = false;            // staff tapped a category chip

  // Kiosk mode (--kiosk-mode): closing the window, Escape and Alt+F4 open the PIN pad for a
  // manager instead of quitting, and so does the settings button.
  bool kiosk_mode = false;
  // Settings dialog (settings_dialog.h): what it shows until Save.
  bool settings_open = false;
  std::optional<SettingsView> settings_draft;  // nullopt: not yet copied from the view

  // PIN pad (pin_pad.h).
  bool pin_pad_open = false;
  std::string pin_staff_id;        // whose PIN is being typed; empty: choosing who
  std::string pin_digits;          // typed so far, drawn as dots
  std::string pin_then_escalate;   // mention whose escalate dialog opens once tapped in
  bool pin_then_report = false;    // the "Report an issue" dialog opens once tapped in
  bool pin_managers_only = false;  // opened for a manager-only action: managers to choose from
  bool pin_then_leave = false;     // the app quits once a manager is tapped in (kiosk mode)
  bool pin_then_settings = false;  // the settings dialog opens once a manager is tapped in
  int pin_seen_attempt = -1;       // the PinFeedback::attempt this pad typed toward
  // Set while drawing: the screen was touched (or typed on) this frame, which keeps the
  // session of whoever is tapped in from the idle lock.
  bool touched = false;

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
  // The card's detail view (detail_screen.h): the mention it shows, empty = closed. The feed's
  // position above stays as it was, so closing returns to the same place.
  std::string detail_mention_id;
  float detail_scroll = 0.0f;  // pixels scrolled down the detail

  // Fonts from the platform layer; nullptr = ImGui's current font.
  ImFont* heading_font = nullptr;  // store name and dialog title

  // Records for tests and diagnostics, cleared at the start of each draw_kiosk_screen().
  bool record = false;                  // fill the two records below
  std::vector<std::string> drawn_text;  // every piece of text submitted this frame
  // Touch targets by name: "escalate:<mention_id>", "share:<mention_id>",
  // "severity:low|medium|high|critical", "confirm", "cancel", "sync_now", "tap_in", "tap_out",
  // "staff:<id>", "pin:0".."pin:9", "pin:back", "pin:ok", "pin:cancel", "chip:<chip>"
  // (needs_attention, negative, praise, reviews, escalated, all), "search", "feed:end",
  // "tab:feed|escalations|training", "lesson:<id>", "quiz", "choice:a".., "confidence:sure|unsure",
  // "answer", "training_done", "prompt:open", "prompt:dismiss", "reply:<mention_id>", "reply_send",
  // "reply_cancel", "key:<char>", "key:shift|back|space|done", "key:page:letters|symbols|accents",
  // "field:note|report_note|escalation_text|reply" (text fields), "detail:<mention_id>" (a
  // card's body), "close_detail", "detail:qr" (the detail's actions keep the card's names:
  // "escalate:<mention_id>"...), "settings" and the settings dialog's "settings:..."
  // (settings_dialog.h). Only the visible part;
  // clipped-away targets are absent.
  std::map<std::string, HitRect> hit_rects;
};

}  // namespace kiosk::ui

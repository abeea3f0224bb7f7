// Crash-restore's record of the window (kiosk/app/window/ui_session.h): what goes in, what
// comes back, and what never goes in (a PIN).
#include <doctest/doctest.h>

#include "kiosk/app/window/ui_session.h"

using namespace kiosk;

TEST_CASE("[session] the screen, an open dialog and its half-typed note come back") {
  ui::UiState before;
  before.screen = ui::Screen::feed;
  before.chip = ui::FeedChip::negative;
  before.search = "oat milk";
  before.dialog_mention_id = "google:42";
  before.dialog_severity = core::Severity::high;
  before.dialog_category = core::Category::wait_time;
  before.dialog_category_chosen = true;
  before.dialog_note =
      "Till four, ma\xC3\xB1"
      "ana";
  before.keyboard_field = ui::TextField::escalate_note;
  before.pin_digits = "4821";  // typed on a pad at the same time: never saved
  const std::string record = app::encode_ui_session(before);
  CHECK(record.find("4821") == std::string::npos);

  ui::UiState after;
  CHECK(app::restore_ui_session(record, after, true).empty());
  CHECK(after.screen == ui::Screen::feed);
  CHECK(after.chip == ui::FeedChip::negative);
  CHECK(after.search == "oat milk");
  CHECK(after.dialog_mention_id == "google:42");
  CHECK(after.dialog_severity == core::Severity::high);
  CHECK(after.dialog_category == core::Category::wait_time);
  CHECK(after.dialog_note == before.dialog_note);
  CHECK(after.keyboard_field == ui::TextField::escalate_note);
  CHECK(after.pin_digits.empty());
  CHECK(app::encode_ui_session(after) == record);
}

TEST_CASE("[session] nobody tapped in after the restart: the PIN pad first, the note kept") {
  ui::UiState before;
  before.dialog_mention_id = "google:42";
  before.dialog_note = "Till four";
  ui::UiState after;
  CHECK(app::restore_ui_session(app::encode_ui_session(before), after, false).empty());
  CHECK(after.pin_pad_open);
  CHECK(after.pin_then_escalate == "google:42");
  CHECK(after.dialog_mention_id.empty());  // opens once someone taps in
  CHECK(after.dialog_note == "Till four");
  // Saved again while the pad is up, it is still the same dialog and note.
  ui::UiState again;
  CHECK(app::restore_ui_session(app::encode_ui_session(after), again, true).empty());
  CHECK(again.dialog_mention_id == "google:42");
  CHECK(again.dialog_note == "Till four");
}

TEST_CASE("[session] the other screens and texts: report, reply, escalation action") {
  ui::UiState before;
  before.screen = ui::Screen::escalations;
  before.open_escalation_id = "e-1";
  before.escalation_text = "Refunded at the till";
  before.reply_mention_id = "google:7";
  before.reply_draft = "Thank you, Dana";
  before.report_open = true;
  before.report_category = core::Category::safety;
  before.report_note = "Wet floor, aisle 4";
  ui::UiState after;
  CHECK(app::restore_ui_session(app::encode_ui_session(before), after, true).empty());
  CHECK(after.screen == ui::Screen::escalations);
  CHECK(after.open_escalation_id == "e-1");
  CHECK(after.escalation_text == "Refunded at the till");
  CHECK(after.reply_mention_id == "google:7");
  CHECK(after.reply_draft == "Thank you, Dana");
  CHECK(after.report_open);
  CHECK(after.report_category == core::Category::safety);
  CHECK(after.report_note == "Wet floor, aisle 4");
}

TEST_CASE("[session] a damaged record is refused in words and changes nothing") {
  ui::UiState after;
  after.search = "kept";
  CHECK(app::restore_ui_session("{not json", after, true).find("not JSON") != std::string::npos);
  CHECK(app::restore_ui_session(R"({"v": 99})", after, true).find("another version") !=
        std::string::npos);
  CHECK(after.search == "kept");
  CHECK_FALSE(after.pin_pad_open);
}

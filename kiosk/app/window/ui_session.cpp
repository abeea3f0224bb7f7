#include "kiosk/app/window/ui_session.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/utf8.h"
#include "kiosk/ui/pin_pad.h"

namespace kiosk::app {
namespace {

using nlohmann::json;

constexpr int kRecordVersion = 1;

std::string_view screen_name(ui::Screen s) {
  switch (s) {
    case ui::Screen::escalations:
      return "escalations";
    case ui::Screen::training:
      return "training";
    case ui::Screen::feed:
      break;
  }
  return "feed";
}

ui::Screen parse_screen(std::string_view s) {
  if (s == "escalations") return ui::Screen::escalations;
  if (s == "training") return ui::Screen::training;
  return ui::Screen::feed;
}

// A text from the record, or empty when absent or not a string; invalid UTF-8 is repaired
// (the record is the app's own, but the file is not).
std::string text_at(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return core::repair_utf8(it->get<std::string>());
}

}  // namespace

std::string encode_ui_session(const ui::UiState& ui) {
  json j;
  j["v"] = kRecordVersion;
  j["screen"] = screen_name(ui.screen);
  j["chip"] = static_cast<int>(ui.chip);
  j["search"] = ui.search;
  j["keyboard_field"] = static_cast<int>(ui.keyboard_field);
  // The escalate dialog, also while it waits behind the PIN pad for a tap-in.
  const std::string& mention =
      !ui.dialog_mention_id.empty() ? ui.dialog_mention_id : ui.pin_then_escalate;
  if (!mention.empty()) {
    json d;
    d["mention"] = mention;
    d["severity"] = core::to_string(ui.dialog_severity);
    if (ui.dialog_category && ui.dialog_category_chosen)
      d["category"] = core::to_string(*ui.dialog_category);
    d["note"] = ui.dialog_note;
    j["escalate"] = d;
  }
  if (ui.report_open || ui.pin_then_report) {
    json r;
    if (ui.report_category) r["category"] = core::to_string(*ui.report_category);
    if (ui.report_severity_chosen) r["severity"] = core::to_string(ui.report_severity);
    r["note"] = ui.report_note;
    j["report"] = r;
  }
  if (!ui.reply_mention_id.empty())
    j["reply"] = {{"mention", ui.reply_mention_id}, {"draft", ui.reply_draft}};
  if (!ui.open_escalation_id.empty())
    j["escalation"] = {{"id", ui.open_escalation_id}, {"text", ui.escalation_text}};
  return j.dump();
}

std::string restore_ui_session(std::string_view record, ui::UiState& ui, bool tapped_in) {
  const json j = json::parse(record, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return "the saved window session is not JSON; starting on the feed";
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<int>() != kRecordVersion)
    return "the saved window session is from another version of the kiosk; starting on the feed";

  ui.screen = parse_screen(text_at(j, "screen"));
  if (const auto it = j.find("chip"); it != j.end() && it->is_number_integer()) {
    const int chip = it->get<int>();
    if (chip >= 0 && chip < static_cast<int>(ui::kFeedChipCount))
      ui.chip = static_cast<ui::FeedChip>(chip);
  }
  ui.search = text_at(j, "search");

  if (const auto it = j.find("escalate"); it != j.end() && it->is_object()) {
    const std::string mention = text_at(*it, "mention");
    if (!mention.empty()) {
      ui.dialog_severity =
          core::parse_severity(text_at(*it, "severity")).value_or(core::Severity::medium);
      if (const auto c = core::parse_category(text_at(*it, "category"))) {
        ui.dialog_category = c;
        ui.dialog_category_chosen = true;
      }
      ui.dialog_note = text_at(*it, "note");
      if (tapped_in) {
        ui.dialog_mention_id = mention;
      } else {
        ui::pin_pad::open(ui, mention);
      }
    }
  }
  if (const auto it = j.find("report"); it != j.end() && it->is_object()) {
    ui.report_category = core::parse_category(text_at(*it, "category"));
    if (const auto s = core::parse_severity(text_at(*it, "severity"))) {
      ui.report_severity = *s;
      ui.report_severity_chosen = true;
    }
    ui.report_note = text_at(*it, "note");
    if (tapped_in) {
      ui.report_open = true;
    } else if (!ui.pin_pad_open) {
      ui::pin_pad::open_then_report(ui);
    }
  }
  if (const auto it = j.find("reply"); it != j.end() && it->is_object()) {
    ui.reply_mention_id = text_at(*it, "mention");
    ui.reply_draft = text_at(*it, "draft");
  }
  if (const auto it = j.find("escalation"); it != j.end() && it->is_object()) {
    ui.open_escalation_id = text_at(*it, "id");
    ui.escalation_text = text_at(*it, "text");
  }
  // The on-screen keyboard under the field it typed into, when that field is on screen.
  if (const auto it = j.find("keyboard_field"); it != j.end() && it->is_number_integer()) {
    const int field = it->get<int>();
    if (field > 0 && field <= static_cast<int>(ui::TextField::search) && ui.onscreen_keyboard &&
        !ui.pin_pad_open)
      ui.keyboard_field = static_cast<ui::TextField>(field);
  }
  return {};
}

}  // namespace kiosk::app

#include "kiosk/app/view/ui_catalog.h"

#include <algorithm>
#include <filesystem>

#include "sync/sources/lexicon_files.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kiosk/core/utf8.h"

namespace kiosk::app {
namespace {

// Keys whose text carries one value ("{} waiting to send").
bool takes_value(ui::Str key) {
  return key == ui::Str::progress_acknowledged_by || key == ui::Str::progress_not_accepted ||
         key == ui::Str::idle_open || key == ui::Str::idle_urgent || key == ui::Str::waiting_many ||
         key == ui::Str::last_sync || key == ui::Str::tapped_in_as || key == ui::Str::pin_for ||
         key == ui::Str::pin_wrong_many || key == ui::Str::pin_locked ||
         key == ui::Str::training_for || key == ui::Str::training_unavailable ||
         key == ui::Str::training_done_today || key == ui::Str::training_minutes ||
         key == ui::Str::training_right_answer || key == ui::Str::training_why ||
         key == ui::Str::prompt_text || key == ui::Str::daily_offer_text ||
         key == ui::Str::reply_edited || key == ui::Str::reply_comment ||
         key == ui::Str::search_none || key == ui::Str::names_staff ||
         key == ui::Str::reach_followers || key == ui::Str::reach_likes ||
         key == ui::Str::reach_reposts || key == ui::Str::reach_replies ||
         key == ui::Str::clock_raised || key == ui::Str::clock_target ||
         key == ui::Str::clock_left || key == ui::Str::clock_overdue ||
         key == ui::Str::ladder_with || key == ui::Str::ack_here ||
         key == ui::Str::ack_head_office || key == ui::Str::resolution ||
         key == ui::Str::history_acknowledge || key == ui::Str::history_note ||
         key == ui::Str::history_reassign || key == ui::Str::history_resolve ||
         key == ui::Str::history_reopen || key == ui::Str::detail_posted ||
         key == ui::Str::detail_edited || key == ui::Str::detail_language ||
         key == ui::Str::detail_place || key == ui::Str::detail_reply_to ||
         key == ui::Str::detail_owner_reply || key == ui::Str::detail_category ||
         key == ui::Str::settings_minutes || key == ui::Str::age_minutes ||
         key == ui::Str::age_hours || key == ui::Str::age_day || key == ui::Str::age_days ||
         key == ui::Str::why_answered_wrong || key == ui::Str::why_answered_unsure ||
         key == ui::Str::why_due_for_review || key == ui::Str::escalation_not_saved ||
         key == ui::Str::answer_not_saved || key == ui::Str::answer_lesson_gone;
}

}  // namespace

std::string default_assets_dir() {
  return sync::sources::default_assets_dir();
}

core::Result<ui::Catalog> parse_ui_catalog(std::string_view json_text, std::string_view origin) {
  using R = core::Result<ui::Catalog>;
  const std::string where(origin);
  if (!core::is_valid_utf8(json_text)) return R::failure(where + " is not valid UTF-8");
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("strings") || !j["strings"].is_object())
    return R::failure(where +
                      " is not a UI text catalog ({\"language\": ..., \"strings\": {...}})");
  ui::Catalog catalog;
  catalog.language = j.value("language", "");
  for (const auto& [name, text] : j["strings"].items()) {
    const auto key = ui::key_from_name(name);
    if (!key) return R::failure(where + " has a key the kiosk does not use: \"" + name + "\"");
    if (!text.is_string() || text.get<std::string>().empty())
      return R::failure(where + " has no text for \"" + name + "\"");
    const std::string s = text.get<std::string>();
    const bool has_slot = s.find("{}") != std::string::npos;
    if (has_slot != takes_value(*key))
      return R::failure(where + ": \"" + name + "\" must " + (takes_value(*key) ? "" : "not ") +
                        "contain {} (the value shown in it)");
    catalog.texts[static_cast<std::size_t>(*key)] = s;
  }
  for (std::size_t i = 0; i < ui::kStrCount; ++i)
    if (catalog.texts[i].empty())
      return R::failure(where + " is missing \"" +
                        std::string(ui::key_name(static_cast<ui::Str>(i))) + "\"");
  return catalog;
}

std::vector<std::string> ui_languages(const std::string& assets_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(assets_dir + "/ui", ec)) {
    if (entry.path().extension() == ".json") out.push_back(entry.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

core::Result<ui::Catalog> load_ui_catalog(const std::string& assets_dir,
                                          const std::string& language) {
  const std::string path = assets_dir + "/ui/" + language + ".json";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return core::Result<ui::Catalog>::failure(
        "The kiosk's screen texts are not at " + path +
        ": check --language, or point --assets (or KIOSK_ASSETS) at the assets folder");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_ui_catalog(buffer.str(), path);
}

}  // namespace kiosk::app

#include "kiosk/app/view/saved_settings.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/staff.h"

namespace kiosk::app {
namespace {

constexpr const char* kKey = "window.settings";

using json = nlohmann::json;

std::string problem(const std::string& what, const std::string& why) {
  return "the saved " + what + " " + why + "; the built-in default is used (save the settings " +
         "again to replace it)";
}

std::optional<std::int64_t> saved_ms(const json& j, const char* name, std::int64_t lowest,
                                     const std::string& what, std::vector<std::string>& problems) {
  if (!j.contains(name)) return std::nullopt;
  const json& v = j[name];
  if (!v.is_number_integer() || v.get<std::int64_t>() < lowest ||
      v.get<std::int64_t>() > core::kMaxIdleLockMs) {
    problems.push_back(
        problem(what, "is not a time between " + std::to_string(lowest / 1000) + " s and 24 h"));
    return std::nullopt;
  }
  return v.get<std::int64_t>();
}

bool plain_language_code(const std::string& s) {
  if (s.empty() || s.size() > 16) return false;
  for (const char c : s)
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
  return true;
}

}  // namespace

SavedSettings load_saved_settings(store::Store& store) {
  SavedSettings out;
  const auto text = store.setting(kKey);
  if (!text) return out;
  const json j = json::parse(*text, nullptr, false);
  if (!j.is_object()) {
    out.problems.push_back(problem("settings record", "is not readable"));
    return out;
  }
  if (j.contains("theme")) {
    if (j["theme"] == "dark" || j["theme"] == "light")
      out.theme = j["theme"].get<std::string>();
    else
      out.problems.push_back(problem("theme", "is neither dark nor light"));
  }
  if (j.contains("language")) {
    if (j["language"].is_string() && plain_language_code(j["language"].get<std::string>()))
      out.language = j["language"].get<std::string>();
    else
      out.problems.push_back(problem("language", "is not a language code such as en or es"));
  }
  out.idle_lock_ms =
      saved_ms(j, "idle_lock_ms", core::kMinIdleLockMs, "tap-out time", out.problems);
  out.idle_screen_ms = saved_ms(j, "idle_screen_ms", 0, "idle-screen time", out.problems);
  if (j.contains("onscreen_keyboard")) {
    if (j["onscreen_keyboard"].is_boolean())
      out.onscreen_keyboard = j["onscreen_keyboard"].get<bool>();
    else
      out.problems.push_back(problem("on-screen keyboard choice", "is neither on nor off"));
  }
  return out;
}

void save_settings(store::Store& store, const ui::SettingsView& settings) {
  const json j{{"theme", settings.theme},
               {"language", settings.language},
               {"idle_lock_ms", settings.idle_lock_ms},
               {"idle_screen_ms", settings.idle_screen_ms},
               {"onscreen_keyboard", settings.onscreen_keyboard}};
  store.save_setting(kKey, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

ui::SettingsView with_saved(ui::SettingsView start, const SavedSettings& saved,
                            const GivenSettings& given) {
  if (saved.theme && !given.theme) start.theme = *saved.theme;
  if (saved.language && !given.language) start.language = *saved.language;
  if (saved.idle_lock_ms && !given.idle_lock) start.idle_lock_ms = *saved.idle_lock_ms;
  if (saved.idle_screen_ms && !given.idle_screen) start.idle_screen_ms = *saved.idle_screen_ms;
  if (saved.onscreen_keyboard && !given.onscreen_keyboard)
    start.onscreen_keyboard = *saved.onscreen_keyboard;
  return start;
}

}  // namespace kiosk::app

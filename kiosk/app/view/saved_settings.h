#pragma once
// The settings dialog's choices, kept in the terminal's store between runs (one record under
// the key "window.settings" of the store's settings table). Precedence at start, for each
// setting on its own: a command-line flag or environment variable given for this run wins;
// otherwise the saved choice; otherwise the built-in default.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/model/view_state.h"

namespace kiosk::app {

struct SavedSettings {
  std::optional<std::string> theme;     // "dark" or "light"
  std::optional<std::string> language;  // a ui/<language>.json of the assets
  std::optional<std::int64_t> idle_lock_ms;
  std::optional<std::int64_t> idle_screen_ms;  // 0: never
  std::optional<bool> onscreen_keyboard;
  // A saved value that could not be used (left at the default), one sentence each.
  std::vector<std::string> problems;
};

// What the store holds; a value out of range or of the wrong kind is left out, with a problem.
// Throws store::StoreError when the store cannot be read.
SavedSettings load_saved_settings(store::Store& store);

// Saves what the dialog chose (languages, the list on offer, is not saved).
void save_settings(store::Store& store, const ui::SettingsView& settings);

// Which settings this run was given explicitly (flag or environment).
struct GivenSettings {
  bool theme = false;
  bool language = false;
  bool idle_lock = false;
  bool idle_screen = false;
  bool onscreen_keyboard = false;
};

// start: the run's settings (flags, environment, defaults); the saved ones replace those not
// given explicitly.
ui::SettingsView with_saved(ui::SettingsView start, const SavedSettings& saved,
                            const GivenSettings& given);

}  // namespace kiosk::app

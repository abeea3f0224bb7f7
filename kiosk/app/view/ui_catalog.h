#pragma once
// Loads the UI's texts from assets/ui/<language>.json and checks them: every key present,
// non-empty, valid UTF-8, and "{}" exactly where the key takes a value.
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/ui/model/strings.h"

namespace kiosk::app {

// Where assets/ is: $KIOSK_ASSETS, else the source tree's folder this build was made from.
std::string default_assets_dir();

// The languages <assets>/ui/ holds (its .json files' names, e.g. "en", "es"), sorted.
std::vector<std::string> ui_languages(const std::string& assets_dir);

core::Result<ui::Catalog> parse_ui_catalog(std::string_view json_text, std::string_view origin);
core::Result<ui::Catalog> load_ui_catalog(const std::string& assets_dir,
                                          const std::string& language);

}  // namespace kiosk::app

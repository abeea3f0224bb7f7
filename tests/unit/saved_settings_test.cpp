// The settings dialog's choices kept in a real store file (kiosk/app/view/saved_settings.h):
// saved and read back, a flag given for a run wins over the saved choice, a saved choice over
// the default, and a damaged record is named and left at the default.
#include <doctest/doctest.h>

#include "kiosk/app/view/saved_settings.h"
#include "tests/support/process.h"

using kiosk::app::GivenSettings;
using kiosk::app::load_saved_settings;
using kiosk::app::save_settings;
using kiosk::app::with_saved;

TEST_CASE("[settings][store] saved settings: read back, and flags win for their run") {
  kiosk::testing::TempDir dir;
  kiosk::store::Store s(dir.file("kiosk.sqlite"));
  // Nothing saved: the defaults.
  auto saved = load_saved_settings(s);
  CHECK_FALSE(saved.theme.has_value());
  CHECK(with_saved({}, saved, {}) == kiosk::ui::SettingsView{});

  kiosk::ui::SettingsView chosen;
  chosen.theme = "light";
  chosen.language = "es";
  chosen.idle_lock_ms = 180'000;
  chosen.idle_screen_ms = 0;
  chosen.onscreen_keyboard = false;
  chosen.languages = {"en", "es"};
  save_settings(s, chosen);

  // Another connection to the same file, as the next start opens it.
  kiosk::store::Store next(dir.file("kiosk.sqlite"));
  saved = load_saved_settings(next);
  CHECK(saved.problems.empty());
  const auto used = with_saved({}, saved, {});
  CHECK(used.theme == "light");
  CHECK(used.language == "es");
  CHECK(used.idle_lock_ms == 180'000);
  CHECK(used.idle_screen_ms == 0);
  CHECK_FALSE(used.onscreen_keyboard);

  // --theme dark and --keyboard on given for this run: they win; the rest stays saved.
  kiosk::ui::SettingsView flags;
  flags.theme = "dark";
  flags.onscreen_keyboard = true;
  GivenSettings given;
  given.theme = true;
  given.onscreen_keyboard = true;
  const auto run = with_saved(flags, saved, given);
  CHECK(run.theme == "dark");
  CHECK(run.onscreen_keyboard);
  CHECK(run.language == "es");
  CHECK(run.idle_lock_ms == 180'000);
}

TEST_CASE("[settings][store] a damaged saved record is named and the defaults are used") {
  kiosk::testing::TempDir dir;
  kiosk::store::Store s(dir.file("kiosk.sqlite"));
  s.save_setting("window.settings",
                 R"({"theme":"purple","idle_lock_ms":5,"language":"es","onscreen_keyboard":1})");
  auto saved = load_saved_settings(s);
  CHECK(saved.language == "es");  // what is fine is kept
  CHECK_FALSE(saved.theme.has_value());
  CHECK_FALSE(saved.idle_lock_ms.has_value());
  CHECK_FALSE(saved.onscreen_keyboard.has_value());
  REQUIRE(saved.problems.size() == 3);
  CHECK(saved.problems[0].find("theme") != std::string::npos);

  s.save_setting("window.settings", "not json");
  saved = load_saved_settings(s);
  CHECK(saved.problems.size() == 1);
  CHECK(with_saved({}, saved, {}) == kiosk::ui::SettingsView{});
}

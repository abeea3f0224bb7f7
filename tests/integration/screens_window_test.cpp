// Every screen of the kiosk in a real window (Xvfb), in both themes and both languages, on both
// backends: one kiosk process per language and theme, driven through the screens by taps (feed,
// a card's detail, the PIN pad, the escalate dialog's choices, then its on-screen keyboard
// with the choices folded, the Escalations and Training tabs, Settings, the idle screen), a
// PNG of each written to the build tree (the path is printed). Each frame must show that screen's
// title in that language (from the catalog in assets/ui/) and be drawn in that theme's colours. The
// copies in docs/screenshots come from here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kiosk/ui/theme.h"
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"
#include "tests/support/png_image.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::printed_frames;
using kiosk::testing::TempDir;

namespace {

// Long enough that no step of the walk (a screenshot written by a Debug build under a loaded
// CI machine takes over a second) lets the idle screen in before the walk asks for it: with 3 s
// the keyboard's "done" key was once gone behind the idle screen.
constexpr int kIdleSeconds = 6;

// A catalog string of assets/ui/<language>.json (the part before a "{}" placeholder).
std::string catalog_text(const std::string& language, const std::string& key) {
  std::ifstream f(kiosk::testing::source_dir() + "/assets/ui/" + language + ".json");
  const auto j = nlohmann::json::parse(f);
  const auto& strings = j.contains("strings") ? j["strings"] : j;
  const std::string text = strings.at(key).get<std::string>();
  return text.substr(0, text.find("{}"));
}

kiosk::testing::Rgb rgb(const ImVec4& c) {
  using kiosk::testing::to_byte;
  return {to_byte(c.x), to_byte(c.y), to_byte(c.z)};
}

struct Screen {
  std::string name;       // the PNG's name: <name>-<theme>-<language>.png
  std::string title_key;  // a catalog text this screen must show
  bool modal = false;     // drawn over the dimmed screen behind
};

}  // namespace

TEST_CASE("[ui] screenshots of every screen in both themes and both languages") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  // A manager for each language: tapped in, the screens keep the run's language.
  std::ofstream(dir.file("pin")) << "90210\n";
  for (const auto& [id, name, language] :
       {std::tuple{"max", "Max Weber", "en"}, std::tuple{"marta", "Marta Ruiz", "es"}}) {
    const auto added =
        hq.admin({"staff", "add", "--store", "s1", "--id", id, "--name", name, "--role", "manager",
                  "--language", language, "--pin-file", dir.file("pin")});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
  }
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  const auto listed = kiosk_cli(db, {"mentions", "--json", "--limit", "1", "--feed", "all"});
  REQUIRE(listed.exit_code == 0);
  const std::string mention =
      nlohmann::json::parse(listed.out)["mentions"].at(0)["id"].get<std::string>();

  // An issue reported at the counter: the Escalations tab has a card to show.
  const auto reported =
      kiosk_cli(db, {"escalate", "--category", "safety", "--severity", "high", "--staff", "max"});
  REQUIRE_MESSAGE(reported.exit_code == 0, reported.err);

  const std::string artefacts = kiosk::testing::binary_dir() + "/ui_screenshots/screens";
  std::filesystem::create_directories(artefacts);
  MESSAGE("screenshots of every screen: " << artefacts);

  const std::vector<Screen> screens{
      {"feed", "feed_title", false},       {"detail", "detail_back", false},
      {"pin", "pin_title", true},          {"escalate-grid", "report_category_prompt", true},
      {"escalate", "dialog_title", true},  {"escalations", "escalations_title", false},
      {"training", "training_for", false}, {"settings", "settings_title", true},
      {"idle", "idle_tip_title", false}};
  for (const char* backend : {"sdl2", "glfw"}) {
    for (const char* language : {"en", "es"}) {
      for (const auto theme : {kiosk::ui::Theme::dark, kiosk::ui::Theme::light}) {
        const std::string theme_name = theme == kiosk::ui::Theme::dark ? "dark" : "light";
        CAPTURE(backend);
        CAPTURE(language);
        CAPTURE(theme_name);
        const std::string manager = std::string(language) == "es" ? "marta" : "max";
        const std::string folder = artefacts + "/" + backend;
        std::filesystem::create_directories(folder);
        const auto png = [&](const std::string& screen) {
          return folder + "/" + screen + "-" + theme_name + "-" + language + ".png";
        };
        const std::vector<std::string> taps{"shot:" + png("feed"),
                                            "detail:" + mention,
                                            "shot:" + png("detail"),
                                            "close_detail",
                                            "tap_in",
                                            "staff:" + manager,
                                            "pin:9",
                                            "pin:0",
                                            "shot:" + png("pin"),
                                            "pin:2",
                                            "pin:1",
                                            "pin:0",
                                            "pin:ok",
                                            "escalate:" + mention,
                                            "severity:high",
                                            "shot:" + png("escalate-grid"),
                                            "field:note",
                                            "key:shift",
                                            "key:t",
                                            "key:i",
                                            "key:l",
                                            "key:l",
                                            "shot:" + png("escalate"),
                                            "key:done",
                                            "cancel",
                                            "tab:escalations",
                                            "shot:" + png("escalations"),
                                            "tab:training",
                                            "shot:" + png("training"),
                                            "settings",
                                            "shot:" + png("settings"),
                                            "settings:cancel",
                                            "tab:feed",
                                            "wait:" + std::to_string(kIdleSeconds * 1000 + 500),
                                            "shot:" + png("idle")};
        const auto r =
            kiosk_cli(db, kiosk::testing::with(
                              {"--backend", backend, "--no-sync", "--language", language, "--theme",
                               theme_name, "--idle-screen-seconds", std::to_string(kIdleSeconds)},
                              kiosk::testing::taps(taps)));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto frames = printed_frames(r.out);
        REQUIRE(frames.size() == screens.size());
        const auto& colours = kiosk::ui::palette(theme);
        const auto& other = kiosk::ui::palette(
            theme == kiosk::ui::Theme::dark ? kiosk::ui::Theme::light : kiosk::ui::Theme::dark);
        for (std::size_t i = 0; i < screens.size(); ++i) {
          const Screen& s = screens[i];
          CAPTURE(s.name);
          CHECK_MESSAGE(contains(frames[i], catalog_text(language, s.title_key)), frames[i]);
          const auto image = kiosk::testing::read_png(png(s.name));
          REQUIRE(image.has_value());
          // The theme's own surfaces fill much of the frame; the other theme's background none.
          const double own = kiosk::testing::share_of(*image, rgb(colours.background)) +
                             kiosk::testing::share_of(*image, rgb(colours.card)) +
                             kiosk::testing::share_of(*image, rgb(colours.popup)) +
                             kiosk::testing::share_of(*image, rgb(colours.bar));
          const double foreign = kiosk::testing::share_of(*image, rgb(other.background));
          CAPTURE(own);
          CAPTURE(foreign);
          CHECK(own > (s.modal ? 0.15 : 0.4));
          CHECK(foreign < 0.01);
        }
      }
    }
  }
}

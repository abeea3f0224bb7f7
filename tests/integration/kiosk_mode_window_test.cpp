// Kiosk mode in the real kiosk program, in a real window (Xvfb), on both backends, with staff
// from a real kiosk-hq: the window fills the screen whatever size was asked for, the pointer is
// hidden, and closing it (as a window manager would, Alt+F4) opens the PIN pad with managers
// only; the app quits only after a manager's PIN. Settings ask for a manager too. Without
// --kiosk-mode, closing closes. What a manager chose in Settings survives a kill: the next
// start draws in the chosen theme, unless a flag given for that run says otherwise.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <thread>

#include "kiosk/ui/theme.h"
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"
#include "tests/support/png_image.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::RunResult;
using kiosk::testing::staffed_kiosk;
using kiosk::testing::TempDir;

namespace {

RunResult window(const std::string& db, const std::string& backend,
                 const std::vector<std::string>& taps, std::vector<std::string> extra) {
  std::vector<std::string> args{"--backend", backend, "--no-sync", "--print-text"};
  for (const auto& t : taps) args.insert(args.end(), {"--tap", t});
  args.insert(args.end(), extra.begin(), extra.end());
  return kiosk_cli(db, args);
}

// A PNG's width and height from its header.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& path) {
  const std::string bytes = kiosk::testing::read_whole_file(path);
  if (bytes.size() < 24) return {0, 0};
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

std::vector<std::string> max_pin() {
  return {"staff:max", "pin:9", "pin:0", "pin:2", "pin:1", "pin:0", "pin:ok"};
}

}  // namespace

TEST_CASE("[ui] kiosk mode: fullscreen, no pointer, and only a manager's PIN leaves") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const std::string db = staffed_kiosk(dir, hq, "en").db;

    // The window manager's close: the PIN pad opens, offering managers only.
    const std::string png = dir.file("pad.png");
    auto pad = window(db, backend, {"close"},
                      {"--kiosk-mode", "--width", "900", "--height", "600", "--screenshot", png});
    REQUIRE_MESSAGE(pad.exit_code == 0, pad.err);
    CHECK(contains(pad.out, "without decorations, pointer hidden"));
    CHECK(contains(pad.out, "Tap in with your PIN"));
    CHECK(contains(pad.out, "Max Weber"));
    CHECK_FALSE(contains(pad.out, "Ana Lopez"));
    CHECK_FALSE(contains(pad.out, "left the app"));
    // The whole screen of the display (Xvfb's 1280x800), not the 900x600 asked for.
    CHECK(png_size(png) == std::pair<std::uint32_t, std::uint32_t>{1280, 800});

    // An associate cannot leave: she is not on the pad.
    auto associate = window(db, backend, {"close", "staff:ana"}, {"--kiosk-mode"});
    CHECK(associate.exit_code != 0);
    CHECK(contains(associate.err, "staff:ana"));

    // A manager's PIN: the app leaves at once, long before the scripted wait ends.
    std::vector<std::string> taps{"close"};
    for (const auto& t : max_pin()) taps.push_back(t);
    taps.emplace_back("wait:60000");
    const auto start = std::chrono::steady_clock::now();
    auto left = window(db, backend, taps, {"--kiosk-mode"});
    REQUIRE_MESSAGE(left.exit_code == 0, left.err);
    CHECK(contains(left.out, "kiosk: left the app (Max Weber)"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(45));

    // Escape does the same as the window manager's close.
    auto escape = window(db, backend, {"press:escape"}, {"--kiosk-mode"});
    REQUIRE_MESSAGE(escape.exit_code == 0, escape.err);
    CHECK(contains(escape.out, "Tap in with your PIN"));
  }
}

TEST_CASE("[ui] kiosk mode: settings need a manager's PIN; without kiosk mode close closes") {
  TempDir dir;
  HqFixture hq(dir);
  const std::string db = staffed_kiosk(dir, hq, "en").db;

  auto asked = window(db, "sdl2", {"settings"}, {"--kiosk-mode"});
  REQUIRE_MESSAGE(asked.exit_code == 0, asked.err);
  CHECK(contains(asked.out, "Tap in with your PIN"));
  CHECK_FALSE(contains(asked.out, "Colours"));

  std::vector<std::string> taps{"settings"};
  for (const auto& t : max_pin()) taps.push_back(t);
  taps.insert(taps.end(), {"settings:theme:light", "settings:idle_lock:+"});
  auto opened = window(db, "sdl2", taps, {"--kiosk-mode"});
  REQUIRE_MESSAGE(opened.exit_code == 0, opened.err);
  CHECK(contains(opened.out, "Settings"));
  CHECK(contains(opened.out, "Colours"));
  CHECK(contains(opened.out, "On-screen keyboard"));
  CHECK(contains(opened.out, "3 min"));  // 2 min by default, one step up

  // Without --kiosk-mode: settings open at once, and the window's close closes the app.
  auto plain = window(db, "sdl2", {"settings"}, {});
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  CHECK(contains(plain.out, "Colours"));
  const auto start = std::chrono::steady_clock::now();
  auto closed = window(db, "sdl2", {"close", "wait:60000"}, {});
  REQUIRE_MESSAGE(closed.exit_code == 0, closed.err);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(45));
}

namespace {

// A theme's background as the window's pixels hold it.
kiosk::testing::Rgb background_of(kiosk::ui::Theme theme) {
  const ImVec4 c = kiosk::ui::palette(theme).background;
  using kiosk::testing::to_byte;
  return {to_byte(c.x), to_byte(c.y), to_byte(c.z)};
}

// How much of the screenshot is that theme's background.
double background_share(const std::string& png, kiosk::ui::Theme theme) {
  const auto image = kiosk::testing::read_png(png);
  REQUIRE_MESSAGE(image.has_value(), png);
  return kiosk::testing::share_of(*image, background_of(theme));
}

nlohmann::json status_settings(const std::string& db) {
  const auto r = kiosk_cli(db, {"status", "--json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out)["settings"];
}

}  // namespace

TEST_CASE("[ui] kiosk mode: settings saved behind a manager's PIN survive a kill") {
  using kiosk::ui::Theme;
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const std::string db = staffed_kiosk(dir, hq, "en").db;
    CHECK(status_settings(db)["theme"] == "dark");
    CHECK(status_settings(db)["saved"]["theme"] == false);

    // A manager opens Settings, chooses light and a 3 min tap-out, saves; the window stays
    // open until it is killed.
    std::vector<std::string> argv{kiosk::testing::kiosk_binary(),
                                  "--db",
                                  db,
                                  "--backend",
                                  backend,
                                  "--no-sync",
                                  "--kiosk-mode"};
    std::vector<std::string> taps{"settings"};
    for (const auto& t : max_pin()) taps.push_back(t);
    taps.insert(taps.end(),
                {"settings:theme:light", "settings:idle_lock:+", "settings:save", "wait:600000"});
    for (const auto& t : taps) argv.insert(argv.end(), {"--tap", t});
    nlohmann::json saved;
    {
      kiosk::testing::ChildProcess running(argv, dir.file("window.log"));
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(90);
      while (std::chrono::steady_clock::now() < give_up) {
        saved = status_settings(db);
        if (saved["saved"]["theme"] == true) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      running.kill_now();  // kill -9: no clean exit
    }
    INFO(kiosk::testing::read_whole_file(dir.file("window.log")));
    CHECK(saved["theme"] == "light");
    CHECK(saved["idle_lock_seconds"] == 180);  // 2 min by default, one step up
    CHECK(saved["saved"]["idle_lock_seconds"] == true);
    const auto text = kiosk_cli(db, {"status"});
    CHECK(contains(text.out, "Theme:        light (saved)"));
    CHECK(contains(text.out, "Tap out:      after 180 s without a touch (saved)"));

    // Restart: the frame is light, and Settings (behind Max's PIN) show the 3 min kept.
    const std::string light_png = dir.file("restart-light.png");
    std::vector<std::string> again{"settings"};
    for (const auto& t : max_pin()) again.push_back(t);
    auto restarted = window(db, backend, {}, {"--kiosk-mode", "--screenshot", light_png});
    REQUIRE_MESSAGE(restarted.exit_code == 0, restarted.err);
    CHECK(background_share(light_png, Theme::light) > 0.10);
    CHECK(background_share(light_png, Theme::dark) < 0.01);
    auto dialog = window(db, backend, again, {"--kiosk-mode"});
    REQUIRE_MESSAGE(dialog.exit_code == 0, dialog.err);
    CHECK_MESSAGE(contains(dialog.out, "Colours"), dialog.out);
    CHECK(contains(dialog.out, "3 min"));

    // A flag given for a run wins for that run, and does not change what is saved.
    const std::string dark_png = dir.file("flag-dark.png");
    auto flagged =
        window(db, backend, {}, {"--kiosk-mode", "--theme", "dark", "--screenshot", dark_png});
    REQUIRE_MESSAGE(flagged.exit_code == 0, flagged.err);
    CHECK(background_share(dark_png, Theme::dark) > 0.10);
    CHECK(background_share(dark_png, Theme::light) < 0.01);
    CHECK(status_settings(db)["theme"] == "light");
  }
}

// The dark and light themes in the real kiosk program, in a real window (Xvfb): the same feed
// drawn in each, both screenshots written and different, the same texts on screen; a theme
// the kiosk does not have is refused in words.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/integration/hq_fixture.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

namespace {

RunResult kiosk_cli(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {kiosk::testing::binary_dir() + "/kiosk/app/kiosk", "--db", db});
  return kiosk::testing::run(args);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("[ui] dark and light themes: both screenshots written, and they differ") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  const std::string dark_png = dir.file("dark.png");
  const std::string light_png = dir.file("light.png");
  auto dark = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--print-text", "--theme", "dark",
                             "--screenshot", dark_png});
  REQUIRE_MESSAGE(dark.exit_code == 0, dark.err);
  auto light = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--print-text", "--theme", "light",
                              "--screenshot", light_png});
  REQUIRE_MESSAGE(light.exit_code == 0, light.err);
  REQUIRE(std::filesystem::exists(dark_png));
  REQUIRE(std::filesystem::exists(light_png));
  CHECK(std::filesystem::file_size(dark_png) > 20'000);  // a real frame, not a flat image
  CHECK(std::filesystem::file_size(light_png) > 20'000);
  CHECK(slurp(dark_png) != slurp(light_png));
  // The same screen, only the colours change.
  CHECK(dark.out.substr(0, dark.out.rfind("kiosk: screenshot")) ==
        light.out.substr(0, light.out.rfind("kiosk: screenshot")));

  auto bad = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--theme", "blue"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("--theme") != std::string::npos);
}

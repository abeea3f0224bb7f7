// SDL2 is a module loaded when it is needed (libkiosk_sdl2.so, beside the program): the SDL2
// window and the chime's audio. A kiosk installed without it still opens its GLFW window, says
// once that chimes are silent and why, and refuses --backend sdl2 in words store IT
// understands. (The window tests that run the kiosk with --backend sdl2 load the module.)
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/integration/kiosk_process.h"
#include "tests/support/process.h"

using kiosk::testing::contains;
using kiosk::testing::lone_kiosk;
using kiosk::testing::run;
using kiosk::testing::TempDir;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("[window][module] without libkiosk_sdl2.so: GLFW opens, chimes are silent") {
  // Found through the folder of the program only, as in an installation.
  unsetenv("KIOSK_SDL2_MODULE");
  TempDir dir;
  const std::string program = lone_kiosk(dir);
  const std::string folder = std::filesystem::path(program).parent_path().string();
  const std::string db = dir.file("kiosk.sqlite");
  const std::string missing = "the SDL2 module libkiosk_sdl2.so is missing next to kiosk (" +
                              folder + "): reinstall the kiosk";

  SUBCASE("the GLFW window opens and draws; the chime says once why it is silent") {
    const std::string png = dir.file("glfw.png");
    const auto r = run({program, "--db", db, "--backend", "glfw", "--no-sync", "--print-text",
                        "--screenshot", png});
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "What people are saying"));
    CHECK(std::filesystem::file_size(png) > 0);
    CHECK(count(r.err, "kiosk: no sound: " + missing + "; chimes are silent") == 1);
  }
  SUBCASE("--backend sdl2 fails with a sentence store IT can act on") {
    const auto r = run({program, "--db", db, "--backend", "sdl2", "--no-sync", "--print-text"});
    CHECK(r.exit_code != 0);
    CHECK(contains(r.err, "The SDL2 window cannot open: " + missing));
    CHECK(contains(r.err, "--backend glfw"));
  }
}

// The kiosk's HTTP(S) is a module loaded on the first sync (libkiosk_sync_http.so, beside the
// program). A kiosk installed without it, or with a damaged one, says so in plain words, exits
// non-zero from `sync --once`, keeps every queued event, and sends them once the module is back.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"
#include "tests/support/process.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::lone_kiosk;
using kiosk::testing::run;
using kiosk::testing::TempDir;

namespace {

nlohmann::json status(const std::string& program, const std::string& db) {
  return nlohmann::json::parse(run({program, "--db", db, "status", "--json"}).out);
}

}  // namespace

TEST_CASE("[sync][module] without libkiosk_sync_http.so: a plain error, nothing lost") {
  // Found through the folder of the program only, as in an installation.
  const char* build_module = std::getenv("KIOSK_SYNC_MODULE");
  REQUIRE(build_module != nullptr);
  const std::string module_path = build_module;
  unsetenv("KIOSK_SYNC_MODULE");

  TempDir dir;
  HqFixture hq(dir);
  const std::string db = kiosk::testing::enrolled_demo_kiosk(dir, hq);
  REQUIRE(kiosk_cli(db, {"escalate", "--mention", "demo:downtown:1", "--severity", "high", "--note",
                         "queued while the module is missing"})
              .exit_code == 0);

  const std::string program = lone_kiosk(dir);
  const std::string folder = std::filesystem::path(program).parent_path().string();

  SUBCASE("missing") {
    const auto r = run({program, "--db", db, "sync", "--once"});
    CHECK(r.exit_code != 0);
    CHECK(contains(r.err, "the sync module libkiosk_sync_http.so is missing next to kiosk (" +
                              folder + "): reinstall the kiosk"));
    CHECK(contains(r.err, "keeps every event queued"));
  }
  SUBCASE("not a module") {
    std::ofstream(folder + "/libkiosk_sync_http.so") << "not a shared library\n";
    const auto r = run({program, "--db", db, "sync", "--once"});
    CHECK(r.exit_code != 0);
    CHECK(contains(r.err, "the sync module libkiosk_sync_http.so next to kiosk (" + folder +
                              ") could not be loaded ("));
    CHECK(contains(r.err, "reinstall the kiosk"));
  }

  // Nothing lost: the escalation still waits, and the failure is the sync's last error.
  const auto waiting = status(program, db);
  CAPTURE(waiting.dump());
  CHECK(waiting["queue_depth"] == 1);
  CHECK(contains(waiting.dump(), "libkiosk_sync_http.so"));
  // Its own kind, so the status bar says to reinstall rather than that it will pass by itself
  // (spanish_window_test reads that sentence in the window, in both languages).
  CHECK(waiting["last_error_kind"] == "reinstall");
  CHECK(hq.escalations().empty());

  // The module back beside the program: the same sync delivers it, once.
  std::filesystem::copy_file(module_path, folder + "/libkiosk_sync_http.so",
                             std::filesystem::copy_options::overwrite_existing);
  const auto synced = run({program, "--db", db, "sync", "--once"});
  CHECK(synced.exit_code == 0);
  CHECK(status(program, db)["queue_depth"] == 0);
  const auto at_hq = hq.escalations();
  REQUIRE(at_hq.size() == 1);
  CHECK(contains(at_hq.dump(), "queued while the module is missing"));
  setenv("KIOSK_SYNC_MODULE", module_path.c_str(), 1);
}

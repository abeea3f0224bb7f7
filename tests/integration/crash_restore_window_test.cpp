// Crash-restore in the real kiosk program, in a real window (Xvfb), on both backends: Escalate
// on a card, a note typed on the on-screen keyboard, then kill -9. The store holds the screen,
// the dialog and the note; the restarted kiosk draws the dialog with the note, and Confirm
// sends it: the escalation in the store carries the note typed before the kill.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::ChildProcess;
using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_binary;
using kiosk::testing::kiosk_cli;
using kiosk::testing::staffed_kiosk;
using kiosk::testing::TempDir;

namespace {

// The window's saved session, read as another process would (empty when there is none).
std::string saved_session(const std::string& db) {
  sqlite3* handle = nullptr;
  std::string record;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 2000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT record FROM ui_session WHERE id = 1", -1, &st,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      record = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(handle);
  return record;
}

// The note and severity of the escalations of a mention in the store (one line each).
std::vector<std::string> escalations_of(const std::string& db, const std::string& mention) {
  sqlite3* handle = nullptr;
  std::vector<std::string> out;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT note, severity FROM escalations WHERE mention_id = ?1",
                           -1, &st, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, mention.c_str(), -1, SQLITE_TRANSIENT);
      while (sqlite3_step(st) == SQLITE_ROW)
        out.push_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) +
                      " / " + reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(handle);
  return out;
}

// The texts the restarted window printed for the frame on screen at "--tap print".
std::string printed_frame(const std::string& out) {
  const auto end = out.find("-- printed frame --");
  return end == std::string::npos ? std::string() : out.substr(0, end);
}

}  // namespace

TEST_CASE("[ui] a kill and restart that keeps a half-typed note") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    const auto [db, mention] = staffed_kiosk(dir, hq, "es");

    // Escalate, then "Till four" on the on-screen keys; the window then stays open (a long
    // wait) until it is killed.
    std::vector<std::string> argv{kiosk_binary(), "--db",      db,        "--backend",
                                  backend,        "--no-sync", "--staff", "ana"};
    const std::vector<std::string> taps{"escalate:" + mention,
                                        "severity:high",
                                        "field:note",
                                        "key:shift",
                                        "key:t",
                                        "key:i",
                                        "key:l",
                                        "key:l",
                                        "key:space",
                                        "key:f",
                                        "key:o",
                                        "key:u",
                                        "key:r",
                                        "wait:600000"};
    for (const std::string& t : taps) argv.insert(argv.end(), {"--tap", t});
    std::string record;
    {
      ChildProcess window(argv, dir.file("window.log"));
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(90);
      while (std::chrono::steady_clock::now() < give_up) {
        record = saved_session(db);
        if (contains(record, "Till four")) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      window.kill_now();  // kill -9: no clean exit, nothing flushed by the program itself
    }
    INFO(kiosk::testing::read_whole_file(dir.file("window.log")));
    // The store holds the screen, the dialog, what it is about and the note; never a PIN.
    REQUIRE(contains(record, "Till four"));
    const auto saved = nlohmann::json::parse(record);
    CHECK(saved["screen"] == "feed");
    CHECK(saved["escalate"]["mention"] == mention);
    CHECK(saved["escalate"]["note"] == "Till four");
    CHECK(saved["escalate"]["severity"] == "high");
    CHECK_FALSE(contains(record, "pin"));
    // Nothing was sent: the escalation exists only as the half-typed dialog.
    CHECK(escalations_of(db, mention).empty());

    // Restart: the dialog is open on the same card with the note and the keyboard under it;
    // Done, then Confirm sends it.
    auto restarted = kiosk_cli(db, {"--backend", backend, "--no-sync", "--staff", "ana", "--tap",
                                    "print", "--tap", "key:done", "--tap", "confirm"});
    REQUIRE_MESSAGE(restarted.exit_code == 0, restarted.err);
    const std::string frame = printed_frame(restarted.out);
    CHECK(contains(frame, "Escalate to head office"));
    CHECK(contains(frame, "Till four"));
    CHECK(contains(frame, "Done"));  // the on-screen keyboard is back under the note
    CHECK(escalations_of(db, mention) == std::vector<std::string>{"Till four / high"});
    // A clean exit leaves nothing to reopen.
    CHECK(saved_session(db).empty());
  }
}

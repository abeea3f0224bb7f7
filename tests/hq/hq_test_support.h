#pragma once
// Small helpers for the kiosk-hq tests: a temporary folder, events and escalations to send.
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"
#include "sync/hq/cli/cli.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/messages.h"
#ifdef KIOSK_TEST_POSTGRESQL
#include <fstream>

#include "tests/support/pg_database.h"
#endif

namespace kiosk::sync::hq::test {

// A fresh folder under the system temp dir, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("kiosk-hq-test-" + make_uuid())) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The head office database of a test: a SQLite file in dir, or, in the PostgreSQL build of the
// test (KIOSK_TEST_POSTGRESQL, tests/CMakeLists.txt), a fresh database on the test cluster;
// the same database for every call with the same dir, so a test can reopen it.
inline std::string test_database(const TempDir& dir) {
#ifdef KIOSK_TEST_POSTGRESQL
  std::string url;
  if (std::ifstream in(dir.file("pg.url")); in && std::getline(in, url)) return url;
  url = kiosk::testing::fresh_pg_database();
  std::ofstream(dir.file("pg.url")) << url << "\n";
  return url;
#else
  return dir.file("hq.sqlite");
#endif
}

// The server secret beside it (the default for SQLite; PostgreSQL needs one named).
inline std::string test_secret(const TempDir& dir) {
  return dir.file("hq.sqlite.secret");
}

// kiosk-hq's command line run in-process, as a script would: exit code, stdout, stderr.
struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
};

inline CliRun kiosk_hq(std::vector<std::string> args) {
  args.insert(args.begin(), "kiosk-hq");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliRun r;
  r.code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// An escalation.created event as a terminal sends it, with fresh ids.
inline protocol::Event escalation_event(const std::string& mention_id = "mastodon:1",
                                        const std::string& note = "customer upset at till 3") {
  protocol::Event e;
  e.id = make_uuid();
  e.kind = "escalation.created";
  e.hlc = "1732320000000-0001";
  e.escalation.id = make_uuid();
  e.escalation.mention_id = mention_id;
  e.escalation.severity = core::Severity::high;
  e.escalation.note = note;
  e.escalation.status = core::EscalationStatus::open;
  e.escalation.created_at_ms = 1'732'320'000'000;
  e.escalation.status_changed_at_ms = 1'732'320'000'000;
  return e;
}

}  // namespace kiosk::sync::hq::test

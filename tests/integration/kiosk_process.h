#pragma once
// Running the real `kiosk` program from a test: its path, a command against one database
// file, the scripted taps the window tests share, and a terminal enrolled at a staffed store.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/hq_fixture.h"
#include "tests/support/process.h"

namespace kiosk::testing {

inline std::string kiosk_binary() {
  return binary_dir() + "/kiosk/app/kiosk";
}

// `kiosk --db DB ARGS...`; input, when given, is the program's standard input.
inline RunResult kiosk_cli(const std::string& db, std::vector<std::string> args,
                           const std::string& input = {}) {
  args.insert(args.begin(), {kiosk_binary(), "--db", db});
  return input.empty() ? run(args) : run_with_input(args, input);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// a followed by b: for building argument lists out of pieces.
inline std::vector<std::string> with(std::vector<std::string> a,
                                     const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// "--tap NAME" for each touch target, in order.
inline std::vector<std::string> taps(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.insert(out.end(), {"--tap", n});
  return out;
}

// The PIN pad's touch targets: choose who, type the PIN, OK.
inline std::vector<std::string> pin_pad_targets(const std::string& staff_id,
                                                const std::string& pin) {
  std::vector<std::string> names{"staff:" + staff_id};
  for (const char digit : pin) names.push_back(std::string("pin:") + digit);
  names.emplace_back("pin:ok");
  return names;
}

// Taps on the PIN pad: choose who, type the PIN, OK.
inline std::vector<std::string> pin_taps(const std::string& staff_id, const std::string& pin) {
  return taps(pin_pad_targets(staff_id, pin));
}

// The texts of each frame "--tap print" (or "shot:FILE") printed, in order: what stdout held
// before each "-- printed frame --" line since the one before (frame=N lines included, when
// KIOSK_TRACE_FRAMES is set).
inline std::vector<std::string> printed_frames(const std::string& out) {
  std::vector<std::string> frames;
  const std::string marker = "-- printed frame --\n";
  std::size_t from = 0;
  for (std::size_t at = out.find(marker); at != std::string::npos; at = out.find(marker, from)) {
    frames.push_back(out.substr(from, at - from));
    from = at + marker.size();
  }
  return frames;
}

// The window on one backend without the sync worker, tapping the targets in order, then the
// texts of its last frame on stdout and its pixels in png (default: beside the database).
// extra: more options (--staff, --frames, --idle-screen-seconds...).
inline RunResult kiosk_window(const std::string& db, const std::string& backend,
                              const std::vector<std::string>& targets,
                              const std::vector<std::string>& extra = {},
                              const std::string& png = {}) {
  const std::vector<std::string> base{
      "--backend",    backend,        "--no-sync",
      "--print-text", "--screenshot", png.empty() ? db + "." + backend + ".png" : png};
  return kiosk_cli(db, with(with(base, taps(targets)), extra));
}

// The card the feed shows first (its order is by priority, so not always the newest).
inline std::string first_card_id(const std::string& db) {
  const auto r = kiosk_cli(db, {"mentions", "--json", "--limit", "1", "--feed", "all"});
  if (r.exit_code != 0) throw std::runtime_error("kiosk mentions failed: " + r.err);
  return nlohmann::json::parse(r.out)["mentions"].at(0)["id"].get<std::string>();
}

// Head office with Downtown's demo mentions, started; a terminal enrolled there and synced
// once. Returns the terminal's database.
// The kiosk program copied alone into a folder of its own, as an installation that lost its
// modules would be.
inline std::string lone_kiosk(const TempDir& dir) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(dir.path) / "installed";
  fs::create_directories(folder);
  fs::copy_file(kiosk_binary(), folder / "kiosk");
  return (folder / "kiosk").string();
}

inline std::string enrolled_demo_kiosk(const TempDir& dir, HqFixture& hq) {
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  if (kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code != 0)
    throw std::runtime_error("kiosk enroll failed");
  if (kiosk_cli(db, {"sync", "--once"}).exit_code != 0)
    throw std::runtime_error("kiosk sync --once failed");
  return db;
}

// A terminal's database and the card its feed shows first.
struct StaffedKiosk {
  std::string db;
  std::string first_card;
};

// Head office with Downtown's demo mentions and two staff there, Ana Lopez (associate, PIN
// 4821) and Max Weber (manager, PIN 90210, screen texts in manager_language: en or es), started;
// a terminal enrolled at Downtown and synced once.
inline StaffedKiosk staffed_kiosk(const TempDir& dir, HqFixture& hq,
                                  const std::string& manager_language) {
  hq.load_demo_mentions();
  std::ofstream(dir.file("ana.pin")) << "4821\n";
  std::ofstream(dir.file("max.pin")) << "90210\n";
  hq.admin({"staff", "add", "--store", "s1", "--id", "ana", "--name", "Ana Lopez", "--role",
            "associate", "--pin-file", dir.file("ana.pin")});
  hq.admin({"staff", "add", "--store", "s1", "--id", "max", "--name", "Max Weber", "--role",
            "manager", "--language", manager_language, "--pin-file", dir.file("max.pin")});
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  const auto enrolled = kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()});
  if (enrolled.exit_code != 0) throw std::runtime_error("kiosk enroll failed: " + enrolled.err);
  const auto synced = kiosk_cli(db, {"sync", "--once"});
  if (synced.exit_code != 0) throw std::runtime_error("kiosk sync failed: " + synced.err);
  return {db, first_card_id(db)};
}

}  // namespace kiosk::testing

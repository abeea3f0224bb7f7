#pragma once
// Running the real `kiosk` program from a test: its path, a command against one database
// file, and the scripted taps the window tests share.
#include <string>
#include <vector>

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

// Taps on the PIN pad: choose who, type the PIN, OK.
inline std::vector<std::string> pin_taps(const std::string& staff_id, const std::string& pin) {
  std::vector<std::string> taps{"--tap", "staff:" + staff_id};
  for (const char digit : pin) taps.insert(taps.end(), {"--tap", std::string("pin:") + digit});
  taps.insert(taps.end(), {"--tap", "pin:ok"});
  return taps;
}

}  // namespace kiosk::testing

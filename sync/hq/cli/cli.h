#pragma once
// The kiosk-hq command line (CLI11): serve, and the head-office operations store IT and tests
// script against. `kiosk-hq --help` lists them; each subcommand has its own --help.
#include <ostream>

namespace kiosk::sync::hq {

// Runs one command. Results go to out (scripts capture it: `enroll-code` prints only the
// code), problems to err as one line saying what to do. Returns the process exit code.
// Serving blocks until SIGINT or SIGTERM.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace kiosk::sync::hq

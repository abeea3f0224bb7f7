#pragma once
// Real processes for integration tests: run a program and capture its output, or keep one
// running (kiosk-hq) and kill it the hard way.
#include <sys/types.h>
#include <string>
#include <vector>

namespace kiosk::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv[0] with the arguments and waits for it.
RunResult run(const std::vector<std::string>& argv);
// The same, with stdin_text on its standard input.
RunResult run_with_input(const std::vector<std::string>& argv, const std::string& stdin_text);

class ChildProcess {
 public:
  // Starts argv; its stdout and stderr go to log_path.
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();  // SIGKILL and reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void kill_now();  // SIGKILL: no clean shutdown, as when the power goes
  void stop();      // SIGSTOP: frozen mid-request
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A file's bytes; empty when it cannot be read.
std::string read_whole_file(const std::string& path);

// Paths from the environment ctest sets (tests/CMakeLists.txt).
std::string binary_dir();
std::string source_dir();
std::string shared_dir();

// A fresh empty folder under the system temp dir, removed by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string file(const std::string& name) const;
  std::string path;
};

}  // namespace kiosk::testing

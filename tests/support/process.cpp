#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace kiosk::testing {

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::vector<char*> c_args(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const std::string& in_path = "/dev/null") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  // Appending: when stdout and stderr share one log (ChildProcess), neither overwrites the
  // lines the other wrote.
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  pid_t pid = -1;
  auto args = c_args(argv);
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv) {
  return run_with_input(argv, "");
}

RunResult run_with_input(const std::vector<std::string>& argv, const std::string& stdin_text) {
  TempDir tmp;
  const std::string out = tmp.file("out"), err = tmp.file("err"), in = tmp.file("in");
  std::ofstream(in, std::ios::binary) << stdin_text;
  const pid_t pid = spawn(argv, out, err, in);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_whole_file(out);
  r.err = read_whole_file(err);
  return r;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path)
    : pid_(spawn(argv, log_path, log_path)) {}

ChildProcess::~ChildProcess() {
  kill_now();
}

void ChildProcess::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ChildProcess::stop() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

static std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

std::string binary_dir() {
  return env_or("KIOSK_BINARY_DIR", ".");
}
std::string source_dir() {
  return env_or("KIOSK_SOURCE_DIR", ".");
}
std::string shared_dir() {
  return env_or("KIOSK_SHARED_DIR", "../shared");
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  const auto p = std::filesystem::temp_directory_path() /
                 ("kiosk-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  path = p.string();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string TempDir::file(const std::string& name) const {
  return path + "/" + name;
}

}  // namespace kiosk::testing

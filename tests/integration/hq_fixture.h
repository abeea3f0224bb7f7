#pragma once
// A real kiosk-hq process on loopback with one demo store, for the kiosk-side integration
// tests. Administration goes through kiosk-hq's own CLI, as head office would use it.
// Built with KIOSK_TEST_POSTGRESQL (tests/CMakeLists.txt), its database is a fresh one on the
// throwaway PostgreSQL cluster instead of a SQLite file.
#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#ifdef KIOSK_TEST_POSTGRESQL
#include "tests/support/pg_database.h"
#endif

namespace kiosk::testing {

class HqFixture {
 public:
  explicit HqFixture(const TempDir& dir)
#ifdef KIOSK_TEST_POSTGRESQL
      : db_(fresh_pg_database()),
#else
      : db_(dir.file("hq.sqlite")),
#endif
        secret_(dir.file("hq.secret")),
        dir_(dir) {
    admin({"store", "add", "--id", "s1", "--name", "Downtown"});
    admin({"store", "add", "--id", "s2", "--name", "Uptown"});
  }

  static std::string binary() {
    return binary_dir() + "/sync/hq/kiosk-hq";
  }

  // Starts (or restarts) the server on a port picked by the OS, keeping the same port on
  // restart so an enrolled terminal finds it again.
  // extra: more serve options, e.g. {"--ladder-interval-ms", "100"}.
  void start(const std::vector<std::string>& extra = {}) {
    const std::string port_file = dir_.file("hq.port");
    std::remove(port_file.c_str());
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args{binary(),   "--db", db_,           "--secret-file", secret_,
                                  "--listen", listen, "--port-file", port_file};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ChildProcess>(args, dir_.file("hq.log"));
    for (int i = 0; i < 200; ++i) {
      std::ifstream in(port_file);
      int p = 0;
      if (in >> p && p > 0) {
        port_ = p;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("kiosk-hq did not start; see " + dir_.file("hq.log"));
  }
  void kill() {
    server_.reset();
  }
  ChildProcess* process() {
    return server_.get();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }
  // The same server started with --tls-cert/--tls-key.
  std::string https_url() const {
    return "https://127.0.0.1:" + std::to_string(port_);
  }
  const std::string& db() const {
    return db_;
  }  // a file, or a postgresql:// URL
  const std::string& secret() const {
    return secret_;
  }

  RunResult admin(std::vector<std::string> args) {
    args.insert(args.begin(), binary());
    args.push_back("--db");
    args.push_back(db_);
    args.push_back("--secret-file");
    args.push_back(secret_);
    RunResult r = run(args);
    if (r.exit_code != 0) throw std::runtime_error("kiosk-hq admin failed: " + r.err);
    return r;
  }

  // The demo data from assets/: Downtown's mentions for s1, Uptown's for s2.
  void load_demo_mentions(const std::string& store = "s1") {
    const std::string file = store == "s1" ? "downtown.json" : "uptown.json";
    admin({"mentions", "load", "--store", store, "--file", source_dir() + "/assets/demo/" + file});
  }

  std::string enroll_code(const std::string& store = "s1") {
    auto out = admin({"enroll-code", "--store", store}).out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  nlohmann::json escalations() {
    return nlohmann::json::parse(admin({"escalations", "list", "--json"}).out);
  }
  long events() {
    return std::stol(admin({"events", "count"}).out);
  }

 private:
  std::string db_;
  std::string secret_;
  const TempDir& dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace kiosk::testing

// The chime in the real kiosk program, in a real window (Xvfb), on both backends, with SDL2's
// real "disk" audio driver writing what the kiosk plays to a file: an urgent post written to
// the terminal's store while the window runs chimes (non-silent samples in the file) and wakes
// the idle screen; a restart with nothing new writes no sound; --silent writes none and still
// wakes the idle screen; head office acknowledging an escalation chimes once the terminal's
// sync brings it (a real kiosk-hq on loopback). The disk driver writes silence (zero samples) while
// a device is open with nothing queued, so the checks count non-zero samples, not bytes.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::ChildProcess;
using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_binary;
using kiosk::testing::kiosk_cli;
using kiosk::testing::read_whole_file;
using kiosk::testing::source_dir;
using kiosk::testing::staffed_kiosk;
using kiosk::testing::TempDir;
using kiosk::testing::with;

namespace {

using namespace std::chrono_literals;

// Samples the disk driver wrote (signed 16-bit, the chime's format) that are not silence.
std::size_t nonzero_samples(const std::string& path) {
  const std::string bytes = read_whole_file(path);
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    std::int16_t s = 0;
    std::memcpy(&s, bytes.data() + i, 2);
    if (s != 0) ++n;
  }
  return n;
}

// The kiosk's audio goes to this file through SDL2's disk driver.
void audio_to(const std::string& path) {
  ::setenv("SDL_AUDIODRIVER", "disk", 1);
  ::setenv("SDL_DISKAUDIOFILE", path.c_str(), 1);
}

// A post that triage puts in the urgent band (safety, still in the store, shouting).
void write_urgent_post(const std::string& path, const std::string& id) {
  std::ofstream(path) << R"({"mentions": [{"id": ")" << id
                      << R"(", "source": "google", "author": "Sam", "minutes_ago": 0,
    "text": "A child SLIPPED on a spill by the entrance and is hurt, we are still waiting in the store for a manager!!! Dangerous, nobody is helping"}]})";
}

// Waits for the child to exit on its own; its exit code (-1 when it did not in time).
int wait_exit(ChildProcess& child, std::chrono::seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    int status = 0;
    if (::waitpid(child.pid(), &status, WNOHANG) == child.pid())
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(50ms);
  }
  return -1;
}

bool wait_for_text(const std::string& path, const std::string& text, std::chrono::seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (contains(read_whole_file(path), text)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

struct LiveRun {
  int exit_code = -1;
  std::string log;         // stdout and stderr
  std::size_t before = 0;  // non-zero samples while idle, before the post arrived
  std::size_t after = 0;   // non-zero samples at the end
};

// The window with the idle screen after 3 s; 4 s after its first frame (the idle screen is
// up) arrive() brings news to the terminal's store from another process; the window runs 6 s
// and prints the texts of its last frame.
LiveRun live_run(const TempDir& dir, const std::string& db, const std::string& backend,
                 const std::string& name, const std::vector<std::string>& extra,
                 const std::function<void()>& arrive) {
  const std::string audio = dir.file(name + ".raw");
  const std::string log = dir.file(name + ".log");
  audio_to(audio);
  ::setenv("KIOSK_TRACE_STARTUP", "1", 1);
  ChildProcess window(with({kiosk_binary(), "--db", db, "--backend", backend, "--no-sync",
                            "--idle-screen-seconds", "3", "--print-text", "--tap", "wait:6000"},
                           extra),
                      log);
  ::unsetenv("KIOSK_TRACE_STARTUP");
  LiveRun r;
  REQUIRE_MESSAGE(wait_for_text(log, "first_frame_realtime_ns", 30s), read_whole_file(log));
  std::this_thread::sleep_for(4s);
  r.before = nonzero_samples(audio);
  arrive();
  r.exit_code = wait_exit(window, 60s);
  r.log = read_whole_file(log);
  r.after = nonzero_samples(audio);
  return r;
}

// An urgent post written to the terminal's store by the kiosk CLI (as the sync would).
LiveRun urgent_post_run(const TempDir& dir, const std::string& db, const std::string& backend,
                        const std::string& name, const std::vector<std::string>& extra) {
  return live_run(dir, db, backend, name, extra, [&] {
    write_urgent_post(dir.file(name + ".json"), "test:" + name);
    const auto ingested = kiosk_cli(db, {"ingest", dir.file(name + ".json")});
    REQUIRE_MESSAGE(ingested.exit_code == 0, ingested.err);
  });
}

void chime_on(const std::string& backend) {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"ingest", source_dir() + "/assets/demo/downtown.json"}).exit_code == 0);

  // The first run takes in what the terminal holds: no chime, no sound.
  const std::string first_audio = dir.file("first.raw");
  audio_to(first_audio);
  const auto first = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text",
                                    "--screenshot", dir.file("first.png")});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK_FALSE(contains(first.err, "kiosk: chime"));
  CHECK(nonzero_samples(first_audio) == 0);

  // A restart with nothing new, left alone until the idle screen shows: silent.
  const std::string idle_audio = dir.file("idle.raw");
  audio_to(idle_audio);
  const auto idle = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text",
                                   "--idle-screen-seconds", "1", "--tap", "wait:2500"});
  REQUIRE_MESSAGE(idle.exit_code == 0, idle.err);
  CHECK(contains(idle.out, "Tap anywhere to start"));
  CHECK_FALSE(contains(idle.err, "kiosk: chime"));
  CHECK(nonzero_samples(idle_audio) == 0);

  // An urgent post arrives while the idle screen shows: a chime, and the live screen.
  const LiveRun live = urgent_post_run(dir, db, backend, "live", {});
  REQUIRE_MESSAGE(live.exit_code == 0, live.log);
  CHECK(live.before == 0);
  CHECK_MESSAGE(contains(live.log, "kiosk: chime: 1 urgent post"), live.log);
  CHECK_MESSAGE(live.after > 1000, live.log);  // the chime is 0.6 s of sound at 48 kHz
  CHECK_MESSAGE(contains(live.log, "Report an issue"), live.log);
  CHECK_FALSE(contains(live.log, "Tap anywhere to start"));

  // --silent: another urgent post wakes the idle screen without a sound. (At most one chime
  // per 10 s, across restarts too: let that pass first, or the post would be held.)
  std::this_thread::sleep_for(6s);
  const LiveRun silent = urgent_post_run(dir, db, backend, "silent", {"--silent"});
  REQUIRE_MESSAGE(silent.exit_code == 0, silent.log);
  CHECK_MESSAGE(contains(silent.log, "kiosk: chime (silent): 1 urgent post"), silent.log);
  CHECK(silent.after == 0);
  CHECK_MESSAGE(contains(silent.log, "Report an issue"), silent.log);
  CHECK_FALSE(contains(silent.log, "Tap anywhere to start"));

  // And a restart after all that, with nothing new: silent again.
  const std::string again_audio = dir.file("again.raw");
  audio_to(again_audio);
  const auto again = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text",
                                    "--screenshot", dir.file("again.png")});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK_FALSE(contains(again.err, "kiosk: chime"));
  CHECK(nonzero_samples(again_audio) == 0);
}

}  // namespace

TEST_CASE("[ui] SDL2: an urgent post chimes and wakes the idle screen; nothing new is silent") {
  chime_on("sdl2");
}

TEST_CASE("[ui] GLFW: an urgent post chimes and wakes the idle screen; nothing new is silent") {
  chime_on("glfw");
}

TEST_CASE("[ui] head office acknowledging an escalation chimes at the terminal after the sync") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = staffed_kiosk(dir, hq, "es");
  const std::string& db = kiosk.db;
  REQUIRE(
      kiosk_cli(db, {"escalate", "--mention", kiosk.first_card, "--severity", "high"}).exit_code ==
      0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);  // delivered: no news
  const auto listed = nlohmann::json::parse(kiosk_cli(db, {"escalations", "--json"}).out);
  REQUIRE(listed.size() == 1);
  const std::string id = listed[0]["id"];

  // The first run takes in what the terminal holds (the urgent demo posts among it).
  audio_to(dir.file("first.raw"));
  const auto first = kiosk_cli(db, {"--backend", "sdl2", "--no-sync", "--print-text",
                                    "--screenshot", dir.file("first.png")});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK_FALSE(contains(first.err, "kiosk: chime"));

  // Head office acknowledges; the terminal's next sync brings it while the idle screen shows.
  const LiveRun acked = live_run(dir, db, "sdl2", "acked", {}, [&] {
    hq.admin({"ack", "--escalation", id, "--by", "HQ customer care"});
    const auto synced = kiosk_cli(db, {"sync", "--once"});
    REQUIRE_MESSAGE(synced.exit_code == 0, synced.err);
  });
  REQUIRE_MESSAGE(acked.exit_code == 0, acked.log);
  CHECK(acked.before == 0);
  CHECK_MESSAGE(contains(acked.log, "kiosk: chime: 1 escalation update from head office"),
                acked.log);
  CHECK_MESSAGE(acked.after > 1000, acked.log);
  CHECK_MESSAGE(contains(acked.log, "Report an issue"), acked.log);
  CHECK_FALSE(contains(acked.log, "Tap anywhere to start"));
}

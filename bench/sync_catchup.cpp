// Sync over a slow link: catch-up of N mentions and the live channel's mention-to-kiosk time.
// A real kiosk-hq (in-process, SQLite) and a real kiosk store, with the project's proxy
// between them throttling to a given bandwidth and round trip (loopback only; the kernel has
// no netem). The baselines, measured in the same run, are the wire as it was: plain JSON
// answers and a new TCP connection per page (up to --baseline-max mentions), and version 1's
// page of 500 changes fetched one after the other. The kiosk's side of each catch-up runs in
// a process of its own (this program again, with --kiosk-sync), so its peak memory is the
// kiosk's alone.
//
// First, head office's share of one page on its own (no link): reading a page of 5,000
// changes and writing its gzipped answer, as it is now (each change's stored JSON spliced in
// as it is) against the baseline of decoding each change and encoding it again.
//
//   sync_catchup [--mentions 10000,100000] [--baseline-max 10000] [--kbit 1000] [--rtt 300]
//                [--live-samples 40] [--page-rounds 9]  (0 skips that part)
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "sync/client/sync_worker.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/json_codec.h"
#include "tests/support/fault_proxy.h"

namespace hq = kiosk::sync::hq;
using kiosk::testing::FaultProxy;
using kiosk::testing::Link;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Posts that read like reviews: words drawn from a vocabulary, 8 to 40 of them.
kiosk::core::Mention make_mention(std::mt19937& rng, int n) {
  static const std::vector<std::string> words = {
      "waited",   "minutes",  "queue",        "till",    "staff",  "friendly",  "rude",   "manager",
      "store",    "again",    "never",        "always",  "price",  "promotion", "refund", "receipt",
      "clean",    "dirty",    "floor",        "aisle",   "milk",   "bread",     "shelf",  "empty",
      "stock",    "checkout", "self-service", "machine", "broken", "helpful",   "thanks", "Maria",
      "Tom",      "at",       "the",          "and",     "but",    "was",       "for",    "20",
      "40",       "today",    "yesterday",    "loved",   "hate",   "parking",   "door",   "card",
      "declined", "coupon",   "expired",      "asked",   "nobody", "came",      "great",  "service",
      "slow",     "fast",     "fresh",        "fruit",   "veg",    "bakery",    "coffee", "toilets",
      "baby",     "change"};
  std::uniform_int_distribution<std::size_t> word(0, words.size() - 1);
  std::uniform_int_distribution<int> length(8, 40);
  std::string text;
  for (int i = length(rng); i > 0; --i) text += words[word(rng)] + (i > 1 ? " " : ".");
  const std::string id = std::to_string(n);
  return {"google:bench-" + id,
          "",
          "google",
          "@guest" + std::to_string(rng() % 100000),
          text,
          "https://maps.example/review/" + id,
          1'732'320'000'000 + n};
}

struct Hq {
  std::filesystem::path dir;
  std::unique_ptr<hq::RunningServer> server;
  explicit Hq(const std::string& name) {
    dir = std::filesystem::temp_directory_path() / ("kiosk-bench-" + name + "-" + hq::make_uuid());
    std::filesystem::create_directories(dir);
    auto started =
        hq::start_server({(dir / "hq.sqlite").string(), "127.0.0.1:0", 2, hq::system_now_ms, {}});
    if (!started.ok()) {
      std::fprintf(stderr, "kiosk-hq: %s\n", started.error().c_str());
      std::exit(1);
    }
    server = std::move(started.value());
    server->storage().add_store({"s1", "Downtown"});
  }
  ~Hq() {
    server.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  void load(int from, int count, std::mt19937& rng) {
    std::vector<kiosk::core::Mention> batch;
    for (int i = from; i < from + count; ++i) {
      batch.push_back(make_mention(rng, i));
      if (batch.size() == 2000 || i + 1 == from + count) {
        server->storage().upsert_mentions("s1", batch, now_ms());
        batch.clear();
      }
    }
  }
  int port() const { return server->port(); }
  // A kiosk database enrolled through url.
  std::string enrolled_kiosk(const std::string& url, const std::string& name) {
    const std::string db = (dir / (name + ".sqlite")).string();
    kiosk::store::Store s(db);
    auto code = hq::issue_enrollment_code(server->storage(), "s1", 1, now_ms());
    auto e = kiosk::sync::client::enroll(s, {url, code.value(), "Bench"});
    if (!e.ok) {
      std::fprintf(stderr, "enroll: %s\n", e.error.text().c_str());
      std::exit(1);
    }
    return db;
  }
};

// The kiosk's side of a catch-up in a process of its own: this program with --kiosk-sync.
struct KioskRun {
  bool ok = false;
  double apply_seconds = 0;
  double peak_rss_mib = 0;  // the kiosk process's own peak resident memory (VmHWM)
  double end_anon_mib = 0;  // at its end: anonymous memory (heap, thread arenas, stacks)
  double end_file_mib = 0;  // and file-backed pages mapped (libraries, SQLite's -shm)
  double wal_mib = 0;       // the kiosk database's write-ahead log after the catch-up
  double wait4_mib = 0;     // what this bench printed as the peak before: see own_memory
};

// This process's memory in KiB, from /proc/self/status: VmHWM, RssAnon, RssFile + RssShmem.
// The peak is read by the kiosk process itself: the rusage a parent gets from wait4 counts,
// as the child's peak, the parent's own peak resident memory at the moment of the spawn
// (posix_spawn shares the parent's address space until the exec, and the kernel keeps its
// high-water mark), and here the parent is head office holding the whole backlog.
struct OwnMemory {
  long long hwm_kib = 0, anon_kib = 0, file_kib = 0;
};

OwnMemory own_memory() {
  OwnMemory m;
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      long long kib = 0;
      if (std::sscanf(line, "VmHWM: %lld", &kib) == 1) m.hwm_kib = kib;
      if (std::sscanf(line, "RssAnon: %lld", &kib) == 1) m.anon_kib = kib;
      if (std::sscanf(line, "RssFile: %lld", &kib) == 1) m.file_kib += kib;
      if (std::sscanf(line, "RssShmem: %lld", &kib) == 1) m.file_kib += kib;
    }
    std::fclose(f);
  }
  return m;
}

KioskRun run_kiosk_sync(const std::string& db, std::int64_t page_changes, bool fetch_ahead) {
  int out[2];
  if (::pipe(out) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string page = std::to_string(page_changes);
  const std::string ahead = fetch_ahead ? "1" : "0";
  std::vector<char*> argv = {const_cast<char*>("sync_catchup"), const_cast<char*>("--kiosk-sync"),
                             const_cast<char*>(db.c_str()),     const_cast<char*>(page.c_str()),
                             const_cast<char*>(ahead.c_str()),  nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    return {};
  }
  std::string text;
  char buffer[256];
  for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  KioskRun run;
  long long apply_us = 0;
  OwnMemory m;
  long long wal_bytes = 0;
  int ok = 0;
  if (std::sscanf(text.c_str(), "%d %lld %lld %lld %lld %lld", &ok, &apply_us, &m.hwm_kib,
                  &m.anon_kib, &m.file_kib, &wal_bytes) == 6) {
    run.ok = ok == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    run.apply_seconds = static_cast<double>(apply_us) / 1e6;
    run.peak_rss_mib = static_cast<double>(m.hwm_kib) / 1024.0;
    run.end_anon_mib = static_cast<double>(m.anon_kib) / 1024.0;
    run.end_file_mib = static_cast<double>(m.file_kib) / 1024.0;
    run.wal_mib = static_cast<double>(wal_bytes) / (1024.0 * 1024.0);
  }
  run.wait4_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
  return run;
}

// --kiosk-sync DB PAGE AHEAD: one sync_once of the kiosk at DB; prints
// "ok apply_us peak_kib anon_kib file_kib wal_bytes" (own_memory at its end; the log's size
// before the store closes, which checkpoints and removes it).
int kiosk_sync_main(const std::string& db, std::int64_t page_changes, bool fetch_ahead) {
  kiosk::store::Store s(db);
  kiosk::sync::client::CatchUpOptions options;
  options.page_changes = page_changes;
  options.fetch_ahead = fetch_ahead;
  const auto r = kiosk::sync::client::sync_once(s, now_ms(), nullptr, 0, options);
  if (!r.ok) std::fprintf(stderr, "sync: %s\n", r.error.text().c_str());
  const OwnMemory m = own_memory();
  std::error_code ec;
  const auto wal = std::filesystem::file_size(db + "-wal", ec);
  std::printf("%d %lld %lld %lld %lld %lld\n", r.ok ? 1 : 0, static_cast<long long>(r.apply_us),
              m.hwm_kib, m.anon_kib, m.file_kib, ec ? 0LL : static_cast<long long>(wal));
  return r.ok ? 0 : 1;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stoi(item));
  return out;
}

// How the kiosk pages through the backlog in one catch-up run.
enum class Wire { plain, pages_of_500, large_pages, large_pages_ahead };

const char* describe(Wire wire) {
  switch (wire) {
    case Wire::plain:
      return "plain, conn per page, 500";
    case Wire::pages_of_500:
      return "gzip, keep-alive, 500";
    case Wire::large_pages:
      return "gzip, keep-alive, 5000";
    case Wire::large_pages_ahead:
      return "gzip, 5000, fetch ahead";
  }
  return "";
}

double load_average() {
  double one = 0;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &one) != 1) one = 0;
    std::fclose(f);
  }
  return one;
}

void catch_up(int mentions, Wire wire, const Link& link_in) {
  std::mt19937 rng(42);
  Hq h("catchup");
  h.load(0, mentions, rng);
  Link link = link_in;
  link.plain_answers = wire == Wire::plain;
  link.close_each = wire == Wire::plain;
  FaultProxy proxy(h.port(), link);
  const std::string db = h.enrolled_kiosk(proxy.url(), "kiosk");
  const bool large = wire == Wire::large_pages || wire == Wire::large_pages_ahead;
  proxy.reset_counters();
  const auto t0 = SteadyClock::now();
  const KioskRun r = run_kiosk_sync(
      db, large ? static_cast<std::int64_t>(kiosk::sync::protocol::kMaxChangesPerLargePage) : 0,
      wire == Wire::large_pages_ahead);
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  kiosk::store::Store s(db);
  const auto have = s.recent_mentions(mentions + 10).size();
  const double wire_bytes = static_cast<double>(proxy.bytes_up() + proxy.bytes_down());
  std::printf(
      "%-7d %-26s %7.1f s  %6.1f B/mention  %4lld requests  %3lld conn  apply %5.1f s  "
      "kiosk peak %4.0f MiB (at end: anon %3.0f, files %3.0f; wal %3.0f; wait4 %4.0f)  "
      "load %.1f  %s\n",
      mentions, describe(wire), seconds, wire_bytes / mentions,
      static_cast<long long>(proxy.requests()), static_cast<long long>(proxy.connections()),
      r.apply_seconds, r.peak_rss_mib, r.end_anon_mib, r.end_file_mib, r.wal_mib, r.wait4_mib,
      load_average(), r.ok && static_cast<int>(have) == mentions ? "complete" : "INCOMPLETE");
  std::fflush(stdout);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Head office building one answer of a page of 5,000 mentions (read, JSON, gzip), both ways
// alternately in the same run: the stored bytes spliced (now), and each change decoded into
// its typed value and encoded again (before).
void page_build(int rounds) {
  std::mt19937 rng(42);
  Hq h("page");
  const auto page = static_cast<int>(kiosk::sync::protocol::kMaxChangesPerLargePage);
  h.load(0, page, rng);
  auto& storage = h.server->storage();
  const hq::TerminalIdentity terminal{"bench-terminal", "s1"};
  kiosk::sync::protocol::SyncRequest request;
  request.max_changes = page;
  std::vector<double> spliced_ms, decoded_ms;
  std::string spliced_body, decoded_body;
  std::size_t gz_bytes = 0;
  const std::int64_t at = now_ms();  // one clock for both: the answers carry it
  for (int round = 0; round < rounds; ++round) {
    auto t0 = SteadyClock::now();
    auto stored = storage.sync_stored(terminal, request, at);
    spliced_body = kiosk::sync::protocol::encode(stored.value());
    gz_bytes = kiosk::sync::protocol::gzip_compress(spliced_body).size();
    spliced_ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
    t0 = SteadyClock::now();
    auto typed = storage.sync(terminal, request, at);
    decoded_body = kiosk::sync::protocol::encode(typed.value());
    kiosk::sync::protocol::gzip_compress(decoded_body);
    decoded_ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
  }
  const double now = median(spliced_ms), before = median(decoded_ms);
  std::printf(
      "head office, one page of %d mentions (read, JSON, gzip; median of %d): stored JSON "
      "spliced %.0f ms, decoded and encoded again %.0f ms (%.1fx); answer %zu bytes, %zu "
      "gzipped; %s\n",
      page, rounds, now, before, now > 0 ? before / now : 0.0, spliced_body.size(), gz_bytes,
      spliced_body == decoded_body ? "the same bytes both ways" : "ANSWERS DIFFER");
  std::fflush(stdout);
}

void live(const Link& link, int samples, const char* label) {
  std::mt19937 rng(7);
  Hq h("live");
  h.load(0, 10, rng);
  FaultProxy proxy(h.port(), link);
  const std::string db = h.enrolled_kiosk(proxy.url(), "kiosk");
  kiosk::sync::client::SyncWorkerOptions o;
  o.db_path = db;
  kiosk::sync::client::SyncWorker worker(o);
  worker.start();
  kiosk::store::Store s(db);
  // Online first: the catch-up done and the long-poll open.
  const auto ready = SteadyClock::now() + std::chrono::seconds(30);
  while (!worker.status().live && SteadyClock::now() < ready)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<double> ms;
  for (int i = 0; i < samples; ++i) {
    auto m = make_mention(rng, 1'000'000 + i);
    m.created_at_ms = now_ms();
    const auto t0 = SteadyClock::now();
    h.server->storage().upsert_mentions("s1", {m}, now_ms());
    const auto limit = t0 + std::chrono::seconds(15);
    bool seen = false;
    while (!seen && SteadyClock::now() < limit) {
      for (const auto& got : s.recent_mentions(3)) seen = seen || got.id == m.id;
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ms.push_back(seen ? std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count()
                      : 1e9);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
  }
  worker.stop();
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  std::printf("live channel, %-34s %d mentions: median %.0f ms, p99 %.0f ms, max %.0f ms\n", label,
              samples, at(0.5), at(0.99), ms.back());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  // The kiosk's sync reaches head office through libkiosk_sync_http.so, which the build puts
  // beside kiosk, not beside this bench (sync/client/http_module.h).
  setenv("KIOSK_SYNC_MODULE", KIOSK_SYNC_MODULE_PATH, 0);
  if (argc == 5 && std::string(argv[1]) == "--kiosk-sync")
    return kiosk_sync_main(argv[2], std::stoll(argv[3]), std::string(argv[4]) == "1");
  std::vector<int> sizes = {10000, 100000};
  int baseline_max = 10000, kbit = 1000, rtt = 300, samples = 40, page_rounds = 9;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--mentions")
      sizes = parse_list(value);
    else if (flag == "--baseline-max")
      baseline_max = std::stoi(value);
    else if (flag == "--kbit")
      kbit = std::stoi(value);
    else if (flag == "--rtt")
      rtt = std::stoi(value);
    else if (flag == "--live-samples")
      samples = std::stoi(value);
    else if (flag == "--page-rounds")
      page_rounds = std::stoi(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  std::printf("load average (1 min) at the start: %.2f\n", load_average());
  if (page_rounds > 0) page_build(page_rounds);
  const Link slow{static_cast<std::int64_t>(kbit) * 1000, rtt};
  std::printf(
      "catch-up through a %d kbit/s link with %d ms round trips (bytes: both ways, "
      "HTTP headers included)\n",
      kbit, rtt);
  for (const int n : sizes) {
    if (n <= baseline_max) catch_up(n, Wire::plain, slow);
    catch_up(n, Wire::pages_of_500, slow);
    catch_up(n, Wire::large_pages, slow);
    catch_up(n, Wire::large_pages_ahead, slow);
  }
  if (samples > 0) {
    live(slow, samples, "slow link:");
    live(Link{}, samples, "loopback:");
  }
  std::printf("load average (1 min) at the end: %.2f\n", load_average());
  return 0;
}

#include "sync/hq/cli/sources_cli.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <ostream>
#include <sstream>
#include <thread>

#include "kiosk/core/escalation_policy.h"
#include "kiosk/core/time_format.h"
#include "sync/hq/api/mention_intake.h"
#include "sync/hq/api/source_poller.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/sim/simulator.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/sources/matcher.h"
#include "sync/sources/pushed.h"

namespace kiosk::sync::hq {
namespace {

int fail(std::ostream& err, const std::string& message) {
  err << "kiosk-hq: " << message << "\n";
  return 1;
}

std::unique_ptr<HqStorage> open_db(const SourcesCommand& c, std::ostream& err, StorageMode mode) {
  auto storage = open_hq_storage(c.db, mode, c.secret_file);
  if (!storage) {
    fail(err, storage.error());
    return nullptr;
  }
  return std::move(storage.value());
}

core::Result<std::string> read_file(const std::string& path, const char* what) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    return core::Result<std::string>::failure(std::string("cannot read the ") + what + " " + path);
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

std::string when(std::int64_t ms) {
  return ms > 0 ? core::utc_minute(ms) : std::string("-");
}

std::string json_dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Blocks SIGINT and SIGTERM in every thread started after it; wait() returns on either.
struct StopSignals {
  sigset_t set{};
  sigset_t previous{};
  StopSignals() {
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &previous);
  }
  ~StopSignals() { pthread_sigmask(SIG_SETMASK, &previous, nullptr); }
  void wait() {
    int signal = 0;
    sigwait(&set, &signal);
  }
};

}  // namespace

core::Result<std::vector<sources::ConnectorConfig>> load_sources_file(const std::string& path) {
  using R = core::Result<std::vector<sources::ConnectorConfig>>;
  auto text = read_file(path, "sources file");
  if (!text) return R::failure(text.error() + "; check the path given to --sources");
  auto list = sources::parse_sources_config(text.value(), [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  });
  if (!list) return R::failure(path + ": " + list.error());
  return list;
}

core::Result<std::string> read_ingest_key(const std::string& path) {
  auto text = read_file(path, "ingest key file");
  if (!text) return text;
  std::string key = text.value().substr(0, text.value().find('\n'));
  while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
  if (key.size() < 24)
    return core::Result<std::string>::failure(
        "the ingest key in " + path +
        " is shorter than 24 characters; put a long random key on its first line (e.g. the "
        "output of: head -c 24 /dev/urandom | base64)");
  return key;
}

int sources_list_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  std::vector<sources::ConnectorConfig> configured;
  if (!c.sources_file.empty()) {
    auto list = load_sources_file(c.sources_file);
    if (!list) return fail(err, list.error());
    configured = std::move(list.value());
  }
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  auto states = db->source_states();
  if (!states) return fail(err, states.error());
  struct Row {
    std::string name, source = "?", status;
    SourceState st;
  };
  std::vector<Row> rows;
  const std::int64_t now = system_now_ms();
  const auto status_of = [&](const SourceState& st, const sources::ConnectorConfig* cfg) {
    if (cfg && !cfg->enabled) return std::string("disabled");
    if (cfg && cfg->needs_credential && cfg->credential.empty())
      return std::string("no credential");
    if (!st.lease_holder.empty() && st.lease_until_ms > now) return std::string("polling");
    if (st.failures > 0) return std::string("failing");
    if (st.last_success_ms == 0) return std::string("not polled yet");
    return std::string("ok");
  };
  for (const auto& cfg : configured) {
    Row r{cfg.name, std::string(sources::source_name(cfg.source)), "", {}};
    for (const auto& s : states.value())
      if (s.name == cfg.name) r.st = s;
    r.status = status_of(r.st, &cfg);
    rows.push_back(std::move(r));
  }
  for (const auto& s : states.value()) {
    bool known = false;
    for (const auto& r : rows) known = known || r.name == s.name;
    if (!known)
      rows.push_back(
          {s.name, configured.empty() ? "?" : "not in the sources file", status_of(s, nullptr), s});
  }
  if (c.json) {
    auto array = nlohmann::json::array();
    for (const auto& r : rows)
      array.push_back({{"name", r.name},
                       {"source", r.source},
                       {"status", r.status},
                       {"last_success_ms", r.st.last_success_ms},
                       {"last_error", r.st.last_error},
                       {"last_error_ms", r.st.last_error_ms},
                       {"items_seen", r.st.items_seen},
                       {"items_skipped", r.st.items_skipped},
                       {"next_poll_ms", r.st.next_poll_ms},
                       {"failures", r.st.failures},
                       {"requests_today", r.st.quota_used},
                       {"lease_holder", r.st.lease_holder}});
    out << json_dump(array) << "\n";
    return 0;
  }
  if (rows.empty()) {
    out << "no connectors have polled yet"
        << (c.sources_file.empty() ? " (give --sources FILE to list the configured ones)" : "")
        << "\n";
    return 0;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-20s %-9s %-15s %-20s %-20s %7s %7s  %s\n", "NAME", "SOURCE",
                "STATUS", "LAST SUCCESS", "NEXT POLL", "SEEN", "SKIPPED", "LAST ERROR");
  out << line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-20s %-9s %-15s %-20s %-20s %7lld %7lld  ", r.name.c_str(),
                  r.source.c_str(), r.status.c_str(), when(r.st.last_success_ms).c_str(),
                  when(r.st.next_poll_ms).c_str(), static_cast<long long>(r.st.items_seen),
                  static_cast<long long>(r.st.items_skipped));
    out << line << (r.st.last_error.empty() ? "-" : r.st.last_error) << "\n";
  }
  return 0;
}

int poll_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  if (c.sources_file.empty()) return fail(err, "--sources FILE is required (docs/hq.md#sources)");
  auto list = load_sources_file(c.sources_file);
  if (!list) return fail(err, list.error());
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  PollerOptions options;
  auto log_mutex = std::make_shared<std::mutex>();
  options.log = [&err, log_mutex](const std::string& line) {
    std::lock_guard lock(*log_mutex);
    err << "kiosk-hq: " << escape_for_log(line) << std::endl;
  };
  if (c.once) {
    SourcePoller poller(*db, std::move(list.value()), options);
    int failed = 0;
    for (const auto& r : poller.poll_due()) {
      if (!r.polled) {
        out << r.name << ": not polled (" << (r.error.empty() ? r.not_polled_because : r.error)
            << ")\n";
        continue;
      }
      out << r.name << ": " << r.pages << " page(s), " << r.mentions
          << " mention(s): " << r.counts.added << " new, " << r.counts.updated << " updated, "
          << r.counts.duplicates << " duplicate, " << r.counts.unmatched << " unmatched; "
          << r.skipped << " skipped" << (r.error.empty() ? "" : "; error: " + r.error) << "\n";
      if (!r.error.empty()) ++failed;
    }
    return failed ? 1 : 0;
  }
  StopSignals signals;
  SourcePoller poller(*db, std::move(list.value()), options);
  std::thread loop([&] { poller.run(); });
  out << "kiosk-hq polling " << poller.connectors().size() << " connector(s); stop with Ctrl-C\n";
  out.flush();
  signals.wait();
  poller.stop();
  loop.join();
  return 0;
}

int store_set_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  auto text = read_file(c.file, "store profile");
  if (!text) return fail(err, text.error() + "; check the path given to --file");
  auto profile = sources::parse_store_profile(text.value(), c.store_id);
  if (!profile) return fail(err, c.file + ": " + profile.error() + "; nothing changed");
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  auto done = db->set_store_profile(c.store_id, sources::store_profile_json(profile.value()),
                                    system_now_ms());
  if (!done) return fail(err, done.error());
  const auto& p = profile.value();
  out << "store " << c.store_id << " matches by: " << p.location_ids.size()
      << " review-site id(s), "
      << (p.lat ? "a geotag within " + std::to_string(static_cast<int>(p.radius_m)) + " m"
                : std::string("no geotag (no lat/lon)"))
      << ", " << p.names.size() + p.nicknames.size() << " name(s) and nickname(s), "
      << p.handles.size() << " handle(s), " << p.hashtags.size() << " hashtag(s)"
      << (p.street.empty() ? std::string() : ", street \"" + p.street + "\"")
      << (p.city.empty() ? std::string() : ", city \"" + p.city + "\"") << "\n";
  return 0;
}

int store_show_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  auto all = db->store_profiles();
  if (!all) return fail(err, all.error());
  for (const auto& [id, text] : all.value())
    if (id == c.store_id) {
      out << text << "\n";
      return 0;
    }
  return fail(err, "store " + c.store_id +
                       " has no profile; set one with: kiosk-hq store set --id " + c.store_id +
                       " --file PROFILE.json");
}

int mentions_unmatched_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  auto list = db->unmatched_mentions();
  if (!list) return fail(err, list.error());
  if (c.json) {
    auto array = nlohmann::json::array();
    for (const auto& u : list.value()) {
      auto m = nlohmann::json::parse(u.mention_json, nullptr, false);
      array.push_back({{"id", u.mention_id},
                       {"reason", u.reason},
                       {"candidates", u.candidates},
                       {"received_at_ms", u.received_at_ms},
                       {"mention", m.is_discarded() ? nlohmann::json(u.mention_json) : m}});
    }
    out << json_dump(array) << "\n";
    return 0;
  }
  if (list->empty()) out << "no unmatched mentions\n";
  for (const auto& u : list.value()) {
    auto m = sources::parse_pushed_mention(u.mention_json);
    std::string text = m ? m->mention.text : u.mention_json;
    if (text.size() > 100) text = text.substr(0, 97) + "...";
    out << u.mention_id << "  " << when(u.received_at_ms) << "  \"" << text
        << "\"\n    why: " << u.reason;
    if (!u.candidates.empty()) out << "  (could be: " << u.candidates << ")";
    out << "\n";
  }
  return 0;
}

int mentions_assign_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  auto db = open_db(c, err, StorageMode::must_exist);
  if (!db) return 1;
  auto m = assign_unmatched(*db, c.mention_id, c.store_id, system_now_ms());
  if (!m) return fail(err, m.error());
  out << "mention " << c.mention_id << " is now in store " << c.store_id
      << "'s feed; its terminals get it on their next sync\n";
  return 0;
}

int simulate_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err) {
  auto every = core::parse_duration_ms(c.every);
  if (!every) return fail(err, "--every: " + every.error());
  if (auto poll = core::parse_duration_ms(c.poll_every); !poll)
    return fail(err, "--poll-every: " + poll.error());
  StopSignals signals;
  auto api = FakeSourceApi::start(c.listen);
  if (!api) return fail(err, api.error());
  Simulator sim(*api.value(), c.seed);
  sim.post_history(c.history, system_now_ms());
  if (!c.sources_out.empty()) {
    std::ofstream f(c.sources_out, std::ios::trunc);
    f << sim.sources_config(c.poll_every) << "\n";
    if (!f.flush()) return fail(err, "cannot write " + c.sources_out);
  }
  if (!c.port_file.empty()) {
    std::ofstream f(c.port_file, std::ios::trunc);
    const std::string url = api.value()->url();
    f << url.substr(url.rfind(':') + 1) << "\n";
    if (!f.flush()) return fail(err, "cannot write " + c.port_file);
  }
  out << "kiosk-hq simulate: the sources' APIs at " << api.value()->url() << ", " << c.history
      << " earlier posts, a new one every " << c.every << std::endl;
  std::atomic<bool> stop{false};
  std::mutex m;
  std::condition_variable cv;
  std::thread stream([&] {
    for (int n = 0; c.count == 0 || n < c.count; ++n) {
      std::unique_lock lock(m);
      if (cv.wait_for(lock, std::chrono::milliseconds(every.value()), [&] { return stop.load(); }))
        return;
      out << "posted " << sim.post_next(system_now_ms()) << std::endl;
    }
  });
  signals.wait();
  stop = true;
  cv.notify_all();
  stream.join();
  return 0;
}

struct BackgroundPoller::Impl {
  SourcePoller poller;
  std::thread thread;
  Impl(HqStorage& storage, std::vector<sources::ConnectorConfig> connectors, PollerOptions options)
      : poller(storage, std::move(connectors), std::move(options)) {}
};

BackgroundPoller::BackgroundPoller(HqStorage& storage,
                                   std::vector<sources::ConnectorConfig> connectors,
                                   std::function<void(const std::string&)> log) {
  PollerOptions options;
  options.log = std::move(log);
  impl_ = std::make_unique<Impl>(storage, std::move(connectors), std::move(options));
  impl_->thread = std::thread([this] { impl_->poller.run(); });
}

BackgroundPoller::~BackgroundPoller() {
  impl_->poller.stop();
  impl_->thread.join();
}

}  // namespace kiosk::sync::hq

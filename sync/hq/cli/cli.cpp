#include "sync/hq/cli/cli.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/core/staff.h"
#include "kiosk/core/time_format.h"
#include "kiosk/core/training_pack.h"
#include "kiosk/core/utf8.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/api/escalation_ops.h"
#include "sync/hq/api/ladder.h"
#include "sync/hq/api/report.h"
#include "sync/hq/api/training_report.h"
#include "sync/hq/cli/sources_cli.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/http/tls_identity.h"
#include "sync/hq/storage/change_payload.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/protocol/pin_hash.h"
#include "sync/sources/ingest_file.h"
#include "sync/sources/lexicon_files.h"
#include "sync/sources/sources.h"

// [SECTION] options of every command
// [SECTION] serve
// Fewer connections than this at once: say how to allow more (a chain's terminals each keep one).
constexpr unsigned kConnectionsWorthWarning = 4096;

// [SECTION] head office operations
// [SECTION] staff
// [SECTION] the command tree

namespace kiosk::sync::hq {
namespace {

// [SECTION] options of every command
struct Options {
  std::string db = "hq.sqlite";
  std::string listen = "127.0.0.1:8080";
  std::string port_file;
  unsigned threads = 2;
  unsigned workers = 4;
  unsigned processes = 1;  // serve: server processes sharing the listening socket
  // serve --processes: set in a server process the parent forked (serve_processes)
  int listen_fd = -1;           // the parent's listening socket
  int ready_fd = -1;            // written once when this process serves
  bool background_jobs = true;  // the ladder and the source poller run in process 1 only
  unsigned queue_limit = 1024;
  bool quiet = false;       // no access log
  std::string secret_file;  // empty: "<db>.secret", or KIOSK_HQ_SECRET_FILE
  unsigned max_connections = 0;
  unsigned max_connections_per_address = 64;
  std::string terminal_id;
  std::string reason = "revoked by head office";
  std::string store_id;
  std::string store_name;
  int valid_hours = kDefaultCodeValidHours;
  std::string file;
  LiveMention live;
  bool json = false;
  std::string escalation_id;
  std::string by = "HQ ops";
  std::string source;                                  // ingest --source
  std::string assets = sources::default_assets_dir();  // lexicons for triage
  std::int64_t limit = 50;
  std::int64_t batch = 500;  // mentions retriage: mentions per transaction
  std::int64_t ladder_interval_ms = 15'000;
  std::string webhook_url;
  std::string webhook_secret_file;
  long webhook_timeout_ms = 5000;
  // escalations list filters
  std::string status;
  std::string severity;
  std::string category;
  std::string older_than;
  bool breached_only = false;
  std::string text;    // note
  std::string holder;  // reassign --to
  // staff
  std::string staff_id;
  std::string staff_name;
  std::string role;
  std::string language = "en";
  std::string pin_file;     // empty: the PIN is read from stdin
  unsigned pin_passes = 2;  // Argon2id cost of the PIN's hash (pin_hash.h)
  unsigned pin_memory_mib = 16;
  std::string pack_dir;       // training publish
  std::string pack_name;      // training publish --name
  std::string suggestion_id;  // replies approve|edit|reject
  std::string comment;
  std::string pending_only;     // replies list --state
  std::string ingest_key_file;  // serve: the API key of POST /v1/mentions
  std::string admin_key_file;   // serve: the admin JSON API's key; or KIOSK_HQ_ADMIN_KEY
  std::string tls_cert_file;    // serve: https:// with this certificate (PEM)...
  std::string tls_key_file;     // ...and its private key (PEM)
  SourcesCommand src;           // sources, poll, store set/show, unmatched, simulate
};

// The webhook's shared secret from its file: the first line, at least 16 characters.
core::Result<std::string> read_webhook_secret(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return core::Result<std::string>::failure("cannot read the webhook secret file " + path);
  std::string secret;
  std::getline(f, secret);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  if (secret.size() < 16)
    return core::Result<std::string>::failure(
        "the webhook secret in " + path +
        " is shorter than 16 characters; put a long random secret, shared with the receiver, "
        "on its first line");
  return secret;
}

struct Io {
  std::ostream& out;
  std::ostream& err;
  int fail(const std::string& message) const {
    err << "kiosk-hq: " << message << "\n";
    return 1;
  }
};

// [SECTION] serve

// SIGINT, SIGTERM and the extra signal given (0: none) blocked in this thread, and so in every
// thread it starts, until the end of the scope; only sigwait() sees them.
class BlockedSignals {
 public:
  explicit BlockedSignals(int extra = 0) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    if (extra != 0) sigaddset(&signals_, extra);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  }
  ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  const sigset_t& signals() const { return signals_; }
  const sigset_t& previous() const { return previous_; }  // the mask before

 private:
  sigset_t signals_{};
  sigset_t previous_{};
};

int serve(const Options& o, const Io& io) {
  // Blocked before any thread starts, so every thread inherits the mask.
  const BlockedSignals stop_signals;

  ServerOptions options;
  options.db_path = o.db;
  options.listen = o.listen;
  options.listen_fd = o.listen_fd;
  options.threads = o.threads;
  options.workers = o.workers;
  options.queue_limit = o.queue_limit;
  options.secret_file = o.secret_file;
  options.connection_limit = o.max_connections;
  options.per_address_limit = o.max_connections_per_address;
  // Errors are always logged, with control characters escaped so a line stays one line.
  options.error_log = [&io, mutex = std::make_shared<std::mutex>()](const std::string& line) {
    std::lock_guard lock(*mutex);
    io.err << "kiosk-hq: error: " << escape_for_log(line) << std::endl;
  };
  if (!o.quiet) {
    // One line per request on the error stream; the mutex keeps lines from two workers whole.
    options.access_log = [&io, mutex = std::make_shared<std::mutex>()](const std::string& line) {
      std::lock_guard lock(*mutex);
      io.err << line << std::endl;
    };
  }
  // The ladder's lines (errors, and the log sender's notifications) on the error stream.
  LadderServiceOptions ladder_options;
  ladder_options.ladder_interval_ms = o.ladder_interval_ms;
  ladder_options.log = [&io, mutex = std::make_shared<std::mutex>()](const std::string& line) {
    std::lock_guard lock(*mutex);
    io.err << "kiosk-hq: ladder: " << escape_for_log(line) << std::endl;
  };
  std::unique_ptr<NotificationSender> sender;
  if (!o.webhook_url.empty()) {
    if (o.webhook_url.rfind("http://", 0) != 0 && o.webhook_url.rfind("https://", 0) != 0)
      return io.fail("--webhook-url must start with http:// or https:// (got \"" + o.webhook_url +
                     "\")");
    if (o.webhook_secret_file.empty())
      return io.fail(
          "--webhook-url needs --webhook-secret-file: the receiver checks each "
          "body's signature with that secret");
    auto secret = read_webhook_secret(o.webhook_secret_file);
    if (!secret) return io.fail(secret.error());
    sender = std::make_unique<WebhookSender>(o.webhook_url, secret.value(), o.webhook_timeout_ms);
  } else {
    sender = std::make_unique<LogSender>(ladder_options.log);
  }
  auto admin_key = load_admin_key(o.admin_key_file);
  if (!admin_key) return io.fail(admin_key.error());
  options.admin_key = admin_key.value();
  // Set once the ladder runs; a sync that delivered events wakes it at once.
  auto ladder = std::make_shared<std::atomic<LadderService*>>(nullptr);
  options.after_sync_with_events = [ladder] {
    if (LadderService* l = ladder->load()) l->poke();
  };
  if (!o.ingest_key_file.empty()) {
    auto key = read_ingest_key(o.ingest_key_file);
    if (!key) return io.fail(key.error());
    options.ingest_key = key.value();
  }
  std::vector<sources::ConnectorConfig> connectors;
  if (!o.src.sources_file.empty()) {
    auto list = load_sources_file(o.src.sources_file);
    if (!list) return io.fail(list.error());
    connectors = std::move(list.value());
  }
  std::string tls_pin;
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    if (!http_server_supports_tls())
      return io.fail(
          "this libmicrohttpd was built without TLS, so --tls-cert cannot be served; serve "
          "plain http on loopback behind a reverse proxy that terminates TLS (docs/hq.md#tls)");
    auto identity = load_tls_identity(o.tls_cert_file, o.tls_key_file);
    if (!identity) return io.fail(identity.error());
    options.tls_cert_pem = identity.value().cert_pem;
    options.tls_key_pem = identity.value().key_pem;
    tls_pin = identity.value().pin;
  }
  auto server = start_server(options);
  if (!server) return io.fail(server.error());
  std::unique_ptr<BackgroundPoller> poller;
  if (!o.background_jobs) connectors.clear();
  if (!connectors.empty())
    poller = std::make_unique<BackgroundPoller>(
        (*server)->storage(), std::move(connectors),
        [&io, mutex = std::make_shared<std::mutex>()](const std::string& line) {
          std::lock_guard lock(*mutex);
          io.err << "kiosk-hq: " << escape_for_log(line) << std::endl;
        });
  std::optional<LadderService> service;
  if (o.background_jobs) {
    service.emplace((*server)->storage(), system_now_ms, std::move(sender), ladder_options);
    ladder->store(&*service);
  }
  // Background jobs stop before the server, so none of them writes through a closed store.
  const auto serve_until_signalled = [&] {
    int signal = 0;
    sigwait(&stop_signals.signals(), &signal);
    poller.reset();
    ladder->store(nullptr);
    if (service) service->stop();
    (*server)->stop();
  };
  if (o.ready_fd >= 0) {  // a server process of serve --processes: the parent says the rest
    const char ready = 1;
    if (::write(o.ready_fd, &ready, 1) != 1) return io.fail("cannot tell the parent it serves");
    ::close(o.ready_fd);
    serve_until_signalled();
    return 0;
  }
  if (!o.port_file.empty()) {
    std::ofstream f(o.port_file, std::ios::trunc);
    f << (*server)->port() << "\n";
    if (!f.flush())
      return io.fail("cannot write the port file " + o.port_file +
                     "; check the path in --port-file");
  }
  io.out << "kiosk-hq listening on " << (*server)->url() << "\n";
  if (!tls_pin.empty())
    io.err << "kiosk-hq: TLS public key pin (kiosk enroll --hq-pin): " << tls_pin << "\n";
  io.err << "kiosk-hq: up to " << (*server)->connection_limit() << " connections at once, "
         << (*server)->per_address_limit() << " per client address; " << o.workers
         << " request workers, " << o.queue_limit << " queued at most\n";
  if ((*server)->connection_limit() < kConnectionsWorthWarning)
    io.err << "kiosk-hq: the open-file limit allows only " << (*server)->connection_limit()
           << " connections, and every online terminal keeps one open; for more terminals raise "
              "it (ulimit -n, or LimitNOFILE= in the systemd unit; each waiting terminal costs "
              "a descriptor and about 10 KiB)\n";
  io.err << "kiosk-hq: admin JSON API "
         << (options.admin_key.empty() ? "off (no admin key)" : "on at /v1/admin/") << "\n";
  io.out.flush();
  std::fflush(stdout);

  serve_until_signalled();
  io.err << "kiosk-hq: stopped\n";
  return 0;
}

// serve --processes N: the listening socket is bound here once, then N server processes are
// forked that share it (each its own network threads, workers, watcher and database
// connections, and up to the open-file limit of connections). The ladder and the source
// poller run in process 1 only. This process starts no thread: it forwards SIGINT and SIGTERM,
// starts a process again when one ends, and fails when one cannot start.
struct ServerProcess {
  pid_t pid = -1;
  unsigned number = 0;  // 1..N, as the log says it
};

// Forks server process `number` and waits until it serves; -1 when it could not start.
pid_t start_server_process(const Options& o, const Io& io, int listen_fd, unsigned number,
                           const sigset_t& parent_mask) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) return -1;
  io.out.flush();
  io.err.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(ready[0]);
    ::close(ready[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(ready[0]);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the parent
    pthread_sigmask(SIG_SETMASK, &parent_mask, nullptr);
    Options child = o;
    child.processes = 1;
    child.listen_fd = listen_fd;
    child.ready_fd = ready[1];
    child.background_jobs = number == 1;
    child.port_file.clear();
    const int code = serve(child, io);
    io.out.flush();
    io.err.flush();
    std::fflush(nullptr);
    ::_exit(code);
  }
  ::close(ready[1]);
  char byte = 0;
  ssize_t got = -1;
  do {
    got = ::read(ready[0], &byte, 1);
  } while (got < 0 && errno == EINTR);
  ::close(ready[0]);
  if (got == 1) return pid;
  int status = 0;
  ::waitpid(pid, &status, 0);  // it ended before it served (its own error is logged)
  return -1;
}

std::string how_it_ended(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + ::strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

void stop_server_processes(std::vector<ServerProcess>& processes) {
  for (const auto& p : processes)
    if (p.pid > 0) ::kill(p.pid, SIGTERM);
  for (auto& p : processes) {
    if (p.pid <= 0) continue;
    int status = 0;
    while (::waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
    }
    p.pid = -1;
  }
}

int serve_processes(const Options& o, const Io& io) {
  const BlockedSignals blocked(SIGCHLD);
  const sigset_t& previous = blocked.previous();

  auto listener = bind_listen_socket(o.listen);
  if (!listener) return io.fail(listener.error());
  const int fd = listener->fd;
  std::vector<ServerProcess> processes;
  for (unsigned i = 1; i <= o.processes; ++i) {
    const pid_t pid = start_server_process(o, io, fd, i, previous);
    if (pid < 0) {
      stop_server_processes(processes);
      ::close(fd);
      return io.fail("server process " + std::to_string(i) + " of " + std::to_string(o.processes) +
                     " could not start (its reason is above); all stopped");
    }
    processes.push_back({pid, i});
  }
  if (!o.port_file.empty()) {
    std::ofstream f(o.port_file, std::ios::trunc);
    f << listener->port << "\n";
    if (!f.flush()) {
      stop_server_processes(processes);
      return io.fail("cannot write the port file " + o.port_file +
                     "; check the path in --port-file");
    }
  }
  auto address = parse_listen_address(o.listen);
  const std::string host = address->host == "0.0.0.0" ? "127.0.0.1" : address->host;
  io.out << "kiosk-hq listening on " << (o.tls_cert_file.empty() ? "http://" : "https://") << host
         << ":" << listener->port << " with " << o.processes << " server processes\n";
  io.out.flush();
  io.err.flush();
  std::fflush(nullptr);

  for (;;) {
    int signal = 0;
    sigwait(&blocked.signals(), &signal);
    if (signal != SIGCHLD) break;
    int status = 0;
    pid_t ended = 0;
    while ((ended = ::waitpid(-1, &status, WNOHANG)) > 0) {
      for (auto& p : processes) {
        if (p.pid != ended) continue;
        io.err << "kiosk-hq: server process " << p.number << " (pid " << ended << ") ended ("
               << how_it_ended(status) << "); starting it again" << std::endl;
        p.pid = start_server_process(o, io, fd, p.number, previous);
        if (p.pid < 0) {
          stop_server_processes(processes);
          ::close(fd);
          return io.fail("server process " + std::to_string(p.number) +
                         " could not start again (its reason is above); all stopped");
        }
      }
    }
  }
  stop_server_processes(processes);
  ::close(fd);
  io.err << "kiosk-hq: stopped (" << o.processes << " server processes)\n";
  return 0;
}

// [SECTION] head office operations
using Mode = StorageMode;

std::unique_ptr<HqStorage> open_db(const Options& o, const Io& io, Mode mode) {
  auto storage = open_hq_storage(o.db, mode, o.secret_file);
  if (!storage) {
    io.fail(storage.error());
    return nullptr;
  }
  return std::move(storage.value());
}

int store_add(const Options& o, const Io& io) {
  if (o.store_id.empty() || o.store_id.size() > 128)
    return io.fail("--id must be 1 to 128 characters, e.g. --id S1");
  if (o.store_name.empty() || o.store_name.size() > 512)
    return io.fail("--name must be 1 to 512 characters, e.g. --name \"Downtown\"");
  auto db = open_db(o, io, Mode::create_if_missing);
  if (!db) return 1;
  auto outcome = db->add_store({o.store_id, o.store_name});
  if (!outcome) return io.fail(outcome.error());
  switch (outcome.value()) {
    case AddStoreOutcome::created:
      io.out << "added store " << o.store_id << " (" << o.store_name << ")\n";
      return 0;
    case AddStoreOutcome::already_existed:
      io.out << "store " << o.store_id << " (" << o.store_name
             << ") already exists; nothing changed\n";
      return 0;
    case AddStoreOutcome::name_differs:
      break;
  }
  auto existing = db->find_store(o.store_id);
  const std::string name =
      existing && existing.value() ? existing.value()->name : std::string("another name");
  return io.fail("store " + o.store_id + " already exists with the name \"" + name +
                 "\"; nothing changed (choose another --id for a different store)");
}

int enroll_code(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto code = issue_enrollment_code(*db, o.store_id, o.valid_hours, system_now_ms());
  if (!code) return io.fail(code.error());
  io.out << code.value() << "\n";
  return 0;
}

// Mentions are triaged as they are stored, with the kiosk's own lexicons.
bool use_lexicon(HqStorage& db, const Options& o, const Io& io) {
  auto lexicon = sources::load_lexicon(o.assets);
  if (!lexicon) {
    io.fail(lexicon.error());
    return false;
  }
  db.set_lexicon(std::make_shared<const core::Lexicon>(std::move(lexicon.value())));
  return true;
}

int mentions_load(const Options& o, const Io& io) {
  std::ifstream f(o.file, std::ios::binary);
  if (!f) return io.fail("cannot read " + o.file + "; check the path in --file");
  std::stringstream text;
  text << f.rdbuf();
  auto mentions = protocol::decode_mentions(text.str(), system_now_ms());
  if (!mentions) return io.fail(o.file + " is not a mentions file: " + mentions.error());
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !use_lexicon(*db, o, io)) return 1;
  auto counts = db->upsert_mentions(o.store_id, mentions.value(), system_now_ms());
  if (!counts) return io.fail(counts.error());
  io.out << "loaded " << mentions->size() << " mentions for store " << o.store_id << ": "
         << counts->added << " new, " << counts->changed << " changed, " << counts->unchanged
         << " unchanged\n";
  return 0;
}

int mentions_add(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !use_lexicon(*db, o, io)) return 1;
  auto m = add_live_mention(*db, o.store_id, o.live, system_now_ms());
  if (!m) return io.fail(m.error());
  io.out << "added mention " << m->id << " for store " << o.store_id << "\n";
  return 0;
}

// The store's feed as terminals order it: priority, then newest, with each triage.
int mentions_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto list = db->list_mentions(o.store_id, o.limit);
  if (!list) return io.fail(list.error());
  for (const auto& [m, t] : list.value()) {
    if (o.json) {
      auto j = nlohmann::json::parse(protocol::encode_entity(m));
      std::vector<std::string> reasons;
      for (const core::Reason r : t.reasons) reasons.emplace_back(core::reason_words(r));
      j["triage"] = {{"sentiment", core::to_string(t.sentiment)},
                     {"urgency", core::to_string(t.urgency)},
                     {"category", core::to_string(t.category)},
                     {"attention", core::to_string(t.attention)},
                     {"priority", t.priority},
                     {"reasons", reasons}};
      io.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      continue;
    }
    io.out << t.priority << "  " << core::to_string(t.sentiment) << "  "
           << core::to_string(t.urgency) << "  " << m.id << "  "
           << (m.rating ? std::to_string(*m.rating) + "*  " : std::string()) << m.text.substr(0, 60)
           << "\n";
  }
  return 0;
}

// Each store's policy and hours, for the stores of these escalations that have one.
std::map<std::string, StoreLadder> load_ladders(HqStorage& db,
                                                const std::vector<StoredEscalation>& list,
                                                const Io& io) {
  return hq::load_ladders(
      db, list, [&io](const std::string& line) { io.err << "kiosk-hq: " << line << "\n"; });
}

// The --store given exists, or a sentence saying it does not.
bool check_store(HqStorage& db, const Options& o, const Io& io) {
  if (o.store_id.empty()) return true;
  auto store = db.find_store(o.store_id);
  if (!store) {
    io.fail(store.error());
    return false;
  }
  if (!store.value()) {
    io.fail("there is no store \"" + o.store_id + "\" in " + o.db +
            "; check the id given to --store");
    return false;
  }
  return true;
}

// Triage again, with this build's rules and lexicons, the mentions an older triage version
// triaged, a batch per transaction (terminals keep syncing in between); what changed goes to
// the stores' changefeeds as mention updates.
int mentions_retriage(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io) || !use_lexicon(*db, o, io)) return 1;
  const std::optional<std::string> store =
      o.store_id.empty() ? std::nullopt : std::optional<std::string>(o.store_id);
  RetriageBatch total;
  for (;;) {
    auto batch = db->retriage_mentions(store, o.batch, system_now_ms());
    if (!batch)
      return io.fail(batch.error() + " (" + std::to_string(total.examined) +
                     " mentions were re-triaged before this; run the command again to go on)");
    if (batch->examined == 0) break;
    total.examined += batch->examined;
    total.changed += batch->changed;
    if (!o.json)
      io.out << "re-triaged " << total.examined << " mentions so far, " << total.changed
             << " changed\n";
  }
  if (o.json) {
    io.out << nlohmann::json{{"triage_version", core::kTriageVersion},
                             {"retriaged", total.examined},
                             {"changed", total.changed}}
                  .dump()
           << "\n";
    return 0;
  }
  io.out << "triage version " << core::kTriageVersion << ": " << total.examined
         << " mentions re-triaged"
         << (store ? " for store " + *store : std::string(" in every store")) << ", "
         << total.changed << " changed and sent to "
         << (store ? "the store's terminals" : std::string("their stores' terminals")) << "\n";
  return 0;
}

int escalations_list(const Options& o, const Io& io) {
  auto filter =
      make_filter(o.store_id, o.status, o.severity, o.category, o.older_than, o.breached_only);
  if (!filter) return io.fail(filter.error());
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  if (!check_store(*db, o, io)) return 1;
  std::optional<std::string> store = filter->store_id;
  auto listed = list_filtered(*db, filter.value(), system_now_ms(),
                              [&io](const std::string& l) { io.err << "kiosk-hq: " << l << "\n"; });
  if (!listed) return io.fail(listed.error());
  std::vector<StoredEscalation> kept;
  std::map<std::string, bool> is_breached;
  for (auto& e : listed.value()) {
    is_breached[e.stored.escalation.id] = e.breached;
    kept.push_back(std::move(e.stored));
  }
  Result<std::vector<StoredEscalation>> list(std::move(kept));
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& e : list.value())
      array.push_back(escalation_json({e, is_breached[e.escalation.id]}));
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) {
    io.out << "no escalations" << (store ? " for store " + *store : std::string()) << "\n";
    return 0;
  }
  for (const auto& e : list.value()) {
    const auto& x = e.escalation;
    io.out << x.id << "  store=" << e.store_id << "  " << core::to_string(x.status) << "  "
           << core::to_string(x.severity)
           << "  mention=" << (x.mention_id.empty() ? std::string("(none)") : x.mention_id);
    if (x.generation > 0) io.out << "  reopened=" << x.generation;
    if (x.category) io.out << "  category=" << core::to_string(*x.category);
    if (!x.staff_id.empty()) io.out << "  raised_by=" << x.staff_id;
    if (!x.ladder_holder.empty()) io.out << "  holder=\"" << x.ladder_holder << "\"";
    if (is_breached[x.id]) io.out << "  BREACHED";
    if (!x.acknowledged_by.empty()) io.out << "  by=\"" << x.acknowledged_by << "\"";
    if (!x.note.empty()) io.out << "  note=\"" << x.note << "\"";
    io.out << "\n";
  }
  return 0;
}

nlohmann::json figures_json(const TrainingFigures& f) {
  return {{"answers", f.answers},     {"correct", f.correct},
          {"sure", f.sure},           {"sure_but_wrong", f.sure_but_wrong},
          {"accuracy", f.accuracy()}, {"confidence", f.confidence()}};
}

int training_report_cmd(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto answers = db->training_answers(store);
  if (!answers) return io.fail(answers.error());
  const TrainingReport r = training_report(answers.value());
  if (o.json) {
    nlohmann::json j{{"overall", figures_json(r.overall)}};
    for (const auto& [k, f] : r.by_store) j["by_store"][k] = figures_json(f);
    for (const auto& [k, f] : r.by_lesson) j["by_lesson"][k] = figures_json(f);
    for (const auto& [k, f] : r.by_staff) {
      j["by_staff"][k] = figures_json(f);
      j["by_staff"][k]["lessons_done"] = r.lessons_done_by_staff.at(k);
    }
    io.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (r.overall.answers == 0) {
    io.out << "no training answers yet" << (store ? " for store " + *store : std::string()) << "\n";
    return 0;
  }
  const auto line = [&](const std::string& name, const TrainingFigures& f) {
    char buf[160];
    std::snprintf(
        buf, sizeof buf, "  %-32s %5d answers  %3.0f%% right  %3.0f%% sure  %d sure but wrong\n",
        name.c_str(), f.answers, 100 * f.accuracy(), 100 * f.confidence(), f.sure_but_wrong);
    io.out << buf;
  };
  line("all stores", r.overall);
  io.out << "by store\n";
  for (const auto& [k, f] : r.by_store) line(k, f);
  io.out << "by lesson\n";
  for (const auto& [k, f] : r.by_lesson) line(k, f);
  io.out << "by member of staff (store/staff)\n";
  for (const auto& [k, f] : r.by_staff) line(k, f);
  return 0;
}

std::string normalized_id(std::string id);

// Every regular file of the pack's folder, by name; a failure when it cannot be read.
core::Result<std::vector<core::PackFile>> read_pack_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  using R = core::Result<std::vector<core::PackFile>>;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return R::failure(dir + " is not a folder: give the pack's folder, e.g. " +
                      "assets/training/frontline-basics");
  std::vector<core::PackFile> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    if (!in) return R::failure("cannot read " + e.path().string() + ": check its permissions");
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({e.path().filename().string(), ss.str()});
  }
  if (ec) return R::failure("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

int training_publish(const Options& o, const Io& io) {
  namespace fs = std::filesystem;
  auto files = read_pack_folder(o.pack_dir);
  if (!files) return io.fail(files.error());
  std::string name = o.pack_name;
  if (name.empty()) name = fs::path(o.pack_dir).lexically_normal().filename().string();
  if (name.empty()) name = fs::absolute(o.pack_dir).lexically_normal().parent_path().filename();
  // The same check a kiosk makes before it takes the pack: one problem anywhere and nothing
  // is published, so stores keep the version they have.
  const auto check = core::check_pack(files.value());
  const std::string prefix = (fs::path(o.pack_dir) / "").string();
  for (const auto& p : check.problems) {
    auto shown = p;
    if (shown.file != "(pack)") shown.file = prefix + shown.file;
    io.err << core::format_problem(shown) << "\n";
  }
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto before = db->training_packs();
  if (!before) return io.fail(before.error());
  std::string kept = "no pack of that name was published before";
  for (const auto& p : before.value())
    if (p.pack == name) kept = "stores keep version " + std::to_string(p.version);
  if (!check.ok())
    return io.fail(std::to_string(check.problems.size()) + " problems in " + o.pack_dir +
                   "; the pack is rejected whole and nothing was published (" + kept + ")");
  protocol::TrainingPackChange pack{name, 0, 0, {}};
  std::size_t bytes = 0;
  for (const auto& f : files.value()) {
    if (f.name.size() < 7 || f.name.substr(f.name.size() - 7) != ".lesson") continue;
    bytes += f.content.size();
    pack.files.push_back({f.name, f.content});
  }
  if (bytes > protocol::kMaxPackBytes)
    return io.fail("the pack's lessons hold " + protocol::group_thousands(bytes) +
                   " bytes, more than the " + protocol::group_thousands(protocol::kMaxPackBytes) +
                   " one sync answer carries; split it into two packs (" + kept + ")");
  const int lessons = static_cast<int>(check.pack.ids().size());
  auto published = db->publish_training_pack(pack, lessons, system_now_ms());
  if (!published) return io.fail(published.error());
  io.out << "published " << name << " version " << published->version << " (" << lessons
         << " lessons, " << pack.files.size() << " files) to " << published->stores
         << " stores; each terminal takes it on its next sync\n";
  return 0;
}

int training_packs_cmd(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto packs = db->training_packs();
  if (!packs) return io.fail(packs.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& p : packs.value())
      array.push_back({{"pack", p.pack},
                       {"version", p.version},
                       {"published_at_ms", p.published_at_ms},
                       {"lessons", p.lessons}});
    io.out << array.dump(2) << "\n";
    return 0;
  }
  if (packs->empty()) io.out << "no training pack published yet (terminals use their own)\n";
  for (const auto& p : packs.value())
    io.out << p.pack << "  version " << p.version << "  " << p.lessons << " lessons  published "
           << core::utc_minute(p.published_at_ms) << "\n";
  return 0;
}

nlohmann::json reply_json(const StoredReplySuggestion& r) {
  return {{"id", r.suggestion.suggestion_id},
          {"store_id", r.store_id},
          {"terminal_id", r.terminal_id},
          {"mention_id", r.suggestion.mention_id},
          {"staff_id", r.suggestion.staff_id},
          {"text", r.suggestion.text},
          {"suggested_at_ms", r.suggestion.suggested_at_ms},
          {"outcome", r.outcome},
          {"final_text", r.final_text},
          {"comment", r.comment},
          {"decided_by", r.decided_by},
          {"decided_at_ms", r.decided_at_ms}};
}

int replies_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->reply_suggestions(store);
  if (!list) return io.fail(list.error());
  std::vector<StoredReplySuggestion> shown;
  for (auto& r : list.value())
    if (o.pending_only.empty() || r.outcome == o.pending_only) shown.push_back(std::move(r));
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& r : shown) array.push_back(reply_json(r));
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (shown.empty()) io.out << "no suggested replies\n";
  for (const auto& r : shown) {
    io.out << r.suggestion.suggestion_id << "  store=" << r.store_id
           << "  mention=" << r.suggestion.mention_id << "  " << r.outcome;
    if (!r.suggestion.staff_id.empty()) io.out << "  by " << r.suggestion.staff_id;
    io.out << "\n  \"" << r.suggestion.text << "\"\n";
    if (r.outcome == "edited") io.out << "  edited to: \"" << r.final_text << "\"\n";
    if (!r.comment.empty()) io.out << "  comment (" << r.decided_by << "): " << r.comment << "\n";
  }
  return 0;
}

int replies_decide(const Options& o, const Io& io, const std::string& outcome) {
  if (outcome == "edited") {
    if (o.text.empty()) return io.fail("--text must hold the reply as head office wants it");
    if (!core::is_valid_utf8(o.text)) return io.fail("--text is not valid UTF-8");
    if (o.text.size() > protocol::kMaxReplyChars * 4)
      return io.fail("--text is longer than " +
                     protocol::group_thousands(protocol::kMaxReplyChars) + " characters");
  }
  if (outcome == "rejected" && o.comment.empty())
    return io.fail("say why with --comment, so the store learns from it");
  if (auto bad = protocol::check_escalation_note(o.comment)) return io.fail("--comment: " + *bad);
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  const auto id = normalized_id(o.suggestion_id);
  std::string text = o.text;
  if (outcome == "approved") {
    auto list = db->reply_suggestions(std::nullopt);
    if (!list) return io.fail(list.error());
    for (const auto& r : list.value())
      if (r.suggestion.suggestion_id == id) text = r.suggestion.text;
  }
  auto r = db->decide_reply(id, outcome, text, o.comment, o.by, system_now_ms());
  if (!r) return io.fail(r.error());
  if (!r.value())
    return io.fail("there is no suggested reply " + o.suggestion_id +
                   "; kiosk-hq replies list shows them");
  io.out << "reply " << id << " " << outcome << "; store " << r.value()->store_id
         << " sees it on its next sync\n";
  return 0;
}

int praise_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->shared_praise(store);
  if (!list) return io.fail(list.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& p : list.value())
      array.push_back({{"store_id", p.store_id},
                       {"terminal_id", p.terminal_id},
                       {"mention_id", p.praise.mention_id},
                       {"note", p.praise.note},
                       {"staff_id", p.praise.staff_id},
                       {"shared_at_ms", p.praise.shared_at_ms}});
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) io.out << "no praise shared yet\n";
  for (const auto& p : list.value()) {
    io.out << "store=" << p.store_id << "  mention=" << p.praise.mention_id;
    if (!p.praise.staff_id.empty()) io.out << "  shared by " << p.praise.staff_id;
    if (!p.praise.note.empty()) io.out << "  note=\"" << p.praise.note << "\"";
    io.out << "\n";
  }
  return 0;
}

// Escalation ids are kept in lower case (UUIDs); any case typed finds the same one.
std::string normalized_id(std::string id) {
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

int unknown_escalation(const Options& o, const Io& io) {
  return io.fail("there is no escalation with id " + o.escalation_id +
                 "; see the ids with: kiosk-hq escalations list --db " + o.db);
}

int note_cmd(const Options& o, const Io& io) {
  if (o.text.empty()) return io.fail("--text must not be empty");
  if (auto bad = protocol::check_escalation_note(o.text)) return io.fail(*bad);
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto e = db->add_escalation_note(normalized_id(o.escalation_id), o.by, o.text, system_now_ms());
  if (!e) return io.fail(e.error());
  if (!e.value()) return unknown_escalation(o, io);
  io.out << "note added to escalation " << o.escalation_id << " ("
         << e.value()->escalation.hq_notes.size()
         << " from head office); the store sees it on its next sync\n";
  return 0;
}

int reassign_cmd(const Options& o, const Io& io) {
  if (o.holder.empty() || o.holder.size() > 120)
    return io.fail("--to must be 1 to 120 characters, e.g. --to \"District manager Ana\"");
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto e = db->reassign_escalation(normalized_id(o.escalation_id), o.holder, o.by, system_now_ms());
  if (!e) return io.fail(e.error());
  if (!e.value()) return unknown_escalation(o, io);
  io.out << "escalation " << o.escalation_id << " is now held by " << o.holder
         << "; the store sees it on its next sync\n";
  return 0;
}

int reopen_cmd_run(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto done = act_at_hq(*db, o.escalation_id, core::EscalationActionKind::reopen, o.by, o.text,
                        system_now_ms());
  if (!done) return io.fail(done.error());
  if (done->state == HqActionOutcome::State::unknown) return unknown_escalation(o, io);
  if (done->state == HqActionOutcome::State::refused) return io.fail(done->message);
  io.out << "escalation " << o.escalation_id << " is open again (generation "
         << done->after->escalation.generation
         << "); its ladder starts again from the first level and the store sees it on its next "
            "sync\n";
  return 0;
}

int raise_status(const Options& o, const Io& io, core::EscalationStatus status) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  const std::string id = normalized_id(o.escalation_id);
  auto raised = db->raise_escalation_status(id, status, o.by, system_now_ms());
  if (!raised) return io.fail(raised.error());
  if (!raised.value()) return unknown_escalation(o, io);
  const auto& r = *raised.value();
  const auto now = core::to_string(r.after.escalation.status);
  if (r.changed)
    io.out << "escalation " << o.escalation_id << " is now " << now << " (by "
           << r.after.escalation.acknowledged_by << ")\n";
  else
    io.out << "escalation " << o.escalation_id << " is already " << now << "; nothing changed\n";
  return 0;
}

int policy_set(const Options& o, const Io& io) {
  std::ifstream f(o.file, std::ios::binary);
  if (!f) return io.fail("cannot read " + o.file + "; check the path in --file");
  std::stringstream text;
  text << f.rdbuf();
  if (text.str().size() > 64 * 1024)
    return io.fail(o.file + " is larger than 64 KiB; a policy file is a few lines");
  auto policy = check_policy_file(text.str());
  if (!policy) return io.fail(o.file + ": " + policy.error() + "; the store's policy is unchanged");
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto set = db->set_store_policy(o.store_id, text.str(), system_now_ms());
  if (!set) return io.fail(set.error());
  io.out << "escalation policy for store " << o.store_id << " set:";
  for (const auto& sp : policy->severities) {
    io.out << " " << core::to_string(sp.severity) << " (";
    for (std::size_t i = 0; i < sp.levels.size(); ++i)
      io.out << (i ? ", then " : "") << sp.levels[i].name << " "
             << core::format_duration(sp.levels[i].timeout_ms);
    io.out << (sp.repeats > 0 ? ", repeated " + std::to_string(sp.repeats) + "x" : "") << ")";
  }
  io.out << "\n";
  return 0;
}

int policy_show(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto store = db->find_store(o.store_id);
  if (!store) return io.fail(store.error());
  if (!store.value())
    return io.fail("there is no store \"" + o.store_id + "\"; see kiosk-hq store add");
  auto text = db->store_policy(o.store_id);
  if (!text) return io.fail(text.error());
  if (!text.value())
    return io.fail("store " + o.store_id +
                   " has no escalation policy, so its escalations do not climb; set one with: "
                   "kiosk-hq policy set --store " +
                   o.store_id + " --file FILE");
  io.out << *text.value();
  if (!text.value()->empty() && text.value()->back() != '\n') io.out << "\n";
  return 0;
}

int notifications_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  std::optional<std::string> escalation;
  if (!o.escalation_id.empty()) escalation = o.escalation_id;
  auto list = db->list_notifications(escalation);
  if (!list) return io.fail(list.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& n : list.value()) {
      auto j = nlohmann::json::parse(webhook_body(n));
      j.erase("attempt");
      j["state"] = n.state;
      j["attempts"] = n.attempts;
      j["last_error"] = n.last_error;
      j["sender"] = n.sender;
      j["sent_at_ms"] = n.sent_at_ms;
      array.push_back(std::move(j));
    }
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) {
    io.out << "no notifications\n";
    return 0;
  }
  for (const auto& n : list.value()) {
    io.out << core::utc_minute(n.created_at_ms) << "  " << n.state << "  to=\"" << n.recipient
           << "\"  escalation=" << n.escalation_id << "  store=" << n.store_id << "  why=\""
           << n.reason << "\"";
    if (n.attempts > 0) io.out << "  attempts=" << n.attempts;
    if (!n.sender.empty()) io.out << "  via=" << n.sender;
    if (!n.last_error.empty() && n.state != "sent") io.out << "  error=\"" << n.last_error << "\"";
    io.out << "\n";
  }
  return 0;
}

int report_escalations_cmd(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  if (!check_store(*db, o, io)) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->list_escalations(store);
  if (!list) return io.fail(list.error());
  const auto report =
      report_escalations(list.value(), load_ladders(*db, list.value(), io), system_now_ms());
  io.out << (o.json ? report_json(report) + "\n" : report_table(report));
  return 0;
}

int terminals_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->list_terminals(store);
  if (!list) return io.fail(list.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& t : list.value()) {
      nlohmann::json j{{"terminal_id", t.terminal_id},
                       {"store_id", t.store_id},
                       {"name", t.name},
                       {"enrolled_at_ms", t.enrolled_at_ms},
                       {"token_expires_at_ms", t.token_expires_at_ms},
                       {"revoked", t.revoked_at_ms.has_value()},
                       {"revoked_reason", t.revoked_reason}};
      if (t.revoked_at_ms) j["revoked_at_ms"] = *t.revoked_at_ms;
      array.push_back(std::move(j));
    }
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) {
    io.out << "no terminals" << (store ? " at store " + *store : std::string()) << "\n";
    return 0;
  }
  const std::int64_t now = system_now_ms();
  for (const auto& t : list.value()) {
    io.out << t.terminal_id << "  store=" << t.store_id << "  name=\"" << t.name
           << "\"  enrolled=" << core::utc_minute(t.enrolled_at_ms) << "  ";
    if (t.revoked_at_ms)
      io.out << "revoked " << core::utc_minute(*t.revoked_at_ms) << " (" << t.revoked_reason << ")";
    else if (t.token_expires_at_ms == 0)
      io.out << "outdated token (must re-enroll)";
    else if (t.token_expires_at_ms <= now)
      io.out << "expired " << core::utc_minute(t.token_expires_at_ms);
    else
      io.out << "active, token valid until " << core::utc_minute(t.token_expires_at_ms);
    io.out << "\n";
  }
  return 0;
}

int terminals_revoke(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto outcome = db->revoke_terminal(o.terminal_id, o.reason, system_now_ms());
  if (!outcome) return io.fail(outcome.error());
  if (!outcome.value())
    return io.fail("there is no terminal with id " + o.terminal_id +
                   "; see the ids with: kiosk-hq terminals list --db " + o.db);
  if (*outcome.value() == RevokeOutcome::already_revoked)
    io.out << "terminal " << o.terminal_id << " was already revoked; nothing changed\n";
  else
    io.out << "terminal " << o.terminal_id
           << " is revoked: its next sync is refused and it shows why\n";
  return 0;
}

int events_count(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto n = db->count_events();
  if (!n) return io.fail(n.error());
  io.out << n.value() << "\n";
  return 0;
}

// [SECTION] staff
// The PIN: the first line of --pin-file, or of stdin. Never an argument, where `ps` and the
// shell's history would show it.
std::optional<std::string> read_pin(const Options& o, const Io& io) {
  std::string line;
  if (!o.pin_file.empty()) {
    std::ifstream f(o.pin_file);
    if (!f) {
      io.fail("cannot read the PIN file " + o.pin_file + "; check the path in --pin-file");
      return std::nullopt;
    }
    std::getline(f, line);
  } else if (!std::getline(std::cin, line)) {
    io.fail("no PIN on stdin; pipe it in (echo 4821 | kiosk-hq staff ...) or use --pin-file");
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (auto why = core::check_pin_format(line)) {
    io.fail(*why + " Nothing was changed.");
    return std::nullopt;
  }
  return line;
}

std::optional<std::string> pin_hash_from_input(const Options& o, const Io& io) {
  const auto pin = read_pin(o, io);
  if (!pin) return std::nullopt;
  // A stronger hash than the default costs more time at each tap-in; terminals verify it
  // only up to kMaxPinOpsLimit passes over kMaxPinMemLimitBytes (the options' ranges).
  auto hash = protocol::hash_pin(*pin, o.pin_passes, std::size_t{o.pin_memory_mib} * 1024u * 1024u);
  if (!hash) {
    io.fail(hash.error());
    return std::nullopt;
  }
  return hash.value();
}

int unknown_staff(const Options& o, const Io& io) {
  return io.fail("store " + o.store_id + " has no member of staff \"" + o.staff_id +
                 "\"; see them with: kiosk-hq staff list --store " + o.store_id);
}

int staff_add(const Options& o, const Io& io) {
  if (auto why = core::check_staff_id(o.staff_id)) return io.fail(*why);
  if (o.staff_name.empty() || o.staff_name.size() > 200)
    return io.fail("--name must be 1 to 200 characters, e.g. --name \"Ana Lopez\"");
  const auto role = core::parse_staff_role(o.role);
  if (!role) return io.fail("--role must be associate or manager");
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io)) return 1;
  const auto hash = pin_hash_from_input(o, io);
  if (!hash) return 1;
  const std::int64_t now = system_now_ms();
  protocol::StaffRecord r;
  r.member = {o.staff_id, o.staff_name, *role, o.language};
  r.pin_hash = *hash;
  r.pin_set_at_ms = now;
  r.changed_at_ms = now;
  auto added = db->add_staff(o.store_id, r);
  if (!added) return io.fail(added.error());
  if (!added.value())
    return io.fail("store " + o.store_id + " already has a member of staff \"" + o.staff_id +
                   "\"; nothing changed (a new PIN: kiosk-hq staff reset-pin)");
  io.out << "added " << o.staff_id << " (" << o.staff_name << ", " << o.role << ") at store "
         << o.store_id << "; terminals there get them on their next sync\n";
  return 0;
}

int staff_disable(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io)) return 1;
  auto s = db->set_staff_active(o.store_id, o.staff_id, false, system_now_ms());
  if (!s) return io.fail(s.error());
  if (!s.value()) return unknown_staff(o, io);
  io.out << o.staff_id << " is disabled at store " << o.store_id
         << ": after their next sync, terminals there refuse their PIN\n";
  return 0;
}

int staff_reset_pin(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io)) return 1;
  const auto hash = pin_hash_from_input(o, io);
  if (!hash) return 1;
  auto s = db->set_staff_pin(o.store_id, o.staff_id, *hash, system_now_ms());
  if (!s) return io.fail(s.error());
  if (!s.value()) return unknown_staff(o, io);
  io.out << o.staff_id << " has a new PIN at store " << o.store_id
         << "; the old one stops working on each terminal at its next sync\n";
  return 0;
}

int staff_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io)) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->list_staff(store);
  if (!list) return io.fail(list.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& s : list.value())
      array.push_back({{"store_id", s.store_id},
                       {"id", s.record.member.id},
                       {"name", s.record.member.name},
                       {"role", core::to_string(s.record.member.role)},
                       {"language", s.record.member.language},
                       {"active", s.record.active},
                       {"pin_set_at_ms", s.record.pin_set_at_ms},
                       {"changed_at_ms", s.record.changed_at_ms}});
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) {
    io.out << "no staff" << (store ? " at store " + *store : std::string()) << "\n";
    return 0;
  }
  std::size_t id_w = 2, name_w = 4;
  for (const auto& s : list.value()) {
    id_w = std::max(id_w, s.record.member.id.size());
    name_w = std::max(name_w, s.record.member.name.size());
  }
  const auto pad = [](const std::string& t, std::size_t w) {
    return t + std::string(w > t.size() ? w - t.size() : 0, ' ');
  };
  io.out << pad("STORE", 8) << "  " << pad("ID", id_w) << "  " << pad("NAME", name_w)
         << "  ROLE       LANG  STATE     PIN SET (UTC)\n";
  for (const auto& s : list.value()) {
    io.out << pad(s.store_id, 8) << "  " << pad(s.record.member.id, id_w) << "  "
           << pad(s.record.member.name, name_w) << "  "
           << pad(std::string(core::to_string(s.record.member.role)), 9) << "  "
           << pad(s.record.member.language, 4) << "  "
           << pad(s.record.active ? "active" : "disabled", 8) << "  "
           << core::utc_minute(s.record.pin_set_at_ms) << "\n";
  }
  return 0;
}

int staff_lockouts_list(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db || !check_store(*db, o, io)) return 1;
  std::optional<std::string> store;
  if (!o.store_id.empty()) store = o.store_id;
  auto list = db->staff_lockouts(store);
  if (!list) return io.fail(list.error());
  if (o.json) {
    auto array = nlohmann::json::array();
    for (const auto& l : list.value())
      array.push_back({{"store_id", l.store_id},
                       {"terminal_id", l.terminal_id},
                       {"staff_id", l.lockout.staff_id},
                       {"failed_attempts", l.lockout.failed_attempts},
                       {"lockout_number", l.lockout.lockout_number},
                       {"locked_for_ms", l.lockout.locked_for_ms},
                       {"locked_at_ms", l.lockout.locked_at_ms}});
    io.out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (list->empty()) io.out << "no lockouts\n";
  for (const auto& l : list.value())
    io.out << core::utc_minute(l.lockout.locked_at_ms) << "  store=" << l.store_id
           << "  staff=" << l.lockout.staff_id << "  " << l.lockout.failed_attempts
           << " wrong PINs, locked " << l.lockout.locked_for_ms / 1000 << " s (lockout "
           << l.lockout.lockout_number << ")  terminal=" << l.terminal_id << "\n";
  return 0;
}

// [SECTION] the command tree
void add_db(CLI::App& cmd, Options& o) {
  cmd.add_option("--db", o.db,
                 "The head-office database: a SQLite file, or a PostgreSQL URL "
                 "(postgresql://user@host/dbname) that several kiosk-hq processes may share")
      ->capture_default_str();
  cmd.add_option("--secret-file", o.secret_file,
                 "The server secret that keys stored token and code hashes (made with mode 0600 "
                 "on first use; default: the --db path plus \".secret\"; required with "
                 "PostgreSQL, the same file for every process)")
      ->envname("KIOSK_HQ_SECRET_FILE");
}

void add_serve_options(CLI::App& cmd, Options& o) {
  add_db(cmd, o);
  cmd.add_option("--listen", o.listen, "Address to listen on, HOST:PORT (port 0 picks a free one)")
      ->capture_default_str();
  cmd.add_option("--port-file", o.port_file, "Also write the bound port number to this file");
  cmd.add_flag("--quiet", o.quiet, "No access log (by default one line per request on stderr)");
  cmd.add_option("--threads", o.threads,
                 "Network threads, each polling many connections (they never wait on the "
                 "database)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  cmd.add_option("--workers", o.workers,
                 "Threads that run requests against the database; a request waiting on a "
                 "write lock holds one of them, never the network threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  cmd.add_option("--processes", o.processes,
                 "Server processes sharing the listening socket, each with its own threads "
                 "and up to the open-file limit of connections (more terminals on one machine "
                 "than one process may hold open); the ladder and source polling run in the "
                 "first. A process that ends is started again")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  cmd.add_option("--queue-limit", o.queue_limit,
                 "Requests that may wait for a worker; past it new requests are answered 503 "
                 "with Retry-After (held long-polls are not counted)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  cmd.add_option("--max-connections", o.max_connections,
                 "Open connections at once (default 0: as many as the open-file limit allows, "
                 "less a reserve; a larger value is lowered to that)")
      ->capture_default_str();
  cmd.add_option("--max-connections-per-address", o.max_connections_per_address,
                 "Open connections one client address may hold at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100000u));
  cmd.add_option("--ladder-interval-ms", o.ladder_interval_ms,
                 "How often the escalation ladder is evaluated (a sync that brings escalations "
                 "also evaluates it at once)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{50}, std::int64_t{3'600'000}));
  cmd.add_option("--webhook-url", o.webhook_url,
                 "Send ladder notifications as signed JSON POSTs here (docs/escalation.md); "
                 "default: one log line each");
  cmd.add_option("--webhook-secret-file", o.webhook_secret_file,
                 "File whose first line is the secret that signs webhook bodies "
                 "(X-Kiosk-Signature: sha256=HMAC)");
  cmd.add_option("--admin-key-file", o.admin_key_file,
                 "File whose first line is the admin JSON API's key (16 characters or more; "
                 "or set KIOSK_HQ_ADMIN_KEY). Without one the admin API is off (docs/hq.md)");
  cmd.add_option("--webhook-timeout-ms", o.webhook_timeout_ms,
                 "Give up on one webhook attempt after this long (it is retried with backoff)")
      ->capture_default_str()
      ->check(CLI::Range(100L, 60'000L));
  cmd.add_option("--sources", o.src.sources_file,
                 "Poll the connectors of this sources file while serving (docs/hq.md#sources); "
                 "credentials come from the environment variables it names")
      ->envname("KIOSK_HQ_SOURCES");
  cmd.add_option("--ingest-key-file", o.ingest_key_file,
                 "File whose first line is the API key listening tools send to POST "
                 "/v1/mentions (docs/hq.md#webhook); without it that route answers 403")
      ->envname("KIOSK_HQ_INGEST_KEY_FILE");
  cmd.add_option("--tls-cert", o.tls_cert_file,
                 "Serve https:// with this certificate (PEM, server certificate first, then any "
                 "intermediates); needs --tls-key. Without it: plain http, for loopback or "
                 "behind a reverse proxy that terminates TLS (docs/hq.md#tls)")
      ->envname("KIOSK_HQ_TLS_CERT");
  cmd.add_option("--tls-key", o.tls_key_file,
                 "The certificate's private key (unencrypted PEM; keep it mode 0600). The pin "
                 "terminals may require is printed at start")
      ->envname("KIOSK_HQ_TLS_KEY");
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Options o;
  const Io io{out, err};
  CLI::App app{
      "kiosk-hq: the Frontline Kiosk head-office server.\n"
      "Without a subcommand it serves the sync API (same as `kiosk-hq serve`)."};
  app.name("kiosk-hq");
  app.require_subcommand(0, 1);
  add_serve_options(app, o);

  auto* serve_cmd = app.add_subcommand("serve", "Serve the sync API until SIGINT or SIGTERM");
  add_serve_options(*serve_cmd, o);

  auto* store = app.add_subcommand("store", "Manage stores")->require_subcommand(1);
  auto* store_add_cmd = store->add_subcommand(
      "add", "Add a store; adding an existing id with the same name changes nothing");
  add_db(*store_add_cmd, o);
  store_add_cmd->add_option("--id", o.store_id, "Store id, e.g. S1")->required();
  store_add_cmd->add_option("--name", o.store_name, "Store name shown on terminals")->required();

  auto* store_set_sub = store->add_subcommand(
      "set",
      "Set what matches posts to the store: address, coordinates and radius, names, "
      "nicknames, handles, hashtags, keywords, review-site ids (a JSON file, "
      "docs/hq.md#matching); a bad file changes nothing");
  auto* store_show_sub = store->add_subcommand("show", "Print the store's matching profile");
  for (auto* cmd : {store_set_sub, store_show_sub}) {
    add_db(*cmd, o);
    cmd->add_option("--id", o.src.store_id, "Store id")->required();
  }
  store_set_sub
      ->add_option("--file", o.src.file, "The profile, e.g. assets/demo/downtown.store.json")
      ->required();

  auto* code_cmd = app.add_subcommand(
      "enroll-code", "Make a single-use enrollment code for a store; prints only the code");
  add_db(*code_cmd, o);
  code_cmd->add_option("--store", o.store_id, "Store id the terminal will belong to")->required();
  code_cmd->add_option("--valid-hours", o.valid_hours, "Hours until the code expires")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 365));

  auto* mentions =
      app.add_subcommand("mentions", "Put mentions in a store's feed; the unmatched queue")
          ->require_subcommand(1);
  auto* load_cmd = mentions->add_subcommand(
      "load", "Load a mentions file ({\"mentions\": [...]}) for a store; prints how many");
  add_db(*load_cmd, o);
  load_cmd->add_option("--store", o.store_id, "Store id")->required();
  load_cmd->add_option("--file", o.file, "The JSON file, e.g. assets/demo/mentions.json")
      ->required();
  auto* add_cmd = mentions->add_subcommand("add", "Add one simulated live mention for a store");
  add_db(*add_cmd, o);
  add_cmd->add_option("--store", o.store_id, "Store id")->required();
  add_cmd->add_option("--source", o.live.source, "Where it was posted, e.g. mastodon")->required();
  add_cmd->add_option("--author", o.live.author, "Display name of the author")->required();
  add_cmd->add_option("--text", o.live.text, "The post's text")->required();
  add_cmd->add_option("--url", o.live.url, "Link to the post");
  add_cmd->add_option("--rating", o.live.rating, "Stars, for a review")->check(CLI::Range(1, 5));
  add_cmd->add_option("--lang", o.live.lang, "Language code the source gives, e.g. en");
  add_cmd->add_option("--followers", o.live.reach.author_followers, "The author's followers")
      ->check(CLI::NonNegativeNumber);
  add_cmd->add_option("--likes", o.live.reach.likes, "Likes, favourites, reactions")
      ->check(CLI::NonNegativeNumber);
  add_cmd->add_option("--reposts", o.live.reach.reposts, "Reposts, boosts, shares")
      ->check(CLI::NonNegativeNumber);
  add_cmd->add_option("--replies", o.live.reach.replies, "Replies or comments")
      ->check(CLI::NonNegativeNumber);
  for (auto* cmd : {load_cmd, add_cmd})
    cmd->add_option("--assets", o.assets, "Folder holding lexicons/ for triage (env KIOSK_ASSETS)")
        ->capture_default_str();
  auto* mentions_list_cmd = mentions->add_subcommand(
      "list", "A store's mentions in the terminals' order (priority, then newest) with triage");
  add_db(*mentions_list_cmd, o);
  mentions_list_cmd->add_option("--store", o.store_id, "Store id")->required();
  mentions_list_cmd->add_option("--limit", o.limit, "At most this many")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}));
  mentions_list_cmd->add_flag("--json", o.json,
                              "One JSON object per line: the mention as on the wire, and triage");

  auto* retriage_cmd = mentions->add_subcommand(
      "retriage",
      "Triage again the mentions an older triage version triaged (after an upgrade); what "
      "changes goes to the stores' terminals as mention updates");
  add_db(*retriage_cmd, o);
  retriage_cmd->add_option("--store", o.store_id,
                           "Only this store's mentions (default: every store)");
  retriage_cmd->add_option("--batch", o.batch, "Mentions per transaction")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000}));
  retriage_cmd
      ->add_option("--assets", o.assets, "Folder holding lexicons/ for triage (env KIOSK_ASSETS)")
      ->capture_default_str();
  retriage_cmd->add_flag("--json", o.json, "One JSON object: the version, re-triaged, changed");

  auto* unmatched_cmd = mentions->add_subcommand(
      "unmatched", "Mentions no store could be matched to with confidence, oldest first, and why");
  add_db(*unmatched_cmd, o);
  unmatched_cmd->add_flag("--json", o.src.json, "Print a JSON array instead of lines");
  auto* assign_cmd = mentions->add_subcommand(
      "assign",
      "Put an unmatched mention in a store's feed (its terminals get it on their next "
      "sync)");
  add_db(*assign_cmd, o);
  assign_cmd->add_option("--mention", o.src.mention_id, "Mention id (see mentions unmatched)")
      ->required();
  assign_cmd->add_option("--store", o.src.store_id, "Store id")->required();

  auto* sources_cmd = app.add_subcommand("sources", "The polling connectors (docs/hq.md#sources)")
                          ->require_subcommand(1);
  auto* sources_list_sub = sources_cmd->add_subcommand(
      "list",
      "One health line per connector: status, last success, next poll, items seen and "
      "skipped, last error");
  add_db(*sources_list_sub, o);
  sources_list_sub
      ->add_option("--sources", o.src.sources_file,
                   "Also list configured connectors that never polled, and which "
                   "lack a credential")
      ->envname("KIOSK_HQ_SOURCES");
  sources_list_sub->add_flag("--json", o.src.json, "Print a JSON array instead of a table");

  auto* poll_sub = app.add_subcommand(
      "poll",
      "Poll the sources file's connectors until SIGINT or SIGTERM (or once); several "
      "processes may poll one database, each connector is polled by one at a time");
  add_db(*poll_sub, o);
  poll_sub->add_option("--sources", o.src.sources_file, "The sources file (docs/hq.md#sources)")
      ->envname("KIOSK_HQ_SOURCES")
      ->required();
  poll_sub->add_flag("--once", o.src.once,
                     "Poll each connector that is due once, print what it brought, and exit "
                     "(non-zero if one failed)");

  auto* simulate_sub = app.add_subcommand(
      "simulate",
      "Serve stand-ins of the sources' APIs with a stream of posts about the demo "
      "stores (assets/demo/*.store.json), for the demo and tests; until SIGINT or "
      "SIGTERM");
  simulate_sub->add_option("--listen", o.src.listen, "HOST:PORT of the stand-in APIs")
      ->capture_default_str();
  simulate_sub->add_option("--port-file", o.src.port_file, "Also write the bound port here");
  simulate_sub->add_option("--sources-out", o.src.sources_out,
                           "Write a sources file for `kiosk-hq --sources` pointing at them");
  simulate_sub->add_option("--every", o.src.every, "A new post this often, e.g. 8s")
      ->capture_default_str();
  simulate_sub
      ->add_option("--poll-every", o.src.poll_every,
                   "The connectors' interval written in --sources-out")
      ->capture_default_str();
  simulate_sub->add_option("--history", o.src.history, "Earlier posts served from the start")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  simulate_sub->add_option("--count", o.src.count, "Stop posting after this many (0: never)")
      ->capture_default_str();
  simulate_sub->add_option("--seed", o.src.seed, "Varies ids and counts")->capture_default_str();

  auto* escalations =
      app.add_subcommand("escalations", "See escalations from the stores")->require_subcommand(1);
  auto* list_cmd = escalations->add_subcommand("list", "List escalations, newest first");
  add_db(*list_cmd, o);
  list_cmd->add_option("--store", o.store_id, "Only this store's escalations");
  list_cmd->add_flag("--json", o.json, "Print a JSON array instead of lines");
  list_cmd->add_option("--status", o.status, "Only open, acknowledged or resolved ones");
  list_cmd->add_option("--severity", o.severity, "Only low, medium, high or critical ones");
  list_cmd->add_option("--category", o.category, "Only this category, e.g. wait_time");
  list_cmd->add_option("--older-than", o.older_than,
                       "Only those head office received longer ago than this, e.g. 30m or 2h");
  list_cmd->add_flag("--breached", o.breached_only,
                     "Only those past their store policy's response or resolve target");

  auto* reopen_cmd = escalations->add_subcommand(
      "reopen",
      "Reopen a resolved escalation as a new generation: open again, its ladder restarted; the "
      "store sees it on its next sync");
  add_db(*reopen_cmd, o);
  reopen_cmd->add_option("--escalation", o.escalation_id, "Escalation id (see escalations list)")
      ->required();
  reopen_cmd->add_option("--by", o.by, "Who at head office, shown on the terminal")
      ->capture_default_str();

  auto* report = app.add_subcommand("report", "Figures for head office")->require_subcommand(1);
  auto* report_cmd = report->add_subcommand(
      "escalations",
      "Per store and overall: time to acknowledge and to resolve (median, p90), breaches, "
      "counts by category");
  add_db(*report_cmd, o);
  report_cmd->add_option("--store", o.store_id, "Only this store");
  report_cmd->add_flag("--json", o.json, "Print JSON instead of a table");

  auto* ack_cmd = app.add_subcommand("ack",
                                     "Acknowledge an escalation (a resolved one stays resolved); "
                                     "terminals see it on their next sync");
  auto* resolve_cmd =
      app.add_subcommand("resolve", "Resolve an escalation; terminals see it on their next sync");
  for (auto* cmd : {ack_cmd, resolve_cmd}) {
    add_db(*cmd, o);
    cmd->add_option("--escalation", o.escalation_id, "Escalation id (see escalations list)")
        ->required();
    cmd->add_option("--by", o.by, "Who at head office, shown on the terminal")
        ->capture_default_str();
  }

  auto* policy = app.add_subcommand("policy", "A store's escalation policy (docs/escalation.md)")
                     ->require_subcommand(1);
  auto* policy_set_cmd = policy->add_subcommand(
      "set", "Check a policy file and make it the store's; a bad file changes nothing");
  auto* policy_show_cmd = policy->add_subcommand("show", "Print the store's policy file");
  for (auto* cmd : {policy_set_cmd, policy_show_cmd}) {
    add_db(*cmd, o);
    cmd->add_option("--store", o.store_id, "Store id")->required();
  }
  policy_set_cmd->add_option("--file", o.file, "The policy file")->required();

  auto* notifications =
      app.add_subcommand("notifications", "What the escalation ladder sent: to whom, when, why")
          ->require_subcommand(1);
  auto* notifications_list_cmd =
      notifications->add_subcommand("list", "List outgoing notifications, oldest first");
  add_db(*notifications_list_cmd, o);
  notifications_list_cmd->add_option("--escalation", o.escalation_id, "Only this escalation's");
  notifications_list_cmd->add_flag("--json", o.json, "Print a JSON array instead of lines");

  auto* note = app.add_subcommand(
      "note", "Add a note from head office to an escalation; the store sees it on its next sync");
  auto* reassign = app.add_subcommand(
      "reassign", "Say who holds an escalation now; the store sees it on its next sync");
  for (auto* cmd : {note, reassign}) {
    add_db(*cmd, o);
    cmd->add_option("--escalation", o.escalation_id, "Escalation id (see escalations list)")
        ->required();
    cmd->add_option("--by", o.by, "Who at head office, shown on the terminal")
        ->capture_default_str();
  }
  note->add_option("--text", o.text, "The note (at most 4,000 characters)")->required();
  reassign->add_option("--to", o.holder, "Who holds it now, e.g. \"District manager Ana\"")
      ->required();

  auto* terminals =
      app.add_subcommand("terminals", "See and revoke enrolled terminals")->require_subcommand(1);
  auto* terminals_list_cmd = terminals->add_subcommand(
      "list", "List terminals: id, store, name, enrolled, and active, expired or revoked");
  add_db(*terminals_list_cmd, o);
  terminals_list_cmd->add_option("--store", o.store_id, "Only this store's terminals");
  terminals_list_cmd->add_flag("--json", o.json, "Print a JSON array instead of lines");
  auto* revoke_cmd = terminals->add_subcommand(
      "revoke", "Revoke a terminal: its token stops working at once (401 terminal_revoked)");
  add_db(*revoke_cmd, o);
  revoke_cmd->add_option("--terminal", o.terminal_id, "Terminal id (see terminals list)")
      ->required();
  revoke_cmd->add_option("--reason", o.reason, "Shown to the terminal")->capture_default_str();

  auto* events =
      app.add_subcommand("events", "Inspect events received from terminals")->require_subcommand(1);
  auto* count_cmd = events->add_subcommand("count", "Print how many events are stored");
  add_db(*count_cmd, o);

  auto* training = app.add_subcommand("training", "Training at the counter")->require_subcommand(1);
  auto* training_report_sub = training->add_subcommand(
      "report",
      "Answers, accuracy and confidence per store, lesson and member of staff (from the "
      "training.answered events terminals sent)");
  auto* training_publish_sub = training->add_subcommand(
      "publish",
      "Check a lesson pack folder and send it to every store through the sync; a pack with any "
      "problem (printed as file:line) is rejected whole and stores keep the one they have");
  add_db(*training_publish_sub, o);
  training_publish_sub->add_option("dir", o.pack_dir, "The pack's folder of .lesson files")
      ->required();
  training_publish_sub->add_option("--name", o.pack_name,
                                   "The pack's name (default: the folder's name)");
  auto* training_packs_sub =
      training->add_subcommand("packs", "The newest published version of each pack");
  add_db(*training_packs_sub, o);
  training_packs_sub->add_flag("--json", o.json, "Machine-readable output");

  auto* replies = app.add_subcommand("replies", "Replies staff drafted at the counter for approval")
                      ->require_subcommand(1);
  auto* replies_list_sub = replies->add_subcommand("list", "Suggested replies, oldest first");
  add_db(*replies_list_sub, o);
  replies_list_sub->add_option("--store", o.store_id, "Only this store");
  replies_list_sub
      ->add_option("--state", o.pending_only, "Only pending, approved, edited or rejected ones")
      ->check(CLI::IsMember({"pending", "approved", "edited", "rejected"}));
  replies_list_sub->add_flag("--json", o.json, "Machine-readable output");
  auto* replies_approve_sub =
      replies->add_subcommand("approve", "Approve a suggested reply as written");
  auto* replies_edit_sub =
      replies->add_subcommand("edit", "Approve a suggested reply with head office's changes");
  auto* replies_reject_sub =
      replies->add_subcommand("reject", "Reject a suggested reply (--comment says why)");
  for (auto* cmd : {replies_approve_sub, replies_edit_sub, replies_reject_sub}) {
    add_db(*cmd, o);
    cmd->add_option("--id", o.suggestion_id, "Suggestion id (see replies list)")->required();
    cmd->add_option("--comment", o.comment, "Words for the store, shown on the card");
    cmd->add_option("--by", o.by, "Who at head office, shown on the card")->capture_default_str();
  }
  replies_edit_sub->add_option("--text", o.text, "The reply as head office wants it posted")
      ->required();

  auto* praise =
      app.add_subcommand("praise", "Praise staff shared from the counter")->require_subcommand(1);
  auto* praise_list_sub = praise->add_subcommand("list", "Praise shared, oldest first");
  for (auto* cmd : {training_report_sub, praise_list_sub}) {
    add_db(*cmd, o);
    cmd->add_option("--store", o.store_id, "Only this store");
    cmd->add_flag("--json", o.json, "Machine-readable output");
  }
  auto* staff = app.add_subcommand("staff",
                                   "Staff who tap in on a store's terminals with a PIN; changes "
                                   "reach the store's terminals on their next sync")
                    ->require_subcommand(1);
  const char* pin_footer =
      "The PIN (4 to 8 digits) is read from the first line of stdin, or of --pin-file. It is "
      "never taken as an argument, where `ps` and the shell history would show it. Only its "
      "Argon2id hash is stored and sent to terminals.";
  auto* staff_add_cmd = staff->add_subcommand("add", "Add a member of staff to a store");
  auto* staff_disable_cmd = staff->add_subcommand(
      "disable", "Disable a member of staff: terminals refuse their PIN after their next sync");
  auto* staff_reset_cmd = staff->add_subcommand(
      "reset-pin", "Give a member of staff a new PIN (it also ends a lockout on the terminals)");
  auto* staff_list_cmd =
      staff->add_subcommand("list", "List staff: store, id, name, role, language, state");
  auto* staff_lockouts_cmd = staff->add_subcommand(
      "lockouts", "Wrong-PIN lockouts the terminals reported (staff.lockout events)");
  for (auto* cmd : {staff_add_cmd, staff_disable_cmd, staff_reset_cmd}) {
    add_db(*cmd, o);
    cmd->add_option("--store", o.store_id, "Store id")->required();
    cmd->add_option("--id", o.staff_id, "Staff id, e.g. ana (letters, digits, . _ -)")->required();
  }
  for (auto* cmd : {staff_add_cmd, staff_reset_cmd}) {
    cmd->add_option("--pin-file", o.pin_file,
                    "Read the PIN from this file's first line instead of stdin");
    cmd->add_option("--pin-passes", o.pin_passes,
                    "Argon2id passes of the PIN's hash: more is harder to guess from a stolen "
                    "hash and slower at each tap-in")
        ->capture_default_str()
        ->check(CLI::Range(static_cast<unsigned>(protocol::kPinOpsLimit),
                           static_cast<unsigned>(protocol::kMaxPinOpsLimit)));
    cmd->add_option("--pin-memory-mib", o.pin_memory_mib,
                    "Argon2id memory of the PIN's hash in MiB (terminals verify up to 64)")
        ->capture_default_str()
        ->check(CLI::Range(static_cast<unsigned>(protocol::kPinMemLimitBytes >> 20),
                           static_cast<unsigned>(protocol::kMaxPinMemLimitBytes >> 20)));
    cmd->footer(pin_footer);
  }
  staff_add_cmd->add_option("--name", o.staff_name, "Name shown on the PIN pad")->required();
  staff_add_cmd->add_option("--role", o.role, "associate or manager (manager-only actions)")
      ->required();
  staff_add_cmd->add_option("--language", o.language, "Screen texts for them: en or es")
      ->capture_default_str()
      ->check(CLI::IsMember({"en", "es"}));
  for (auto* cmd : {staff_list_cmd, staff_lockouts_cmd}) {
    add_db(*cmd, o);
    cmd->add_option("--store", o.store_id, "Only this store");
    cmd->add_flag("--json", o.json, "Print a JSON array instead of a table");
  }

  auto* ingest_cmd = app.add_subcommand(
      "ingest",
      "Parse a saved payload file of one source and print its mentions as JSON lines "
      "(skipped items on stderr); stores nothing");
  ingest_cmd
      ->add_option("--source", o.source,
                   "The source whose format the file has: " + sources::source_names_list())
      ->required();
  ingest_cmd->add_option("file", o.file, "A response body saved from that source's API or feed")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err);
  }

  if (*store_add_cmd) return store_add(o, io);
  o.src.db = o.db;
  o.src.secret_file = o.secret_file;
  if (*store_set_sub) return store_set_cmd(o.src, out, err);
  if (*store_show_sub) return store_show_cmd(o.src, out, err);
  if (*unmatched_cmd) return mentions_unmatched_cmd(o.src, out, err);
  if (*assign_cmd) return mentions_assign_cmd(o.src, out, err);
  if (*sources_list_sub) return sources_list_cmd(o.src, out, err);
  if (*poll_sub) return poll_cmd(o.src, out, err);
  if (*simulate_sub) return simulate_cmd(o.src, out, err);
  if (*code_cmd) return enroll_code(o, io);
  if (*load_cmd) return mentions_load(o, io);
  if (*add_cmd) return mentions_add(o, io);
  if (*mentions_list_cmd) return mentions_list(o, io);
  if (*retriage_cmd) return mentions_retriage(o, io);
  if (*list_cmd) return escalations_list(o, io);
  if (*reopen_cmd) return reopen_cmd_run(o, io);
  if (*ack_cmd) return raise_status(o, io, core::EscalationStatus::acknowledged);
  if (*resolve_cmd) return raise_status(o, io, core::EscalationStatus::resolved);
  if (*count_cmd) return events_count(o, io);
  if (*ingest_cmd) return sources::ingest_source_file(o.source, o.file, out, err, "kiosk-hq");
  if (*training_report_sub) return training_report_cmd(o, io);
  if (*training_publish_sub) return training_publish(o, io);
  if (*training_packs_sub) return training_packs_cmd(o, io);
  if (*replies_list_sub) return replies_list(o, io);
  if (*replies_approve_sub) return replies_decide(o, io, "approved");
  if (*replies_edit_sub) return replies_decide(o, io, "edited");
  if (*replies_reject_sub) return replies_decide(o, io, "rejected");
  if (*praise_list_sub) return praise_list(o, io);
  if (*staff_add_cmd) return staff_add(o, io);
  if (*staff_disable_cmd) return staff_disable(o, io);
  if (*staff_reset_cmd) return staff_reset_pin(o, io);
  if (*staff_list_cmd) return staff_list(o, io);
  if (*staff_lockouts_cmd) return staff_lockouts_list(o, io);
  if (*policy_set_cmd) return policy_set(o, io);
  if (*note) return note_cmd(o, io);
  if (*reassign) return reassign_cmd(o, io);
  if (*report_cmd) return report_escalations_cmd(o, io);
  if (*policy_show_cmd) return policy_show(o, io);
  if (*notifications_list_cmd) return notifications_list(o, io);
  if (*terminals_list_cmd) return terminals_list(o, io);
  if (*revoke_cmd) return terminals_revoke(o, io);
  if (o.processes > 1) return serve_processes(o, io);
  return serve(o, io);  // `serve` or no subcommand
}

}  // namespace kiosk::sync::hq

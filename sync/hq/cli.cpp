#include "sync/hq/cli.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "kiosk/core/time_format.h"
#include "sync/hq/admin.h"
#include "sync/hq/change_payload.h"
#include "sync/hq/escalation_ops.h"
#include "sync/hq/hq_server.h"
#include "sync/hq/ladder.h"
#include "sync/hq/open_hq_storage.h"
#include "sync/hq/report.h"
#include "sync/hq/training_report.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/sources/ingest_file.h"
#include "sync/sources/sources.h"

// [SECTION] options of every command
// [SECTION] serve
// [SECTION] head office operations
// [SECTION] the command tree

namespace kiosk::sync::hq {
namespace {

// [SECTION] options of every command
struct Options {
  std::string db = "hq.sqlite";
  std::string listen = "127.0.0.1:8080";
  std::string port_file;
  unsigned threads = 2;
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
  std::string source;  // ingest --source
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
  std::string text;            // note
  std::string holder;          // reassign --to
  std::string admin_key_file;  // serve: the admin JSON API's key; or KIOSK_HQ_ADMIN_KEY
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
int serve(const Options& o, const Io& io) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  struct RestoreMask {
    const sigset_t& mask;
    ~RestoreMask() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
  } restore{previous};

  ServerOptions options;
  options.db_path = o.db;
  options.listen = o.listen;
  options.threads = o.threads;
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
  auto server = start_server(options);
  if (!server) return io.fail(server.error());
  LadderService service((*server)->storage(), system_now_ms, std::move(sender), ladder_options);
  ladder->store(&service);
  if (!o.port_file.empty()) {
    std::ofstream f(o.port_file, std::ios::trunc);
    f << (*server)->port() << "\n";
    if (!f.flush())
      return io.fail("cannot write the port file " + o.port_file +
                     "; check the path in --port-file");
  }
  io.out << "kiosk-hq listening on " << (*server)->url() << "\n";
  io.err << "kiosk-hq: up to " << (*server)->connection_limit() << " connections at once, "
         << (*server)->per_address_limit() << " per client address\n";
  io.err << "kiosk-hq: admin JSON API "
         << (options.admin_key.empty() ? "off (no admin key)" : "on at /v1/admin/") << "\n";
  io.out.flush();
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  ladder->store(nullptr);
  service.stop();
  (*server)->stop();
  io.err << "kiosk-hq: stopped\n";
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

int mentions_load(const Options& o, const Io& io) {
  std::ifstream f(o.file, std::ios::binary);
  if (!f) return io.fail("cannot read " + o.file + "; check the path in --file");
  std::stringstream text;
  text << f.rdbuf();
  auto mentions = protocol::decode_mentions(text.str(), system_now_ms());
  if (!mentions) return io.fail(o.file + " is not a mentions file: " + mentions.error());
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto counts = db->upsert_mentions(o.store_id, mentions.value(), system_now_ms());
  if (!counts) return io.fail(counts.error());
  io.out << "loaded " << mentions->size() << " mentions for store " << o.store_id << ": "
         << counts->added << " new, " << counts->changed << " changed, " << counts->unchanged
         << " unchanged\n";
  return 0;
}

int mentions_add(const Options& o, const Io& io) {
  auto db = open_db(o, io, Mode::must_exist);
  if (!db) return 1;
  auto m = add_live_mention(*db, o.store_id, o.live, system_now_ms());
  if (!m) return io.fail(m.error());
  io.out << "added mention " << m->id << " for store " << o.store_id << "\n";
  return 0;
}

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
    if (!x.raised_by.empty()) io.out << "  raised_by=" << x.raised_by;
    if (x.category) io.out << "  category=" << core::to_string(*x.category);
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
  cmd.add_option("--threads", o.threads, "HTTP worker threads (each polls many connections)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
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

  auto* code_cmd = app.add_subcommand(
      "enroll-code", "Make a single-use enrollment code for a store; prints only the code");
  add_db(*code_cmd, o);
  code_cmd->add_option("--store", o.store_id, "Store id the terminal will belong to")->required();
  code_cmd->add_option("--valid-hours", o.valid_hours, "Hours until the code expires")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 365));

  auto* mentions =
      app.add_subcommand("mentions", "Put mentions in a store's feed")->require_subcommand(1);
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
  auto* praise =
      app.add_subcommand("praise", "Praise staff shared from the counter")->require_subcommand(1);
  auto* praise_list_sub = praise->add_subcommand("list", "Praise shared, oldest first");
  for (auto* cmd : {training_report_sub, praise_list_sub}) {
    add_db(*cmd, o);
    cmd->add_option("--store", o.store_id, "Only this store");
    cmd->add_flag("--json", o.json, "Machine-readable output");
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
  if (*code_cmd) return enroll_code(o, io);
  if (*load_cmd) return mentions_load(o, io);
  if (*add_cmd) return mentions_add(o, io);
  if (*list_cmd) return escalations_list(o, io);
  if (*reopen_cmd) return reopen_cmd_run(o, io);
  if (*ack_cmd) return raise_status(o, io, core::EscalationStatus::acknowledged);
  if (*resolve_cmd) return raise_status(o, io, core::EscalationStatus::resolved);
  if (*count_cmd) return events_count(o, io);
  if (*ingest_cmd) return sources::ingest_source_file(o.source, o.file, out, err, "kiosk-hq");
  if (*training_report_sub) return training_report_cmd(o, io);
  if (*praise_list_sub) return praise_list(o, io);
  if (*policy_set_cmd) return policy_set(o, io);
  if (*note) return note_cmd(o, io);
  if (*reassign) return reassign_cmd(o, io);
  if (*report_cmd) return report_escalations_cmd(o, io);
  if (*policy_show_cmd) return policy_show(o, io);
  if (*notifications_list_cmd) return notifications_list(o, io);
  if (*terminals_list_cmd) return terminals_list(o, io);
  if (*revoke_cmd) return terminals_revoke(o, io);
  return serve(o, io);  // `serve` or no subcommand
}

}  // namespace kiosk::sync::hq

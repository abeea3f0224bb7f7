#include "sync/hq/storage/sqlite_hq_storage.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <utility>

#include "kiosk/core/escalation_actions.h"
#include "kiosk/store/sqlite/sqlite_db.h"
#include "kiosk/store/sqlite/sqlite_migrate.h"
#include "sync/hq/storage/change_payload.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

// [SECTION] schema and migrations
// PRAGMA application_id of a kiosk-hq database ("KHQ1"), so neither program takes the other's
// file for its own.
constexpr std::int64_t kHqApplicationId = 0x4B485131;

// [SECTION] statement and transaction helpers
// [SECTION] opening, the connection pool
// [SECTION] rows <-> values
// [SECTION] stores and enrollment
// [SECTION] tokens and terminals
// [SECTION] sync
// [SECTION] head office operations

namespace kiosk::sync::hq {
namespace {

// [SECTION] schema and migrations
// Append only: a released migration is never edited. user_version = how many have run.
const std::vector<const char*> kMigrations = {
    // 1: the first schema.
    R"sql(
CREATE TABLE stores (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE enrollment_codes (
  code_hash     TEXT PRIMARY KEY,
  store_id      TEXT NOT NULL REFERENCES stores(id),
  expires_at_ms INTEGER NOT NULL,
  used_at_ms    INTEGER,
  terminal_id   TEXT
);
CREATE TABLE terminals (
  id             TEXT PRIMARY KEY,
  store_id       TEXT NOT NULL REFERENCES stores(id),
  name           TEXT NOT NULL,
  token_hash     TEXT NOT NULL UNIQUE,
  enrolled_at_ms INTEGER NOT NULL
);
CREATE TABLE events (
  id             TEXT PRIMARY KEY,
  terminal_id    TEXT NOT NULL,
  store_id       TEXT NOT NULL,
  kind           TEXT NOT NULL,
  hlc            TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL
);
CREATE TABLE escalations (
  id                   TEXT PRIMARY KEY,
  store_id             TEXT NOT NULL REFERENCES stores(id),
  mention_id           TEXT NOT NULL,
  severity             TEXT NOT NULL,
  note                 TEXT NOT NULL,
  status               TEXT NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  status_changed_at_ms INTEGER NOT NULL,
  acknowledged_by      TEXT NOT NULL DEFAULT '',
  origin_terminal_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_by_store ON escalations(store_id, created_at_ms);
CREATE TABLE mentions (
  store_id      TEXT NOT NULL REFERENCES stores(id),
  id            TEXT NOT NULL,
  source        TEXT NOT NULL,
  author        TEXT NOT NULL,
  text          TEXT NOT NULL,
  url           TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE TABLE changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id      TEXT NOT NULL,
  kind          TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  payload       TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX changes_by_store ON changes(store_id, seq);
)sql",
    // 2: keyed hashes, token expiry and rotation, revocation. Hashes stored before are
    // unkeyed: those terminals are told to re-enroll (token_outdated), and unused codes made
    // before are dropped (they could never match a keyed hash); docs/hq.md says so.
    R"sql(
ALTER TABLE terminals ADD COLUMN hash_scheme TEXT NOT NULL DEFAULT 'unkeyed';
ALTER TABLE terminals ADD COLUMN token_expires_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminals ADD COLUMN previous_token_hash TEXT;
ALTER TABLE terminals ADD COLUMN previous_token_expires_at_ms INTEGER;
ALTER TABLE terminals ADD COLUMN revoked_at_ms INTEGER;
ALTER TABLE terminals ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX terminals_by_previous_token ON terminals(previous_token_hash);
DELETE FROM enrollment_codes WHERE used_at_ms IS NULL;
)sql",
    // 3: events of every kind: what a non-escalation event carried, and the two kinds head
    // office reports on.
    R"sql(
ALTER TABLE events ADD COLUMN body TEXT NOT NULL DEFAULT '';
CREATE TABLE training_results (
  event_id       TEXT PRIMARY KEY REFERENCES events(id),
  store_id       TEXT NOT NULL,
  terminal_id    TEXT NOT NULL,
  staff_id       TEXT NOT NULL,
  lesson_id      TEXT NOT NULL,
  lesson_version INTEGER NOT NULL,
  correct        INTEGER NOT NULL,
  sure           INTEGER NOT NULL,
  answered_at_ms INTEGER NOT NULL
);
CREATE INDEX training_results_by_store ON training_results(store_id, lesson_id);
CREATE TABLE shared_praise (
  event_id     TEXT PRIMARY KEY REFERENCES events(id),
  store_id     TEXT NOT NULL,
  terminal_id  TEXT NOT NULL,
  mention_id   TEXT NOT NULL,
  note         TEXT NOT NULL,
  staff_id     TEXT NOT NULL,
  shared_at_ms INTEGER NOT NULL
);
)sql",
    // 4: the escalation ladder (docs/escalation.md): a policy file per store, each
    // escalation's place on its ladder, and every notification head office sends.
    R"sql(
CREATE TABLE escalation_policies (
  store_id  TEXT PRIMARY KEY REFERENCES stores(id),
  text      TEXT NOT NULL,
  set_at_ms INTEGER NOT NULL
);
ALTER TABLE escalations ADD COLUMN received_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN acknowledged_at_ms INTEGER;
ALTER TABLE escalations ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN ladder_phase INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN ladder_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN ladder_level INTEGER NOT NULL DEFAULT -1;
ALTER TABLE escalations ADD COLUMN ladder_holder TEXT NOT NULL DEFAULT '';
UPDATE escalations SET received_at_ms = created_at_ms;
CREATE TABLE outgoing_notifications (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  escalation_id      TEXT NOT NULL REFERENCES escalations(id),
  store_id           TEXT NOT NULL,
  severity           TEXT NOT NULL,
  recipient          TEXT NOT NULL,
  level              INTEGER NOT NULL,
  phase              INTEGER NOT NULL,
  step               INTEGER NOT NULL,
  kind               TEXT NOT NULL,
  reason             TEXT NOT NULL,
  created_at_ms      INTEGER NOT NULL,
  state              TEXT NOT NULL DEFAULT 'pending',
  attempts           INTEGER NOT NULL DEFAULT 0,
  last_error         TEXT NOT NULL DEFAULT '',
  next_attempt_at_ms INTEGER NOT NULL,
  claimed_until_ms   INTEGER NOT NULL DEFAULT 0,
  sent_at_ms         INTEGER NOT NULL DEFAULT 0,
  sender             TEXT NOT NULL DEFAULT '',
  UNIQUE (escalation_id, phase, step)
);
CREATE INDEX outgoing_pending ON outgoing_notifications(state, next_attempt_at_ms);
)sql",
    // 5: notes head office adds to an escalation (kiosk-hq note, reassign).
    R"sql(
CREATE TABLE escalation_notes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  escalation_id TEXT NOT NULL REFERENCES escalations(id),
  author        TEXT NOT NULL,
  text          TEXT NOT NULL,
  at_ms         INTEGER NOT NULL
);
CREATE INDEX escalation_notes_by_escalation ON escalation_notes(escalation_id, id);
)sql",
    // 6: the ladder's clock for the store's cards: response target and next climb.
    R"sql(
ALTER TABLE escalations ADD COLUMN respond_by_ms INTEGER;
ALTER TABLE escalations ADD COLUMN next_climb_at_ms INTEGER;
)sql",
    // 7: staff who tap in on terminals with a PIN (only its Argon2id hash is kept), the
    // lockouts terminals report, and who raised each escalation.
    R"sql(
ALTER TABLE escalations ADD COLUMN staff_id TEXT NOT NULL DEFAULT '';
CREATE TABLE staff (
  store_id      TEXT NOT NULL REFERENCES stores(id),
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  language      TEXT NOT NULL,
  pin_hash      TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  pin_set_at_ms INTEGER NOT NULL,
  changed_at_ms INTEGER NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE TABLE staff_lockouts (
  event_id        TEXT PRIMARY KEY REFERENCES events(id),
  store_id        TEXT NOT NULL,
  terminal_id     TEXT NOT NULL,
  staff_id        TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL,
  lockout_number  INTEGER NOT NULL,
  locked_for_ms   INTEGER NOT NULL,
  locked_at_ms    INTEGER NOT NULL
);
CREATE INDEX staff_lockouts_by_store ON staff_lockouts(store_id, locked_at_ms);
)sql",
    // 8: training packs head office published (docs/training.md) and replies staff
    // suggested for approval.
    R"sql(
CREATE TABLE training_packs (
  pack            TEXT NOT NULL,
  version         INTEGER NOT NULL,
  published_at_ms INTEGER NOT NULL,
  lessons         INTEGER NOT NULL,
  payload         TEXT NOT NULL,
  PRIMARY KEY (pack, version)
);
CREATE TABLE reply_suggestions (
  id              TEXT PRIMARY KEY,
  event_id        TEXT NOT NULL REFERENCES events(id),
  store_id        TEXT NOT NULL,
  terminal_id     TEXT NOT NULL,
  mention_id      TEXT NOT NULL,
  staff_id        TEXT NOT NULL,
  text            TEXT NOT NULL,
  suggested_at_ms INTEGER NOT NULL,
  outcome         TEXT NOT NULL DEFAULT 'pending',
  final_text      TEXT NOT NULL DEFAULT '',
  comment         TEXT NOT NULL DEFAULT '',
  decided_by      TEXT NOT NULL DEFAULT '',
  decided_at_ms   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reply_suggestions_by_store ON reply_suggestions(store_id, suggested_at_ms);
)sql",
    // 9: polling connectors (state, health, lease), store profiles for matching, posts seen
    // (by id and fingerprint) and the unmatched queue.
    R"sql(
CREATE TABLE source_state (
  name            TEXT PRIMARY KEY,
  cursor          TEXT NOT NULL DEFAULT '',
  last_success_ms INTEGER NOT NULL DEFAULT 0,
  last_error_ms   INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  items_seen      INTEGER NOT NULL DEFAULT 0,
  items_skipped   INTEGER NOT NULL DEFAULT 0,
  next_poll_ms    INTEGER NOT NULL DEFAULT 0,
  failures        INTEGER NOT NULL DEFAULT 0,
  quota_day       TEXT NOT NULL DEFAULT '',
  quota_used      INTEGER NOT NULL DEFAULT 0,
  lease_holder    TEXT NOT NULL DEFAULT '',
  lease_until_ms  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE store_profiles (
  store_id      TEXT PRIMARY KEY REFERENCES stores(id),
  profile       TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE post_keys (
  key           TEXT PRIMARY KEY,
  mention_id    TEXT NOT NULL,
  store_id      TEXT NOT NULL DEFAULT '',
  seen_at_ms    INTEGER NOT NULL
);
CREATE INDEX post_keys_by_mention ON post_keys(mention_id);
CREATE TABLE unmatched_mentions (
  mention_id     TEXT PRIMARY KEY,
  mention        TEXT NOT NULL,
  reason         TEXT NOT NULL,
  candidates     TEXT NOT NULL DEFAULT '',
  received_at_ms INTEGER NOT NULL
);
)sql",
    // 10: every field of a mention as the wire carries it (its payload), its star rating, and
    // its triage (kiosk/core/triage.h), so head office's feed sorts and filters in SQL.
    R"sql(
ALTER TABLE mentions ADD COLUMN payload TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN rating INTEGER;
ALTER TABLE mentions ADD COLUMN sentiment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN urgency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE mentions ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN reasons TEXT NOT NULL DEFAULT '';
CREATE INDEX mentions_feed ON mentions(store_id, priority DESC, created_at_ms DESC);
)sql",
    // 11: reopening as a new generation, and every action on an escalation
    // (acknowledge, note, reassign, resolve, reopen) from terminals and head office, merged by
    // kiosk/core/escalation_actions.h.
    R"sql(
ALTER TABLE escalations ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN resolution_note TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN resolution_key TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN holder_key TEXT NOT NULL DEFAULT '';
CREATE TABLE escalation_actions (
  id             TEXT PRIMARY KEY,
  escalation_id  TEXT NOT NULL REFERENCES escalations(id),
  kind           TEXT NOT NULL,
  generation     INTEGER NOT NULL,
  actor          TEXT NOT NULL,
  terminal_id    TEXT NOT NULL,
  at_ms          INTEGER NOT NULL,
  hlc            TEXT NOT NULL,
  text           TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL
);
CREATE INDEX escalation_actions_by_escalation ON escalation_actions(escalation_id);
)sql",
    // 12: the triage version each mention was triaged under (core::kTriageVersion), so
    // `kiosk-hq mentions retriage` finds those an older version triaged (0: before versions).
    R"sql(
ALTER TABLE mentions ADD COLUMN triage_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_triage_version ON mentions(triage_version);
)sql",
};

// [SECTION] statement and transaction helpers
// The shared SQLite wrapper (kiosk/store/sqlite/), in the shape this file has always used:
// prepare and bind in one line. Its DbError is caught by every public method and returned
// as a Result.
using sqlite::Database;
using sqlite::DbError;
using sqlite::Transaction;

class Stmt : public sqlite::Statement {
 public:
  template <typename... Args>
  Stmt(Database& db, std::string_view sql, const Args&... args) : Statement(db.prepare(sql)) {
    bind_all(args...);
  }
  std::string text(int col) const { return column_text(col); }
  std::int64_t integer(int col) const { return column_int(col); }
  bool is_null(int col) const { return column_is_null(col); }
};

void exec(Database& db, const std::string& sql) {
  db.exec(sql);
}

sqlite::OpenOptions hq_open_options(bool create) {
  sqlite::OpenOptions options;
  options.create = create;
  options.names = {"head office database", "kiosk-hq", ""};
  return options;
}

void configure(Database& db) {
  exec(db, "PRAGMA foreign_keys = ON");
  exec(db, "PRAGMA synchronous = NORMAL");
}

// [SECTION] rows <-> values
constexpr const char* kEscalationColumns =
    "store_id, origin_terminal_id, id, mention_id, severity, note, status, created_at_ms, "
    "status_changed_at_ms, acknowledged_by, category, ladder_level, ladder_holder, "
    "received_at_ms, acknowledged_at_ms, ladder_phase, ladder_step, respond_by_ms, "
    "next_climb_at_ms, staff_id, generation, resolution_note, resolution_key, holder_key";
// How many columns kEscalationColumns names: a query that selects more after them reads those
// from this index on, so adding an escalation column cannot shift what it reads.
constexpr int escalation_column_count() {
  int n = 1;
  for (const char* c = kEscalationColumns; *c != '\0'; ++c) n += *c == ',' ? 1 : 0;
  return n;
}

StoredEscalation escalation_from_row(const Stmt& s) {
  StoredEscalation out;
  out.store_id = s.text(0);
  out.origin_terminal_id = s.text(1);
  core::Escalation& e = out.escalation;
  e.id = s.text(2);
  e.mention_id = s.text(3);
  e.severity = core::parse_severity(s.text(4)).value_or(core::Severity::medium);
  e.note = s.text(5);
  e.status = core::parse_status(s.text(6)).value_or(core::EscalationStatus::open);
  e.created_at_ms = s.integer(7);
  e.status_changed_at_ms = s.integer(8);
  e.acknowledged_by = s.text(9);
  e.category = core::parse_category(s.text(10));
  e.ladder_level = static_cast<int>(s.integer(11));
  e.ladder_holder = s.text(12);
  out.received_at_ms = s.integer(13);
  if (!s.is_null(14)) out.acknowledged_at_ms = s.integer(14);
  out.ladder_phase = static_cast<int>(s.integer(15));
  out.ladder_step = static_cast<int>(s.integer(16));
  if (s.integer(17) > 0) e.respond_by_ms = s.integer(17);  // NULL or 0: none
  if (s.integer(18) > 0) e.next_climb_at_ms = s.integer(18);
  e.staff_id = s.text(19);
  e.generation = static_cast<int>(s.integer(20));
  e.resolution_note = s.text(21);
  e.resolution_key = s.text(22);
  e.holder_key = s.text(23);
  return out;
}

// The escalation's notes from head office, so a change always carries the whole escalation.
void load_notes(Database& db, StoredEscalation& e) {
  Stmt s(db, "SELECT author, text, at_ms FROM escalation_notes WHERE escalation_id = ? ORDER BY id",
         e.escalation.id);
  e.escalation.hq_notes.clear();
  while (s.step()) e.escalation.hq_notes.push_back({s.text(0), s.text(1), s.integer(2)});
  Stmt h(db,
         "SELECT id, kind, generation, actor, terminal_id, at_ms, hlc, text "
         "FROM escalation_actions WHERE escalation_id = ?",
         e.escalation.id);
  e.escalation.history.clear();
  std::vector<core::EscalationAction> actions;
  while (h.step()) {
    core::EscalationAction a;
    a.id = h.text(0);
    a.kind = core::parse_action_kind(h.text(1)).value_or(core::EscalationActionKind::note);
    a.generation = static_cast<int>(h.integer(2));
    a.by = h.text(3);
    a.terminal_id = h.text(4);
    a.at_ms = h.integer(5);
    a.hlc = h.text(6);
    a.text = h.text(7);
    actions.push_back(std::move(a));
  }
  std::sort(actions.begin(), actions.end(),
            [](const auto& a, const auto& b) { return core::lww_key(a) < core::lww_key(b); });
  e.escalation.history = std::move(actions);
}

std::optional<StoredEscalation> load_escalation(Database& db, const std::string& id) {
  std::optional<StoredEscalation> out;
  {
    Stmt s(db,
           (std::string("SELECT ") + kEscalationColumns + " FROM escalations WHERE id = ?").c_str(),
           id);
    if (!s.step()) return std::nullopt;
    out = escalation_from_row(s);
  }
  load_notes(db, *out);
  return out;
}

// The stores this thread appended changes to in its current storage call (the change
// listener hears of them when the call returns).
thread_local std::vector<std::string> changed_stores;

void append_change(Database& db, const std::string& store_id, const char* kind,
                   const std::string& entity_id, const std::string& payload, std::int64_t now_ms) {
  Stmt(db,
       "INSERT INTO changes (store_id, kind, entity_id, payload, created_at_ms) "
       "VALUES (?, ?, ?, ?, ?)",
       store_id, kind, entity_id, payload, now_ms)
      .run();
  if (std::find(changed_stores.begin(), changed_stores.end(), store_id) == changed_stores.end())
    changed_stores.push_back(store_id);
}

void append_escalation_change(Database& db, const StoredEscalation& e, std::int64_t now_ms) {
  append_change(db, e.store_id, "escalation", e.escalation.id, escalation_payload(e.escalation),
                now_ms);
}

constexpr const char* kStaffColumns =
    "store_id, id, name, role, language, pin_hash, active, pin_set_at_ms, changed_at_ms";

StoredStaff staff_from_row(const Stmt& s) {
  StoredStaff out;
  out.store_id = s.text(0);
  protocol::StaffRecord& r = out.record;
  r.member.id = s.text(1);
  r.member.name = s.text(2);
  r.member.role = core::parse_staff_role(s.text(3)).value_or(core::StaffRole::associate);
  r.member.language = s.text(4);
  r.pin_hash = s.text(5);
  r.active = s.integer(6) != 0;
  r.pin_set_at_ms = s.integer(7);
  r.changed_at_ms = s.integer(8);
  return out;
}

std::optional<StoredStaff> load_staff(Database& db, const std::string& store_id,
                                      const std::string& staff_id) {
  Stmt s(db,
         (std::string("SELECT ") + kStaffColumns + " FROM staff WHERE store_id = ? AND id = ?")
             .c_str(),
         store_id, staff_id);
  if (!s.step()) return std::nullopt;
  return staff_from_row(s);
}

void append_staff_change(Database& db, const StoredStaff& s, std::int64_t now_ms) {
  append_change(db, s.store_id, "staff", s.record.member.id, staff_payload(s.record), now_ms);
}

// A new store's changefeed starts with the newest version of each published pack.
void append_newest_packs(Database& db, const std::string& store_id, std::int64_t now_ms) {
  Stmt packs(db,
             "SELECT p.pack, p.payload FROM training_packs p WHERE p.version = "
             "(SELECT max(version) FROM training_packs WHERE pack = p.pack) ORDER BY p.pack");
  while (packs.step())
    append_change(db, store_id, "training_pack", packs.text(0), packs.text(1), now_ms);
}

constexpr const char* kReplyColumns =
    "store_id, terminal_id, id, mention_id, text, staff_id, suggested_at_ms, outcome, "
    "final_text, comment, decided_by, decided_at_ms";

StoredReplySuggestion reply_from_row(const Stmt& s) {
  StoredReplySuggestion r;
  r.store_id = s.text(0);
  r.terminal_id = s.text(1);
  r.suggestion = {s.text(2), s.text(3), s.text(4), s.text(5), s.integer(6)};
  r.outcome = s.text(7);
  r.final_text = s.text(8);
  r.comment = s.text(9);
  r.decided_by = s.text(10);
  r.decided_at_ms = s.integer(11);
  return r;
}

// One action on an escalation, merged by the core rules, inside the caller's transaction: the
// action row (once per id), the merged columns, the ladder restarted when it reopened (and
// stopped when acknowledged), and the whole escalation on the store's changefeed. False when
// the history already held the action.
bool apply_action_in_tx(Database& db, StoredEscalation& e, const core::EscalationAction& a,
                        std::int64_t now_ms) {
  if (!apply_action_to_stored(e, a, now_ms)) return false;
  const core::Escalation& x = e.escalation;
  Stmt(db,
       "INSERT INTO escalation_actions (id, escalation_id, kind, generation, actor, terminal_id, "
       "at_ms, hlc, text, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
       a.id, x.id, core::to_string(a.kind), std::int64_t{a.generation}, a.by, a.terminal_id,
       a.at_ms, a.hlc, a.text, now_ms)
      .run();
  Stmt(db,
       "UPDATE escalations SET status = ?, status_changed_at_ms = ?, acknowledged_by = ?, "
       "generation = ?, resolution_note = ?, resolution_key = ?, ladder_holder = ?, "
       "ladder_level = ?, holder_key = ?, received_at_ms = ?, acknowledged_at_ms = ?, "
       "ladder_phase = ?, ladder_step = ?, respond_by_ms = ?, next_climb_at_ms = ? WHERE id = ?",
       core::to_string(x.status), x.status_changed_at_ms, x.acknowledged_by,
       std::int64_t{x.generation}, x.resolution_note, x.resolution_key, x.ladder_holder,
       std::int64_t{x.ladder_level}, x.holder_key, e.received_at_ms, e.acknowledged_at_ms,
       std::int64_t{e.ladder_phase}, std::int64_t{e.ladder_step}, x.respond_by_ms,
       x.next_climb_at_ms, x.id)
      .run();
  append_escalation_change(db, e, now_ms);
  return true;
}

bool store_exists(Database& db, const std::string& store_id) {
  Stmt s(db, "SELECT 1 FROM stores WHERE id = ?", store_id);
  return s.step();
}

std::string unknown_store(const std::string& store_id) {
  return "there is no store \"" + store_id +
         "\" in this database; add it first with: kiosk-hq store add --id " + store_id +
         " --name NAME";
}

// A storage failure as an HQ operator reads it.
std::string storage_failure(const std::string& path, const std::string& detail) {
  return "the head office database " + path + " failed (" + detail +
         "); check the disk and try again";
}

}  // namespace

// [SECTION] opening, the connection pool

int SqliteHqStorage::latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

SqliteHqStorage::SqliteHqStorage(std::string path) : path_(std::move(path)) {}

SqliteHqStorage::~SqliteHqStorage() = default;

Result<std::unique_ptr<SqliteHqStorage>> SqliteHqStorage::open(const std::string& path,
                                                               OpenMode mode,
                                                               const std::string& secret_path) {
  using R = Result<std::unique_ptr<SqliteHqStorage>>;
  std::error_code ec;
  if (mode == OpenMode::must_exist && !std::filesystem::exists(path, ec))
    return R::failure(path +
                      " does not exist; check the --db path, or create it with: "
                      "kiosk-hq store add --db " +
                      path + " --id ID --name NAME");
  if (std::filesystem::is_directory(path, ec))
    return R::failure(path + " is a folder, not a database file; give --db a file name");

  std::unique_ptr<Database> first;
  try {
    first = std::make_unique<Database>(path, hq_open_options(mode == OpenMode::create_if_missing));
  } catch (const DbError& e) {
    return R::failure("cannot open " + path + " (" + e.error().text() +
                      "); check that the folder exists and kiosk-hq may read and write there");
  }
  Database& db = *first;
  auto storage = std::unique_ptr<SqliteHqStorage>(new SqliteHqStorage(path));
  storage->idle_.push_back(std::move(first));

  auto key =
      load_or_create_server_key(secret_path.empty() ? default_secret_path(path) : secret_path);
  if (!key) return R::failure(key.error());
  storage->key_ = std::move(key.value());

  const auto not_ours = [&](const std::string& why) {
    return R::failure(path + " is not a kiosk-hq database (or is damaged): " + why +
                      ". Check the --db path, or restore the file from a backup");
  };
  try {
    configure(db);
    const std::int64_t version = sqlite::schema_version(db);  // fails on a non-SQLite file
    if (version == 0 && sqlite::application_id(db) == 0) {
      Stmt s(db, "SELECT count(*) FROM sqlite_master");
      s.step();
      if (s.integer(0) > 0) return not_ours("it holds tables kiosk-hq did not create");
    }
    if (version < latest_schema_version())
      exec(db, "PRAGMA journal_mode = WAL");  // persistent; cannot run inside a transaction
    std::vector<sqlite::Migration> steps;
    for (std::size_t i = 0; i < kMigrations.size(); ++i)
      steps.push_back({static_cast<int>(i + 1), kMigrations[i]});
    sqlite::migrate(db, sqlite::Schema{kHqApplicationId, steps, "kiosk-hq",
                                       "Upgrade kiosk-hq to use it; the file was left untouched."});
  } catch (const DbError& e) {
    const int code = db.last_error_code() & 0xff;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) return not_ours(e.error().message);
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
      return R::failure("cannot write " + path + " (" + e.error().text() +
                        "); check the file's permissions");
    if (e.sqlite_code() == 0) return R::failure(e.error().text());  // refused by the runner
    return R::failure(storage_failure(path, e.error().text()), e.error().kind);
  }
  return storage;
}

std::unique_ptr<Database> SqliteHqStorage::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return db;
    }
  }
  auto db = std::make_unique<Database>(path_, hq_open_options(false));
  configure(*db);
  return db;
}

void SqliteHqStorage::release(std::unique_ptr<Database> db) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
}

template <typename T, typename F>
Result<T> SqliteHqStorage::with_connection(F&& f) {
  std::unique_ptr<Database> db;
  try {
    changed_stores.clear();
    db = acquire();
    Result<T> out = f(*db);
    release(std::move(db));
    tell_changed(changed_stores);
    return out;
  } catch (const DbError& e) {
    changed_stores.clear();
    if (db) release(std::move(db));  // the Transaction guard already rolled back
    // The wrapper's core::Error (kind local_storage), in an HQ operator's words.
    return Result<T>::failure(storage_failure(path_, e.error().text()), e.error().kind);
  }
}

// [SECTION] stores and enrollment

Result<AddStoreOutcome> SqliteHqStorage::add_store(const Store& store) {
  return with_connection<AddStoreOutcome>([&](Database& db) -> Result<AddStoreOutcome> {
    Transaction tx(db, true);
    Stmt find(db, "SELECT name FROM stores WHERE id = ?", store.id);
    if (find.step())
      return find.text(0) == store.name ? AddStoreOutcome::already_existed
                                        : AddStoreOutcome::name_differs;
    Stmt(db, "INSERT INTO stores (id, name) VALUES (?, ?)", store.id, store.name).run();
    append_newest_packs(db, store.id, 0);
    tx.commit();
    return AddStoreOutcome::created;
  });
}

Result<std::optional<Store>> SqliteHqStorage::find_store(const std::string& store_id) {
  using T = std::optional<Store>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db, "SELECT id, name FROM stores WHERE id = ?", store_id);
    if (!s.step()) return T{};
    return T{Store{s.text(0), s.text(1)}};
  });
}

Result<bool> SqliteHqStorage::add_enrollment_code(const std::string& code_hash,
                                                  const std::string& store_id,
                                                  std::int64_t expires_at_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    if (!store_exists(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    Stmt(db, "INSERT INTO enrollment_codes (code_hash, store_id, expires_at_ms) VALUES (?, ?, ?)",
         code_hash, store_id, expires_at_ms)
        .run();
    tx.commit();
    return true;
  });
}

Result<std::optional<EnrolledTerminal>> SqliteHqStorage::redeem_enrollment_code(
    const std::string& code_hash, const NewTerminal& terminal, std::int64_t now_ms) {
  using T = std::optional<EnrolledTerminal>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    const char* kFindCode =
        "SELECT c.store_id, s.name FROM enrollment_codes c JOIN stores s ON s.id = c.store_id "
        "WHERE c.code_hash = ? AND c.used_at_ms IS NULL AND c.expires_at_ms > ?";
    {
      // A read first, outside any write transaction: a wrong guess never waits for or holds
      // the write lock.
      Stmt guess(db, kFindCode, code_hash, now_ms);
      if (!guess.step()) return T{};
    }
    Transaction tx(db, true);
    Stmt code(db, kFindCode, code_hash, now_ms);  // again under the lock: used meanwhile?
    if (!code.step()) return T{};
    EnrolledTerminal out{terminal.terminal_id, code.text(0), code.text(1)};
    Stmt(db, "UPDATE enrollment_codes SET used_at_ms = ?, terminal_id = ? WHERE code_hash = ?",
         now_ms, terminal.terminal_id, code_hash)
        .run();
    if (!terminal.replaces_token_hash.empty()) {
      Stmt(db,
           "UPDATE terminals SET revoked_at_ms = ?, revoked_reason = ? "
           "WHERE hash_scheme = 'keyed' AND revoked_at_ms IS NULL "
           "AND (token_hash = ? OR previous_token_hash = ?)",
           now_ms, "it re-enrolled as terminal " + terminal.terminal_id,
           terminal.replaces_token_hash, terminal.replaces_token_hash)
          .run();
    }
    Stmt(db,
         "INSERT INTO terminals (id, store_id, name, token_hash, enrolled_at_ms, hash_scheme, "
         "token_expires_at_ms) VALUES (?, ?, ?, ?, ?, 'keyed', ?)",
         terminal.terminal_id, out.store_id, terminal.name, terminal.token_hash, now_ms,
         terminal.token_expires_at_ms)
        .run();
    tx.commit();
    return T{std::move(out)};
  });
}

Result<std::optional<TerminalIdentity>> SqliteHqStorage::find_terminal_by_token_hash(
    const std::string& token_hash) {
  using T = std::optional<TerminalIdentity>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db,
           "SELECT id, store_id FROM terminals WHERE token_hash = ? AND hash_scheme = 'keyed' "
           "AND revoked_at_ms IS NULL",
           token_hash);
    if (!s.step()) return T{};
    return T{TerminalIdentity{s.text(0), s.text(1)}};
  });
}

std::string SqliteHqStorage::hash_secret(std::string_view secret) const {
  return hq::hash_secret(key_, secret);
}

// [SECTION] tokens and terminals

Result<TokenCheck> SqliteHqStorage::check_token(const std::string& token_hash,
                                                const std::string& legacy_hash,
                                                std::int64_t now_ms) {
  return with_connection<TokenCheck>([&](Database& db) -> Result<TokenCheck> {
    TokenCheck out;
    using State = TokenCheck::State;
    Stmt s(db,
           "SELECT id, store_id, token_hash = ?1, token_expires_at_ms, "
           "previous_token_expires_at_ms, previous_token_hash IS NOT NULL, revoked_at_ms, "
           "revoked_reason FROM terminals WHERE hash_scheme = 'keyed' "
           "AND (token_hash = ?1 OR previous_token_hash = ?1)",
           token_hash);
    if (s.step()) {
      out.terminal = {s.text(0), s.text(1)};
      const bool current = s.integer(2) != 0;
      out.expires_at_ms = current ? s.integer(3) : s.integer(4);
      out.has_previous = s.integer(5) != 0;
      if (!s.is_null(6)) {
        out.state = State::revoked;
        out.revoked_at_ms = s.integer(6);
        out.revoked_reason = s.text(7);
      } else if (out.expires_at_ms <= now_ms) {
        out.state = State::expired;
      } else {
        out.state = current ? State::current : State::previous;
      }
      return out;
    }
    Stmt old(db,
             "SELECT id, store_id FROM terminals WHERE hash_scheme = 'unkeyed' AND token_hash = ?",
             legacy_hash);
    if (old.step()) {
      out.state = State::outdated;
      out.terminal = {old.text(0), old.text(1)};
    }
    return out;
  });
}

Result<bool> SqliteHqStorage::rotate_token(const std::string& terminal_id,
                                           const std::string& presented_hash,
                                           const std::string& new_hash,
                                           std::int64_t new_expires_at_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt s(db,
           "SELECT token_hash, token_expires_at_ms, previous_token_hash FROM terminals "
           "WHERE id = ? AND revoked_at_ms IS NULL",
           terminal_id);
    if (!s.step()) return false;
    if (s.text(0) == presented_hash) {
      // The current token becomes the previous one, still valid until its own expiry, in
      // case this answer never reaches the terminal.
      Stmt(db,
           "UPDATE terminals SET previous_token_hash = token_hash, "
           "previous_token_expires_at_ms = token_expires_at_ms, token_hash = ?, "
           "token_expires_at_ms = ? WHERE id = ?",
           new_hash, new_expires_at_ms, terminal_id)
          .run();
    } else if (!s.is_null(2) && s.text(2) == presented_hash) {
      // The terminal never got (or never kept) the last new token: replace that one.
      Stmt(db, "UPDATE terminals SET token_hash = ?, token_expires_at_ms = ? WHERE id = ?",
           new_hash, new_expires_at_ms, terminal_id)
          .run();
    } else {
      return false;
    }
    tx.commit();
    return true;
  });
}

Result<bool> SqliteHqStorage::forget_previous_token(const std::string& terminal_id) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "UPDATE terminals SET previous_token_hash = NULL, previous_token_expires_at_ms = NULL "
         "WHERE id = ?",
         terminal_id)
        .run();
    tx.commit();
    return true;
  });
}

Result<std::vector<TerminalRecord>> SqliteHqStorage::list_terminals(
    const std::optional<std::string>& store_id) {
  using T = std::vector<TerminalRecord>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    const std::string select =
        "SELECT id, store_id, name, enrolled_at_ms, token_expires_at_ms, revoked_at_ms, "
        "revoked_reason FROM terminals";
    const char* order = " ORDER BY store_id, enrolled_at_ms, id";
    const auto read = [&](Stmt& s) {
      while (s.step()) {
        TerminalRecord r{s.text(0),    s.text(1), s.text(2), s.integer(3),
                         s.integer(4), {},        s.text(6)};
        if (!s.is_null(5)) r.revoked_at_ms = s.integer(5);
        out.push_back(std::move(r));
      }
    };
    if (store_id) {
      Stmt s(db, (select + " WHERE store_id = ?" + order).c_str(), *store_id);
      read(s);
    } else {
      Stmt s(db, (select + order).c_str());
      read(s);
    }
    return out;
  });
}

Result<std::optional<RevokeOutcome>> SqliteHqStorage::revoke_terminal(
    const std::string& terminal_id, const std::string& reason, std::int64_t now_ms) {
  using T = std::optional<RevokeOutcome>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    Stmt s(db, "SELECT revoked_at_ms FROM terminals WHERE id = ?", terminal_id);
    if (!s.step()) return T{};
    if (!s.is_null(0)) return T{RevokeOutcome::already_revoked};
    Stmt(db, "UPDATE terminals SET revoked_at_ms = ?, revoked_reason = ? WHERE id = ?", now_ms,
         reason, terminal_id)
        .run();
    tx.commit();
    return T{RevokeOutcome::revoked};
  });
}

// [SECTION] sync

Result<protocol::SyncResponse> SqliteHqStorage::sync_stored(const TerminalIdentity& terminal,
                                                            const protocol::SyncRequest& request,
                                                            std::int64_t now_ms) {
  using protocol::SyncResponse;
  return with_connection<SyncResponse>([&](Database& db) -> Result<SyncResponse> {
    SyncResponse out;
    // A poll without events only reads, so idle terminals never queue for the write lock.
    Transaction tx(db, /*write=*/!request.events.empty());

    // Events up: each id at most once, ever.
    for (const auto& event : request.events) {
      {
        Stmt seen(db, "SELECT store_id FROM events WHERE id = ?", event.id);
        if (seen.step()) {
          if (seen.text(0) == terminal.store_id) {
            out.acked.push_back(event.id);  // a retry: harmless, nothing changes
          } else {
            out.rejected.push_back({event.id,
                                    "this event id was already used by a terminal of another "
                                    "store; the terminal must make a new id"});
          }
          continue;
        }
      }
      const auto mention_known = [&](const std::string& mention_id) {
        return Stmt(db, "SELECT 1 FROM mentions WHERE store_id = ? AND id = ?", terminal.store_id,
                    mention_id)
            .step();
      };
      const auto record = [&] {
        Stmt(db,
             "INSERT INTO events (id, terminal_id, store_id, kind, hlc, received_at_ms, body) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
             event.id, terminal.terminal_id, terminal.store_id, event.kind, event.hlc, now_ms,
             event.body)
            .run();
        out.acked.push_back(event.id);
      };
      // Kinds other than escalations: their contract was checked by the API; read and keep.
      if (event.kind == "training.answered") {
        const auto v = protocol::read_training_answered(event.body);
        if (!v) throw DbError(0, "a training.answered event passed its contract but did not read");
        record();
        Stmt(db,
             "INSERT INTO training_results (event_id, store_id, terminal_id, staff_id, "
             "lesson_id, lesson_version, correct, sure, answered_at_ms) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             event.id, terminal.store_id, terminal.terminal_id, v->staff_id, v->lesson_id,
             std::int64_t{v->lesson_version}, std::int64_t{v->correct}, std::int64_t{v->sure},
             v->answered_at_ms)
            .run();
        continue;
      }
      if (event.kind == "praise.shared") {
        const auto v = protocol::read_praise_shared(event.body);
        if (!v) throw DbError(0, "a praise.shared event passed its contract but did not read");
        if (!mention_known(v->mention_id)) {
          out.rejected.push_back({event.id, "Head office has no mention \"" + v->mention_id +
                                                "\" at this store to share."});
          continue;
        }
        record();
        Stmt(db,
             "INSERT INTO shared_praise (event_id, store_id, terminal_id, mention_id, note, "
             "staff_id, shared_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
             event.id, terminal.store_id, terminal.terminal_id, v->mention_id, v->note, v->staff_id,
             v->shared_at_ms)
            .run();
        continue;
      }
      if (event.kind == "staff.lockout") {
        const auto v = protocol::read_staff_lockout(event.body);
        if (!v) throw DbError(0, "a staff.lockout event passed its contract but did not read");
        record();
        Stmt(db,
             "INSERT INTO staff_lockouts (event_id, store_id, terminal_id, staff_id, "
             "failed_attempts, lockout_number, locked_for_ms, locked_at_ms) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             event.id, terminal.store_id, terminal.terminal_id, v->staff_id,
             std::int64_t{v->failed_attempts}, std::int64_t{v->lockout_number}, v->locked_for_ms,
             v->locked_at_ms)
            .run();
        continue;
      }
      if (event.kind == "reply.suggested") {
        const auto v = protocol::read_reply_suggested(event.body);
        if (!v) throw DbError(0, "a reply.suggested event passed its contract but did not read");
        if (!mention_known(v->mention_id)) {
          out.rejected.push_back({event.id, "Head office has no mention \"" + v->mention_id +
                                                "\" at this store to reply to."});
          continue;
        }
        if (Stmt(db, "SELECT 1 FROM reply_suggestions WHERE id = ?", v->suggestion_id).step()) {
          out.rejected.push_back({event.id, "the suggestion id " + v->suggestion_id +
                                                " was already used; the terminal must make a new "
                                                "one"});
          continue;
        }
        record();
        Stmt(db,
             "INSERT INTO reply_suggestions (id, event_id, store_id, terminal_id, mention_id, "
             "staff_id, text, suggested_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             v->suggestion_id, event.id, terminal.store_id, terminal.terminal_id, v->mention_id,
             v->staff_id, v->text, v->suggested_at_ms)
            .run();
        continue;
      }
      if (core::action_kind_of_event(event.kind)) {
        auto v = protocol::read_escalation_acted(event.kind, event.body);
        if (!v) throw DbError(0, "an escalation action passed its contract but did not read");
        std::optional<StoredEscalation> target = load_escalation(db, v->escalation_id);
        if (!target || target->store_id != terminal.store_id) {
          out.rejected.push_back({event.id, "Head office has no escalation " + v->escalation_id +
                                                " at this store to " +
                                                std::string(core::to_string(v->action.kind)) +
                                                "."});
          continue;
        }
        record();
        v->action.id = event.id;
        v->action.hlc = event.hlc;
        v->action.terminal_id = terminal.terminal_id;
        apply_action_in_tx(db, *target, v->action, now_ms);
        continue;
      }
      std::optional<StoredEscalation> existing = load_escalation(db, event.escalation.id);
      if (existing && existing->store_id != terminal.store_id) {
        out.rejected.push_back(
            {event.id, "escalation " + event.escalation.id +
                           " belongs to another store; head office will not move it"});
        continue;
      }
      if (!existing && !event.escalation.mention_id.empty() &&
          !mention_known(event.escalation.mention_id)) {
        out.rejected.push_back({event.id, "Head office has no mention \"" +
                                              event.escalation.mention_id +
                                              "\" at this store to file the escalation against."});
        continue;
      }
      if (!existing) {
        StoredEscalation e{
            terminal.store_id, terminal.terminal_id, event.escalation, now_ms, {}, 0, 0};
        e.escalation.delivered_at_ms.reset();  // not stored; the terminal keeps its own
        const core::Escalation& x = e.escalation;
        Stmt(db,
             "INSERT INTO escalations (id, store_id, mention_id, severity, note, status, "
             "created_at_ms, status_changed_at_ms, acknowledged_by, origin_terminal_id, "
             "received_at_ms, category, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             x.id, e.store_id, x.mention_id, core::to_string(x.severity), x.note,
             core::to_string(x.status), x.created_at_ms, x.status_changed_at_ms, x.acknowledged_by,
             e.origin_terminal_id, now_ms,
             x.category ? std::string(core::to_string(*x.category)) : std::string(), x.staff_id)
            .run();
        append_escalation_change(db, e, now_ms);
      }
      // Otherwise the same escalation came again under a new event id. A terminal only ever
      // creates escalations as open (the contract says so), and only head office moves them
      // on, so there is nothing to merge: the event is recorded and acknowledged.
      record();
    }

    // Changes down: this store only, after the terminal's cursor, in order.
    // The page: as large as the terminal asked, within head office's caps (page_limit).
    const protocol::PageLimit page = protocol::page_limit(request);
    const auto limit = static_cast<std::int64_t>(page.changes);
    Stmt changes(db,
                 "SELECT seq, kind, payload FROM changes WHERE store_id = ? AND seq > ? "
                 "ORDER BY seq LIMIT ?",
                 terminal.store_id, request.cursor, limit + 1);
    out.cursor = request.cursor;
    // Bounded by bytes as well as count, so no page outgrows what a terminal reads; the first
    // change always goes, however large, so the cursor moves.
    std::size_t page_bytes = 0;
    while (changes.step()) {
      std::string payload = changes.text(2);
      const std::size_t change_bytes = payload.size() + 64;
      if (static_cast<std::int64_t>(out.changes.size()) == limit ||
          (!out.changes.empty() && page_bytes + change_bytes > page.bytes)) {
        out.more = true;
        break;
      }
      page_bytes += change_bytes;
      out.changes.push_back(stored_change(changes.integer(0), changes.text(1), std::move(payload)));
      out.cursor = out.changes.back().seq;
    }
    tx.commit();
    out.server_time_ms = now_ms;
    return out;
  });
}

// [SECTION] head office operations

Result<MentionUpsertCounts> SqliteHqStorage::upsert_mentions(
    const std::string& store_id, const std::vector<core::Mention>& mentions, std::int64_t now_ms) {
  return with_connection<MentionUpsertCounts>([&](Database& db) -> Result<MentionUpsertCounts> {
    MentionUpsertCounts counts;
    Transaction tx(db, true);
    if (!store_exists(db, store_id))
      return Result<MentionUpsertCounts>::failure(unknown_store(store_id));
    for (core::Mention m : mentions) {
      m.store_id = store_id;
      const std::string payload = mention_payload(m);
      bool existed = false;
      {
        Stmt old(db,
                 "SELECT source, author, text, url, created_at_ms, payload FROM mentions "
                 "WHERE store_id = ? AND id = ?",
                 store_id, m.id);
        if (old.step()) {
          existed = true;
          // Rows from before payloads were kept compare by the fields they had.
          const std::string was = !old.text(5).empty()
                                      ? old.text(5)
                                      : mention_payload({m.id, store_id, old.text(0), old.text(1),
                                                         old.text(2), old.text(3), old.integer(4)});
          if (was == payload) {
            ++counts.unchanged;
            continue;
          }
        }
      }
      const core::TriageColumns t = core::to_columns(triage_for(m));
      Stmt(
          db,
          "INSERT INTO mentions (store_id, id, source, author, text, url, created_at_ms, "
          "payload, rating, sentiment, urgency, category, priority, reasons, triage_version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, id) DO "
          "UPDATE SET "
          "source = excluded.source, author = excluded.author, text = excluded.text, "
          "url = excluded.url, created_at_ms = excluded.created_at_ms, "
          "payload = excluded.payload, rating = excluded.rating, "
          "sentiment = excluded.sentiment, urgency = excluded.urgency, "
          "category = excluded.category, priority = excluded.priority, reasons = excluded.reasons, "
          "triage_version = excluded.triage_version",
          store_id, m.id, m.source, m.author, m.text, m.url, m.created_at_ms, payload,
          m.rating ? std::optional<std::string>(std::to_string(*m.rating)) : std::nullopt,
          t.sentiment, t.urgency, t.category, t.priority, t.reasons,
          static_cast<std::int64_t>(core::kTriageVersion))
          .run();
      append_change(db, store_id, "mention", m.id, mention_payload(m), now_ms);
      ++(existed ? counts.changed : counts.added);
    }
    tx.commit();
    return counts;
  });
}

Result<std::vector<StoredMention>> SqliteHqStorage::list_mentions(const std::string& store_id,
                                                                  std::int64_t limit) {
  using T = std::vector<StoredMention>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Stmt st(db,
            "SELECT id, source, author, text, url, created_at_ms, payload, sentiment, urgency, "
            "category, priority, reasons FROM mentions WHERE store_id = ? "
            "ORDER BY priority DESC, created_at_ms DESC, rowid LIMIT ?",
            store_id, limit);
    while (st.step()) {
      StoredMention m;
      auto decoded = mention_from_payload(st.text(6));
      m.mention = decoded ? decoded.value()
                          : core::Mention{st.text(0), store_id,   st.text(1),   st.text(2),
                                          st.text(3), st.text(4), st.integer(5)};
      m.triage = core::from_columns(
          {st.integer(7), st.integer(8), st.text(9), st.integer(10), st.text(11)});
      out.push_back(std::move(m));
    }
    return out;
  });
}

Result<RetriageBatch> SqliteHqStorage::retriage_mentions(const std::optional<std::string>& store_id,
                                                         std::int64_t limit, std::int64_t now_ms) {
  return with_connection<RetriageBatch>([&](Database& db) -> Result<RetriageBatch> {
    RetriageBatch batch;
    Transaction tx(db, true);
    struct Row {
      std::string store_id;
      core::Mention mention;
      core::TriageColumns was;
    };
    std::vector<Row> rows;
    {
      // Read off mentions_triage_version with no ORDER BY: each batch seeks straight to what is
      // left instead of walking past the mentions earlier batches did (20,000 in a few seconds).
      const std::string sql =
          std::string(
              "SELECT store_id, id, source, author, text, url, created_at_ms, payload, "
              "sentiment, urgency, category, priority, reasons FROM mentions "
              "WHERE triage_version < ? ") +
          (store_id ? "AND store_id = ? " : "") + "LIMIT ?";
      const auto version = static_cast<std::int64_t>(core::kTriageVersion);
      Stmt st = store_id ? Stmt(db, sql, version, *store_id, limit) : Stmt(db, sql, version, limit);
      while (st.step()) {
        Row r;
        r.store_id = st.text(0);
        auto decoded = mention_from_payload(st.text(7));
        r.mention = decoded ? decoded.value()
                            : core::Mention{st.text(1), r.store_id, st.text(2),   st.text(3),
                                            st.text(4), st.text(5), st.integer(6)};
        r.was = {st.integer(8), st.integer(9), st.text(10), st.integer(11), st.text(12)};
        rows.push_back(std::move(r));
      }
    }
    for (Row& r : rows) {
      const core::TriageColumns t = core::to_columns(triage_for(r.mention));
      Stmt(db,
           "UPDATE mentions SET sentiment = ?, urgency = ?, category = ?, priority = ?, "
           "reasons = ?, triage_version = ? WHERE store_id = ? AND id = ?",
           t.sentiment, t.urgency, t.category, t.priority, t.reasons,
           static_cast<std::int64_t>(core::kTriageVersion), r.store_id, r.mention.id)
          .run();
      ++batch.examined;
      if (t == r.was) continue;
      r.mention.store_id = r.store_id;
      append_change(db, r.store_id, "mention", r.mention.id, mention_payload(r.mention), now_ms);
      ++batch.changed;
    }
    tx.commit();
    return batch;
  });
}

Result<std::vector<StoredEscalation>> SqliteHqStorage::list_escalations(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredEscalation>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    const std::string select = std::string("SELECT ") + kEscalationColumns + " FROM escalations";
    const char* order = " ORDER BY created_at_ms DESC, id";
    if (store_id) {
      Stmt s(db, (select + " WHERE store_id = ?" + order).c_str(), *store_id);
      while (s.step()) out.push_back(escalation_from_row(s));
    } else {
      Stmt s(db, (select + order).c_str());
      while (s.step()) out.push_back(escalation_from_row(s));
    }
    for (auto& e : out) load_notes(db, e);
    return out;
  });
}

Result<std::optional<StatusRaise>> SqliteHqStorage::raise_escalation_status(
    const std::string& escalation_id, core::EscalationStatus status, const std::string& by,
    std::int64_t now_ms) {
  using T = std::optional<StatusRaise>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id);
    if (!e) return T{};
    const auto merged = core::merge_status(e->escalation.status, status);
    if (merged == e->escalation.status) return T{StatusRaise{std::move(*e), false}};
    e->escalation.status = merged;
    e->escalation.status_changed_at_ms = now_ms;
    if (e->escalation.acknowledged_by.empty()) e->escalation.acknowledged_by = by;
    Stmt(db,
         "UPDATE escalations SET status = ?, status_changed_at_ms = ?, acknowledged_by = ?, "
         "acknowledged_at_ms = coalesce(acknowledged_at_ms, ?) WHERE id = ?",
         core::to_string(merged), now_ms, e->escalation.acknowledged_by, now_ms, escalation_id)
        .run();
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{StatusRaise{std::move(*e), true}};
  });
}

Result<std::optional<StoredEscalation>> SqliteHqStorage::add_escalation_note(
    const std::string& escalation_id, const std::string& by, const std::string& text,
    std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id);
    if (!e) return T{};
    if (e->escalation.hq_notes.size() >= kMaxHqNotes)
      return Result<T>::failure("escalation " + escalation_id + " already has " +
                                std::to_string(kMaxHqNotes) +
                                " notes from head office; nothing was added");
    Stmt(db,
         "INSERT INTO escalation_notes (escalation_id, author, text, at_ms) VALUES (?, ?, ?, ?)",
         escalation_id, by, text, now_ms)
        .run();
    e->escalation.hq_notes.push_back({by, text, now_ms});
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

Result<std::optional<StoredEscalation>> SqliteHqStorage::reassign_escalation(
    const std::string& escalation_id, const std::string& holder, const std::string& by,
    std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id);
    if (!e) return T{};
    const std::string note = "Reassigned to " + holder;
    Stmt(db, "UPDATE escalations SET ladder_holder = ? WHERE id = ?", holder, escalation_id).run();
    Stmt(db,
         "INSERT INTO escalation_notes (escalation_id, author, text, at_ms) VALUES (?, ?, ?, ?)",
         escalation_id, by, note, now_ms)
        .run();
    e->escalation.ladder_holder = holder;
    if (e->escalation.ladder_level < 0) e->escalation.ladder_level = 0;
    e->escalation.hq_notes.push_back({by, note, now_ms});
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

Result<std::optional<StoredEscalation>> SqliteHqStorage::find_escalation(
    const std::string& escalation_id) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>(
      [&](Database& db) -> Result<T> { return load_escalation(db, escalation_id); });
}

Result<std::optional<StoredEscalation>> SqliteHqStorage::apply_escalation_action(
    const std::string& escalation_id, const core::EscalationAction& action, std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id);
    if (!e) return T{};
    apply_action_in_tx(db, *e, action, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

// [SECTION] the ladder

Result<bool> SqliteHqStorage::set_store_policy(const std::string& store_id, const std::string& text,
                                               std::int64_t now_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    if (!store_exists(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    Stmt(db,
         "INSERT INTO escalation_policies (store_id, text, set_at_ms) VALUES (?, ?, ?) "
         "ON CONFLICT (store_id) DO UPDATE SET text = excluded.text, set_at_ms = "
         "excluded.set_at_ms",
         store_id, text, now_ms)
        .run();
    // Down the changefeed too, so the store's terminals show response targets (an older
    // terminal skips the kind).
    append_change(db, store_id, "policy", store_id,
                  protocol::encode_entity(protocol::StorePolicyChange{text, now_ms}), now_ms);
    tx.commit();
    return true;
  });
}

Result<std::optional<std::string>> SqliteHqStorage::store_policy(const std::string& store_id) {
  using T = std::optional<std::string>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db, "SELECT text FROM escalation_policies WHERE store_id = ?", store_id);
    if (!s.step()) return T{};
    return T{s.text(0)};
  });
}

Result<std::vector<LadderCandidate>> SqliteHqStorage::ladder_candidates() {
  using T = std::vector<LadderCandidate>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    std::string columns = kEscalationColumns;
    std::string sql = "SELECT ";
    // The same columns, of the escalation, then the policy text.
    std::size_t from = 0;
    while (from < columns.size()) {
      const std::size_t comma = std::min(columns.find(',', from), columns.size());
      std::string name = columns.substr(from, comma - from);
      name.erase(0, name.find_first_not_of(' '));
      sql += "e." + name + ", ";
      from = comma + 1;
    }
    sql +=
        "p.text FROM escalations e JOIN escalation_policies p ON p.store_id = e.store_id "
        "WHERE e.status != 'resolved' ORDER BY e.received_at_ms, e.id";
    Stmt s(db, sql.c_str());
    while (s.step()) {
      LadderCandidate c;
      c.stored = escalation_from_row(s);
      c.state.status = c.stored.escalation.status;
      c.state.raised_at_ms = c.stored.received_at_ms;
      c.state.acknowledged_at_ms = c.stored.acknowledged_at_ms;
      c.state.phase = c.stored.ladder_phase;
      c.state.step = c.stored.ladder_step;
      c.policy_text = s.text(escalation_column_count());  // after the escalation's columns
      out.push_back(std::move(c));
    }
    return out;
  });
}

Result<bool> SqliteHqStorage::advance_ladder(const LadderAdvance& a, std::int64_t now_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    std::optional<StoredEscalation> e = load_escalation(db, a.escalation_id);
    if (!e) return false;
    Stmt(db,
         "UPDATE escalations SET ladder_phase = ?, ladder_step = ?, ladder_level = ?, "
         "ladder_holder = ?, respond_by_ms = ?, next_climb_at_ms = ? "
         "WHERE id = ? AND status = ? AND ladder_phase = ? AND ladder_step = ?",
         std::int64_t{a.next.phase}, std::int64_t{a.next.step}, std::int64_t{a.level}, a.holder,
         a.respond_by_ms, a.next_climb_at_ms, a.escalation_id, core::to_string(a.expected.status),
         std::int64_t{a.expected.phase}, std::int64_t{a.expected.step})
        .run();
    if (db.changes() != 1) return false;  // another evaluator got there first
    for (const auto& act : a.actions) {
      Stmt(db,
           "INSERT OR IGNORE INTO outgoing_notifications (escalation_id, store_id, severity, "
           "recipient, level, phase, step, kind, reason, created_at_ms, next_attempt_at_ms) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           a.escalation_id, e->store_id, core::to_string(e->escalation.severity), act.who,
           std::int64_t{act.level}, std::int64_t{act.phase}, std::int64_t{act.step},
           act.kind == core::LadderAction::Kind::reclimb ? "reclimb" : "notify", act.why, now_ms,
           now_ms)
          .run();
    }
    if (apply_ladder_advance_to_stored(*e, a)) append_escalation_change(db, *e, now_ms);
    tx.commit();
    return true;
  });
}

namespace {
constexpr const char* kNotificationColumns =
    "id, escalation_id, store_id, severity, recipient, level, phase, step, kind, reason, "
    "created_at_ms, state, attempts, last_error, next_attempt_at_ms, sent_at_ms, sender";

OutgoingNotification notification_from_row(const Stmt& s) {
  OutgoingNotification n;
  n.id = s.integer(0);
  n.escalation_id = s.text(1);
  n.store_id = s.text(2);
  n.severity = core::parse_severity(s.text(3)).value_or(core::Severity::medium);
  n.recipient = s.text(4);
  n.level = static_cast<int>(s.integer(5));
  n.phase = static_cast<int>(s.integer(6));
  n.step = static_cast<int>(s.integer(7));
  n.kind = s.text(8);
  n.reason = s.text(9);
  n.created_at_ms = s.integer(10);
  n.state = s.text(11);
  n.attempts = static_cast<int>(s.integer(12));
  n.last_error = s.text(13);
  n.next_attempt_at_ms = s.integer(14);
  n.sent_at_ms = s.integer(15);
  n.sender = s.text(16);
  return n;
}
}  // namespace

Result<std::vector<OutgoingNotification>> SqliteHqStorage::claim_due_notifications(
    std::int64_t now_ms, std::int64_t lease_ms, int limit) {
  using T = std::vector<OutgoingNotification>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Transaction tx(db, true);
    {
      Stmt s(db,
             (std::string("SELECT ") + kNotificationColumns +
              " FROM outgoing_notifications WHERE state = 'pending' AND next_attempt_at_ms <= ? "
              "AND claimed_until_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?")
                 .c_str(),
             now_ms, now_ms, std::int64_t{limit});
      while (s.step()) out.push_back(notification_from_row(s));
    }
    for (const auto& n : out)
      Stmt(db, "UPDATE outgoing_notifications SET claimed_until_ms = ? WHERE id = ?",
           now_ms + lease_ms, n.id)
          .run();
    tx.commit();
    return out;
  });
}

Result<bool> SqliteHqStorage::finish_notification(std::int64_t id, const std::string& state,
                                                  const std::string& error,
                                                  const std::string& sender,
                                                  std::int64_t next_attempt_at_ms,
                                                  std::int64_t now_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "UPDATE outgoing_notifications SET state = ?, last_error = ?, sender = ?, "
         "attempts = attempts + 1, next_attempt_at_ms = ?, claimed_until_ms = 0, "
         "sent_at_ms = CASE WHEN ? = 'sent' THEN ? ELSE sent_at_ms END WHERE id = ?",
         state, error, sender, next_attempt_at_ms, state, now_ms, id)
        .run();
    tx.commit();
    return db.changes() == 1;
  });
}

Result<std::vector<OutgoingNotification>> SqliteHqStorage::list_notifications(
    const std::optional<std::string>& escalation_id) {
  using T = std::vector<OutgoingNotification>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    const std::string select =
        std::string("SELECT ") + kNotificationColumns + " FROM outgoing_notifications";
    if (escalation_id) {
      Stmt s(db, (select + " WHERE escalation_id = ? ORDER BY id").c_str(), *escalation_id);
      while (s.step()) out.push_back(notification_from_row(s));
    } else {
      Stmt s(db, (select + " ORDER BY id").c_str());
      while (s.step()) out.push_back(notification_from_row(s));
    }
    return out;
  });
}

Result<std::int64_t> SqliteHqStorage::count_events() {
  return with_connection<std::int64_t>([&](Database& db) -> Result<std::int64_t> {
    Stmt s(db, "SELECT count(*) FROM events");
    s.step();
    return s.integer(0);
  });
}

Result<std::vector<StoredTrainingAnswer>> SqliteHqStorage::training_answers(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredTrainingAnswer>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Stmt s(db,
           "SELECT store_id, terminal_id, staff_id, lesson_id, lesson_version, correct, sure, "
           "answered_at_ms FROM training_results WHERE ?1 IS NULL OR store_id = ?1 "
           "ORDER BY answered_at_ms, event_id",
           store_id);
    while (s.step())
      out.push_back(
          {s.text(0), s.text(1),
           protocol::TrainingAnswered{s.text(2), s.text(3), static_cast<int>(s.integer(4)),
                                      s.integer(5) != 0, s.integer(6) != 0, s.integer(7)}});
    return out;
  });
}

Result<std::vector<StoredPraise>> SqliteHqStorage::shared_praise(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredPraise>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Stmt s(db,
           "SELECT store_id, terminal_id, mention_id, note, staff_id, shared_at_ms "
           "FROM shared_praise WHERE ?1 IS NULL OR store_id = ?1 ORDER BY shared_at_ms, event_id",
           store_id);
    while (s.step())
      out.push_back({s.text(0), s.text(1),
                     protocol::PraiseShared{s.text(2), s.text(3), s.text(4), s.integer(5)}});
    return out;
  });
}

// [SECTION] training packs and replies

Result<PublishedPack> SqliteHqStorage::publish_training_pack(
    const protocol::TrainingPackChange& pack, int lessons, std::int64_t now_ms) {
  return with_connection<PublishedPack>([&](Database& db) -> Result<PublishedPack> {
    Transaction tx(db, true);
    PublishedPack out{pack.pack, 1, now_ms, lessons, 0};
    {
      Stmt v(db, "SELECT coalesce(max(version), 0) + 1 FROM training_packs WHERE pack = ?",
             pack.pack);
      v.step();
      out.version = v.integer(0);
    }
    protocol::TrainingPackChange stored = pack;
    stored.version = out.version;
    stored.published_at_ms = now_ms;
    const std::string payload = protocol::body_of(stored);
    Stmt(db,
         "INSERT INTO training_packs (pack, version, published_at_ms, lessons, payload) "
         "VALUES (?, ?, ?, ?, ?)",
         pack.pack, out.version, now_ms, std::int64_t{lessons}, payload)
        .run();
    Stmt stores(db, "SELECT id FROM stores ORDER BY id");
    while (stores.step()) {
      append_change(db, stores.text(0), "training_pack", pack.pack, payload, now_ms);
      ++out.stores;
    }
    tx.commit();
    return out;
  });
}

Result<std::vector<PublishedPack>> SqliteHqStorage::training_packs() {
  using T = std::vector<PublishedPack>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Stmt s(db,
           "SELECT p.pack, p.version, p.published_at_ms, p.lessons FROM training_packs p "
           "WHERE p.version = (SELECT max(version) FROM training_packs WHERE pack = p.pack) "
           "ORDER BY p.pack");
    while (s.step())
      out.push_back({s.text(0), s.integer(1), s.integer(2), static_cast<int>(s.integer(3)), 0});
    return out;
  });
}

Result<std::vector<StoredReplySuggestion>> SqliteHqStorage::reply_suggestions(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredReplySuggestion>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    Stmt s(db,
           (std::string("SELECT ") + kReplyColumns +
            " FROM reply_suggestions WHERE ?1 IS NULL OR store_id = ?1 "
            "ORDER BY suggested_at_ms, id")
               .c_str(),
           store_id);
    while (s.step()) out.push_back(reply_from_row(s));
    return out;
  });
}

Result<std::optional<StoredReplySuggestion>> SqliteHqStorage::decide_reply(
    const std::string& suggestion_id, const std::string& outcome, const std::string& text,
    const std::string& comment, const std::string& by, std::int64_t now_ms) {
  using T = std::optional<StoredReplySuggestion>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    std::optional<StoredReplySuggestion> r;
    {
      Stmt s(
          db,
          (std::string("SELECT ") + kReplyColumns + " FROM reply_suggestions WHERE id = ?").c_str(),
          suggestion_id);
      if (!s.step()) return T{};
      r = reply_from_row(s);
    }
    if (r->outcome != "pending")
      return Result<T>::failure("suggestion " + suggestion_id + " was already " + r->outcome +
                                " by " + r->decided_by + "; nothing was changed");
    r->outcome = outcome;
    r->final_text = outcome == "rejected" ? std::string() : text;
    r->comment = comment;
    r->decided_by = by;
    r->decided_at_ms = now_ms;
    Stmt(db,
         "UPDATE reply_suggestions SET outcome = ?, final_text = ?, comment = ?, decided_by = ?, "
         "decided_at_ms = ? WHERE id = ?",
         r->outcome, r->final_text, r->comment, r->decided_by, now_ms, suggestion_id)
        .run();
    append_change(db, r->store_id, "reply_outcome", suggestion_id,
                  protocol::body_of(protocol::ReplyOutcome{suggestion_id, r->suggestion.mention_id,
                                                           r->outcome, r->final_text, r->comment,
                                                           r->decided_by, now_ms}),
                  now_ms);
    tx.commit();
    return T{std::move(*r)};
  });
}

Result<std::int64_t> SqliteHqStorage::latest_seq(const std::string& store_id) {
  return with_connection<std::int64_t>([&](Database& db) -> Result<std::int64_t> {
    // changes_by_store(store_id, seq): one index seek.
    Stmt s(db, "SELECT coalesce(max(seq), 0) FROM changes WHERE store_id = ?", store_id);
    s.step();
    return s.integer(0);
  });
}

// [SECTION] sources, matching, the unmatched queue
namespace {
constexpr const char* kSourceColumns =
    "name, cursor, last_success_ms, last_error_ms, last_error, items_seen, items_skipped, "
    "next_poll_ms, failures, quota_day, quota_used, lease_holder, lease_until_ms";

SourceState source_from_row(const Stmt& s) {
  SourceState out;
  out.name = s.text(0);
  out.cursor = s.text(1);
  out.last_success_ms = s.integer(2);
  out.last_error_ms = s.integer(3);
  out.last_error = s.text(4);
  out.items_seen = s.integer(5);
  out.items_skipped = s.integer(6);
  out.next_poll_ms = s.integer(7);
  out.failures = static_cast<int>(s.integer(8));
  out.quota_day = s.text(9);
  out.quota_used = s.integer(10);
  out.lease_holder = s.text(11);
  out.lease_until_ms = s.integer(12);
  return out;
}
}  // namespace

Result<bool> SqliteHqStorage::take_source_lease(const std::string& name, const std::string& holder,
                                                std::int64_t now_ms, std::int64_t until_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "INSERT INTO source_state (name, lease_holder, lease_until_ms) VALUES (?, ?, ?) "
         "ON CONFLICT (name) DO UPDATE SET lease_holder = excluded.lease_holder, "
         "lease_until_ms = excluded.lease_until_ms "
         "WHERE source_state.lease_holder = excluded.lease_holder "
         "OR source_state.lease_holder = '' OR source_state.lease_until_ms <= ?",
         name, holder, until_ms, now_ms)
        .run();
    const bool taken = db.changes() == 1;
    tx.commit();
    return taken;
  });
}

Result<bool> SqliteHqStorage::save_source_state(const SourceState& st, const std::string& holder,
                                                bool release) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "UPDATE source_state SET cursor = ?, last_success_ms = ?, last_error_ms = ?, "
         "last_error = ?, items_seen = ?, items_skipped = ?, next_poll_ms = ?, failures = ?, "
         "quota_day = ?, quota_used = ?, "
         "lease_holder = CASE WHEN ? = 1 THEN '' ELSE lease_holder END, "
         "lease_until_ms = CASE WHEN ? = 1 THEN 0 ELSE lease_until_ms END "
         "WHERE name = ? AND lease_holder = ?",
         st.cursor, st.last_success_ms, st.last_error_ms, st.last_error, st.items_seen,
         st.items_skipped, st.next_poll_ms, st.failures, st.quota_day, st.quota_used,
         release ? 1 : 0, release ? 1 : 0, st.name, holder)
        .run();
    const bool saved = db.changes() == 1;
    tx.commit();
    return saved;
  });
}

Result<std::optional<SourceState>> SqliteHqStorage::source_state(const std::string& name) {
  using T = std::optional<SourceState>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db,
           (std::string("SELECT ") + kSourceColumns + " FROM source_state WHERE name = ?").c_str(),
           name);
    if (!s.step()) return T{};
    return T{source_from_row(s)};
  });
}

Result<std::vector<SourceState>> SqliteHqStorage::source_states() {
  using T = std::vector<SourceState>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db,
           (std::string("SELECT ") + kSourceColumns + " FROM source_state ORDER BY name").c_str());
    T out;
    while (s.step()) out.push_back(source_from_row(s));
    return out;
  });
}

Result<bool> SqliteHqStorage::set_store_profile(const std::string& store_id,
                                                const std::string& json, std::int64_t now_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    if (!store_exists(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    Stmt(db,
         "INSERT INTO store_profiles (store_id, profile, updated_at_ms) VALUES (?, ?, ?) "
         "ON CONFLICT (store_id) DO UPDATE SET profile = excluded.profile, "
         "updated_at_ms = excluded.updated_at_ms",
         store_id, json, now_ms)
        .run();
    tx.commit();
    return true;
  });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteHqStorage::store_profiles() {
  using T = std::vector<std::pair<std::string, std::string>>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db, "SELECT store_id, profile FROM store_profiles ORDER BY store_id");
    T out;
    while (s.step()) out.emplace_back(s.text(0), s.text(1));
    return out;
  });
}

Result<std::optional<PostKey>> SqliteHqStorage::find_post_key(const std::string& key) {
  using T = std::optional<PostKey>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db, "SELECT mention_id, store_id FROM post_keys WHERE key = ?", key);
    if (!s.step()) return T{};
    return T{PostKey{s.text(0), s.text(1)}};
  });
}

Result<bool> SqliteHqStorage::put_post_key(const std::string& key, const PostKey& value,
                                           std::int64_t now_ms) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "INSERT INTO post_keys (key, mention_id, store_id, seen_at_ms) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (key) DO NOTHING",
         key, value.mention_id, value.store_id, now_ms)
        .run();
    const bool added = db.changes() == 1;
    tx.commit();
    return added;
  });
}

Result<bool> SqliteHqStorage::set_post_store(const std::string& mention_id,
                                             const std::string& store_id) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db, "UPDATE post_keys SET store_id = ? WHERE mention_id = ?", store_id, mention_id).run();
    const bool changed = db.changes() > 0;
    tx.commit();
    return changed;
  });
}

Result<bool> SqliteHqStorage::add_unmatched_mention(const UnmatchedMention& m) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    Stmt(db,
         "INSERT INTO unmatched_mentions (mention_id, mention, reason, candidates, "
         "received_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mention_id) DO NOTHING",
         m.mention_id, m.mention_json, m.reason, m.candidates, m.received_at_ms)
        .run();
    const bool added = db.changes() == 1;
    tx.commit();
    return added;
  });
}

Result<std::vector<UnmatchedMention>> SqliteHqStorage::unmatched_mentions() {
  using T = std::vector<UnmatchedMention>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Stmt s(db,
           "SELECT mention_id, mention, reason, candidates, received_at_ms "
           "FROM unmatched_mentions ORDER BY received_at_ms, mention_id");
    T out;
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)});
    return out;
  });
}

Result<std::optional<UnmatchedMention>> SqliteHqStorage::take_unmatched_mention(
    const std::string& mention_id) {
  using T = std::optional<UnmatchedMention>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    T out;
    {
      Stmt s(db,
             "SELECT mention_id, mention, reason, candidates, received_at_ms "
             "FROM unmatched_mentions WHERE mention_id = ?",
             mention_id);
      if (!s.step()) return T{};
      out = UnmatchedMention{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)};
    }
    Stmt(db, "DELETE FROM unmatched_mentions WHERE mention_id = ?", mention_id).run();
    tx.commit();
    return out;
  });
}

}  // namespace kiosk::sync::hq

namespace kiosk::sync::hq {

// [SECTION] staff

Result<bool> SqliteHqStorage::add_staff(const std::string& store_id,
                                        const protocol::StaffRecord& r) {
  return with_connection<bool>([&](Database& db) -> Result<bool> {
    Transaction tx(db, true);
    if (!store_exists(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    if (load_staff(db, store_id, r.member.id)) return false;
    Stmt(db,
         "INSERT INTO staff (store_id, id, name, role, language, pin_hash, active, "
         "pin_set_at_ms, changed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
         store_id, r.member.id, r.member.name, core::to_string(r.member.role), r.member.language,
         r.pin_hash, std::int64_t{r.active}, r.pin_set_at_ms, r.changed_at_ms)
        .run();
    append_staff_change(db, StoredStaff{store_id, r}, r.changed_at_ms);
    tx.commit();
    return true;
  });
}

Result<std::optional<StoredStaff>> SqliteHqStorage::set_staff_active(const std::string& store_id,
                                                                     const std::string& staff_id,
                                                                     bool active,
                                                                     std::int64_t now_ms) {
  using T = std::optional<StoredStaff>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    auto s = load_staff(db, store_id, staff_id);
    if (!s) return T{};
    s->record.active = active;
    s->record.changed_at_ms = now_ms;
    Stmt(db, "UPDATE staff SET active = ?, changed_at_ms = ? WHERE store_id = ? AND id = ?",
         std::int64_t{active}, now_ms, store_id, staff_id)
        .run();
    append_staff_change(db, *s, now_ms);
    tx.commit();
    return T{std::move(*s)};
  });
}

Result<std::optional<StoredStaff>> SqliteHqStorage::set_staff_pin(const std::string& store_id,
                                                                  const std::string& staff_id,
                                                                  const std::string& pin_hash,
                                                                  std::int64_t now_ms) {
  using T = std::optional<StoredStaff>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    Transaction tx(db, true);
    auto s = load_staff(db, store_id, staff_id);
    if (!s) return T{};
    s->record.pin_hash = pin_hash;
    s->record.pin_set_at_ms = now_ms;
    s->record.changed_at_ms = now_ms;
    Stmt(db,
         "UPDATE staff SET pin_hash = ?, pin_set_at_ms = ?, changed_at_ms = ? "
         "WHERE store_id = ? AND id = ?",
         pin_hash, now_ms, now_ms, store_id, staff_id)
        .run();
    append_staff_change(db, *s, now_ms);
    tx.commit();
    return T{std::move(*s)};
  });
}

Result<std::vector<StoredStaff>> SqliteHqStorage::list_staff(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredStaff>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    const std::string select = std::string("SELECT ") + kStaffColumns + " FROM staff";
    if (store_id) {
      Stmt s(db, (select + " WHERE store_id = ? ORDER BY store_id, id").c_str(), *store_id);
      while (s.step()) out.push_back(staff_from_row(s));
    } else {
      Stmt s(db, (select + " ORDER BY store_id, id").c_str());
      while (s.step()) out.push_back(staff_from_row(s));
    }
    return out;
  });
}

Result<std::vector<StoredStaffLockout>> SqliteHqStorage::staff_lockouts(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredStaffLockout>;
  return with_connection<T>([&](Database& db) -> Result<T> {
    T out;
    const std::string select =
        "SELECT store_id, terminal_id, staff_id, failed_attempts, lockout_number, "
        "locked_for_ms, locked_at_ms FROM staff_lockouts";
    const auto read = [&](Stmt& s) {
      while (s.step()) {
        StoredStaffLockout l;
        l.store_id = s.text(0);
        l.terminal_id = s.text(1);
        l.lockout.staff_id = s.text(2);
        l.lockout.failed_attempts = static_cast<int>(s.integer(3));
        l.lockout.lockout_number = static_cast<int>(s.integer(4));
        l.lockout.locked_for_ms = s.integer(5);
        l.lockout.locked_at_ms = s.integer(6);
        out.push_back(std::move(l));
      }
    };
    if (store_id) {
      Stmt s(db, (select + " WHERE store_id = ? ORDER BY locked_at_ms, event_id").c_str(),
             *store_id);
      read(s);
    } else {
      Stmt s(db, (select + " ORDER BY locked_at_ms, event_id").c_str());
      read(s);
    }
    return out;
  });
}

}  // namespace kiosk::sync::hq

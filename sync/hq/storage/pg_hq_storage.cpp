#include "sync/hq/storage/pg_hq_storage.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "kiosk/core/escalation_actions.h"
#include "sync/hq/storage/change_payload.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

// [SECTION] schema and migrations
// [SECTION] query and transaction helpers
// [SECTION] rows <-> values
// [SECTION] opening, the connection pool
// [SECTION] stores and enrollment
// [SECTION] tokens and terminals
// [SECTION] sync
// [SECTION] head office operations
// [SECTION] staff
// [SECTION] sources, matching, the unmatched queue
// [SECTION] training packs and replies
// [SECTION] notes and reassignment
// [SECTION] the ladder and its notifications

namespace kiosk::sync::hq {
namespace {

// [SECTION] schema and migrations
// Append only: a released migration is never edited. schema_version.version = how many ran.
// The schema matches SQLite's (sqlite_hq_storage.cpp) but for the changefeed: seq counts per
// store, from the store row's last_change_seq (pg_hq_storage.h says why).
const std::vector<const char*> kMigrations = {
    // 1: the schema of SQLite's version 2, plus the per-store change counter and settings.
    R"sql(
CREATE TABLE stores (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  last_change_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE enrollment_codes (
  code_hash     TEXT PRIMARY KEY,
  store_id      TEXT NOT NULL REFERENCES stores(id),
  expires_at_ms BIGINT NOT NULL,
  used_at_ms    BIGINT,
  terminal_id   TEXT
);
CREATE TABLE terminals (
  id                           TEXT PRIMARY KEY,
  store_id                     TEXT NOT NULL REFERENCES stores(id),
  name                         TEXT NOT NULL,
  token_hash                   TEXT NOT NULL UNIQUE,
  enrolled_at_ms               BIGINT NOT NULL,
  hash_scheme                  TEXT NOT NULL DEFAULT 'keyed',
  token_expires_at_ms          BIGINT NOT NULL DEFAULT 0,
  previous_token_hash          TEXT,
  previous_token_expires_at_ms BIGINT,
  revoked_at_ms                BIGINT,
  revoked_reason               TEXT NOT NULL DEFAULT ''
);
CREATE INDEX terminals_by_previous_token ON terminals(previous_token_hash);
CREATE TABLE events (
  id             TEXT PRIMARY KEY,
  terminal_id    TEXT NOT NULL,
  store_id       TEXT NOT NULL,
  kind           TEXT NOT NULL,
  hlc            TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL
);
CREATE TABLE escalations (
  id                   TEXT PRIMARY KEY,
  store_id             TEXT NOT NULL REFERENCES stores(id),
  mention_id           TEXT NOT NULL,
  severity             TEXT NOT NULL,
  note                 TEXT NOT NULL,
  status               TEXT NOT NULL,
  created_at_ms        BIGINT NOT NULL,
  status_changed_at_ms BIGINT NOT NULL,
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
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE TABLE changes (
  store_id      TEXT NOT NULL REFERENCES stores(id),
  seq           BIGINT NOT NULL,
  kind          TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  payload       TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (store_id, seq)
);
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // 2: events of every kind, as SQLite's migration 3.
    R"sql(
ALTER TABLE events ADD COLUMN body TEXT NOT NULL DEFAULT '';
CREATE TABLE training_results (
  event_id       TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  store_id       TEXT NOT NULL,
  terminal_id    TEXT NOT NULL,
  staff_id       TEXT NOT NULL,
  lesson_id      TEXT NOT NULL,
  lesson_version BIGINT NOT NULL,
  correct        BOOLEAN NOT NULL,
  sure           BOOLEAN NOT NULL,
  answered_at_ms BIGINT NOT NULL
);
CREATE INDEX training_results_by_store ON training_results(store_id, lesson_id);
CREATE TABLE shared_praise (
  event_id     TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  store_id     TEXT NOT NULL,
  terminal_id  TEXT NOT NULL,
  mention_id   TEXT NOT NULL,
  note         TEXT NOT NULL,
  staff_id     TEXT NOT NULL,
  shared_at_ms BIGINT NOT NULL
);
)sql",
    // 3: staff and their lockouts, who raised each escalation (SQLite's migration 7).
    R"sql(
ALTER TABLE escalations ADD COLUMN staff_id TEXT NOT NULL DEFAULT '';
CREATE TABLE staff (
  store_id      TEXT NOT NULL REFERENCES stores(id),
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  language      TEXT NOT NULL,
  pin_hash      TEXT NOT NULL,
  active        BOOLEAN NOT NULL DEFAULT true,
  pin_set_at_ms BIGINT NOT NULL,
  changed_at_ms BIGINT NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE TABLE staff_lockouts (
  event_id        TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  store_id        TEXT NOT NULL,
  terminal_id     TEXT NOT NULL,
  staff_id        TEXT NOT NULL,
  failed_attempts BIGINT NOT NULL,
  lockout_number  BIGINT NOT NULL,
  locked_for_ms   BIGINT NOT NULL,
  locked_at_ms    BIGINT NOT NULL
);
CREATE INDEX staff_lockouts_by_store ON staff_lockouts(store_id, locked_at_ms);
)sql",
    // 4: training packs and suggested replies, as SQLite's migration 8.
    R"sql(
CREATE TABLE training_packs (
  pack            TEXT NOT NULL,
  version         BIGINT NOT NULL,
  published_at_ms BIGINT NOT NULL,
  lessons         BIGINT NOT NULL,
  payload         TEXT NOT NULL,
  PRIMARY KEY (pack, version)
);
CREATE TABLE reply_suggestions (
  id              TEXT PRIMARY KEY,
  event_id        TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  store_id        TEXT NOT NULL,
  terminal_id     TEXT NOT NULL,
  mention_id      TEXT NOT NULL,
  staff_id        TEXT NOT NULL,
  text            TEXT NOT NULL,
  suggested_at_ms BIGINT NOT NULL,
  outcome         TEXT NOT NULL DEFAULT 'pending',
  final_text      TEXT NOT NULL DEFAULT '',
  comment         TEXT NOT NULL DEFAULT '',
  decided_by      TEXT NOT NULL DEFAULT '',
  decided_at_ms   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX reply_suggestions_by_store ON reply_suggestions(store_id, suggested_at_ms);
)sql",
    // 5: polling connectors (state, health, lease), store profiles for matching, posts seen
    // (by id and fingerprint) and the unmatched queue.
    R"sql(
CREATE TABLE source_state (
  name            TEXT PRIMARY KEY,
  cursor          TEXT NOT NULL DEFAULT '',
  last_success_ms BIGINT NOT NULL DEFAULT 0,
  last_error_ms   BIGINT NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  items_seen      BIGINT NOT NULL DEFAULT 0,
  items_skipped   BIGINT NOT NULL DEFAULT 0,
  next_poll_ms    BIGINT NOT NULL DEFAULT 0,
  failures        BIGINT NOT NULL DEFAULT 0,
  quota_day       TEXT NOT NULL DEFAULT '',
  quota_used      BIGINT NOT NULL DEFAULT 0,
  lease_holder    TEXT NOT NULL DEFAULT '',
  lease_until_ms  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE store_profiles (
  store_id      TEXT PRIMARY KEY REFERENCES stores(id),
  profile       TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE TABLE post_keys (
  key           TEXT PRIMARY KEY,
  mention_id    TEXT NOT NULL,
  store_id      TEXT NOT NULL DEFAULT '',
  seen_at_ms    BIGINT NOT NULL
);
CREATE INDEX post_keys_by_mention ON post_keys(mention_id);
CREATE TABLE unmatched_mentions (
  mention_id     TEXT PRIMARY KEY,
  mention        TEXT NOT NULL,
  reason         TEXT NOT NULL,
  candidates     TEXT NOT NULL DEFAULT '',
  received_at_ms BIGINT NOT NULL
);
)sql",
    // 6: every field of a mention (its wire payload), its rating and its triage, as SQLite's 10.
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
    // 7: reopening as a new generation, and every action on an escalation (acknowledge, note,
    // reassign, resolve, reopen) from terminals and head office, merged by
    // kiosk/core/escalation_actions.h, as SQLite's 11; plus who holds it after a reassignment
    // (SQLite has those columns from its ladder).
    R"sql(
ALTER TABLE escalations ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN resolution_note TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN resolution_key TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN holder_key TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN ladder_level INTEGER NOT NULL DEFAULT -1;
ALTER TABLE escalations ADD COLUMN ladder_holder TEXT NOT NULL DEFAULT '';
CREATE TABLE escalation_actions (
  id             TEXT PRIMARY KEY,
  escalation_id  TEXT NOT NULL REFERENCES escalations(id),
  kind           TEXT NOT NULL,
  generation     INTEGER NOT NULL,
  actor          TEXT NOT NULL,
  terminal_id    TEXT NOT NULL,
  at_ms          BIGINT NOT NULL,
  hlc            TEXT NOT NULL,
  text           TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL
);
CREATE INDEX escalation_actions_by_escalation ON escalation_actions(escalation_id);
)sql",
    // 8: the escalation ladder (docs/escalation.md), as SQLite's 4, 5 and 6: a policy file per
    // store, each escalation's category, when head office received and first acknowledged it
    // and its place and clock on the ladder, notes head office adds, and every notification
    // the ladder decided. Escalations from before start their ladder from when they were made,
    // and those already past open count as acknowledged when their status last changed.
    R"sql(
CREATE TABLE escalation_policies (
  store_id  TEXT PRIMARY KEY REFERENCES stores(id),
  text      TEXT NOT NULL,
  set_at_ms BIGINT NOT NULL
);
ALTER TABLE escalations ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN received_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN acknowledged_at_ms BIGINT;
ALTER TABLE escalations ADD COLUMN ladder_phase INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN ladder_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN respond_by_ms BIGINT;
ALTER TABLE escalations ADD COLUMN next_climb_at_ms BIGINT;
UPDATE escalations SET received_at_ms = created_at_ms;
UPDATE escalations SET acknowledged_at_ms = status_changed_at_ms WHERE status != 'open';
CREATE TABLE escalation_notes (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  escalation_id TEXT NOT NULL REFERENCES escalations(id),
  author        TEXT NOT NULL,
  text          TEXT NOT NULL,
  at_ms         BIGINT NOT NULL
);
CREATE INDEX escalation_notes_by_escalation ON escalation_notes(escalation_id, id);
CREATE TABLE outgoing_notifications (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  escalation_id      TEXT NOT NULL REFERENCES escalations(id),
  store_id           TEXT NOT NULL,
  severity           TEXT NOT NULL,
  recipient          TEXT NOT NULL,
  level              INTEGER NOT NULL,
  phase              INTEGER NOT NULL,
  step               INTEGER NOT NULL,
  kind               TEXT NOT NULL,
  reason             TEXT NOT NULL,
  created_at_ms      BIGINT NOT NULL,
  state              TEXT NOT NULL DEFAULT 'pending',
  attempts           INTEGER NOT NULL DEFAULT 0,
  last_error         TEXT NOT NULL DEFAULT '',
  next_attempt_at_ms BIGINT NOT NULL,
  claimed_until_ms   BIGINT NOT NULL DEFAULT 0,
  sent_at_ms         BIGINT NOT NULL DEFAULT 0,
  sender             TEXT NOT NULL DEFAULT '',
  UNIQUE (escalation_id, phase, step)
);
CREATE INDEX outgoing_pending ON outgoing_notifications(state, next_attempt_at_ms);
CREATE INDEX outgoing_by_escalation ON outgoing_notifications(escalation_id, id);
)sql",
    // 9: the triage version each mention was triaged under, as SQLite's 12.
    R"sql(
ALTER TABLE mentions ADD COLUMN triage_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_triage_version ON mentions(triage_version);
)sql",
};

// Every kiosk-hq process takes this advisory lock while it checks and migrates the schema.
constexpr const char* kSchemaLockKey = "4920142151";  // "KHQ1" as a number, like SQLite's id

// What settings.secret_check holds: the keyed hash of this text under the server secret.
constexpr std::string_view kSecretCheckText = "kiosk-hq server secret check";

// [SECTION] query and transaction helpers
// Thrown inside this file only; every public method catches it and returns a Result.
struct DbError {
  std::string message;
  std::string sqlstate;  // e.g. 40P01 (deadlock detected), empty when not from the server
  bool retryable() const { return sqlstate == "40001" || sqlstate == "40P01"; }
};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Statements that succeeded on this thread since with_connection() last started an attempt:
// a connection that breaks before the first one (a pooled connection PostgreSQL dropped when
// it restarted) changed nothing, so the attempt runs again on a new connection.
thread_local int statements_ok = 0;

// One query parameter as text (libpq's text format), or NULL.
using Param = std::optional<std::string>;
Param param(std::string_view s) {
  if (s.find('\0') != std::string_view::npos)
    throw DbError{"a text holds a NUL character, which PostgreSQL cannot store", {}};
  return std::string(s);
}
Param param(const std::string& s) {
  return param(std::string_view(s));
}
Param param(const char* s) {
  return param(std::string_view(s));
}
Param param(std::int64_t v) {
  return std::to_string(v);
}
Param param(const Param& v) {
  return v ? param(*v) : Param();
}
Param param(const std::optional<std::int64_t>& v) {
  return v ? param(*v) : Param();
}

// The rows of one query; owns the PGresult.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r) {}
  ~Rows() { PQclear(r_); }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows(Rows&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Rows& operator=(Rows&&) = delete;

  int size() const { return PQntuples(r_); }
  int columns() const { return PQnfields(r_); }
  bool empty() const { return size() == 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::int64_t integer(int row, int col) const {
    std::int64_t v = 0;
    const char* p = PQgetvalue(r_, row, col);
    std::from_chars(p, p + PQgetlength(r_, row, col), v);
    return v;
  }
  bool flag(int row, int col) const { return text(row, col) == "t"; }
  bool is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  // Rows written by INSERT, UPDATE or DELETE.
  std::int64_t affected() const {
    std::int64_t v = 0;
    const char* p = PQcmdTuples(r_);
    std::from_chars(p, p + std::char_traits<char>::length(p), v);
    return v;
  }

 private:
  PGresult* r_;
};

template <typename... Args>
Rows q(PGconn* db, const char* sql, const Args&... args) {
  const std::vector<Param> params{param(args)...};
  std::vector<const char*> v;
  v.reserve(params.size());
  for (const auto& p : params) v.push_back(p ? p->c_str() : nullptr);
  PGresult* r =
      PQexecParams(db, sql, static_cast<int>(v.size()), nullptr, v.data(), nullptr, nullptr, 0);
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    DbError e{trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(db)), {}};
    if (r) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      if (state) e.sqlstate = state;
      PQclear(r);
    }
    if (e.message.empty()) e.message = trimmed(PQerrorMessage(db));
    throw e;
  }
  ++statements_ok;
  return Rows(r);
}

void exec(PGconn* db, const char* sql) {
  PGresult* r = PQexec(db, sql);
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    DbError e{trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(db)), {}};
    if (r) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      if (state) e.sqlstate = state;
    }
    PQclear(r);
    throw e;
  }
  PQclear(r);
  ++statements_ok;
}

// Rolls back unless committed, so an error half-way leaves nothing behind.
class Transaction {
 public:
  explicit Transaction(PGconn* db) : db_(db) { exec(db, "BEGIN"); }
  ~Transaction() {
    if (open_) PQclear(PQexec(db_, "ROLLBACK"));
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    open_ = false;
    exec(db_, "COMMIT");
  }

 private:
  PGconn* db_;
  bool open_ = true;
};

// [SECTION] rows <-> values
constexpr const char* kEscalationColumns =
    "store_id, origin_terminal_id, id, mention_id, severity, note, status, created_at_ms, "
    "status_changed_at_ms, acknowledged_by, staff_id, generation, resolution_note, "
    "resolution_key, holder_key, ladder_level, ladder_holder, category, received_at_ms, "
    "acknowledged_at_ms, ladder_phase, ladder_step, respond_by_ms, next_climb_at_ms";

StoredEscalation escalation_from_row(const Rows& s, int row) {
  StoredEscalation out;
  out.store_id = s.text(row, 0);
  out.origin_terminal_id = s.text(row, 1);
  core::Escalation& e = out.escalation;
  e.id = s.text(row, 2);
  e.mention_id = s.text(row, 3);
  e.severity = core::parse_severity(s.text(row, 4)).value_or(core::Severity::medium);
  e.note = s.text(row, 5);
  e.status = core::parse_status(s.text(row, 6)).value_or(core::EscalationStatus::open);
  e.created_at_ms = s.integer(row, 7);
  e.status_changed_at_ms = s.integer(row, 8);
  e.acknowledged_by = s.text(row, 9);
  e.staff_id = s.text(row, 10);
  e.generation = static_cast<int>(s.integer(row, 11));
  e.resolution_note = s.text(row, 12);
  e.resolution_key = s.text(row, 13);
  e.holder_key = s.text(row, 14);
  e.ladder_level = static_cast<int>(s.integer(row, 15));
  e.ladder_holder = s.text(row, 16);
  e.category = core::parse_category(s.text(row, 17));
  out.received_at_ms = s.integer(row, 18);
  if (!s.is_null(row, 19)) out.acknowledged_at_ms = s.integer(row, 19);
  out.ladder_phase = static_cast<int>(s.integer(row, 20));
  out.ladder_step = static_cast<int>(s.integer(row, 21));
  if (!s.is_null(row, 22) && s.integer(row, 22) > 0) e.respond_by_ms = s.integer(row, 22);
  if (!s.is_null(row, 23) && s.integer(row, 23) > 0) e.next_climb_at_ms = s.integer(row, 23);
  return out;
}

// The escalation's notes from head office (so a change always carries the whole escalation)
// and its history of actions, ordered by (HLC, id) as the core keeps it.
void load_actions(PGconn* db, StoredEscalation& e) {
  Rows n = q(db,
             "SELECT author, text, at_ms FROM escalation_notes WHERE escalation_id = $1 "
             "ORDER BY id",
             e.escalation.id);
  e.escalation.hq_notes.clear();
  for (int i = 0; i < n.size(); ++i)
    e.escalation.hq_notes.push_back({n.text(i, 0), n.text(i, 1), n.integer(i, 2)});
  Rows h = q(db,
             "SELECT id, kind, generation, actor, terminal_id, at_ms, hlc, text "
             "FROM escalation_actions WHERE escalation_id = $1",
             e.escalation.id);
  std::vector<core::EscalationAction> actions;
  for (int i = 0; i < h.size(); ++i) {
    core::EscalationAction a;
    a.id = h.text(i, 0);
    a.kind = core::parse_action_kind(h.text(i, 1)).value_or(core::EscalationActionKind::note);
    a.generation = static_cast<int>(h.integer(i, 2));
    a.by = h.text(i, 3);
    a.terminal_id = h.text(i, 4);
    a.at_ms = h.integer(i, 5);
    a.hlc = h.text(i, 6);
    a.text = h.text(i, 7);
    actions.push_back(std::move(a));
  }
  std::sort(actions.begin(), actions.end(),
            [](const auto& a, const auto& b) { return core::lww_key(a) < core::lww_key(b); });
  e.escalation.history = std::move(actions);
}

// for_update: lock the row until the transaction ends (a status change is read-modify-write).
std::optional<StoredEscalation> load_escalation(PGconn* db, const std::string& id,
                                                bool for_update = false) {
  const std::string sql = std::string("SELECT ") + kEscalationColumns +
                          " FROM escalations WHERE id = $1" + (for_update ? " FOR UPDATE" : "");
  Rows s = q(db, sql.c_str(), id);
  if (s.empty()) return std::nullopt;
  StoredEscalation e = escalation_from_row(s, 0);
  load_actions(db, e);
  return e;
}

// The next seq of the store's changefeed. The store row stays locked until commit, so seqs
// of one store commit in the order they are handed out.
// The stores this thread appended changes to in its current storage call (the change
// listener hears of them when the call returns).
thread_local std::vector<std::string> changed_stores;

void append_change(PGconn* db, const std::string& store_id, const char* kind,
                   const std::string& entity_id, const std::string& payload, std::int64_t now_ms) {
  Rows seq = q(db,
               "UPDATE stores SET last_change_seq = last_change_seq + 1 WHERE id = $1 "
               "RETURNING last_change_seq",
               store_id);
  if (seq.empty()) throw DbError{"no store " + store_id + " for a change", {}};
  q(db,
    "INSERT INTO changes (store_id, seq, kind, entity_id, payload, created_at_ms) "
    "VALUES ($1, $2, $3, $4, $5, $6)",
    store_id, seq.integer(0, 0), kind, entity_id, payload, now_ms);
  if (std::find(changed_stores.begin(), changed_stores.end(), store_id) == changed_stores.end())
    changed_stores.push_back(store_id);
}

void append_escalation_change(PGconn* db, const StoredEscalation& e, std::int64_t now_ms) {
  append_change(db, e.store_id, "escalation", e.escalation.id, escalation_payload(e.escalation),
                now_ms);
}

// One action on an escalation (its row locked by the caller), merged by the rules every
// backend shares (apply_action_to_stored), inside the caller's transaction: the action row
// once per id, the merged columns, and the whole escalation on the store's changefeed. False
// when the history already held the action.
bool apply_action_in_tx(PGconn* db, StoredEscalation& e, const core::EscalationAction& a,
                        std::int64_t now_ms) {
  if (!apply_action_to_stored(e, a, now_ms)) return false;
  const core::Escalation& x = e.escalation;
  q(db,
    "INSERT INTO escalation_actions (id, escalation_id, kind, generation, actor, terminal_id, "
    "at_ms, hlc, text, received_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    a.id, x.id, core::to_string(a.kind), std::int64_t{a.generation}, a.by, a.terminal_id, a.at_ms,
    a.hlc, a.text, now_ms);
  q(db,
    "UPDATE escalations SET status = $1, status_changed_at_ms = $2, acknowledged_by = $3, "
    "generation = $4, resolution_note = $5, resolution_key = $6, ladder_holder = $7, "
    "ladder_level = $8, holder_key = $9, received_at_ms = $10, acknowledged_at_ms = $11, "
    "ladder_phase = $12, ladder_step = $13, respond_by_ms = $14, next_climb_at_ms = $15 "
    "WHERE id = $16",
    core::to_string(x.status), x.status_changed_at_ms, x.acknowledged_by,
    std::int64_t{x.generation}, x.resolution_note, x.resolution_key, x.ladder_holder,
    std::int64_t{x.ladder_level}, x.holder_key, e.received_at_ms, e.acknowledged_at_ms,
    std::int64_t{e.ladder_phase}, std::int64_t{e.ladder_step}, x.respond_by_ms, x.next_climb_at_ms,
    x.id);
  append_escalation_change(db, e, now_ms);
  return true;
}

// A new store's changefeed starts with the newest version of each published pack.
void append_newest_packs(PGconn* db, const std::string& store_id, std::int64_t now_ms) {
  Rows packs = q(db,
                 "SELECT DISTINCT ON (pack) pack, payload FROM training_packs "
                 "ORDER BY pack, version DESC");
  for (int i = 0; i < packs.size(); ++i)
    append_change(db, store_id, "training_pack", packs.text(i, 0), packs.text(i, 1), now_ms);
}

constexpr const char* kReplyColumns =
    "store_id, terminal_id, id, mention_id, text, staff_id, suggested_at_ms, outcome, "
    "final_text, comment, decided_by, decided_at_ms";

StoredReplySuggestion reply_from_row(const Rows& s, int i) {
  StoredReplySuggestion r;
  r.store_id = s.text(i, 0);
  r.terminal_id = s.text(i, 1);
  r.suggestion = {s.text(i, 2), s.text(i, 3), s.text(i, 4), s.text(i, 5), s.integer(i, 6)};
  r.outcome = s.text(i, 7);
  r.final_text = s.text(i, 8);
  r.comment = s.text(i, 9);
  r.decided_by = s.text(i, 10);
  r.decided_at_ms = s.integer(i, 11);
  return r;
}

// Locks the store's row against other writers of its changefeed (but not against enrollment,
// whose foreign keys only need a key share lock). False when there is no such store.
bool lock_store(PGconn* db, const std::string& store_id) {
  return !q(db, "SELECT 1 FROM stores WHERE id = $1 FOR NO KEY UPDATE", store_id).empty();
}

std::string unknown_store(const std::string& store_id) {
  return "there is no store \"" + store_id +
         "\" in this database; add it first with: kiosk-hq store add --id " + store_id +
         " --name NAME";
}

// A storage failure as an HQ operator reads it.
std::string storage_failure(const std::string& url, const std::string& detail) {
  return "the head office database " + url + " failed (" + detail +
         "); check that PostgreSQL is running and reachable, and try again";
}

constexpr const char* kStaffColumns =
    "store_id, id, name, role, language, pin_hash, active, pin_set_at_ms, changed_at_ms";

StoredStaff staff_from_row(const Rows& s, int row) {
  StoredStaff out;
  out.store_id = s.text(row, 0);
  protocol::StaffRecord& r = out.record;
  r.member.id = s.text(row, 1);
  r.member.name = s.text(row, 2);
  r.member.role = core::parse_staff_role(s.text(row, 3)).value_or(core::StaffRole::associate);
  r.member.language = s.text(row, 4);
  r.pin_hash = s.text(row, 5);
  r.active = s.flag(row, 6);
  r.pin_set_at_ms = s.integer(row, 7);
  r.changed_at_ms = s.integer(row, 8);
  return out;
}

// Locks the row until the transaction ends (every staff write is read-modify-write).
std::optional<StoredStaff> load_staff_for_update(PGconn* db, const std::string& store_id,
                                                 const std::string& staff_id) {
  Rows s = q(db,
             (std::string("SELECT ") + kStaffColumns +
              " FROM staff WHERE store_id = $1 AND id = $2 FOR UPDATE")
                 .c_str(),
             store_id, staff_id);
  if (s.empty()) return std::nullopt;
  return staff_from_row(s, 0);
}

void append_staff_change(PGconn* db, const StoredStaff& s, std::int64_t now_ms) {
  append_change(db, s.store_id, "staff", s.record.member.id, staff_payload(s.record), now_ms);
}

void ignore_notice(void*, const char*) {}

}  // namespace

// [SECTION] opening, the connection pool

int PgHqStorage::latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

bool PgHqStorage::is_url(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string PgHqStorage::redacted(const std::string& url) {
  std::string out = url;
  // postgresql://user:password@host/...
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto at = out.find('@', scheme + 3);
    const auto slash = out.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&...
  for (std::size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const auto end = out.find('&', p);
    const auto from = p + std::string_view("password=").size();
    out.replace(from, (end == std::string::npos ? out.size() : end) - from, "***");
  }
  return out;
}

PgHqStorage::PgHqStorage(std::string url) : url_(std::move(url)) {}

PgHqStorage::~PgHqStorage() {
  for (PGconn* db : idle_) PQfinish(db);
}

namespace {
// A new connection, or a DbError saying why not (without the password).
PGconn* connect(const std::string& url) {
  PGconn* db = PQconnectdb(url.c_str());
  if (!db) throw DbError{"out of memory", {}};
  if (PQstatus(db) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(db));
    PQfinish(db);
    throw DbError{why, {}};
  }
  PQsetNoticeProcessor(db, ignore_notice, nullptr);
  return db;
}
}  // namespace

Result<std::unique_ptr<PgHqStorage>> PgHqStorage::open(const std::string& url, OpenMode mode,
                                                       const std::string& secret_path) {
  using R = Result<std::unique_ptr<PgHqStorage>>;
  const std::string shown = redacted(url);
  if (secret_path.empty())
    return R::failure(
        "a PostgreSQL database needs --secret-file (or KIOSK_HQ_SECRET_FILE): the server "
        "secret file, the same one for every kiosk-hq process that shares " +
        shown + "; it is made on first use");
  PGconn* db = nullptr;
  try {
    db = connect(url);
  } catch (const DbError& e) {
    return R::failure("cannot connect to the head office database " + shown + " (" + e.message +
                      "); check the URL, that PostgreSQL is running, and that this user may "
                      "log in");
  }
  auto storage = std::unique_ptr<PgHqStorage>(new PgHqStorage(url));
  storage->idle_.push_back(db);

  auto key = load_or_create_server_key(secret_path);
  if (!key) return R::failure(key.error());
  storage->key_ = std::move(key.value());

  const auto not_ours = [&](const std::string& why) {
    return R::failure(shown + " is not a kiosk-hq database: " + why +
                      ". Check the --db URL, or give kiosk-hq an empty database of its own");
  };
  try {
    Transaction tx(db);
    q(db, "SELECT pg_advisory_xact_lock($1)", kSchemaLockKey);
    const bool versioned = !q(db, "SELECT to_regclass('schema_version')").is_null(0, 0);
    std::int64_t version = 0;
    if (versioned) {
      Rows v = q(db, "SELECT version FROM schema_version");
      if (v.empty()) return not_ours("its schema_version table is empty");
      version = v.integer(0, 0);
    } else {
      Rows tables = q(db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
      if (tables.integer(0, 0) > 0) return not_ours("it holds tables kiosk-hq did not create");
      if (mode == OpenMode::must_exist)
        return R::failure(shown +
                          " holds no kiosk-hq tables yet; check the --db URL, or create them "
                          "with: kiosk-hq store add --db URL --secret-file FILE --id ID --name "
                          "NAME");
    }
    const auto latest = static_cast<std::int64_t>(kMigrations.size());
    if (version > latest)
      return R::failure(shown + " was written by a newer version of kiosk-hq (schema version " +
                        std::to_string(version) + "; this kiosk-hq knows up to " +
                        std::to_string(latest) + "). Upgrade kiosk-hq to use it");
    if (!versioned) {
      exec(db, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
      exec(db, "INSERT INTO schema_version (version) VALUES (0)");
    }
    for (auto v = version; v < latest; ++v) exec(db, kMigrations[static_cast<std::size_t>(v)]);
    if (version < latest) q(db, "UPDATE schema_version SET version = $1", latest);

    // The secret must be the one the database was first used with.
    const std::string check = hq::hash_secret(storage->key_, kSecretCheckText);
    Rows known = q(db, "SELECT value FROM settings WHERE name = 'secret_check'");
    if (known.empty()) {
      q(db, "INSERT INTO settings (name, value) VALUES ('secret_check', $1)", check);
    } else if (known.text(0, 0) != check) {
      return R::failure("the server secret " + secret_path + " is not the one " + shown +
                        " was used with, so no terminal's token would match; give "
                        "--secret-file the secret file the other kiosk-hq processes use");
    }
    tx.commit();
  } catch (const DbError& e) {
    return R::failure(storage_failure(shown, e.message));
  }
  return storage;
}

PGconn* PgHqStorage::acquire(bool& pooled) {
  {
    std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      PGconn* db = idle_.back();
      idle_.pop_back();
      pooled = true;
      if (PQstatus(db) == CONNECTION_OK) return db;
      PQfinish(db);
    }
  }
  pooled = false;
  return connect(url_);
}

void PgHqStorage::release(PGconn* db, bool healthy) {
  if (!healthy || PQstatus(db) != CONNECTION_OK || PQtransactionStatus(db) != PQTRANS_IDLE) {
    PQfinish(db);  // a broken connection is not handed to the next caller
    return;
  }
  std::lock_guard lock(mutex_);
  idle_.push_back(db);
}

template <typename T, typename F>
Result<T> PgHqStorage::with_connection(F&& f) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    PGconn* db = nullptr;
    bool pooled = false;
    statements_ok = 0;
    changed_stores.clear();
    try {
      db = acquire(pooled);
      Result<T> out = f(db);
      release(db, true);
      tell_changed(changed_stores);
      return out;
    } catch (const DbError& e) {
      changed_stores.clear();
      const bool dropped = db && pooled && statements_ok == 0 && PQstatus(db) != CONNECTION_OK;
      if (db) release(db, true);  // the Transaction guard already rolled back
      // Two processes that locked rows in different orders: one of them is told so and runs
      // again from the start, which is safe because nothing of its transaction was kept.
      if ((e.retryable() || dropped) && attempt < kAttempts) continue;
      return Result<T>::failure(storage_failure(redacted(url_), e.message),
                                core::ErrorKind::local_storage);
    }
  }
}

// [SECTION] stores and enrollment

Result<AddStoreOutcome> PgHqStorage::add_store(const Store& store) {
  return with_connection<AddStoreOutcome>([&](PGconn* db) -> Result<AddStoreOutcome> {
    Transaction tx(db);
    Rows added = q(db, "INSERT INTO stores (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                   store.id, store.name);
    if (added.affected() == 1) {
      append_newest_packs(db, store.id, 0);
      tx.commit();
      return AddStoreOutcome::created;
    }
    Rows find = q(db, "SELECT name FROM stores WHERE id = $1", store.id);
    return find.text(0, 0) == store.name ? AddStoreOutcome::already_existed
                                         : AddStoreOutcome::name_differs;
  });
}

Result<std::optional<Store>> PgHqStorage::find_store(const std::string& store_id) {
  using T = std::optional<Store>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows s = q(db, "SELECT id, name FROM stores WHERE id = $1", store_id);
    if (s.empty()) return T{};
    return T{Store{s.text(0, 0), s.text(0, 1)}};
  });
}

Result<bool> PgHqStorage::add_enrollment_code(const std::string& code_hash,
                                              const std::string& store_id,
                                              std::int64_t expires_at_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Transaction tx(db);
    if (q(db, "SELECT 1 FROM stores WHERE id = $1", store_id).empty())
      return Result<bool>::failure(unknown_store(store_id));
    q(db, "INSERT INTO enrollment_codes (code_hash, store_id, expires_at_ms) VALUES ($1, $2, $3)",
      code_hash, store_id, expires_at_ms);
    tx.commit();
    return true;
  });
}

Result<std::optional<EnrolledTerminal>> PgHqStorage::redeem_enrollment_code(
    const std::string& code_hash, const NewTerminal& terminal, std::int64_t now_ms) {
  using T = std::optional<EnrolledTerminal>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    // A read first, outside any transaction: a wrong guess never takes a row lock.
    if (q(db,
          "SELECT 1 FROM enrollment_codes WHERE code_hash = $1 AND used_at_ms IS NULL "
          "AND expires_at_ms > $2",
          code_hash, now_ms)
            .empty())
      return T{};
    Transaction tx(db);
    // Used once: of two processes redeeming the same code, the second updates no row.
    Rows code = q(db,
                  "UPDATE enrollment_codes c SET used_at_ms = $2, terminal_id = $3 FROM stores s "
                  "WHERE c.code_hash = $1 AND c.used_at_ms IS NULL AND c.expires_at_ms > $2 "
                  "AND s.id = c.store_id RETURNING c.store_id, s.name",
                  code_hash, now_ms, terminal.terminal_id);
    if (code.empty()) return T{};
    EnrolledTerminal out{terminal.terminal_id, code.text(0, 0), code.text(0, 1)};
    if (!terminal.replaces_token_hash.empty()) {
      q(db,
        "UPDATE terminals SET revoked_at_ms = $1, revoked_reason = $2 "
        "WHERE hash_scheme = 'keyed' AND revoked_at_ms IS NULL "
        "AND (token_hash = $3 OR previous_token_hash = $3)",
        now_ms, "it re-enrolled as terminal " + terminal.terminal_id, terminal.replaces_token_hash);
    }
    q(db,
      "INSERT INTO terminals (id, store_id, name, token_hash, enrolled_at_ms, hash_scheme, "
      "token_expires_at_ms) VALUES ($1, $2, $3, $4, $5, 'keyed', $6)",
      terminal.terminal_id, out.store_id, terminal.name, terminal.token_hash, now_ms,
      terminal.token_expires_at_ms);
    tx.commit();
    return T{std::move(out)};
  });
}

Result<std::optional<TerminalIdentity>> PgHqStorage::find_terminal_by_token_hash(
    const std::string& token_hash) {
  using T = std::optional<TerminalIdentity>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows s = q(db,
               "SELECT id, store_id FROM terminals WHERE token_hash = $1 "
               "AND hash_scheme = 'keyed' AND revoked_at_ms IS NULL",
               token_hash);
    if (s.empty()) return T{};
    return T{TerminalIdentity{s.text(0, 0), s.text(0, 1)}};
  });
}

std::string PgHqStorage::hash_secret(std::string_view secret) const {
  return hq::hash_secret(key_, secret);
}

// [SECTION] tokens and terminals

Result<TokenCheck> PgHqStorage::check_token(const std::string& token_hash,
                                            const std::string& legacy_hash, std::int64_t now_ms) {
  return with_connection<TokenCheck>([&](PGconn* db) -> Result<TokenCheck> {
    TokenCheck out;
    using State = TokenCheck::State;
    Rows s = q(db,
               "SELECT id, store_id, token_hash = $1, token_expires_at_ms, "
               "previous_token_expires_at_ms, previous_token_hash IS NOT NULL, revoked_at_ms, "
               "revoked_reason FROM terminals WHERE hash_scheme = 'keyed' "
               "AND (token_hash = $1 OR previous_token_hash = $1)",
               token_hash);
    if (!s.empty()) {
      out.terminal = {s.text(0, 0), s.text(0, 1)};
      const bool current = s.flag(0, 2);
      out.expires_at_ms = current ? s.integer(0, 3) : s.integer(0, 4);
      out.has_previous = s.flag(0, 5);
      if (!s.is_null(0, 6)) {
        out.state = State::revoked;
        out.revoked_at_ms = s.integer(0, 6);
        out.revoked_reason = s.text(0, 7);
      } else if (out.expires_at_ms <= now_ms) {
        out.state = State::expired;
      } else {
        out.state = current ? State::current : State::previous;
      }
      return out;
    }
    Rows old = q(db,
                 "SELECT id, store_id FROM terminals WHERE hash_scheme = 'unkeyed' "
                 "AND token_hash = $1",
                 legacy_hash);
    if (!old.empty()) {
      out.state = State::outdated;
      out.terminal = {old.text(0, 0), old.text(0, 1)};
    }
    return out;
  });
}

Result<bool> PgHqStorage::rotate_token(const std::string& terminal_id,
                                       const std::string& presented_hash,
                                       const std::string& new_hash,
                                       std::int64_t new_expires_at_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Transaction tx(db);
    Rows s = q(db,
               "SELECT token_hash, token_expires_at_ms, previous_token_hash FROM terminals "
               "WHERE id = $1 AND revoked_at_ms IS NULL FOR UPDATE",
               terminal_id);
    if (s.empty()) return false;
    if (s.text(0, 0) == presented_hash) {
      // The current token becomes the previous one, still valid until its own expiry, in
      // case this answer never reaches the terminal.
      q(db,
        "UPDATE terminals SET previous_token_hash = token_hash, "
        "previous_token_expires_at_ms = token_expires_at_ms, token_hash = $1, "
        "token_expires_at_ms = $2 WHERE id = $3",
        new_hash, new_expires_at_ms, terminal_id);
    } else if (!s.is_null(0, 2) && s.text(0, 2) == presented_hash) {
      // The terminal never got (or never kept) the last new token: replace that one.
      q(db, "UPDATE terminals SET token_hash = $1, token_expires_at_ms = $2 WHERE id = $3",
        new_hash, new_expires_at_ms, terminal_id);
    } else {
      return false;
    }
    tx.commit();
    return true;
  });
}

Result<bool> PgHqStorage::forget_previous_token(const std::string& terminal_id) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    q(db,
      "UPDATE terminals SET previous_token_hash = NULL, previous_token_expires_at_ms = NULL "
      "WHERE id = $1",
      terminal_id);
    return true;
  });
}

Result<std::vector<TerminalRecord>> PgHqStorage::list_terminals(
    const std::optional<std::string>& store_id) {
  using T = std::vector<TerminalRecord>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    T out;
    const std::string select =
        "SELECT id, store_id, name, enrolled_at_ms, token_expires_at_ms, revoked_at_ms, "
        "revoked_reason FROM terminals";
    // Byte order, as SQLite sorts, whatever the database's locale.
    const char* order = R"( ORDER BY store_id COLLATE "C", enrolled_at_ms, id COLLATE "C")";
    Rows s = store_id ? q(db, (select + " WHERE store_id = $1" + order).c_str(), *store_id)
                      : q(db, (select + order).c_str());
    for (int i = 0; i < s.size(); ++i) {
      TerminalRecord r{s.text(i, 0),    s.text(i, 1), s.text(i, 2), s.integer(i, 3),
                       s.integer(i, 4), {},           s.text(i, 6)};
      if (!s.is_null(i, 5)) r.revoked_at_ms = s.integer(i, 5);
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::optional<RevokeOutcome>> PgHqStorage::revoke_terminal(const std::string& terminal_id,
                                                                  const std::string& reason,
                                                                  std::int64_t now_ms) {
  using T = std::optional<RevokeOutcome>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    Rows s = q(db, "SELECT revoked_at_ms FROM terminals WHERE id = $1 FOR UPDATE", terminal_id);
    if (s.empty()) return T{};
    if (!s.is_null(0, 0)) return T{RevokeOutcome::already_revoked};
    q(db, "UPDATE terminals SET revoked_at_ms = $1, revoked_reason = $2 WHERE id = $3", now_ms,
      reason, terminal_id);
    tx.commit();
    return T{RevokeOutcome::revoked};
  });
}

// [SECTION] sync

Result<protocol::SyncResponse> PgHqStorage::sync_stored(const TerminalIdentity& terminal,
                                                        const protocol::SyncRequest& request,
                                                        std::int64_t now_ms) {
  using protocol::SyncResponse;
  return with_connection<SyncResponse>([&](PGconn* db) -> Result<SyncResponse> {
    SyncResponse out;
    Transaction tx(db);
    // Writers of one store take turns (a poll without events only reads and never waits).
    if (!request.events.empty() && !lock_store(db, terminal.store_id))
      throw DbError{"the terminal's store " + terminal.store_id + " is gone", {}};

    // Events up: each id at most once, ever. The events row goes in first: a second process
    // with the same id waits here for the first to commit, then finds it applied.
    for (const auto& event : request.events) {
      Rows inserted = q(db,
                        "INSERT INTO events (id, terminal_id, store_id, kind, hlc, "
                        "received_at_ms, body) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                        "ON CONFLICT (id) DO NOTHING",
                        event.id, terminal.terminal_id, terminal.store_id, event.kind, event.hlc,
                        now_ms, event.body);
      if (inserted.affected() == 0) {
        Rows seen = q(db, "SELECT store_id FROM events WHERE id = $1", event.id);
        if (!seen.empty() && seen.text(0, 0) == terminal.store_id) {
          out.acked.push_back(event.id);  // a retry: harmless, nothing changes
        } else {
          out.rejected.push_back({event.id,
                                  "this event id was already used by a terminal of another "
                                  "store; the terminal must make a new id"});
        }
        continue;
      }
      // A rejected event is not kept, as with SQLite: its row goes again.
      const auto reject = [&](std::string why) {
        q(db, "DELETE FROM events WHERE id = $1", event.id);
        out.rejected.push_back({event.id, std::move(why)});
      };
      const auto mention_known = [&](const std::string& mention_id) {
        return !q(db, "SELECT 1 FROM mentions WHERE store_id = $1 AND id = $2", terminal.store_id,
                  mention_id)
                    .empty();
      };
      // Kinds other than escalations: their contract was checked by the API; read and keep.
      if (event.kind == "training.answered") {
        const auto v = protocol::read_training_answered(event.body);
        if (!v) throw DbError{"a training.answered event passed its contract but did not read", {}};
        q(db,
          "INSERT INTO training_results (event_id, store_id, terminal_id, staff_id, lesson_id, "
          "lesson_version, correct, sure, answered_at_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          event.id, terminal.store_id, terminal.terminal_id, v->staff_id, v->lesson_id,
          std::int64_t{v->lesson_version}, v->correct ? "true" : "false",
          v->sure ? "true" : "false", v->answered_at_ms);
        out.acked.push_back(event.id);
        continue;
      }
      if (event.kind == "praise.shared") {
        const auto v = protocol::read_praise_shared(event.body);
        if (!v) throw DbError{"a praise.shared event passed its contract but did not read", {}};
        if (!mention_known(v->mention_id)) {
          reject("Head office has no mention \"" + v->mention_id + "\" at this store to share.");
          continue;
        }
        q(db,
          "INSERT INTO shared_praise (event_id, store_id, terminal_id, mention_id, note, "
          "staff_id, shared_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          event.id, terminal.store_id, terminal.terminal_id, v->mention_id, v->note, v->staff_id,
          v->shared_at_ms);
        out.acked.push_back(event.id);
        continue;
      }
      if (event.kind == "staff.lockout") {
        const auto v = protocol::read_staff_lockout(event.body);
        if (!v) throw DbError{"a staff.lockout event passed its contract but did not read", {}};
        q(db,
          "INSERT INTO staff_lockouts (event_id, store_id, terminal_id, staff_id, "
          "failed_attempts, lockout_number, locked_for_ms, locked_at_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          event.id, terminal.store_id, terminal.terminal_id, v->staff_id,
          std::int64_t{v->failed_attempts}, std::int64_t{v->lockout_number}, v->locked_for_ms,
          v->locked_at_ms);
        out.acked.push_back(event.id);
        continue;
      }
      if (event.kind == "reply.suggested") {
        const auto v = protocol::read_reply_suggested(event.body);
        if (!v) throw DbError{"a reply.suggested event passed its contract but did not read", {}};
        if (!mention_known(v->mention_id)) {
          reject("Head office has no mention \"" + v->mention_id + "\" at this store to reply to.");
          continue;
        }
        Rows added = q(db,
                       "INSERT INTO reply_suggestions (id, event_id, store_id, terminal_id, "
                       "mention_id, staff_id, text, suggested_at_ms) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                       v->suggestion_id, event.id, terminal.store_id, terminal.terminal_id,
                       v->mention_id, v->staff_id, v->text, v->suggested_at_ms);
        if (added.affected() == 0) {
          reject("the suggestion id " + v->suggestion_id +
                 " was already used; the terminal must make a new one");
          continue;
        }
        out.acked.push_back(event.id);
        continue;
      }
      if (core::action_kind_of_event(event.kind)) {
        auto v = protocol::read_escalation_acted(event.kind, event.body);
        if (!v) throw DbError{"an escalation action passed its contract but did not read", {}};
        std::optional<StoredEscalation> target =
            load_escalation(db, v->escalation_id, /*for_update=*/true);
        if (!target || target->store_id != terminal.store_id) {
          reject("Head office has no escalation " + v->escalation_id + " at this store to " +
                 std::string(core::to_string(v->action.kind)) + ".");
          continue;
        }
        v->action.id = event.id;
        v->action.hlc = event.hlc;
        v->action.terminal_id = terminal.terminal_id;
        apply_action_in_tx(db, *target, v->action, now_ms);
        out.acked.push_back(event.id);
        continue;
      }
      const auto other_store = [&] {
        reject("escalation " + event.escalation.id +
               " belongs to another store; head office will not move it");
      };
      std::optional<StoredEscalation> existing = load_escalation(db, event.escalation.id);
      if (existing && existing->store_id != terminal.store_id) {
        other_store();
        continue;
      }
      if (!existing && !event.escalation.mention_id.empty() &&
          !mention_known(event.escalation.mention_id)) {
        reject("Head office has no mention \"" + event.escalation.mention_id +
               "\" at this store to file the escalation against.");
        continue;
      }
      if (!existing) {
        // The ladder starts when head office received it, on head office's clock.
        StoredEscalation e{
            terminal.store_id, terminal.terminal_id, event.escalation, now_ms, {}, 0, 0};
        e.escalation.delivered_at_ms.reset();  // not stored; the terminal keeps its own
        const core::Escalation& x = e.escalation;
        Rows added = q(db,
                       "INSERT INTO escalations (id, store_id, mention_id, severity, note, "
                       "status, created_at_ms, status_changed_at_ms, acknowledged_by, "
                       "origin_terminal_id, staff_id, received_at_ms, category) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                       "ON CONFLICT (id) DO NOTHING",
                       x.id, e.store_id, x.mention_id, core::to_string(x.severity), x.note,
                       core::to_string(x.status), x.created_at_ms, x.status_changed_at_ms,
                       x.acknowledged_by, e.origin_terminal_id, x.staff_id, now_ms,
                       x.category ? std::string(core::to_string(*x.category)) : std::string());
        if (added.affected() == 1) {
          append_escalation_change(db, e, now_ms);
        } else {
          // Another process filed the same escalation meanwhile (a terminal of another store
          // only if it reused the id).
          existing = load_escalation(db, event.escalation.id);
          if (existing && existing->store_id != terminal.store_id) {
            other_store();
            continue;
          }
        }
      }
      // Otherwise the same escalation came again under a new event id: nothing to merge, as
      // in SqliteHqStorage::sync; the event is recorded and acknowledged.
      out.acked.push_back(event.id);
    }

    // Changes down: this store only, after the terminal's cursor, in order.
    // The page: as large as the terminal asked, within head office's caps (page_limit).
    const protocol::PageLimit page = protocol::page_limit(request);
    const auto limit = static_cast<std::int64_t>(page.changes);
    Rows changes = q(db,
                     "SELECT seq, kind, payload FROM changes WHERE store_id = $1 AND seq > $2 "
                     "ORDER BY seq LIMIT $3",
                     terminal.store_id, request.cursor, limit + 1);
    out.cursor = request.cursor;
    // Bounded by bytes as well as count, so no page outgrows what a terminal reads; the first
    // change always goes, however large, so the cursor moves.
    std::size_t page_bytes = 0;
    for (int i = 0; i < changes.size(); ++i) {
      std::string payload = changes.text(i, 2);
      const std::size_t change_bytes = payload.size() + 64;
      if (static_cast<std::int64_t>(out.changes.size()) == limit ||
          (!out.changes.empty() && page_bytes + change_bytes > page.bytes)) {
        out.more = true;
        break;
      }
      page_bytes += change_bytes;
      out.changes.push_back(
          stored_change(changes.integer(i, 0), changes.text(i, 1), std::move(payload)));
      out.cursor = out.changes.back().seq;
    }
    tx.commit();
    out.server_time_ms = now_ms;
    return out;
  });
}

// [SECTION] head office operations

Result<MentionUpsertCounts> PgHqStorage::upsert_mentions(const std::string& store_id,
                                                         const std::vector<core::Mention>& mentions,
                                                         std::int64_t now_ms) {
  return with_connection<MentionUpsertCounts>([&](PGconn* db) -> Result<MentionUpsertCounts> {
    MentionUpsertCounts counts;
    Transaction tx(db);
    if (!lock_store(db, store_id))
      return Result<MentionUpsertCounts>::failure(unknown_store(store_id));
    for (core::Mention m : mentions) {
      m.store_id = store_id;
      const std::string payload = mention_payload(m);
      bool existed = false;
      {
        Rows old = q(db,
                     "SELECT source, author, text, url, created_at_ms, payload FROM mentions "
                     "WHERE store_id = $1 AND id = $2",
                     store_id, m.id);
        if (!old.empty()) {
          existed = true;
          // Rows from before payloads were kept compare by the fields they had.
          const std::string was =
              !old.text(0, 5).empty()
                  ? old.text(0, 5)
                  : mention_payload({m.id, store_id, old.text(0, 0), old.text(0, 1), old.text(0, 2),
                                     old.text(0, 3), old.integer(0, 4)});
          if (was == payload) {
            ++counts.unchanged;
            continue;
          }
        }
      }
      const core::TriageColumns t = core::to_columns(triage_for(m));
      q(db,
        "INSERT INTO mentions (store_id, id, source, author, text, url, created_at_ms, payload, "
        "rating, sentiment, urgency, category, priority, reasons, triage_version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
        "ON CONFLICT (store_id, id) DO UPDATE SET "
        "source = excluded.source, author = excluded.author, text = excluded.text, "
        "url = excluded.url, created_at_ms = excluded.created_at_ms, payload = excluded.payload, "
        "rating = excluded.rating, sentiment = excluded.sentiment, urgency = excluded.urgency, "
        "category = excluded.category, priority = excluded.priority, reasons = excluded.reasons, "
        "triage_version = excluded.triage_version",
        store_id, m.id, m.source, m.author, m.text, m.url, m.created_at_ms, payload,
        m.rating ? std::optional<std::string>(std::to_string(*m.rating)) : std::nullopt,
        t.sentiment, t.urgency, t.category, t.priority, t.reasons,
        static_cast<std::int64_t>(core::kTriageVersion));
      append_change(db, store_id, "mention", m.id, mention_payload(m), now_ms);
      ++(existed ? counts.changed : counts.added);
    }
    tx.commit();
    return counts;
  });
}

Result<std::vector<StoredMention>> PgHqStorage::list_mentions(const std::string& store_id,
                                                              std::int64_t limit) {
  using T = std::vector<StoredMention>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    T out;
    Rows r = q(db,
               "SELECT id, source, author, text, url, created_at_ms, payload, sentiment, urgency, "
               "category, priority, reasons FROM mentions WHERE store_id = $1 "
               "ORDER BY priority DESC, created_at_ms DESC, id LIMIT $2",
               store_id, limit);
    for (int i = 0; i < r.size(); ++i) {
      StoredMention m;
      auto decoded = mention_from_payload(r.text(i, 6));
      m.mention = decoded ? decoded.value()
                          : core::Mention{r.text(i, 0), store_id,     r.text(i, 1),   r.text(i, 2),
                                          r.text(i, 3), r.text(i, 4), r.integer(i, 5)};
      m.triage = core::from_columns(
          {r.integer(i, 7), r.integer(i, 8), r.text(i, 9), r.integer(i, 10), r.text(i, 11)});
      out.push_back(std::move(m));
    }
    return out;
  });
}

Result<std::vector<StoredEscalation>> PgHqStorage::list_escalations(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredEscalation>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    T out;
    const std::string select = std::string("SELECT ") + kEscalationColumns + " FROM escalations";
    const char* order = R"( ORDER BY created_at_ms DESC, id COLLATE "C")";
    Rows s = store_id ? q(db, (select + " WHERE store_id = $1" + order).c_str(), *store_id)
                      : q(db, (select + order).c_str());
    for (int i = 0; i < s.size(); ++i) {
      out.push_back(escalation_from_row(s, i));
      load_actions(db, out.back());
    }
    return out;
  });
}

Result<std::optional<StoredEscalation>> PgHqStorage::find_escalation(
    const std::string& escalation_id) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>(
      [&](PGconn* db) -> Result<T> { return load_escalation(db, escalation_id); });
}

Result<std::optional<StoredEscalation>> PgHqStorage::apply_escalation_action(
    const std::string& escalation_id, const core::EscalationAction& action, std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id, /*for_update=*/true);
    if (!e) return T{};
    apply_action_in_tx(db, *e, action, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

Result<std::optional<StatusRaise>> PgHqStorage::raise_escalation_status(
    const std::string& escalation_id, core::EscalationStatus status, const std::string& by,
    std::int64_t now_ms) {
  using T = std::optional<StatusRaise>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id, /*for_update=*/true);
    if (!e) return T{};
    const auto merged = core::merge_status(e->escalation.status, status);
    if (merged == e->escalation.status) return T{StatusRaise{std::move(*e), false}};
    e->escalation.status = merged;
    e->escalation.status_changed_at_ms = now_ms;
    if (e->escalation.acknowledged_by.empty()) e->escalation.acknowledged_by = by;
    q(db,
      "UPDATE escalations SET status = $1, status_changed_at_ms = $2, acknowledged_by = $3, "
      "acknowledged_at_ms = coalesce(acknowledged_at_ms, $2) WHERE id = $4",
      core::to_string(merged), now_ms, e->escalation.acknowledged_by, escalation_id);
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{StatusRaise{std::move(*e), true}};
  });
}

Result<std::int64_t> PgHqStorage::count_events() {
  return with_connection<std::int64_t>([&](PGconn* db) -> Result<std::int64_t> {
    return q(db, "SELECT count(*) FROM events").integer(0, 0);
  });
}

Result<std::vector<StoredTrainingAnswer>> PgHqStorage::training_answers(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredTrainingAnswer>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "SELECT store_id, terminal_id, staff_id, lesson_id, lesson_version, correct, sure, "
               "answered_at_ms FROM training_results WHERE $1 = '' OR store_id = $1 "
               "ORDER BY answered_at_ms, event_id",
               store_id.value_or(""));
    T out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back(
          {r.text(i, 0), r.text(i, 1),
           protocol::TrainingAnswered{r.text(i, 2), r.text(i, 3), static_cast<int>(r.integer(i, 4)),
                                      r.flag(i, 5), r.flag(i, 6), r.integer(i, 7)}});
    return out;
  });
}

Result<std::vector<StoredPraise>> PgHqStorage::shared_praise(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredPraise>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "SELECT store_id, terminal_id, mention_id, note, staff_id, shared_at_ms "
               "FROM shared_praise WHERE $1 = '' OR store_id = $1 ORDER BY shared_at_ms, event_id",
               store_id.value_or(""));
    T out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back(
          {r.text(i, 0), r.text(i, 1),
           protocol::PraiseShared{r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5)}});
    return out;
  });
}

// [SECTION] staff

Result<bool> PgHqStorage::add_staff(const std::string& store_id, const protocol::StaffRecord& r) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Transaction tx(db);
    if (!lock_store(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    Rows added =
        q(db,
          "INSERT INTO staff (store_id, id, name, role, language, pin_hash, active, "
          "pin_set_at_ms, changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (store_id, id) DO NOTHING",
          store_id, r.member.id, r.member.name, core::to_string(r.member.role), r.member.language,
          r.pin_hash, r.active ? "true" : "false", r.pin_set_at_ms, r.changed_at_ms);
    if (added.affected() == 0) return false;
    append_staff_change(db, StoredStaff{store_id, r}, r.changed_at_ms);
    tx.commit();
    return true;
  });
}

Result<std::optional<StoredStaff>> PgHqStorage::set_staff_active(const std::string& store_id,
                                                                 const std::string& staff_id,
                                                                 bool active, std::int64_t now_ms) {
  using T = std::optional<StoredStaff>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    if (!lock_store(db, store_id)) return T{};
    auto s = load_staff_for_update(db, store_id, staff_id);
    if (!s) return T{};
    s->record.active = active;
    s->record.changed_at_ms = now_ms;
    q(db, "UPDATE staff SET active = $1, changed_at_ms = $2 WHERE store_id = $3 AND id = $4",
      active ? "true" : "false", now_ms, store_id, staff_id);
    append_staff_change(db, *s, now_ms);
    tx.commit();
    return T{std::move(*s)};
  });
}

Result<std::optional<StoredStaff>> PgHqStorage::set_staff_pin(const std::string& store_id,
                                                              const std::string& staff_id,
                                                              const std::string& pin_hash,
                                                              std::int64_t now_ms) {
  using T = std::optional<StoredStaff>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    if (!lock_store(db, store_id)) return T{};
    auto s = load_staff_for_update(db, store_id, staff_id);
    if (!s) return T{};
    s->record.pin_hash = pin_hash;
    s->record.pin_set_at_ms = now_ms;
    s->record.changed_at_ms = now_ms;
    q(db,
      "UPDATE staff SET pin_hash = $1, pin_set_at_ms = $2, changed_at_ms = $2 "
      "WHERE store_id = $3 AND id = $4",
      pin_hash, now_ms, store_id, staff_id);
    append_staff_change(db, *s, now_ms);
    tx.commit();
    return T{std::move(*s)};
  });
}

Result<std::vector<StoredStaff>> PgHqStorage::list_staff(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredStaff>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               (std::string("SELECT ") + kStaffColumns +
                " FROM staff WHERE $1 = '' OR store_id = $1 ORDER BY store_id, id")
                   .c_str(),
               store_id.value_or(""));
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(staff_from_row(r, i));
    return out;
  });
}

// [SECTION] sources, matching, the unmatched queue
namespace {
constexpr const char* kSourceColumns =
    "name, cursor, last_success_ms, last_error_ms, last_error, items_seen, items_skipped, "
    "next_poll_ms, failures, quota_day, quota_used, lease_holder, lease_until_ms";

SourceState source_from_row(const Rows& r, int i) {
  SourceState out;
  out.name = r.text(i, 0);
  out.cursor = r.text(i, 1);
  out.last_success_ms = r.integer(i, 2);
  out.last_error_ms = r.integer(i, 3);
  out.last_error = r.text(i, 4);
  out.items_seen = r.integer(i, 5);
  out.items_skipped = r.integer(i, 6);
  out.next_poll_ms = r.integer(i, 7);
  out.failures = static_cast<int>(r.integer(i, 8));
  out.quota_day = r.text(i, 9);
  out.quota_used = r.integer(i, 10);
  out.lease_holder = r.text(i, 11);
  out.lease_until_ms = r.integer(i, 12);
  return out;
}

UnmatchedMention unmatched_from_row(const Rows& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.integer(i, 4)};
}
}  // namespace

Result<bool> PgHqStorage::take_source_lease(const std::string& name, const std::string& holder,
                                            std::int64_t now_ms, std::int64_t until_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    // One statement: the row lock makes a second process wait and then see the new holder.
    Rows r = q(db,
               "INSERT INTO source_state (name, lease_holder, lease_until_ms) VALUES ($1, $2, $3) "
               "ON CONFLICT (name) DO UPDATE SET lease_holder = excluded.lease_holder, "
               "lease_until_ms = excluded.lease_until_ms "
               "WHERE source_state.lease_holder = excluded.lease_holder "
               "OR source_state.lease_holder = '' OR source_state.lease_until_ms <= $4",
               name, holder, until_ms, now_ms);
    return r.affected() == 1;
  });
}

Result<bool> PgHqStorage::save_source_state(const SourceState& st, const std::string& holder,
                                            bool release) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Rows r = q(db,
               "UPDATE source_state SET cursor = $1, last_success_ms = $2, last_error_ms = $3, "
               "last_error = $4, items_seen = $5, items_skipped = $6, next_poll_ms = $7, "
               "failures = $8, quota_day = $9, quota_used = $10, "
               "lease_holder = CASE WHEN $11 = '1' THEN '' ELSE lease_holder END, "
               "lease_until_ms = CASE WHEN $11 = '1' THEN 0 ELSE lease_until_ms END "
               "WHERE name = $12 AND lease_holder = $13",
               st.cursor, st.last_success_ms, st.last_error_ms, st.last_error, st.items_seen,
               st.items_skipped, st.next_poll_ms, std::int64_t{st.failures}, st.quota_day,
               st.quota_used, release ? "1" : "0", st.name, holder);
    return r.affected() == 1;
  });
}

Result<std::optional<SourceState>> PgHqStorage::source_state(const std::string& name) {
  using T = std::optional<SourceState>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r =
        q(db,
          (std::string("SELECT ") + kSourceColumns + " FROM source_state WHERE name = $1").c_str(),
          name);
    if (r.empty()) return T{};
    return T{source_from_row(r, 0)};
  });
}

Result<std::vector<SourceState>> PgHqStorage::source_states() {
  using T = std::vector<SourceState>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(
        db, (std::string("SELECT ") + kSourceColumns + " FROM source_state ORDER BY name").c_str());
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(source_from_row(r, i));
    return out;
  });
}

// [SECTION] training packs and replies

Result<PublishedPack> PgHqStorage::publish_training_pack(const protocol::TrainingPackChange& pack,
                                                         int lessons, std::int64_t now_ms) {
  return with_connection<PublishedPack>([&](PGconn* db) -> Result<PublishedPack> {
    Transaction tx(db);
    // One publisher of a pack at a time: the version is read, then written.
    q(db, "SELECT pg_advisory_xact_lock(hashtext('training_pack:' || $1))", pack.pack);
    PublishedPack out{pack.pack, 1, now_ms, lessons, 0};
    out.version =
        q(db, "SELECT coalesce(max(version), 0) + 1 FROM training_packs WHERE pack = $1", pack.pack)
            .integer(0, 0);
    protocol::TrainingPackChange stored = pack;
    stored.version = out.version;
    stored.published_at_ms = now_ms;
    const std::string payload = protocol::body_of(stored);
    q(db,
      "INSERT INTO training_packs (pack, version, published_at_ms, lessons, payload) "
      "VALUES ($1, $2, $3, $4, $5)",
      pack.pack, out.version, now_ms, std::int64_t{lessons}, payload);
    Rows stores = q(db, "SELECT id FROM stores ORDER BY id");
    for (int i = 0; i < stores.size(); ++i) {
      append_change(db, stores.text(i, 0), "training_pack", pack.pack, payload, now_ms);
      ++out.stores;
    }
    tx.commit();
    return out;
  });
}

Result<std::vector<PublishedPack>> PgHqStorage::training_packs() {
  using T = std::vector<PublishedPack>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "SELECT DISTINCT ON (pack) pack, version, published_at_ms, lessons "
               "FROM training_packs ORDER BY pack, version DESC");
    T out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back(
          {r.text(i, 0), r.integer(i, 1), r.integer(i, 2), static_cast<int>(r.integer(i, 3)), 0});
    return out;
  });
}

Result<bool> PgHqStorage::set_store_profile(const std::string& store_id, const std::string& json,
                                            std::int64_t now_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    if (q(db, "SELECT 1 FROM stores WHERE id = $1", store_id).empty())
      return Result<bool>::failure(unknown_store(store_id));
    q(db,
      "INSERT INTO store_profiles (store_id, profile, updated_at_ms) VALUES ($1, $2, $3) "
      "ON CONFLICT (store_id) DO UPDATE SET profile = excluded.profile, "
      "updated_at_ms = excluded.updated_at_ms",
      store_id, json, now_ms);
    return true;
  });
}

Result<std::vector<std::pair<std::string, std::string>>> PgHqStorage::store_profiles() {
  using T = std::vector<std::pair<std::string, std::string>>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db, "SELECT store_id, profile FROM store_profiles ORDER BY store_id");
    T out;
    for (int i = 0; i < r.size(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
    return out;
  });
}

Result<std::vector<StoredReplySuggestion>> PgHqStorage::reply_suggestions(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredReplySuggestion>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               (std::string("SELECT ") + kReplyColumns +
                " FROM reply_suggestions WHERE $1 = '' OR store_id = $1 "
                "ORDER BY suggested_at_ms, id")
                   .c_str(),
               store_id.value_or(""));
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(reply_from_row(r, i));
    return out;
  });
}

Result<std::vector<StoredStaffLockout>> PgHqStorage::staff_lockouts(
    const std::optional<std::string>& store_id) {
  using T = std::vector<StoredStaffLockout>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "SELECT store_id, terminal_id, staff_id, failed_attempts, lockout_number, "
               "locked_for_ms, locked_at_ms FROM staff_lockouts WHERE $1 = '' OR store_id = $1 "
               "ORDER BY locked_at_ms, event_id",
               store_id.value_or(""));
    T out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1),
                     protocol::StaffLockout{r.text(i, 2), static_cast<int>(r.integer(i, 3)),
                                            static_cast<int>(r.integer(i, 4)), r.integer(i, 5),
                                            r.integer(i, 6)}});
    return out;
  });
}

Result<std::optional<PostKey>> PgHqStorage::find_post_key(const std::string& key) {
  using T = std::optional<PostKey>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db, "SELECT mention_id, store_id FROM post_keys WHERE key = $1", key);
    if (r.empty()) return T{};
    return T{PostKey{r.text(0, 0), r.text(0, 1)}};
  });
}

Result<bool> PgHqStorage::put_post_key(const std::string& key, const PostKey& value,
                                       std::int64_t now_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Rows r = q(db,
               "INSERT INTO post_keys (key, mention_id, store_id, seen_at_ms) "
               "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
               key, value.mention_id, value.store_id, now_ms);
    return r.affected() == 1;
  });
}

Result<bool> PgHqStorage::set_post_store(const std::string& mention_id,
                                         const std::string& store_id) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Rows r =
        q(db, "UPDATE post_keys SET store_id = $1 WHERE mention_id = $2", store_id, mention_id);
    return r.affected() > 0;
  });
}

Result<bool> PgHqStorage::add_unmatched_mention(const UnmatchedMention& m) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Rows r = q(db,
               "INSERT INTO unmatched_mentions (mention_id, mention, reason, candidates, "
               "received_at_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mention_id) DO NOTHING",
               m.mention_id, m.mention_json, m.reason, m.candidates, m.received_at_ms);
    return r.affected() == 1;
  });
}

Result<std::vector<UnmatchedMention>> PgHqStorage::unmatched_mentions() {
  using T = std::vector<UnmatchedMention>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "SELECT mention_id, mention, reason, candidates, received_at_ms "
               "FROM unmatched_mentions ORDER BY received_at_ms, mention_id");
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(unmatched_from_row(r, i));
    return out;
  });
}

Result<std::optional<StoredReplySuggestion>> PgHqStorage::decide_reply(
    const std::string& suggestion_id, const std::string& outcome, const std::string& text,
    const std::string& comment, const std::string& by, std::int64_t now_ms) {
  using T = std::optional<StoredReplySuggestion>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    Rows found = q(db,
                   (std::string("SELECT ") + kReplyColumns +
                    " FROM reply_suggestions WHERE id = $1 FOR UPDATE")
                       .c_str(),
                   suggestion_id);
    if (found.empty()) return T{};
    StoredReplySuggestion r = reply_from_row(found, 0);
    if (r.outcome != "pending")
      return Result<T>::failure("suggestion " + suggestion_id + " was already " + r.outcome +
                                " by " + r.decided_by + "; nothing was changed");
    r.outcome = outcome;
    r.final_text = outcome == "rejected" ? std::string() : text;
    r.comment = comment;
    r.decided_by = by;
    r.decided_at_ms = now_ms;
    q(db,
      "UPDATE reply_suggestions SET outcome = $1, final_text = $2, comment = $3, "
      "decided_by = $4, decided_at_ms = $5 WHERE id = $6",
      r.outcome, r.final_text, r.comment, r.decided_by, now_ms, suggestion_id);
    append_change(
        db, r.store_id, "reply_outcome", suggestion_id,
        protocol::body_of(protocol::ReplyOutcome{suggestion_id, r.suggestion.mention_id, r.outcome,
                                                 r.final_text, r.comment, r.decided_by, now_ms}),
        now_ms);
    tx.commit();
    return T{std::move(r)};
  });
}

Result<std::optional<UnmatchedMention>> PgHqStorage::take_unmatched_mention(
    const std::string& mention_id) {
  using T = std::optional<UnmatchedMention>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db,
               "DELETE FROM unmatched_mentions WHERE mention_id = $1 "
               "RETURNING mention_id, mention, reason, candidates, received_at_ms",
               mention_id);
    if (r.empty()) return T{};
    return T{unmatched_from_row(r, 0)};
  });
}

// [SECTION] notes and reassignment

Result<std::optional<StoredEscalation>> PgHqStorage::add_escalation_note(
    const std::string& escalation_id, const std::string& by, const std::string& text,
    std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    // The row lock makes two notes added at once count against kMaxHqNotes one after the other.
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id, /*for_update=*/true);
    if (!e) return T{};
    if (e->escalation.hq_notes.size() >= kMaxHqNotes)
      return Result<T>::failure("escalation " + escalation_id + " already has " +
                                std::to_string(kMaxHqNotes) +
                                " notes from head office; nothing was added");
    q(db,
      "INSERT INTO escalation_notes (escalation_id, author, text, at_ms) VALUES ($1, $2, $3, $4)",
      escalation_id, by, text, now_ms);
    e->escalation.hq_notes.push_back({by, text, now_ms});
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

Result<std::optional<StoredEscalation>> PgHqStorage::reassign_escalation(
    const std::string& escalation_id, const std::string& holder, const std::string& by,
    std::int64_t now_ms) {
  using T = std::optional<StoredEscalation>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Transaction tx(db);
    std::optional<StoredEscalation> e = load_escalation(db, escalation_id, /*for_update=*/true);
    if (!e) return T{};
    const std::string note = "Reassigned to " + holder;
    q(db, "UPDATE escalations SET ladder_holder = $1 WHERE id = $2", holder, escalation_id);
    q(db,
      "INSERT INTO escalation_notes (escalation_id, author, text, at_ms) VALUES ($1, $2, $3, $4)",
      escalation_id, by, note, now_ms);
    e->escalation.ladder_holder = holder;
    if (e->escalation.ladder_level < 0) e->escalation.ladder_level = 0;
    e->escalation.hq_notes.push_back({by, note, now_ms});
    append_escalation_change(db, *e, now_ms);
    tx.commit();
    return T{std::move(*e)};
  });
}

// [SECTION] the ladder and its notifications
//
// Several kiosk-hq processes run the ladder and the dispatcher on one database at once. What
// keeps each step and each notification to one process:
// - advance_ladder moves an escalation only with a conditional UPDATE (WHERE the status, phase
//   and step are still the ones the step was computed from). A second process doing the same
//   waits for the first's row lock, and PostgreSQL then checks the WHERE again against the
//   committed row: it matches nothing, so the step's notifications are inserted once.
// - claim_due_notifications picks due rows with FOR UPDATE SKIP LOCKED and stamps
//   claimed_until_ms in the same statement: a row another process is claiming right now is
//   skipped rather than waited for, and a row claimed and committed meanwhile is re-checked
//   (claimed_until_ms > now) and left out, so no notification is sent by two processes.

Result<bool> PgHqStorage::set_store_policy(const std::string& store_id, const std::string& text,
                                           std::int64_t now_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Transaction tx(db);
    if (!lock_store(db, store_id)) return Result<bool>::failure(unknown_store(store_id));
    q(db,
      "INSERT INTO escalation_policies (store_id, text, set_at_ms) VALUES ($1, $2, $3) "
      "ON CONFLICT (store_id) DO UPDATE SET text = excluded.text, set_at_ms = excluded.set_at_ms",
      store_id, text, now_ms);
    // Down the changefeed too, so the store's terminals show response targets (an older
    // terminal skips the kind).
    append_change(db, store_id, "policy", store_id,
                  protocol::encode_entity(protocol::StorePolicyChange{text, now_ms}), now_ms);
    tx.commit();
    return true;
  });
}

Result<std::optional<std::string>> PgHqStorage::store_policy(const std::string& store_id) {
  using T = std::optional<std::string>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    Rows r = q(db, "SELECT text FROM escalation_policies WHERE store_id = $1", store_id);
    if (r.empty()) return T{};
    return T{r.text(0, 0)};
  });
}

Result<std::vector<LadderCandidate>> PgHqStorage::ladder_candidates() {
  using T = std::vector<LadderCandidate>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    // The escalation's columns, then the policy text; the notes and history are not needed.
    Rows r = q(db, (std::string("SELECT ") + kEscalationColumns +
                    ", (SELECT text FROM escalation_policies p WHERE p.store_id = e.store_id) "
                    "FROM escalations e WHERE e.status != 'resolved' AND EXISTS "
                    "(SELECT 1 FROM escalation_policies p WHERE p.store_id = e.store_id) "
                    R"(ORDER BY e.received_at_ms, e.id COLLATE "C")")
                       .c_str());
    T out;
    for (int i = 0; i < r.size(); ++i) {
      LadderCandidate c;
      c.stored = escalation_from_row(r, i);
      c.state.status = c.stored.escalation.status;
      c.state.raised_at_ms = c.stored.received_at_ms;
      c.state.acknowledged_at_ms = c.stored.acknowledged_at_ms;
      c.state.phase = c.stored.ladder_phase;
      c.state.step = c.stored.ladder_step;
      c.policy_text = r.text(i, r.columns() - 1);  // after the escalation's columns
      out.push_back(std::move(c));
    }
    return out;
  });
}

Result<bool> PgHqStorage::advance_ladder(const LadderAdvance& a, std::int64_t now_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Transaction tx(db);
    std::optional<StoredEscalation> found = load_escalation(db, a.escalation_id);
    if (!found) return false;
    // The store's row, then the escalation's, in the order a sync that brings an action on
    // this escalation takes them, so the two never wait for each other in opposite orders.
    lock_store(db, found->store_id);
    std::optional<StoredEscalation> e = load_escalation(db, a.escalation_id, /*for_update=*/true);
    if (!e) return false;
    Rows moved =
        q(db,
          "UPDATE escalations SET ladder_phase = $1, ladder_step = $2, ladder_level = $3, "
          "ladder_holder = $4, respond_by_ms = $5, next_climb_at_ms = $6 "
          "WHERE id = $7 AND status = $8 AND ladder_phase = $9 AND ladder_step = $10",
          std::int64_t{a.next.phase}, std::int64_t{a.next.step}, std::int64_t{a.level}, a.holder,
          a.respond_by_ms, a.next_climb_at_ms, a.escalation_id, core::to_string(a.expected.status),
          std::int64_t{a.expected.phase}, std::int64_t{a.expected.step});
    if (moved.affected() != 1) return false;  // another evaluator got there first
    for (const auto& act : a.actions) {
      q(db,
        "INSERT INTO outgoing_notifications (escalation_id, store_id, severity, recipient, level, "
        "phase, step, kind, reason, created_at_ms, next_attempt_at_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (escalation_id, phase, step) DO NOTHING",
        a.escalation_id, e->store_id, core::to_string(e->escalation.severity), act.who,
        std::int64_t{act.level}, std::int64_t{act.phase}, std::int64_t{act.step},
        act.kind == core::LadderAction::Kind::reclimb ? "reclimb" : "notify", act.why, now_ms,
        now_ms);
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

OutgoingNotification notification_from_row(const Rows& r, int i) {
  OutgoingNotification n;
  n.id = r.integer(i, 0);
  n.escalation_id = r.text(i, 1);
  n.store_id = r.text(i, 2);
  n.severity = core::parse_severity(r.text(i, 3)).value_or(core::Severity::medium);
  n.recipient = r.text(i, 4);
  n.level = static_cast<int>(r.integer(i, 5));
  n.phase = static_cast<int>(r.integer(i, 6));
  n.step = static_cast<int>(r.integer(i, 7));
  n.kind = r.text(i, 8);
  n.reason = r.text(i, 9);
  n.created_at_ms = r.integer(i, 10);
  n.state = r.text(i, 11);
  n.attempts = static_cast<int>(r.integer(i, 12));
  n.last_error = r.text(i, 13);
  n.next_attempt_at_ms = r.integer(i, 14);
  n.sent_at_ms = r.integer(i, 15);
  n.sender = r.text(i, 16);
  return n;
}
}  // namespace

Result<std::vector<OutgoingNotification>> PgHqStorage::claim_due_notifications(
    std::int64_t now_ms, std::int64_t lease_ms, int limit) {
  using T = std::vector<OutgoingNotification>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    // One statement (section comment above): pick with SKIP LOCKED, stamp the claim, return.
    Rows r = q(db,
               (std::string("UPDATE outgoing_notifications SET claimed_until_ms = $2 "
                            "WHERE id IN (SELECT id FROM outgoing_notifications "
                            "WHERE state = 'pending' AND next_attempt_at_ms <= $1 "
                            "AND claimed_until_ms <= $1 ORDER BY next_attempt_at_ms, id "
                            "LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ") +
                kNotificationColumns)
                   .c_str(),
               now_ms, now_ms + lease_ms, std::int64_t{limit});
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(notification_from_row(r, i));
    // RETURNING keeps no order: oldest first, as the caller sends them.
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
      return std::pair(x.next_attempt_at_ms, x.id) < std::pair(y.next_attempt_at_ms, y.id);
    });
    return out;
  });
}

Result<bool> PgHqStorage::finish_notification(std::int64_t id, const std::string& state,
                                              const std::string& error, const std::string& sender,
                                              std::int64_t next_attempt_at_ms,
                                              std::int64_t now_ms) {
  return with_connection<bool>([&](PGconn* db) -> Result<bool> {
    Rows r = q(db,
               "UPDATE outgoing_notifications SET state = $1, last_error = $2, sender = $3, "
               "attempts = attempts + 1, next_attempt_at_ms = $4, claimed_until_ms = 0, "
               "sent_at_ms = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at_ms END WHERE id = $6",
               state, error, sender, next_attempt_at_ms, now_ms, id);
    return r.affected() == 1;
  });
}

Result<std::vector<OutgoingNotification>> PgHqStorage::list_notifications(
    const std::optional<std::string>& escalation_id) {
  using T = std::vector<OutgoingNotification>;
  return with_connection<T>([&](PGconn* db) -> Result<T> {
    const std::string select =
        std::string("SELECT ") + kNotificationColumns + " FROM outgoing_notifications";
    Rows r = escalation_id
                 ? q(db, (select + " WHERE escalation_id = $1 ORDER BY id").c_str(), *escalation_id)
                 : q(db, (select + " ORDER BY id").c_str());
    T out;
    for (int i = 0; i < r.size(); ++i) out.push_back(notification_from_row(r, i));
    return out;
  });
}

Result<std::int64_t> PgHqStorage::latest_seq(const std::string& store_id) {
  return with_connection<std::int64_t>([&](PGconn* db) -> Result<std::int64_t> {
    // The store's counter row as committed: every change up to it has committed too, since
    // a change's seq is taken from this row in the transaction that appends it.
    Rows r = q(db, "SELECT last_change_seq FROM stores WHERE id = $1", store_id);
    return r.empty() ? std::int64_t{0} : r.integer(0, 0);
  });
}

// [SECTION] re-triage (kiosk-hq mentions retriage)

Result<RetriageBatch> PgHqStorage::retriage_mentions(const std::optional<std::string>& store_id,
                                                     std::int64_t limit, std::int64_t now_ms) {
  return with_connection<RetriageBatch>([&](PGconn* db) -> Result<RetriageBatch> {
    RetriageBatch batch;
    Transaction tx(db);
    // SKIP LOCKED: two processes re-triaging at once take different rows. Stores are locked
    // in store_id order as changes are appended, the same order in every batch.
    const std::string sql =
        std::string(
            "SELECT store_id, id, source, author, text, url, created_at_ms, payload, "
            "sentiment, urgency, category, priority, reasons FROM mentions "
            "WHERE triage_version < $1 ") +
        (store_id ? "AND store_id = $3 " : "") +
        "ORDER BY store_id, id LIMIT $2 FOR UPDATE SKIP LOCKED";
    const auto version = static_cast<std::int64_t>(core::kTriageVersion);
    Rows r = store_id ? q(db, sql.c_str(), version, limit, *store_id)
                      : q(db, sql.c_str(), version, limit);
    for (int i = 0; i < r.size(); ++i) {
      const std::string row_store = r.text(i, 0);
      auto decoded = mention_from_payload(r.text(i, 7));
      core::Mention m =
          decoded ? decoded.value()
                  : core::Mention{r.text(i, 1), row_store,    r.text(i, 2),   r.text(i, 3),
                                  r.text(i, 4), r.text(i, 5), r.integer(i, 6)};
      m.store_id = row_store;
      const core::TriageColumns was{r.integer(i, 8), r.integer(i, 9), r.text(i, 10),
                                    r.integer(i, 11), r.text(i, 12)};
      const core::TriageColumns t = core::to_columns(triage_for(m));
      q(db,
        "UPDATE mentions SET sentiment = $1, urgency = $2, category = $3, priority = $4, "
        "reasons = $5, triage_version = $6 WHERE store_id = $7 AND id = $8",
        t.sentiment, t.urgency, t.category, t.priority, t.reasons, version, row_store, m.id);
      ++batch.examined;
      if (t == was) continue;
      append_change(db, row_store, "mention", m.id, mention_payload(m), now_ms);
      ++batch.changed;
    }
    tx.commit();
    return batch;
  });
}

}  // namespace kiosk::sync::hq

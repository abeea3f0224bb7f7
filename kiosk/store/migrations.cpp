#include "kiosk/store/migrations.h"

#include <array>
#include <string>

namespace kiosk::store {
namespace {

constexpr std::array<Migration, 5> kMigrations = {{
    {1, R"sql(
CREATE TABLE mentions(
  id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  author TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL);
CREATE INDEX mentions_newest_first ON mentions(created_at_ms DESC);

CREATE TABLE escalations(
  id TEXT PRIMARY KEY,
  mention_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  status_changed_at_ms INTEGER NOT NULL,
  hlc TEXT NOT NULL DEFAULT '');
CREATE INDEX escalations_by_mention ON escalations(mention_id, created_at_ms);

-- Events waiting for head office. A row leaves only when HQ acknowledges it; a row HQ
-- rejected stays, with the reason, for store IT to see.
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  hlc TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  rejected_reason TEXT);

CREATE TABLE sync_state(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor INTEGER NOT NULL DEFAULT 0,
  hq_url TEXT NOT NULL DEFAULT '',
  terminal_id TEXT NOT NULL DEFAULT '',
  store_id TEXT NOT NULL DEFAULT '',
  store_name TEXT NOT NULL DEFAULT '',
  token TEXT NOT NULL DEFAULT '',
  last_success_ms INTEGER,
  last_attempt_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  hlc_last TEXT NOT NULL DEFAULT '');
INSERT INTO sync_state(id) VALUES (1);
)sql"},
    // 2: what the sync worker is doing, for `kiosk status` in another process.
    {2, R"sql(
ALTER TABLE sync_state ADD COLUMN last_error_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN worker_state TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN next_attempt_ms INTEGER;
)sql"},
    // 3: training progress per member of staff and lesson.
    {3, R"sql(
-- Training progress per member of staff and lesson (kiosk/core/training_schedule.h): the
-- Leitner box, when the lesson is due again, the last answer and its confidence, and totals.
-- Keyed by lesson id, not version: a new version of a lesson keeps the progress made on it.
CREATE TABLE training_progress(
  staff_id TEXT NOT NULL,
  lesson_id TEXT NOT NULL,
  lesson_version INTEGER NOT NULL,
  box INTEGER NOT NULL,
  due_ms INTEGER NOT NULL,
  first_answered_ms INTEGER NOT NULL,
  last_answered_ms INTEGER NOT NULL,
  last_correct INTEGER NOT NULL,
  last_sure INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  sure INTEGER NOT NULL,
  PRIMARY KEY (staff_id, lesson_id));
)sql"},
    // 4: outbox events of every kind: the body an event carries when it is not an escalation.
    {4, R"sql(
ALTER TABLE outbox ADD COLUMN body TEXT NOT NULL DEFAULT '';
)sql"},
    // 5: escalations with authority and a clock: raised with no post (a category instead),
    // who raised it, head office's ladder position, reopening as a new generation, the
    // actions on each (kiosk/core/escalation_actions.h), and the store's policy from HQ.
    {5, R"sql(
ALTER TABLE escalations ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN raised_by TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalations ADD COLUMN resolution_note TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN resolution_key TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN holder_key TEXT NOT NULL DEFAULT '';
ALTER TABLE escalations ADD COLUMN ladder_level INTEGER NOT NULL DEFAULT -1;
ALTER TABLE escalations ADD COLUMN respond_by_ms INTEGER;
ALTER TABLE escalations ADD COLUMN next_climb_at_ms INTEGER;
-- Every action on an escalation, from this terminal or head office; append-only.
CREATE TABLE escalation_history(
  id TEXT PRIMARY KEY,
  escalation_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  generation INTEGER NOT NULL,
  actor TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  hlc TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX escalation_history_by_escalation ON escalation_history(escalation_id);
ALTER TABLE sync_state ADD COLUMN policy_text TEXT NOT NULL DEFAULT '';
)sql"},
}};

}  // namespace

std::span<const Migration> kiosk_migrations() {
  return kMigrations;
}

int schema_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.column_int(0));
}

namespace {
std::int64_t application_id(Database& db) {
  auto st = db.prepare("PRAGMA application_id");
  st.step();
  return st.column_int(0);
}
}  // namespace

void check_kiosk_file(Database& db) {
  const std::int64_t id = application_id(db);
  if (id == kKioskApplicationId) return;
  const auto refuse = [&](const std::string& why) {
    throw StoreError(0, db.path() + " is not a kiosk database (" + why +
                            "). Check the --db path; the file was left untouched.");
  };
  if (id != 0) refuse("it belongs to another program");
  auto st = db.prepare(
      "SELECT count(*), sum(name IN ('mentions', 'escalations', 'outbox', 'sync_state')) "
      "FROM sqlite_master WHERE type = 'table'");
  st.step();
  const std::int64_t tables = st.column_int(0);
  if (tables == 0) return;            // a new, empty file
  if (st.column_int(1) == 4) return;  // a kiosk file from before the id was set
  if (st.column_int(1) == 0 && tables > 0) {
    auto hq =
        db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('terminals', 'changes')");
    hq.step();
    if (hq.column_int(0) == 2) refuse("it is a head office kiosk-hq database");
  }
  refuse("it holds tables the kiosk did not create");
}

void migrate(Database& db, std::span<const Migration> steps) {
  const int current = schema_version(db);
  const int latest = steps.empty() ? 0 : steps.back().version;
  if (current > latest) {
    throw StoreError(0, "The kiosk database " + db.path() +
                            " was written by a newer version of "
                            "the kiosk (schema " +
                            std::to_string(current) + ", this program knows up to " +
                            std::to_string(latest) +
                            "). Install the newer kiosk; the file was left untouched.");
  }
  if (current < latest) db.exec("PRAGMA application_id = " + std::to_string(kKioskApplicationId));
  for (const Migration& m : steps) {
    if (m.version <= current) continue;
    Transaction tx(db);
    db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
  }
}

}  // namespace kiosk::store

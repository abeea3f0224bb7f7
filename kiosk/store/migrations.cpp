#include "kiosk/store/migrations.h"

#include <array>
#include <string>

namespace kiosk::store {
namespace {

constexpr std::array<Migration, 12> kMigrations = {{
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
    // 5: staff who tap in with a PIN (from head office's changefeed: only the Argon2id hash of
    // the PIN), each one's wrong PINs on this terminal, and who raised an escalation.
    {5, R"sql(
CREATE TABLE staff(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL,
  pin_set_at_ms INTEGER NOT NULL,
  changed_at_ms INTEGER NOT NULL);
-- Wrong PINs and lockouts (kiosk/core/staff.h), kept across restarts so that restarting the
-- app does not give a guesser three more tries. A new PIN from head office clears them.
CREATE TABLE pin_attempts(
  staff_id TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  lockouts INTEGER NOT NULL,
  locked_until_ms INTEGER NOT NULL);
ALTER TABLE escalations ADD COLUMN staff_id TEXT NOT NULL DEFAULT '';
)sql"},
    // 6: lesson packs head office published (the newest valid version of each, file by file,
    // and the last version refused with why), and replies staff suggested with HQ's outcome.
    {6, R"sql(
CREATE TABLE training_packs(
  pack TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  published_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL);
CREATE TABLE training_pack_files(
  pack TEXT NOT NULL,
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (pack, name));
CREATE TABLE training_pack_refusals(
  pack TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at_ms INTEGER NOT NULL);
CREATE TABLE reply_suggestions(
  id TEXT PRIMARY KEY,
  mention_id TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  text TEXT NOT NULL,
  suggested_at_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'pending',
  final_text TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at_ms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX reply_suggestions_by_mention ON reply_suggestions(mention_id, suggested_at_ms);
CREATE TABLE kiosk_settings(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
)sql"},

    // 7: what staff need to judge a mention (rating, language, reach, place, reply, edit time)
    // and its triage (kiosk/core/triage.h), kept with it so the feed sorts and filters in SQL.
    {7, R"sql(
ALTER TABLE mentions ADD COLUMN rating INTEGER;
ALTER TABLE mentions ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_followers INTEGER;
ALTER TABLE mentions ADD COLUMN likes INTEGER;
ALTER TABLE mentions ADD COLUMN reposts INTEGER;
ALTER TABLE mentions ADD COLUMN replies INTEGER;
ALTER TABLE mentions ADD COLUMN place_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN lat REAL;
ALTER TABLE mentions ADD COLUMN lon REAL;
ALTER TABLE mentions ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN owner_reply TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN edited_at_ms INTEGER;
-- Triage: sentiment -1/0/1, urgency 0-3, category key, priority (the feed's order), reason
-- keys joined by ',', the associate a post names; triaged = 0 until the full lexicon ran.
ALTER TABLE mentions ADD COLUMN sentiment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN urgency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE mentions ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN staff_who TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN staff_where TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN triaged INTEGER NOT NULL DEFAULT 0;
-- When staff last shared this praise with the team (a praise.shared event), if ever.
ALTER TABLE mentions ADD COLUMN praise_shared_at_ms INTEGER;
-- The feed's order, and the same order inside the filters that are not a priority range.
CREATE INDEX mentions_feed ON mentions(priority DESC, created_at_ms DESC);
CREATE INDEX mentions_feed_negative ON mentions(priority DESC, created_at_ms DESC)
  WHERE sentiment < 0;
CREATE INDEX mentions_feed_reviews ON mentions(priority DESC, created_at_ms DESC)
  WHERE rating IS NOT NULL;
CREATE INDEX mentions_untriaged ON mentions(triaged) WHERE triaged = 0;
)sql"},
    // 8: escalations with authority and a clock: raised with no post (a category instead), head
    // office's ladder position, reopening as a new generation, the actions on each
    // (kiosk/core/escalation_actions.h), and the store's policy from HQ.
    {8, R"sql(
ALTER TABLE escalations ADD COLUMN category TEXT NOT NULL DEFAULT '';
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
    {9, R"sql(
-- How this terminal reaches head office over TLS, given at enrollment: a CA file to trust
-- instead of the system's, a pinned public key, and whether plain http:// to a host that is
-- not this machine was allowed on purpose.
ALTER TABLE sync_state ADD COLUMN hq_ca_file TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN hq_pin TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN hq_allow_plain_http INTEGER NOT NULL DEFAULT 0;
)sql"},
    {10, R"sql(
-- The window's screen, open dialog and half-typed texts, saved as the person works so a
-- crashed or killed window reopens where it was; cleared on a clean exit. Never a PIN.
CREATE TABLE ui_session(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  record TEXT NOT NULL,
  saved_at_ms INTEGER NOT NULL);
)sql"},
    {11, R"sql(
-- Search: every trigram of each mention's text and author (case folded), pointing at the
-- mention's rowid, so a search of 3 characters or more is a lookup instead of reading every
-- row. External content: the words stay in mentions only; the triggers keep the index in step.
-- detail=none and columnsize=0: only which rows hold each trigram, no positions, columns or
-- sizes (cheaper to write, smaller); the search re-checks every candidate row exactly.
-- The update trigger does nothing when a row is stored again with the same text and author.
CREATE VIRTUAL TABLE mentions_search USING fts5(
  text, author, content = 'mentions', content_rowid = 'rowid', tokenize = 'trigram',
  detail = none, columnsize = 0);
CREATE TRIGGER mentions_search_insert AFTER INSERT ON mentions BEGIN
  INSERT INTO mentions_search(rowid, text, author) VALUES (new.rowid, new.text, new.author);
END;
CREATE TRIGGER mentions_search_delete AFTER DELETE ON mentions BEGIN
  INSERT INTO mentions_search(mentions_search, rowid, text, author)
    VALUES ('delete', old.rowid, old.text, old.author);
END;
CREATE TRIGGER mentions_search_update AFTER UPDATE OF text, author ON mentions
WHEN old.text IS NOT new.text OR old.author IS NOT new.author BEGIN
  INSERT INTO mentions_search(mentions_search, rowid, text, author)
    VALUES ('delete', old.rowid, old.text, old.author);
  INSERT INTO mentions_search(rowid, text, author) VALUES (new.rowid, new.text, new.author);
END;
INSERT INTO mentions_search(mentions_search) VALUES ('rebuild');
)sql"},
    {12, R"sql(
-- When each mention arrived: the training desk asks for the newest arrival and for those after
-- the last it looked at on every start, which without it read every row of the table.
CREATE INDEX mentions_received ON mentions(received_at_ms);
)sql"},
}};

}  // namespace

std::span<const Migration> kiosk_migrations() {
  return kMigrations;
}

sqlite::OpenOptions kiosk_open_options() {
  sqlite::OpenOptions options;
  options.names = {"kiosk database", "the kiosk", ", or start fresh and re-enroll"};
  return options;
}

void check_kiosk_file(Database& db) {
  const std::int64_t id = sqlite::application_id(db);
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
  sqlite::migrate(db, sqlite::Schema{kKioskApplicationId, steps, "the kiosk",
                                     "Install the newer kiosk; the file was left untouched."});
}

}  // namespace kiosk::store

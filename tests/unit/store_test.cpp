// The local database: migrations, escalation + outbox in one transaction, sync batches.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/migrations.h"

using namespace kiosk;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("kiosk-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const char* name) const { return (path / name).string(); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

core::Mention demo_mention(const std::string& id, std::int64_t at) {
  return {id, "s1", "google", "Ana", "The queue at checkout 4 is 30 minutes long", "", at};
}

int count_rows(const std::string& path, const char* table) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &st, nullptr);
  sqlite3_step(st);
  const int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST_CASE("[store] a new file gets the current schema in WAL mode") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  store::Database raw(dir.file("kiosk.sqlite"));
  CHECK(store::schema_version(raw) == store::kiosk_migrations().back().version);
  auto st = raw.prepare("PRAGMA journal_mode");
  st.step();
  CHECK(st.column_text(0) == "wal");
}

TEST_CASE("[store] migrations upgrade an older file step by step and keep its data") {
  TempDir dir;
  const std::string path = dir.file("old.sqlite");
  const store::Migration v1[] = {
      {1, "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('kept');"}};
  const store::Migration v2[] = {v1[0],
                                 {2, "ALTER TABLE notes ADD COLUMN pinned INTEGER DEFAULT 0;"}};
  {
    store::Database db(path);
    store::migrate(db, v1);
    CHECK(store::schema_version(db) == 1);
  }
  store::Database db(path);
  store::migrate(db, v2);
  CHECK(store::schema_version(db) == 2);
  auto st = db.prepare("SELECT body, pinned FROM notes");
  REQUIRE(st.step());
  CHECK(st.column_text(0) == "kept");
  CHECK(st.column_int(1) == 0);
}

TEST_CASE("[sqlite] one migration runner: each step once, another program's file refused") {
  TempDir dir;
  const std::string path = dir.file("shared.sqlite");
  const kiosk::sqlite::Migration steps[] = {{1, "CREATE TABLE a(x INTEGER);"},
                                            {2, "INSERT INTO a VALUES (2);"}};
  const kiosk::sqlite::Schema mine{0x11111111, steps, "the first program", "Upgrade it."};
  {
    kiosk::sqlite::Database db(path);
    kiosk::sqlite::migrate(db, mine);
    kiosk::sqlite::migrate(db, mine);  // again: nothing left to run
    auto st = db.prepare("SELECT count(*) FROM a");
    REQUIRE(st.step());
    CHECK(st.column_int(0) == 1);
    CHECK(kiosk::sqlite::application_id(db) == 0x11111111);
  }
  const kiosk::sqlite::Schema theirs{0x22222222, steps, "the second program", "Upgrade it."};
  kiosk::sqlite::Database db(path);
  try {
    kiosk::sqlite::migrate(db, theirs);
    FAIL("another program's file must be refused");
  } catch (const kiosk::sqlite::DbError& e) {
    CHECK(e.error().kind == kiosk::core::ErrorKind::local_storage);
    CHECK(e.error().message.find("belongs to another program") != std::string::npos);
  }
  CHECK(kiosk::sqlite::application_id(db) == 0x11111111);
}

TEST_CASE("[store] a file from a newer kiosk is refused and left untouched") {
  TempDir dir;
  const std::string path = dir.file("newer.sqlite");
  {
    store::Database db(path);
    db.exec("PRAGMA user_version = 99");
  }
  try {
    store::Store s(path);
    FAIL("a newer schema must be refused");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("newer version of the kiosk") != std::string::npos);
  }
  store::Database db(path);
  CHECK(store::schema_version(db) == 99);
}

TEST_CASE("[store] a damaged file is refused with a sentence store IT can act on") {
  TempDir dir;
  const std::string path = dir.file("garbage.sqlite");
  std::ofstream(path) << std::string(8192, 'x');
  try {
    store::Store s(path);
    FAIL("a damaged file must be refused");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("damaged or is not a kiosk database") != std::string::npos);
  }
}

TEST_CASE("[store] escalating commits the escalation and its outbox event together") {
  TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  store::Store s(path);
  s.upsert_mentions({demo_mention("m1", 1000)}, 2000);
  const auto e = s.escalate("m1", core::Severity::critical, "Angry customer at till 2", 3000);
  CHECK(core::progress_of(e) == core::EscalationProgress::queued_on_terminal);
  // Seen from a separate connection: both rows are durable, not just in this one's cache.
  CHECK(count_rows(path, "escalations") == 1);
  CHECK(count_rows(path, "outbox") == 1);
  const auto pending = s.pending_events(10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].escalation.id == e.id);
  CHECK(pending[0].escalation.note == "Angry customer at till 2");
  CHECK(s.sync_state().events_waiting == 1);
  CHECK(s.latest_escalations({"m1"}).at("m1").severity == core::Severity::critical);
}

TEST_CASE("[store] escalating an unknown mention changes nothing") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  CHECK_THROWS_WITH(s.escalate("nope", core::Severity::low, "", 1),
                    doctest::Contains("no mention \"nope\""));
  CHECK(s.escalations().empty());
  CHECK(s.sync_state().events_waiting == 0);
}

TEST_CASE("[store] a full disk loses nothing already committed and says so") {
  TempDir dir;
  const std::string path = dir.file("full.sqlite");
  store::Store s(path);
  s.upsert_mentions({demo_mention("m1", 1000)}, 2000);
  const auto first = s.escalate("m1", core::Severity::high, "first", 3000);
  {
    // Cap the file at its current size: SQLite then reports SQLITE_FULL exactly as on a
    // full device.
    store::Database raw(path);
    raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  store::Database raw(path);
  auto pc = raw.prepare("PRAGMA page_count");
  pc.step();
  const auto pages = pc.column_int(0);
  std::string big(200'000, 'x');
  bool failed = false;
  try {
    // The cap is per connection, so write through this one.
    raw.exec("PRAGMA max_page_count = " + std::to_string(pages));
    raw.exec("BEGIN IMMEDIATE");
    auto ins = raw.prepare(
        "INSERT INTO escalations(id, mention_id, severity, note, status, "
        "created_at_ms, status_changed_at_ms) VALUES ('x','m1','low',?1,'open',1,1)");
    ins.bind(1, big).run();
    raw.exec("COMMIT");
  } catch (const store::StoreError& e) {
    failed = true;
    CHECK(std::string(e.what()).find("disk is full") != std::string::npos);
    // One error convention: the store's error is a core::Error the sync worker acts on.
    CHECK(e.error().kind == core::ErrorKind::local_storage);
    CHECK(e.error().message.find("disk is full") != std::string::npos);
    CHECK(e.error().hint == "Free space on the device and try again.");
    sqlite3_exec(raw.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  CHECK(failed);
  const auto all = s.escalations();
  REQUIRE(all.size() == 1);
  CHECK(all[0].id == first.id);
  CHECK(s.sync_state().events_waiting == 1);
}

TEST_CASE("[store] a sync batch delivers, applies changes and stores the cursor at once") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  s.upsert_mentions({demo_mention("m1", 1000)}, 2000);
  const auto e = s.escalate("m1", core::Severity::high, "", 3000);
  const auto event_id = s.pending_events(1).at(0).event_id;

  store::SyncBatch b;
  b.acked_event_ids = {event_id};
  b.mentions = {demo_mention("m2", 4000)};
  b.new_cursor = 12;
  b.now_ms = 5000;
  s.apply_sync_batch(b);
  CHECK(s.sync_state().events_waiting == 0);
  CHECK(s.sync_state().cursor == 12);
  CHECK(s.sync_state().last_success_ms == 5000);
  CHECK(core::progress_of(s.escalations().at(0)) == core::EscalationProgress::delivered_to_hq);
  CHECK(s.recent_mentions(10).at(0).id == "m2");  // newest first

  SUBCASE("an acknowledgement from HQ shows, and an older copy cannot undo it") {
    auto acked = e;
    acked.status = core::EscalationStatus::acknowledged;
    acked.acknowledged_by = "HQ ops";
    store::SyncBatch b2;
    b2.escalations = {acked};
    b2.new_cursor = 13;
    b2.now_ms = 6000;
    s.apply_sync_batch(b2);
    store::SyncBatch b3;
    b3.escalations = {e};  // a replayed, older copy: status open
    b3.new_cursor = 11;    // and an older cursor
    b3.now_ms = 7000;
    s.apply_sync_batch(b3);
    const auto now = s.escalations().at(0);
    CHECK(now.status == core::EscalationStatus::acknowledged);
    CHECK(now.acknowledged_by == "HQ ops");
    CHECK(s.sync_state().cursor == 13);  // never goes backwards
  }
  SUBCASE("an event HQ rejects stays on the terminal with the reason") {
    s.escalate("m1", core::Severity::low, "again", 8000);
    const auto id2 = s.pending_events(1).at(0).event_id;
    store::SyncBatch b2;
    b2.rejected = {{id2, "mention belongs to another store"}};
    b2.new_cursor = 12;
    b2.now_ms = 9000;
    s.apply_sync_batch(b2);
    CHECK(s.pending_events(10).empty());
    CHECK(s.sync_state().events_rejected == 1);
    CHECK(s.escalations().size() == 2);
  }
}

TEST_CASE("[store] the change counter moves for this connection's and another's commits") {
  TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  store::Store ui(path);
  store::Store worker(path);
  const auto before = ui.change_counter();
  worker.upsert_mentions({demo_mention("m1", 1)}, 2);
  const auto after_other = ui.change_counter();
  CHECK(after_other != before);
  ui.escalate("m1", core::Severity::low, "", 3);
  CHECK(ui.change_counter() != after_other);
  CHECK(ui.change_counter() == ui.change_counter());  // stable while nothing changes
}

TEST_CASE("[store] enrollment is kept, and a new store restarts the changefeed") {
  TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  CHECK_FALSE(s.enrollment().has_value());
  s.save_enrollment({"http://127.0.0.1:1", "t1", "s1", "Downtown", "secret"});
  store::SyncBatch b;
  b.new_cursor = 40;
  b.now_ms = 1;
  s.apply_sync_batch(b);
  s.save_enrollment({"http://127.0.0.1:1", "t2", "s1", "Downtown", "secret2"});
  CHECK(s.sync_state().cursor == 40);
  s.save_enrollment({"http://127.0.0.1:1", "t3", "s2", "Uptown", "secret3"});
  CHECK(s.sync_state().cursor == 0);
  CHECK(s.enrollment()->store_name == "Uptown");
}

TEST_CASE("[store] training progress is kept per member of staff and lesson") {
  TempDir dir;
  const std::string path = dir.file("kiosk.sqlite");
  core::LessonProgress p;
  p.lesson_version = 2;
  p.box = 3;
  p.due_ms = 1'000'000;
  p.first_answered_ms = 10;
  p.last_answered_ms = 20;
  p.last_correct = true;
  p.last_sure = false;
  p.answered = 4;
  p.correct = 3;
  p.sure = 2;
  {
    store::Store s(path);
    CHECK(s.training_progress("ana").empty());
    s.save_training_progress("ana", "listen-first", p);
    s.save_training_progress("bea", "listen-first", core::LessonProgress{});
    p.box = 4;
    s.save_training_progress("ana", "listen-first", p);  // replaces
  }
  store::Store reopened(path);
  const auto ana = reopened.training_progress("ana");
  REQUIRE(ana.size() == 1);
  const auto& got = ana.at("listen-first");
  CHECK(got.box == 4);
  CHECK(got.lesson_version == 2);
  CHECK(got.due_ms == 1'000'000);
  CHECK(got.last_correct);
  CHECK_FALSE(got.last_sure);
  CHECK(got.answered == 4);
  CHECK(got.correct == 3);
  CHECK(got.sure == 2);
  CHECK(reopened.training_progress("bea").size() == 1);
}

namespace {

store::ReceivedPack small_pack(std::int64_t version, int lesson_version, bool broken = false) {
  store::ReceivedPack p{"basics", version, 1'780'000'000'000, {}};
  for (const char* lang : {"en", "es"}) {
    std::string text = "id: wait-honestly\nversion: " + std::to_string(lesson_version) +
                       "\nlanguage: " + lang + "\ntitle: Be honest about the wait\n" +
                       "categories: wait_time\n---\nSay how long it will really take.\n";
    if (broken && std::string(lang) == "es") text += "---\nquestion: ?\na: x\nanswer: z\n";
    p.files.push_back({std::string("wait-honestly.") + lang + ".lesson", text});
  }
  return p;
}

}  // namespace

TEST_CASE(
    "[store][training] a received pack is checked again, kept when newer, and a bad one "
    "is refused with the previous kept") {
  TempDir dir;
  store::Store s(dir.file("k.sqlite"));
  CHECK_FALSE(s.received_pack("basics"));
  store::SyncBatch b;
  b.packs = {small_pack(2, 1)};
  b.new_cursor = 1;
  b.now_ms = 10;
  s.apply_sync_batch(b);
  REQUIRE(s.received_pack("basics"));
  CHECK(s.received_pack("basics")->version == 2);
  CHECK(s.received_pack("basics")->files.size() == 2);

  b.packs = {small_pack(3, 2, /*broken=*/true)};  // refused: version 2 stays
  b.new_cursor = 2;
  s.apply_sync_batch(b);
  CHECK(s.received_pack("basics")->version == 2);
  REQUIRE(s.pack_refusal("basics"));
  CHECK(s.pack_refusal("basics")->version == 3);
  CHECK(s.pack_refusal("basics")->reason.find("wait-honestly.es.lesson:") != std::string::npos);
  CHECK(s.sync_state().cursor == 2);  // the batch itself went through

  b.packs = {small_pack(1, 5)};  // an older publication (a replay) changes nothing
  s.apply_sync_batch(b);
  CHECK(s.received_pack("basics")->version == 2);
  CHECK(s.received_pack("basics")->files[0].content.find("version: 1") != std::string::npos);
}

TEST_CASE(
    "[store][replies] a suggestion is queued with its event, and head office's outcome "
    "lands on it") {
  TempDir dir;
  store::Store s(dir.file("k.sqlite"));
  s.upsert_mentions({demo_mention("m1", 1000)}, 2000);
  store::ReplySuggestion r;
  r.id = store::Store::make_id();
  r.mention_id = "m1";
  r.staff_id = "ana";
  r.text = "Sorry about the queue at checkout 4";
  r.suggested_at_ms = 3000;
  s.suggest_reply(r, {"reply.suggested", "m1", "{}"});
  CHECK(s.sync_state().events_waiting == 1);
  CHECK(s.pending_events(5).at(0).kind == "reply.suggested");
  REQUIRE(s.reply_suggestions("m1").size() == 1);
  CHECK(s.reply_suggestions("m1")[0].outcome == "pending");
  CHECK(s.reply_suggestions("m2").empty());

  store::ReplySuggestion outcome;
  outcome.id = r.id;
  outcome.outcome = "rejected";
  outcome.comment = "Name the person";
  outcome.decided_by = "Care team";
  outcome.decided_at_ms = 4000;
  store::SyncBatch b;
  b.reply_outcomes = {outcome};
  b.now_ms = 5000;
  s.apply_sync_batch(b);
  const auto after = s.reply_suggestions(std::nullopt).at(0);
  CHECK(after.outcome == "rejected");
  CHECK(after.comment == "Name the person");
  CHECK(after.text == r.text);  // the draft stays as typed
}

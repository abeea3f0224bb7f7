// Store: training progress per member of staff and lesson (migration 3), lesson packs head
// office published and replies staff suggested (migration 5),
// and the window's crash-restore session (migration 10).
#include "kiosk/store/kiosk_store.h"

#include "kiosk/core/utf8.h"

namespace kiosk::store {

core::StaffProgress Store::training_progress(const std::string& staff_id) {
  auto st = db_.prepare(
      "SELECT lesson_id, lesson_version, box, due_ms, first_answered_ms, last_answered_ms, "
      "last_correct, last_sure, answered, correct, sure FROM training_progress "
      "WHERE staff_id = ?1");
  st.bind(1, staff_id);
  core::StaffProgress out;
  while (st.step()) {
    core::LessonProgress p;
    p.lesson_version = static_cast<int>(st.column_int(1));
    p.box = static_cast<int>(st.column_int(2));
    p.due_ms = st.column_int(3);
    p.first_answered_ms = st.column_int(4);
    p.last_answered_ms = st.column_int(5);
    p.last_correct = st.column_int(6) != 0;
    p.last_sure = st.column_int(7) != 0;
    p.answered = static_cast<int>(st.column_int(8));
    p.correct = static_cast<int>(st.column_int(9));
    p.sure = static_cast<int>(st.column_int(10));
    out[st.column_text(0)] = p;
  }
  return out;
}

void Store::save_training_progress(const std::string& staff_id, const std::string& lesson_id,
                                   const core::LessonProgress& p,
                                   const std::optional<NewEvent>& answered, std::int64_t now_ms) {
  Transaction tx(db_);
  db_.prepare(
         "INSERT INTO training_progress(staff_id, lesson_id, lesson_version, box, due_ms, "
         "first_answered_ms, last_answered_ms, last_correct, last_sure, answered, correct, sure) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
         "ON CONFLICT(staff_id, lesson_id) DO UPDATE SET lesson_version = excluded.lesson_version, "
         "box = excluded.box, due_ms = excluded.due_ms, "
         "first_answered_ms = excluded.first_answered_ms, "
         "last_answered_ms = excluded.last_answered_ms, last_correct = excluded.last_correct, "
         "last_sure = excluded.last_sure, answered = excluded.answered, "
         "correct = excluded.correct, sure = excluded.sure")
      .bind(1, staff_id)
      .bind(2, lesson_id)
      .bind(3, std::int64_t{p.lesson_version})
      .bind(4, std::int64_t{p.box})
      .bind(5, p.due_ms)
      .bind(6, p.first_answered_ms)
      .bind(7, p.last_answered_ms)
      .bind(8, std::int64_t{p.last_correct ? 1 : 0})
      .bind(9, std::int64_t{p.last_sure ? 1 : 0})
      .bind(10, std::int64_t{p.answered})
      .bind(11, std::int64_t{p.correct})
      .bind(12, std::int64_t{p.sure})
      .run();
  if (answered) insert_outbox(*answered, now_ms);
  tx.commit();
  bump();
}

// [SECTION] lesson packs from head office

std::optional<ReceivedPack> Store::received_pack(const std::string& pack) {
  auto st = db_.prepare("SELECT version, published_at_ms FROM training_packs WHERE pack = ?1");
  st.bind(1, pack);
  if (!st.step()) return std::nullopt;
  ReceivedPack out{pack, st.column_int(0), st.column_int(1), {}};
  auto files =
      db_.prepare("SELECT name, text FROM training_pack_files WHERE pack = ?1 ORDER BY name");
  files.bind(1, pack);
  while (files.step()) out.files.push_back({files.column_text(0), files.column_text(1)});
  return out;
}

std::optional<PackRefusal> Store::pack_refusal(const std::string& pack) {
  auto st =
      db_.prepare("SELECT version, reason, at_ms FROM training_pack_refusals WHERE pack = ?1");
  st.bind(1, pack);
  if (!st.step()) return std::nullopt;
  return PackRefusal{pack, st.column_int(0), st.column_text(1), st.column_int(2)};
}

// Inside apply_sync_batch's transaction. The kiosk checks a pack again before it keeps it:
// a pack with any problem is refused whole and the one it had stays. An older or repeated
// version (a replayed change) changes nothing.
void Store::apply_pack(const ReceivedPack& p, std::int64_t now_ms) {
  {
    auto have = db_.prepare("SELECT version FROM training_packs WHERE pack = ?1");
    have.bind(1, p.pack);
    if (have.step() && have.column_int(0) >= p.version) return;
  }
  const auto check = core::check_pack(p.files);
  if (!check.ok()) {
    std::string reason = std::to_string(check.problems.size()) +
                         " problems, first: " + core::format_problem(check.problems.front());
    db_.prepare(
           "INSERT INTO training_pack_refusals(pack, version, reason, at_ms) VALUES (?1, ?2, ?3, "
           "?4) ON CONFLICT(pack) DO UPDATE SET version = excluded.version, "
           "reason = excluded.reason, at_ms = excluded.at_ms")
        .bind(1, p.pack)
        .bind(2, p.version)
        .bind(3, core::repair_utf8(reason))
        .bind(4, now_ms)
        .run();
    return;
  }
  db_.prepare(
         "INSERT INTO training_packs(pack, version, published_at_ms, received_at_ms) "
         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(pack) DO UPDATE SET version = excluded.version, "
         "published_at_ms = excluded.published_at_ms, received_at_ms = excluded.received_at_ms")
      .bind(1, p.pack)
      .bind(2, p.version)
      .bind(3, p.published_at_ms)
      .bind(4, now_ms)
      .run();
  db_.prepare("DELETE FROM training_pack_files WHERE pack = ?1").bind(1, p.pack).run();
  auto file = db_.prepare("INSERT INTO training_pack_files(pack, name, text) VALUES (?1, ?2, ?3)");
  for (const auto& f : p.files) {
    file.reset();
    file.bind(1, p.pack).bind(2, f.name).bind(3, f.content).run();
  }
}

// [SECTION] suggested replies

void Store::suggest_reply(const ReplySuggestion& r, const NewEvent& event) {
  Transaction tx(db_);
  db_.prepare(
         "INSERT INTO reply_suggestions(id, mention_id, staff_id, text, suggested_at_ms) "
         "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, r.id)
      .bind(2, r.mention_id)
      .bind(3, r.staff_id)
      .bind(4, r.text)
      .bind(5, r.suggested_at_ms)
      .run();
  insert_outbox(event, r.suggested_at_ms);
  tx.commit();
  bump();
}

std::vector<ReplySuggestion> Store::reply_suggestions(
    const std::optional<std::string>& mention_id) {
  auto st = db_.prepare(
      "SELECT id, mention_id, staff_id, text, suggested_at_ms, outcome, final_text, comment, "
      "decided_by, decided_at_ms FROM reply_suggestions WHERE ?1 IS NULL OR mention_id = ?1 "
      "ORDER BY suggested_at_ms DESC, id");
  if (mention_id)
    st.bind(1, *mention_id);
  else
    st.bind_null(1);
  std::vector<ReplySuggestion> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                   st.column_int(4), st.column_text(5), st.column_text(6), st.column_text(7),
                   st.column_text(8), st.column_int(9)});
  return out;
}

std::map<std::string, ReplySuggestion> Store::latest_replies(const std::vector<std::string>& ids) {
  std::map<std::string, ReplySuggestion> out;
  for (const auto& id : ids) {
    auto list = reply_suggestions(id);
    if (!list.empty()) out.emplace(id, std::move(list.front()));
  }
  return out;
}

std::optional<std::string> Store::setting(const std::string& key) {
  auto st = db_.prepare("SELECT value FROM kiosk_settings WHERE key = ?1");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

void Store::save_setting(const std::string& key, const std::string& value) {
  db_.prepare(
         "INSERT INTO kiosk_settings(key, value) VALUES (?1, ?2) "
         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
  bump();
}

std::optional<std::string> Store::ui_session() {
  auto st = db_.prepare("SELECT record FROM ui_session WHERE id = 1");
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

void Store::save_ui_session(const std::string& record, std::int64_t now_ms) {
  db_.prepare(
         "INSERT INTO ui_session(id, record, saved_at_ms) VALUES (1, ?1, ?2) "
         "ON CONFLICT(id) DO UPDATE SET record = excluded.record, "
         "saved_at_ms = excluded.saved_at_ms")
      .bind(1, record)
      .bind(2, now_ms)
      .run();
}

void Store::clear_ui_session() {
  db_.prepare("DELETE FROM ui_session").run();
}

// Inside apply_sync_batch's transaction. Head office decides once; a replay writes the same.
void Store::apply_reply_outcome(const ReplySuggestion& r) {
  db_.prepare(
         "UPDATE reply_suggestions SET outcome = ?2, final_text = ?3, comment = ?4, "
         "decided_by = ?5, decided_at_ms = ?6 WHERE id = ?1")
      .bind(1, r.id)
      .bind(2, r.outcome)
      .bind(3, core::repair_utf8(r.final_text))
      .bind(4, core::repair_utf8(r.comment))
      .bind(5, core::repair_utf8(r.decided_by))
      .bind(6, r.decided_at_ms)
      .run();
}

}  // namespace kiosk::store

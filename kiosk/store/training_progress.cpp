// Store: training progress per member of staff and lesson (migration 2).
#include "kiosk/store/kiosk_store.h"

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

}  // namespace kiosk::store

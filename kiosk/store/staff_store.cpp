// Store: staff from head office's changefeed and their wrong PINs on this terminal
// (migration 5).
#include "kiosk/core/utf8.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {
namespace {

constexpr const char* kStaffSelect =
    "SELECT id, name, role, language, pin_hash, active, pin_set_at_ms, changed_at_ms FROM staff";

StaffRow read_staff(const Statement& st) {
  StaffRow r;
  r.member.id = st.column_text(0);
  r.member.name = st.column_text(1);
  r.member.role = core::parse_staff_role(st.column_text(2)).value_or(core::StaffRole::associate);
  r.member.language = st.column_text(3);
  r.pin_hash = st.column_text(4);
  r.active = st.column_int(5) != 0;
  r.pin_set_at_ms = st.column_int(6);
  r.changed_at_ms = st.column_int(7);
  return r;
}

}  // namespace

std::vector<StaffRow> Store::staff() {
  auto st = db_.prepare(std::string(kStaffSelect) + " ORDER BY name COLLATE NOCASE, id");
  std::vector<StaffRow> out;
  while (st.step()) out.push_back(read_staff(st));
  return out;
}

std::optional<StaffRow> Store::staff_member(const std::string& staff_id) {
  auto st = db_.prepare(std::string(kStaffSelect) + " WHERE id = ?1");
  st.bind(1, staff_id);
  if (!st.step()) return std::nullopt;
  return read_staff(st);
}

core::PinAttempts Store::pin_attempts(const std::string& staff_id) {
  auto st = db_.prepare(
      "SELECT failures, lockouts, locked_until_ms FROM pin_attempts WHERE staff_id = ?1");
  st.bind(1, staff_id);
  core::PinAttempts a;
  if (st.step()) {
    a.failures = static_cast<int>(st.column_int(0));
    a.lockouts = static_cast<int>(st.column_int(1));
    a.locked_until_ms = st.column_int(2);
  }
  return a;
}

void Store::save_pin_attempts(const std::string& staff_id, const core::PinAttempts& a,
                              const std::optional<NewEvent>& lockout, std::int64_t now_ms) {
  Transaction tx(db_);
  if (a == core::PinAttempts{}) {
    db_.prepare("DELETE FROM pin_attempts WHERE staff_id = ?1").bind(1, staff_id).run();
  } else {
    db_.prepare(
           "INSERT INTO pin_attempts(staff_id, failures, lockouts, locked_until_ms) "
           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(staff_id) DO UPDATE SET "
           "failures = excluded.failures, lockouts = excluded.lockouts, "
           "locked_until_ms = excluded.locked_until_ms")
        .bind(1, staff_id)
        .bind(2, static_cast<std::int64_t>(a.failures))
        .bind(3, static_cast<std::int64_t>(a.lockouts))
        .bind(4, a.locked_until_ms)
        .run();
  }
  if (lockout) insert_outbox(*lockout, now_ms);
  tx.commit();
  if (lockout) bump();  // the status bar's queue count moved; a wrong PIN alone changes no view
}

// Inside apply_sync_batch's transaction. The changefeed sends whole records in order, so the
// newer one replaces what is held; a new PIN ends the person's lockout on this terminal.
void Store::merge_staff(const StaffRow& in) {
  auto existing = db_.prepare("SELECT pin_set_at_ms, changed_at_ms FROM staff WHERE id = ?1");
  existing.bind(1, in.member.id);
  if (existing.step()) {
    if (existing.column_int(1) > in.changed_at_ms) return;  // an older copy of the record
    if (existing.column_int(0) != in.pin_set_at_ms)
      db_.prepare("DELETE FROM pin_attempts WHERE staff_id = ?1").bind(1, in.member.id).run();
  }
  db_.prepare(
         "INSERT INTO staff(id, name, role, language, pin_hash, active, pin_set_at_ms, "
         "changed_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
         "name = excluded.name, role = excluded.role, language = excluded.language, "
         "pin_hash = excluded.pin_hash, active = excluded.active, "
         "pin_set_at_ms = excluded.pin_set_at_ms, changed_at_ms = excluded.changed_at_ms")
      .bind(1, in.member.id)
      .bind(2, core::repair_utf8(in.member.name))
      .bind(3, core::to_string(in.member.role))
      .bind(4, in.member.language)
      .bind(5, in.pin_hash)
      .bind(6, static_cast<std::int64_t>(in.active ? 1 : 0))
      .bind(7, in.pin_set_at_ms)
      .bind(8, in.changed_at_ms)
      .run();
}

}  // namespace kiosk::store

#include "kiosk/store/sqlite/sqlite_migrate.h"

namespace kiosk::sqlite {

int schema_version(Database& db) {
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.column_int(0));
}

std::int64_t application_id(Database& db) {
  auto st = db.prepare("PRAGMA application_id");
  st.step();
  return st.column_int(0);
}

void migrate(Database& db, const Schema& schema) {
  const int latest = schema.steps.empty() ? 0 : schema.steps.back().version;
  const int current = schema_version(db);  // the first read: fails on a file that is not SQLite
  if (current > latest) {
    throw DbError(0, core::Error{core::ErrorKind::local_storage,
                                 "The " + db.names().what + " " + db.path() +
                                     " was written by a newer version of " + schema.program +
                                     " (schema " + std::to_string(current) +
                                     ", this program knows up to " + std::to_string(latest) + ").",
                                 schema.upgrade_hint});
  }
  const std::int64_t id = application_id(db);
  if (id != 0 && id != schema.application_id) {
    throw DbError(0, core::Error{core::ErrorKind::local_storage,
                                 "The " + db.names().what + " " + db.path() +
                                     " belongs to another program, not " + schema.program + ".",
                                 "Check the path; the file was left untouched."});
  }
  if (current == latest) return;
  for (const Migration& m : schema.steps) {
    if (m.version <= current) continue;
    Transaction tx(db);
    if (schema_version(db) >= m.version) continue;  // another process ran it meanwhile
    db.exec(m.sql);
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    db.exec("PRAGMA application_id = " + std::to_string(schema.application_id));
    tx.commit();
  }
}

}  // namespace kiosk::sqlite

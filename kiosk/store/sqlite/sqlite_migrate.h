#pragma once
// The one migration runner of both programs' SQLite files. A schema is an append-only list of
// steps; PRAGMA user_version is the last step a file has run and PRAGMA application_id says
// which program's file it is. migrate() refuses, before writing anything, a file written by a
// newer version or by another program, and runs each missing step in its own IMMEDIATE
// transaction, reading user_version again under the lock, so two processes opening one file
// at once each run a step at most once between them.
#include <cstdint>
#include <span>
#include <string>

#include "kiosk/store/sqlite/sqlite_db.h"

namespace kiosk::sqlite {

struct Migration {
  int version;      // user_version after this step
  const char* sql;  // one or more statements
};

struct Schema {
  std::int64_t application_id = 0;   // PRAGMA application_id of this program's files
  std::span<const Migration> steps;  // oldest first, versions 1, 2, 3...
  // In the refusals: "the kiosk" ("a newer version of the kiosk"), and what to do then.
  std::string program;
  std::string upgrade_hint;  // "Install the newer kiosk; the file was left untouched."
};

int schema_version(Database& db);
std::int64_t application_id(Database& db);

// Brings db up to the last step of schema.steps. Throws DbError (kind local_storage) when the
// file is newer than this build or carries another program's application_id.
void migrate(Database& db, const Schema& schema);

}  // namespace kiosk::sqlite

#pragma once
// The local schema's history. Each step runs in its own transaction and sets
// PRAGMA user_version, so a newer kiosk upgrades an older file step by step, and an older
// kiosk refuses a file from a newer one instead of damaging it.
#include <span>

#include "kiosk/store/sqlite_db.h"

namespace kiosk::store {

struct Migration {
  int version;      // user_version after this step
  const char* sql;  // one or more statements
};

// The migrations this build knows, oldest first.
std::span<const Migration> kiosk_migrations();

// Brings db up to the last step of `steps`. Throws StoreError if the file is newer.
void migrate(Database& db, std::span<const Migration> steps);

int schema_version(Database& db);

// PRAGMA application_id of a kiosk database ("KIOS"), set when the file is created.
inline constexpr int kKioskApplicationId = 0x4B494F53;

// Throws StoreError, before anything is written, when db is another program's SQLite file
// (head office's kiosk-hq database, say). A kiosk file is one with kKioskApplicationId, an
// empty new file, or a file from before the id was set that holds the kiosk's tables.
void check_kiosk_file(Database& db);

}  // namespace kiosk::store

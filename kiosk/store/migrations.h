#pragma once
// The local schema's history. Each step runs in its own transaction and sets
// PRAGMA user_version, so a newer kiosk upgrades an older file step by step, and an older
// kiosk refuses a file from a newer one instead of damaging it.
#include <span>

#include "kiosk/store/sqlite/sqlite_db.h"
#include "kiosk/store/sqlite/sqlite_migrate.h"

namespace kiosk::store {

// The store speaks through the shared SQLite wrapper (kiosk/store/sqlite/), under the names
// it has always used.
using sqlite::Database;
using sqlite::Migration;
using sqlite::Statement;
using sqlite::Transaction;
using StoreError = sqlite::DbError;

// The migrations this build knows, oldest first.
std::span<const Migration> kiosk_migrations();

// Brings db up to the last step of `steps` (the shared runner, sqlite_migrate.h, with the
// kiosk's application_id). Throws StoreError if the file is newer.
void migrate(Database& db, std::span<const Migration> steps);

using sqlite::schema_version;

// How the kiosk's database names itself in errors: "The kiosk database ...", "restart the
// kiosk", "or start fresh and re-enroll".
sqlite::OpenOptions kiosk_open_options();

// PRAGMA application_id of a kiosk database ("KIOS"), set when the file is created.
inline constexpr int kKioskApplicationId = 0x4B494F53;

// Throws StoreError, before anything is written, when db is another program's SQLite file
// (head office's kiosk-hq database, say). A kiosk file is one with kKioskApplicationId, an
// empty new file, or a file from before the id was set that holds the kiosk's tables.
void check_kiosk_file(Database& db);

}  // namespace kiosk::store

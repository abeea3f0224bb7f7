#pragma once
// The one place a storage backend is chosen from --db: a postgresql:// or postgres:// URL
// opens PostgreSQL (pg_hq_storage.h), anything else is a SQLite file (sqlite_hq_storage.h).
#include <memory>
#include <string>

#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

enum class StorageMode {
  create_if_missing,  // serve, store add: a new head office starts from nothing
  must_exist,         // every other command: a typo in --db must not make an empty database
};

// secret_file: the server secret (tokens.h); empty means "<db>.secret" for a SQLite file and
// is an error for PostgreSQL, which has no file to keep it beside.
Result<std::unique_ptr<HqStorage>> open_hq_storage(const std::string& db, StorageMode mode,
                                                   const std::string& secret_file = "");

}  // namespace kiosk::sync::hq

#include "sync/hq/storage/open_hq_storage.h"

#include "sync/hq/storage/pg_hq_storage.h"
#include "sync/hq/storage/sqlite_hq_storage.h"

namespace kiosk::sync::hq {

Result<std::unique_ptr<HqStorage>> open_hq_storage(const std::string& db, StorageMode mode,
                                                   const std::string& secret_file) {
  using R = Result<std::unique_ptr<HqStorage>>;
  const bool create = mode == StorageMode::create_if_missing;
  if (PgHqStorage::is_url(db)) {
    auto pg = PgHqStorage::open(
        db, create ? PgHqStorage::OpenMode::create_if_missing : PgHqStorage::OpenMode::must_exist,
        secret_file);
    if (!pg) return R::failure(pg.error());
    return std::unique_ptr<HqStorage>(std::move(pg.value()));
  }
  auto sqlite = SqliteHqStorage::open(
      db,
      create ? SqliteHqStorage::OpenMode::create_if_missing : SqliteHqStorage::OpenMode::must_exist,
      secret_file);
  if (!sqlite) return R::failure(sqlite.error());
  return std::unique_ptr<HqStorage>(std::move(sqlite.value()));
}

}  // namespace kiosk::sync::hq

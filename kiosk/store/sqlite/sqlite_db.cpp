#include "kiosk/store/sqlite/sqlite_db.h"

#include <sqlite3.h>

namespace kiosk::sqlite {

Database::Database(const std::string& path, OpenOptions options)
    : path_(path), names_(std::move(options.names)) {
  const int rc = sqlite3_open_v2(
      path.c_str(), &db_,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0),
      nullptr);
  if (rc != SQLITE_OK) {
    const int code = rc;
    sqlite3_close(db_);
    db_ = nullptr;
    fail(code, "opening the database");
  }
  sqlite3_extended_result_codes(db_, 1);
  // Two connections (the kiosk's UI and sync worker, kiosk-hq's threads and processes) wait
  // for each other's write rather than failing at once.
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  const std::string s(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, "updating the database");
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, "reading the database");
  return Statement(*this, stmt);
}

std::int64_t Database::changes() const {
  return sqlite3_changes(db_);
}

int Database::last_error_code() const {
  return db_ ? sqlite3_errcode(db_) : SQLITE_OK;
}

void Database::fail(int code, std::string_view doing) const {
  const std::string where = "the " + names_.what + " " + path_;
  const std::string at_sentence_start = "The " + names_.what + " " + path_;
  const char* detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  const auto error = [&](std::string message, std::string hint) {
    return DbError(
        code, core::Error{core::ErrorKind::local_storage, std::move(message), std::move(hint)});
  };
  switch (code & 0xFF) {
    case SQLITE_FULL:
      throw error("The disk is full while " + std::string(doing) + " (" + where +
                      "): nothing was lost, but the last action was not saved.",
                  "Free space on the device and try again.");
    case SQLITE_READONLY:
    case SQLITE_PERM:
      throw error(at_sentence_start + " is read-only:",
                  "check the file's permissions and the disk's mount, then restart " +
                      names_.program + ".");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      throw error(
          at_sentence_start + " is damaged or is not a " + names_.what + ".",
          "Move it aside (keep it for support) and restore a backup" + names_.start_fresh + ".");
    case SQLITE_CANTOPEN:
      throw error("Cannot open " + where + ":", "check that its folder exists and is writable.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw error(at_sentence_start + " is busy (another program holds it):", "try again.");
    case SQLITE_IOERR:
      throw error(
          "The disk failed while " + std::string(doing) + " (" + where + "): " + detail + ".",
          "Check the device's storage.");
    default:
      throw error("Database error while " + std::string(doing) + " (" + where + "): " + detail, "");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail(rc, "preparing a query");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "preparing a query");
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, std::optional<double> value) {
  if (!value) return bind_null(index);
  const int rc = sqlite3_bind_double(stmt_, index, *value);
  if (rc != SQLITE_OK) db_->fail(rc, "preparing a query");
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "preparing a query");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_->fail(rc, "updating the database");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int i) const {
  return sqlite3_column_int64(stmt_, i);
}

std::optional<std::int64_t> Statement::column_optional_int(int i) const {
  if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, i);
}

bool Statement::column_is_null(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

std::optional<double> Statement::column_optional_double(int i) const {
  if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(stmt_, i);
}

std::string Statement::column_text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
}

Transaction::Transaction(Database& db, bool write) : db_(db) {
  db_.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const DbError&) {
    // Nothing to roll back (SQLite already did, on a full disk say): the error that brought
    // us here is the one to report.
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace kiosk::sqlite

#pragma once
// The one thin RAII layer over SQLite for both programs' databases (the kiosk's local file and
// kiosk-hq's SQLite storage): a connection with a busy timeout, prepared statements with typed
// binds, transactions that roll back unless committed, and the migration runner
// (sqlite_migrate.h). Errors become DbError, a core::Error of kind local_storage with a
// sentence the person who runs the program can act on. Only this folder includes sqlite3.h.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "kiosk/core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kiosk::sqlite {

class DbError : public std::runtime_error {
 public:
  DbError(int sqlite_code, core::Error error)
      : std::runtime_error(error.text()), sqlite_code_(sqlite_code), error_(std::move(error)) {}
  // A failure with no SQLite result code behind it (a refused file, a broken invariant).
  DbError(int sqlite_code, const std::string& message)
      : DbError(sqlite_code, core::Error{core::ErrorKind::local_storage, message, {}}) {}
  int sqlite_code() const { return sqlite_code_; }
  // Always of kind local_storage: this machine's disk or database refused.
  const core::Error& error() const { return error_; }

 private:
  int sqlite_code_;
  core::Error error_;
};

// How a database names itself in its errors, and what its program tells a user to do.
struct DbNames {
  std::string what = "database";        // "kiosk database": "The kiosk database <path> is ..."
  std::string program = "the program";  // "restart the kiosk"
  std::string start_fresh;  // ", or start fresh and re-enroll" (after "restore a backup")
};

struct OpenOptions {
  bool create = true;  // false: a missing file is an error, not a new database
  int busy_timeout_ms = 5000;
  DbNames names;
};

class Statement;

class Database {
 public:
  // Opens (creating if options.create) the file at path. Throws DbError.
  explicit Database(const std::string& path, OpenOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t changes() const;
  const std::string& path() const { return path_; }
  const DbNames& names() const { return names_; }
  // The SQLite result code of the last failure on this connection (sqlite3_errcode).
  int last_error_code() const;
  sqlite3* handle() { return db_; }  // for tests that break things on purpose

  // Turns an SQLite result code into a DbError whose message says what to do.
  [[noreturn]] void fail(int code, std::string_view doing) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  DbNames names_;
};

class Statement {
 public:
  Statement(Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind(int index, std::optional<double> value);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, std::nullptr_t) { return bind_null(index); }
  Statement& bind_null(int index);
  // Binds args to ?1, ?2, ... in order.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return *this;
  }
  // Advances to the next row; false when done. Throws on error.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t column_int(int i) const;
  std::optional<std::int64_t> column_optional_int(int i) const;
  std::optional<double> column_optional_double(int i) const;
  std::string column_text(int i) const;
  bool column_is_null(int i) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless commit() ran. IMMEDIATE
// takes the write lock up front so two connections never deadlock upgrading a read; a
// transaction that only reads (write = false) takes a plain BEGIN.
class Transaction {
 public:
  explicit Transaction(Database& db, bool write = true);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace kiosk::sqlite

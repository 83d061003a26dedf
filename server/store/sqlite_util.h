#pragma once

// Small RAII and binding helpers over the SQLite C API: the one set used by
// the game store (writer, readers, schema) and by leadtime-batch's sweep
// results files. Every error is "path: SQLite's message".
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadtime::sql {

struct ConnectionCloser {
  void operator()(sqlite3* db) const noexcept;
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// "path: sqlite's message", the form every error of the store takes.
std::string error_text(const std::string& path, sqlite3* db);

// Opens `path` with `flags`; on failure the error names the file and why.
std::optional<std::string> open(const std::string& path, int flags, Connection& out);

// A statement; `persistent` when it is kept for the connection's lifetime
// (SQLITE_PREPARE_PERSISTENT), not for one query.
std::optional<std::string> prepare(sqlite3* db, const std::string& path, std::string_view text, Statement& out,
                                   bool persistent = true);

// Runs one or more statements that return no rows we need.
std::optional<std::string> exec(sqlite3* db, const std::string& path, const char* text);
inline std::optional<std::string> exec(sqlite3* db, const std::string& path, const std::string& text) {
  return exec(db, path, text.c_str());
}

// Runs a statement that yields a single value (a PRAGMA, say).
std::optional<std::string> query_int(sqlite3* db, const std::string& path, const char* text, std::int64_t& out);
std::optional<std::string> query_text(sqlite3* db, const std::string& path, const char* text, std::string& out);

// Resets a statement and clears its bindings when the scope ends, so a
// statement is never left holding a read transaction or stale values.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit();
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Bound without a copy: `text` must live until the statement has stepped.
void bind_text(sqlite3_stmt* stmt, int column, std::string_view text);
// A NaN binds as NULL (a value that does not exist, such as an outcome a
// failed run never reached).
void bind_real(sqlite3_stmt* stmt, int column, double value);
// An empty blob binds as a zero-length blob, never as NULL.
void bind_blob(sqlite3_stmt* stmt, int column, std::span<const std::uint8_t> bytes);
// SQLite integers are signed 64-bit; unsigned seeds and hashes keep their bit
// pattern (a hash above 2^63 reads back negative in the sqlite3 shell).
void bind_u64(sqlite3_stmt* stmt, int column, std::uint64_t value);

std::string column_text(sqlite3_stmt* stmt, int column);
std::vector<std::uint8_t> column_blob(sqlite3_stmt* stmt, int column);
std::uint64_t column_u64(sqlite3_stmt* stmt, int column);
// NULL reads as NaN.
double column_real(sqlite3_stmt* stmt, int column);

// A name as an SQL identifier, "quoted" with inner quotes doubled (sweep
// parameter names hold dots).
std::string identifier(std::string_view name);
// Text as an SQL string literal, 'quoted' with inner quotes doubled.
std::string literal(std::string_view text);

}  // namespace leadtime::sql

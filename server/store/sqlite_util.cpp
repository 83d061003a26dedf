#include "server/store/sqlite_util.h"

#include <bit>
#include <cmath>

namespace leadtime::sql {

void ConnectionCloser::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

void StatementFinalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

std::string error_text(const std::string& path, sqlite3* db) {
  return path + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
}

std::optional<std::string> open(const std::string& path, int flags, Connection& out) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  out.reset(raw);  // a failed open still returns a handle that must be closed
  if (rc != SQLITE_OK) return error_text(path, raw);
  sqlite3_extended_result_codes(raw, 1);
  return std::nullopt;
}

std::optional<std::string> prepare(sqlite3* db, const std::string& path, std::string_view text, Statement& out,
                                   bool persistent) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, text.data(), static_cast<int>(text.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  out.reset(raw);
  if (rc != SQLITE_OK) return error_text(path, db);
  return std::nullopt;
}

std::optional<std::string> exec(sqlite3* db, const std::string& path, const char* text) {
  if (sqlite3_exec(db, text, nullptr, nullptr, nullptr) != SQLITE_OK) return error_text(path, db);
  return std::nullopt;
}

namespace {

// Steps a one-row statement; the caller reads column 0 while it is valid.
template <typename Read>
std::optional<std::string> query_one(sqlite3* db, const std::string& path, const char* text, Read read) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, text, -1, &raw, nullptr) != SQLITE_OK) return error_text(path, db);
  const Statement stmt(raw);
  const int rc = sqlite3_step(raw);
  if (rc != SQLITE_ROW) return error_text(path, db);
  read(raw);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> query_int(sqlite3* db, const std::string& path, const char* text, std::int64_t& out) {
  return query_one(db, path, text, [&](sqlite3_stmt* s) { out = sqlite3_column_int64(s, 0); });
}

std::optional<std::string> query_text(sqlite3* db, const std::string& path, const char* text, std::string& out) {
  return query_one(db, path, text, [&](sqlite3_stmt* s) { out = column_text(s, 0); });
}

ResetOnExit::~ResetOnExit() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void bind_text(sqlite3_stmt* stmt, int column, std::string_view text) {
  // SQLITE_STATIC: every bound value outlives the step that reads it.
  sqlite3_bind_text(stmt, column, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void bind_real(sqlite3_stmt* stmt, int column, double value) {
  if (std::isnan(value)) {
    sqlite3_bind_null(stmt, column);
  } else {
    sqlite3_bind_double(stmt, column, value);
  }
}

void bind_blob(sqlite3_stmt* stmt, int column, std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) {
    sqlite3_bind_zeroblob(stmt, column, 0);
  } else {
    sqlite3_bind_blob(stmt, column, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  }
}

void bind_u64(sqlite3_stmt* stmt, int column, std::uint64_t value) {
  sqlite3_bind_int64(stmt, column, std::bit_cast<sqlite3_int64>(value));
}

std::string column_text(sqlite3_stmt* stmt, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column))};
}

std::vector<std::uint8_t> column_blob(sqlite3_stmt* stmt, int column) {
  const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, column));
  if (bytes == nullptr) return {};
  return {bytes, bytes + sqlite3_column_bytes(stmt, column)};
}

std::uint64_t column_u64(sqlite3_stmt* stmt, int column) {
  return std::bit_cast<std::uint64_t>(sqlite3_column_int64(stmt, column));
}

double column_real(sqlite3_stmt* stmt, int column) {
  return sqlite3_column_type(stmt, column) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(stmt, column);
}

namespace {

std::string quoted_with(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += c;
  }
  return out + quote;
}

}  // namespace

std::string identifier(std::string_view name) { return quoted_with(name, '"'); }

std::string literal(std::string_view text) { return quoted_with(text, '\''); }

}  // namespace leadtime::sql

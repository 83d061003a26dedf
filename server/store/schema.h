#pragma once

// The store's schema and its migrations. PRAGMA user_version holds the
// schema version; each step moves a database from version N-1 to N in one
// transaction, so a failed step leaves the database at N-1.
#include <sqlite3.h>

#include <optional>
#include <span>
#include <string>

namespace leadtime::server::store {

struct Migration {
  int version;      // the version this step produces
  const char* sql;  // runs inside the step's transaction
};

// PRAGMA application_id marks a file as a Leadtime game store ("LDTG"), so a
// sweep's results or another program's database is refused, not migrated.
inline constexpr int kApplicationId = 0x4C445447;

// Every step from an empty database to the current version, in order.
std::span<const Migration> migrations();

// Refuses a database that is not ours or is newer than `target`; reads only.
std::optional<std::string> check_schema(sqlite3* db, const std::string& path, int target);

// Applies every step of `steps` above the database's version up to `target`.
std::optional<std::string> migrate(sqlite3* db, const std::string& path, std::span<const Migration> steps, int target);

}  // namespace leadtime::server::store

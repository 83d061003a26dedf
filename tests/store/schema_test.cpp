// The schema version, the migration table and refusing other databases.
#include "server/store/schema.h"

#include <sqlite3.h>

#include <doctest/doctest.h>

#include "server/store/sqlite_util.h"
#include "server/store/store.h"
#include "tests/store/fixtures.h"

namespace leadtime::server::store {
namespace {

using testing::open_error;
using testing::open_store;
using testing::query;
using testing::TempDir;

TEST_CASE("a new store is at the current schema version, in WAL mode, marked as a Leadtime store") {
  const TempDir dir;
  const std::string path = dir.file("db");
  auto store = open_store(path);
  CHECK(query(path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  CHECK(query(path, "PRAGMA journal_mode") == "wal");
  CHECK(query(path, "PRAGMA application_id") == std::to_string(kApplicationId));
  CHECK(query(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'journal_by_kind'") == "1");
}

TEST_CASE("the migration table runs from version 1 to kSchemaVersion without gaps") {
  const std::span<const Migration> steps = migrations();
  REQUIRE_FALSE(steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) CHECK(steps[i].version == static_cast<int>(i) + 1);
  CHECK(steps.back().version == Store::kSchemaVersion);
}

TEST_CASE("a database from a newer Leadtime is refused, naming both versions") {
  const TempDir dir;
  const std::string path = dir.file("db");
  open_store(path).reset();
  query(path, "PRAGMA user_version = 7");
  const std::string error = open_error(path);
  CHECK(error == path + ": written by a newer Leadtime (schema version 7); this build reads schema version " +
                     std::to_string(Store::kSchemaVersion) + " at most");
  CHECK(query(path, "PRAGMA user_version") == "7");  // refused without touching it
}

TEST_CASE("another program's database is refused, not migrated") {
  const TempDir dir;
  SUBCASE("tables but no version") {
    const std::string path = dir.file("other.db");
    query(path, "CREATE TABLE runs (x)");
    CHECK(open_error(path) == path + ": not a Leadtime game store (it holds another program's tables)");
    CHECK(query(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'games'") == "0");
  }
  SUBCASE("another application id") {
    const std::string path = dir.file("other.db");
    query(path, "PRAGMA application_id = 99");
    CHECK(open_error(path) == path + ": not a Leadtime game store (it belongs to another program, application id 99)");
  }
}

// A database of our own for the migration runner, with steps made up here.
struct RawDatabase {
  explicit RawDatabase(const std::string& path) : path(path) {
    REQUIRE_FALSE(sql::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, db));
  }
  std::string path;
  sql::Connection db;
};

constexpr Migration kStep1{1, "CREATE TABLE t1 (x); INSERT INTO t1 VALUES (1);"};
// Re-running step 1 would fail (t1 exists), so a run that passes skipped it.
constexpr Migration kStep2{2, "CREATE TABLE t2 (y); INSERT INTO t1 VALUES (2);"};
constexpr Migration kBadStep2{2, "CREATE TABLE t2 (y); INSERT INTO missing VALUES (2);"};

TEST_CASE("migrations apply in order from the version a database is at") {
  const TempDir dir;
  RawDatabase raw(dir.file("db"));
  const Migration both[] = {kStep1, kStep2};

  REQUIRE_FALSE(migrate(raw.db.get(), raw.path, both, 1));
  CHECK(query(raw.path, "PRAGMA user_version") == "1");
  CHECK(query(raw.path, "SELECT count(*) FROM sqlite_schema WHERE name = 't2'") == "0");

  REQUIRE_FALSE(migrate(raw.db.get(), raw.path, both, 2));
  CHECK(query(raw.path, "PRAGMA user_version") == "2");
  CHECK(query(raw.path, "SELECT group_concat(x) FROM t1") == "1,2");

  REQUIRE_FALSE(migrate(raw.db.get(), raw.path, both, 2));  // nothing left to do
  CHECK(query(raw.path, "SELECT count(*) FROM t1") == "2");
}

TEST_CASE("a failing migration names its version and leaves the database at the one before") {
  const TempDir dir;
  RawDatabase raw(dir.file("db"));
  const Migration steps[] = {kStep1, kBadStep2};
  const std::optional<std::string> error = migrate(raw.db.get(), raw.path, steps, 2);
  REQUIRE(error);
  CHECK(*error == "migration to schema version 2 failed: " + raw.path + ": no such table: missing");
  CHECK(query(raw.path, "PRAGMA user_version") == "1");
  CHECK(query(raw.path, "SELECT count(*) FROM sqlite_schema WHERE name = 't2'") == "0");
  CHECK(query(raw.path, "SELECT count(*) FROM t1") == "1");
}

TEST_CASE("a migration table that stops short of the target is an error") {
  const TempDir dir;
  RawDatabase raw(dir.file("db"));
  const Migration steps[] = {kStep1};
  const std::optional<std::string> error = migrate(raw.db.get(), raw.path, steps, 2);
  REQUIRE(error);
  CHECK(*error == raw.path + ": no migration reaches schema version 2 from 1");
}

}  // namespace
}  // namespace leadtime::server::store

// The version 1 golden file: a store of every later version must still open
// it, read it back as written and, once migrated, have exactly the schema a
// new store has (so a schema change without a migration step fails here).
#include <doctest/doctest.h>
#include <filesystem>

#include "server/store/store.h"
#include "tests/store/fixtures.h"
#include "tests/store/golden_rows.h"

namespace leadtime::server::store {
namespace {

using testing::open_store;
using testing::query;
using testing::TempDir;

const std::string kGoldenV1 = std::string(LEADTIME_SOURCE_DIR) + "/tests/store/golden/store_v1.db";

// The golden file copied into `dir`, so opening it never touches the original.
std::string copy_of_golden(const TempDir& dir) {
  const std::string path = dir.file("store_v1.db");
  std::filesystem::copy_file(kGoldenV1, path);
  return path;
}

std::string schema_of(const std::string& path) {
  return query(path,
               "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM "
               "(SELECT * FROM sqlite_schema ORDER BY name)");
}

TEST_CASE("the version 1 golden file opens and reads back as written") {
  const TempDir dir;
  auto store = open_store(copy_of_golden(dir));
  const std::vector<GameRow> games = store->games(false);
  REQUIRE(games.size() == 1);
  const GameRow expected = golden::game();
  const GameRow& g = games[0];
  CHECK(g.id == expected.id);
  CHECK(g.scenario_path == expected.scenario_path);
  CHECK(g.scenario_source == expected.scenario_source);
  CHECK(g.seed == expected.seed);
  CHECK(g.deadline_s == expected.deadline_s);
  CHECK(g.bot_paths == expected.bot_paths);
  CHECK(g.facilitator_token_hash == expected.facilitator_token_hash);
  CHECK(g.observer_token_hash == expected.observer_token_hash);
  CHECK(g.seat_token_hashes == expected.seat_token_hashes);
  CHECK(g.parent_id == expected.parent_id);
  CHECK(g.branch_round == expected.branch_round);
  CHECK(g.finished == expected.finished);
  CHECK(g.created_ms == expected.created_ms);
  CHECK(store->games(true).empty());

  const std::vector<JournalEntry> journal = store->journal(expected.id);
  const std::vector<JournalEntry> written = golden::journal();
  REQUIRE(journal.size() == written.size());
  for (std::size_t i = 0; i < journal.size(); ++i) {
    CHECK(journal[i].seq == written[i].seq);
    CHECK(journal[i].at_ms == written[i].at_ms);
    CHECK(journal[i].kind == written[i].kind);
    CHECK(journal[i].seat == written[i].seat);
    CHECK(journal[i].payload == written[i].payload);
  }
  const std::vector<RoundRow> rounds = store->rounds(expected.id);
  const std::vector<RoundRow> resolved = golden::rounds();
  REQUIRE(rounds.size() == resolved.size());
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    CHECK(rounds[i].round == resolved[i].round);
    CHECK(rounds[i].quarter == resolved[i].quarter);
    CHECK(rounds[i].hash == resolved[i].hash);
    CHECK(rounds[i].snapshot == resolved[i].snapshot);
  }
  CHECK_FALSE(store->check_whole());
}

TEST_CASE("the version 1 golden file, migrated, has the schema of a new store") {
  const TempDir dir;
  const std::string golden_path = copy_of_golden(dir);
  const std::string fresh_path = dir.file("fresh.db");
  open_store(golden_path).reset();
  open_store(fresh_path).reset();
  CHECK(query(golden_path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  CHECK(schema_of(golden_path) == schema_of(fresh_path));
  CHECK_FALSE(schema_of(fresh_path).empty());
}

}  // namespace
}  // namespace leadtime::server::store

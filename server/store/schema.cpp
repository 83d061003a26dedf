#include "server/store/schema.h"

#include <array>
#include <cstdint>

#include "server/store/sqlite_util.h"

namespace leadtime::server::store {
namespace {

// Version 1. Seeds and hashes are unsigned 64-bit values stored by their bit
// pattern in SQLite's signed integers. Tokens themselves are never stored,
// only their hashes. A game's journal is keyed by its own sequence numbers;
// rounds are keyed by round number, and a round resolved again after a
// rollback replaces the row (the journal keeps the whole history).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE games (
  id TEXT PRIMARY KEY NOT NULL,
  scenario_path TEXT NOT NULL,
  scenario_source TEXT NOT NULL,
  seed INTEGER NOT NULL,
  deadline_s INTEGER NOT NULL,
  facilitator_token_hash BLOB NOT NULL,
  observer_token_hash BLOB NOT NULL,
  parent_id TEXT NOT NULL,
  branch_round INTEGER NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL
);
-- Recovery at start lists the unfinished games only.
CREATE INDEX games_unfinished ON games (created_ms, id) WHERE finished = 0;

CREATE TABLE seats (
  game_id TEXT NOT NULL REFERENCES games (id),
  seat INTEGER NOT NULL,
  bot_path TEXT NOT NULL,
  token_hash BLOB NOT NULL,
  PRIMARY KEY (game_id, seat)
);

-- Every accepted change of a game: submitted order sets (with the seat and
-- time), messages, facilitator actions, round resolutions.
CREATE TABLE journal (
  game_id TEXT NOT NULL REFERENCES games (id),
  seq INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  seat INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (game_id, seq)
);
-- One kind of a game's journal (its messages, its facilitator audit log)
-- without reading the rest.
CREATE INDEX journal_by_kind ON journal (game_id, kind, seq);

CREATE TABLE rounds (
  game_id TEXT NOT NULL REFERENCES games (id),
  round INTEGER NOT NULL,
  quarter TEXT NOT NULL,
  hash INTEGER NOT NULL,
  snapshot BLOB NOT NULL,
  PRIMARY KEY (game_id, round)
);

PRAGMA application_id = 1279546439;
)sql";

// Version 2. A Join or a report with a token of a game that is not in memory
// (finished games leave it) finds its game in the store by the token's hash.
constexpr const char* kSchemaV2 = R"sql(
CREATE INDEX games_by_facilitator_token ON games (facilitator_token_hash);
CREATE INDEX games_by_observer_token ON games (observer_token_hash);
CREATE INDEX seats_by_token ON seats (token_hash);
)sql";

// A finished game keeps its last status line, so the facilitators' list of
// games shows it after it has left the server's memory.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE games ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX games_finished ON games (created_ms, id) WHERE finished = 1;
)sql";

constexpr std::array kMigrations{Migration{1, kSchemaV1}, Migration{2, kSchemaV2}, Migration{3, kSchemaV3}};
static_assert(kApplicationId == 1279546439, "kSchemaV1 writes the application id as a literal");

std::optional<std::string> refuse_foreign(sqlite3* db, const std::string& path, std::int64_t version) {
  std::int64_t application = 0;
  if (auto error = sql::query_int(db, path, "PRAGMA application_id", application)) return error;
  if (application == kApplicationId) return std::nullopt;
  if (application != 0) {
    return path + ": not a Leadtime game store (it belongs to another program, application id " +
           std::to_string(application) + ")";
  }
  std::int64_t tables = 0;
  if (auto error = sql::query_int(db, path, "SELECT count(*) FROM sqlite_schema", tables)) return error;
  if (version != 0 || tables != 0) return path + ": not a Leadtime game store (it holds another program's tables)";
  return std::nullopt;
}

// One step in its own transaction; the version is re-read inside it so two
// processes opening the same new file cannot both apply it.
std::optional<std::string> apply_step(sqlite3* db, const std::string& path, const Migration& step) {
  if (auto error = sql::exec(db, path, "BEGIN IMMEDIATE")) return error;
  std::int64_t version = 0;
  std::optional<std::string> error = sql::query_int(db, path, "PRAGMA user_version", version);
  if (!error && version == step.version - 1) {
    error = sql::exec(db, path, step.sql);
    if (!error) {
      const std::string set_version = "PRAGMA user_version = " + std::to_string(step.version);
      error = sql::exec(db, path, set_version.c_str());
    }
    if (!error) error = sql::exec(db, path, "COMMIT");
  } else if (!error) {
    error = sql::exec(db, path, "COMMIT");
  }
  if (error) {
    if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return "migration to schema version " + std::to_string(step.version) + " failed: " + *error;
  }
  return std::nullopt;
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

std::optional<std::string> check_schema(sqlite3* db, const std::string& path, int target) {
  std::int64_t version = 0;
  if (auto error = sql::query_int(db, path, "PRAGMA user_version", version)) return error;
  if (version > target) {
    return path + ": written by a newer Leadtime (schema version " + std::to_string(version) +
           "); this build reads schema version " + std::to_string(target) + " at most";
  }
  return refuse_foreign(db, path, version);
}

std::optional<std::string> migrate(sqlite3* db, const std::string& path, std::span<const Migration> steps, int target) {
  std::int64_t version = 0;
  if (auto error = sql::query_int(db, path, "PRAGMA user_version", version)) return error;
  for (const Migration& step : steps) {
    if (step.version <= version || step.version > target) continue;
    if (auto error = apply_step(db, path, step)) return error;
    if (auto error = sql::query_int(db, path, "PRAGMA user_version", version)) return error;
  }
  if (version < target) {
    return path + ": no migration reaches schema version " + std::to_string(target) + " from " +
           std::to_string(version);
  }
  return std::nullopt;
}

}  // namespace leadtime::server::store

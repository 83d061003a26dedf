#pragma once

// Shared helpers of the store tests: a temporary directory, sample rows and
// synchronous wrappers around the store's queued writes.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/store/store.h"
#include "tests/support/temp_dir.h"

namespace leadtime::server::store::testing {

using leadtime::testing::TempDir;

// Opens the store or fails the test with the error.
std::unique_ptr<Store> open_store(const std::string& path);
// The error of an open expected to fail ("" if it succeeded).
std::string open_error(const std::string& path);

GameRow sample_game(const std::string& id, std::int64_t created_ms = 1000);
JournalEntry entry(std::uint64_t seq, const std::string& kind = "submitted", int seat = 0,
                   const std::string& payload = R"({"orders":[]})");
RoundRow round_row(int round, std::size_t snapshot_bytes = 16);

// The queued writes, waited for.
Outcome create_now(Store& store, GameRow game);
Outcome append_now(Store& store, const std::string& game_id, std::vector<JournalEntry> entries,
                   std::vector<RoundRow> rounds = {});

// Runs `sql` on a connection of its own and returns the first column of the
// first row as text ("" when there is none); statements that set run too.
std::string query(const std::string& path, const std::string& sql);

}  // namespace leadtime::server::store::testing

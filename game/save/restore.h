#pragma once

// Between a live game and its records: the journal entries of its changes,
// the row describing it, and a game rebuilt from records (recovery at
// start-up, import, replay, branches).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "game/game.h"
#include "game/journal.h"
#include "game/save/save.h"
#include "server/store/store.h"

namespace leadtime::game::save {

// Wall-clock milliseconds for a game-clock time point.
using WallClock = std::function<std::int64_t(TimePoint)>;

// The live server's game clock is the steady clock; the store keeps wall
// time. These convert between them as of now.
std::int64_t wall_ms(TimePoint at);
// A file's whole text ("" if it cannot be read): scenarios are stored with
// their games.
std::string read_text(const std::string& path);
// The number in a game id "g12" (0 for any other id), for numbering new games.
std::uint64_t game_number(const std::string& id);
// The id of game `number` ("g3"); game_number's inverse.
std::string game_id(std::uint64_t number);
TimePoint steady_time(std::int64_t wall_ms);

server::store::JournalEntry entry_of(const Change& change, const WallClock& wall);

// The record of a game as created: scenario, options, token hashes.
server::store::GameRow row_of(const Game& game, const std::string& scenario_path, const std::string& scenario_source,
                              std::int64_t created_ms);

struct Rebuilt {
  std::unique_ptr<Game> game;
  std::string error;        // the scenario failed to load, or the journal to replay
  int first_mismatch = -1;  // 1-based round whose recorded hash differs
  TimePoint last_at{};      // the replay clock at the last entry
};

// The token hashes a stored game keeps.
TokenHashes token_hashes_of(const server::store::GameRow& row);
// A new game with the row's scenario (from its saved text), seed and
// options, and its token hashes when the row has them.
std::variant<std::unique_ptr<Game>, std::string> make_game(const server::store::GameRow& row);
// Replays stored journal entries into a game made by make_game.
ReplayResult replay_entries(Game& game, const std::vector<server::store::JournalEntry>& journal,
                            const ReplayHooks& hooks = {});
// Both.
Rebuilt rebuild(const server::store::GameRow& row, const std::vector<server::store::JournalEntry>& journal,
                const ReplayHooks& hooks = {});

}  // namespace leadtime::game::save

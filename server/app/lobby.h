#pragma once

#include "protocol/asio.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/scenario.h"
#include "server/app/frames.h"
#include "server/app/guesses.h"
#include "server/app/options.h"
#include "server/app/room_index.h"
#include "server/app/status_pace.h"
#include "server/game_names.h"
#include "server/store/store.h"

namespace leadtime::server::app {

class GameRoom;

// The server's games: which are loaded, who created them, which tokens open
// them (and which belonged to games that ended), the store they are recorded
// in, and the shared bot pool. Thread-safe; knows no connection.
class Lobby {
 public:
  // Loads the default scenario and opens the store, rebuilding every
  // unfinished game in it; throws std::runtime_error when either fails.
  Lobby(asio::io_context& io, const ServerOptions& options);
  ~Lobby();
  Lobby(const Lobby&) = delete;
  Lobby& operator=(const Lobby&) = delete;

  // Re-arms recovered games' deadlines; bots finish a round that was
  // resolving when the server stopped.
  void start();
  // Stops every game's timers (the io_context can then run dry).
  void stop();

  [[nodiscard]] const ServerOptions& options() const { return options_; }
  [[nodiscard]] std::shared_ptr<const Scenario> default_scenario() const { return scenario_; }
  [[nodiscard]] const std::string& default_scenario_source() const { return scenario_source_; }
  [[nodiscard]] store::Store* store() { return store_.get(); }
  // How many games were rebuilt from the store at start.
  [[nodiscard]] std::size_t recovered() const { return recovered_; }

  // A new room for a game, with the server's settings.
  std::shared_ptr<GameRoom> new_room(std::string id);
  // Adds a game created (or branched) by a facilitator at `creator`; a
  // refusal names the limit that stops it.
  std::optional<std::string> add_room(const std::shared_ptr<GameRoom>& room, const std::string& creator);
  // Drops a game whose creation could not be stored.
  void remove_room(const std::string& id);
  // The game a token (its hash: a Join hashes once, not once per game)
  // belongs to, and who the token makes its holder.
  struct Found {
    std::shared_ptr<GameRoom> room;
    Identity identity;
  };
  std::optional<Found> find_by_token(const TokenHash& token);
  // The same for a Join, which the room then expects: a room is not unloaded
  // while a Join for it is on its way to the room's strand.
  std::optional<Found> find_for_join(const TokenHash& token);
  // A token's game that is not in memory: with a store, any game it holds
  // (finished games leave memory, see unload_finished_after); without one,
  // a finished game unloaded to make room (the server remembers its tokens).
  struct Unloaded {
    std::string game_id;
    bool finished = false;
    bool facilitator = false;  // the token is the game's facilitator's
  };
  std::optional<Unloaded> unloaded_game_of(const TokenHash& token);
  // Loads a finished game back from the store for a Join with `token`, which
  // the room then expects (as find_for_join); an error says why it cannot
  // (an unfinished game that is not in memory failed to recover at start).
  std::variant<Found, std::string> load_for_join(const TokenHash& token, const Unloaded& game);
  std::vector<std::shared_ptr<GameRoom>> rooms();
  // The status lines of the newest `limit` finished games the store keeps
  // and memory does not (nothing without a store, or if it cannot be read).
  std::vector<Summary> finished_elsewhere(std::size_t limit);
  std::string next_game_id();
  // A room for a game rebuilt from records: the row's scenario, options and
  // bots, the journal replayed (an error names what failed). Recovery and
  // branches both build rooms this way; the clock is as the last entry left
  // it, and `idle` says how long ago that was.
  struct Rebuilt {
    std::shared_ptr<GameRoom> room;
    std::chrono::milliseconds idle{0};
  };
  std::variant<Rebuilt, std::string> rebuild_room(const store::GameRow& row,
                                                  const std::vector<store::JournalEntry>& journal,
                                                  std::int64_t created_ms);
  // Constant-time check of a CreateGame or ListGames key.
  [[nodiscard]] bool facilitator_key_ok(std::string_view key) const;
  // Wrong tokens from one address slow down every Join from it, so guessing
  // does not pay however many connections it opens: counts `token` (once,
  // however often repeated) and returns the wait before the address's next
  // Join is looked at.
  std::chrono::milliseconds note_wrong_token(const std::string& address, const TokenHash& token);
  // When a Join from `address` may be looked at (now, unless the address
  // guessed wrong too often); each call takes the next turn. A refusal
  // naming the limit when too many Joins from the address wait already.
  std::variant<std::chrono::steady_clock::time_point, std::string> join_turn(const std::string& address);
  // Work that may take a while (rendering a report) off the games' strands.
  [[nodiscard]] asio::thread_pool& worker_pool() { return bot_pool_; }
  [[nodiscard]] const StatusPace& status_pace() const { return *status_pace_; }

 private:
  void recover();
  std::optional<std::string> recover_game(const store::GameRow& row);
  void remember_ended(const std::string& id, const TokenHashes& hashes);
  std::optional<Found> find_locked(const TokenHash& token);
  // Finished games nobody has used for options_.unload_finished_after leave
  // memory (the store keeps them): looked for every so often.
  void arm_unload_sweep();
  void sweep_finished();
  // On the room's strand: drops it unless a member or a Join came meanwhile.
  bool unload_unwanted(const std::shared_ptr<GameRoom>& room);

  asio::io_context& io_;
  const ServerOptions& options_;
  std::shared_ptr<StatusPace> status_pace_;  // shared by every room
  std::shared_ptr<const Scenario> scenario_;
  std::string scenario_source_;
  std::unique_ptr<store::Store> store_;
  std::size_t recovered_ = 0;
  std::mutex mutex_;  // guards rooms_, ended_tokens_, creators_, next_id_
  RoomIndex rooms_;
  struct EndedToken {
    std::string game_id;
    bool facilitator = false;
  };
  std::map<TokenHash, EndedToken> ended_tokens_;  // without a store only
  std::map<std::string, std::string> creators_;   // game id -> the address that created it
  GuessThrottle guesses_;
  asio::thread_pool bot_pool_;
  std::uint64_t next_id_ = 1;
  asio::strand<asio::io_context::executor_type> sweep_strand_;
  asio::steady_timer unload_sweep_;  // on sweep_strand_, like stopping_
  bool stopping_ = false;            // no sweep is armed after stop()
};

}  // namespace leadtime::server::app

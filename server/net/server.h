#pragma once

// The network side of the game server, in the style of Asio's C++20
// coroutine chat server: a lobby of games (each a "room" that knows no
// sockets, driven on its own strand) and sessions with one reader and one
// writer coroutine each. Sessions never touch a game directly: they post
// work to the game's strand, and the game hands finished frames back to the
// sessions, whose writers send them in order.
#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "engine/scenario.h"
#include "server/game_names.h"
#include "server/net/guesses.h"
#include "server/store/store.h"

namespace leadtime::server::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7700;  // 0: the system picks a free port (see Server::port())
  // The scenario a CreateGame without scenario_path plays.
  std::string scenario = "scenarios/2028.lua";
  // Folders CreateGame.scenario_path and SeatBot.bot_path are relative to;
  // the scenario's own default bot paths are relative to bot_root as well.
  std::string scenario_root = ".";
  std::string bot_root = ".";
  std::string server_version = "0.1.0";
  // CreateGame and ListGames must carry this key; empty: anyone may (tests,
  // benchmarks and --open-lobby).
  std::string facilitator_key;
  // Limits (each refusal names the limit).
  std::size_t max_frame = std::size_t{1024} * 1024;  // bytes
  std::size_t max_connections = 8192;                // in total
  std::size_t max_connections_per_address = 1024;
  double messages_per_second = 50;                      // sustained, per connection
  double message_burst = 200;                           // bucket size
  int rate_strikes_to_close = 20;                       // refused messages before closing
  std::chrono::milliseconds handshake_timeout{10'000};  // connect -> Hello
  std::chrono::milliseconds idle_timeout{30 * 60'000};  // no complete frame
  // Unfinished games, in all and per facilitator. The server has no
  // accounts (everyone who may create games shares one key), so a
  // facilitator is the address CreateGame and Branch come from. Finished
  // games count against neither; games recovered at start count against no
  // address, only against max_games. When max_games games are in memory, a
  // finished game nobody is joined to is unloaded to make room (it stays in
  // the database, for export).
  std::size_t max_games = 1000;
  std::size_t max_games_per_facilitator = 50;
  std::size_t max_message_chars = 4000;  // press
  std::size_t max_orders_per_submission = 200;
  // Wrong tokens: the first `free_wrong_tokens` from an address cost
  // nothing; after that every Join from the address (any connection) waits
  // its turn, `wrong_token_delay` after the last, doubling with each new
  // wrong token up to `max_wrong_token_delay`; at most `max_waiting_joins`
  // wait at once, others are refused. A repeated wrong token counts once;
  // the token of a game that ended is not wrong. An address with no wrong
  // token for `forgive_wrong_tokens` starts afresh (see guesses.h).
  int free_wrong_tokens = 3;
  std::chrono::milliseconds wrong_token_delay{100};
  std::chrono::milliseconds max_wrong_token_delay{5000};
  std::chrono::milliseconds forgive_wrong_tokens{15 * 60'000};
  std::size_t max_waiting_joins = 8;
  unsigned bot_threads = 2;  // the pool bots decide on
  // After a failed save, a game tries again this soon if nothing else
  // changes meanwhile (every change tries again too).
  std::chrono::milliseconds save_retry{5000};
  // Tests only: runs on the bot pool just before a game's bots decide a
  // round, to hold the game in "resolving" (faults_test; leadtime-server
  // sets it from LEADTIME_TESTING_HOLD_BOTS_MS). Empty otherwise.
  std::function<void(const std::string& game_id)> testing_before_bots;
  // The SQLite file every game is recorded in and recovered from at start;
  // empty: games live in memory only (tests, benchmarks).
  std::string db_path;
};

class Session;
class GameRoom;

class Server {
 public:
  // Loads the default scenario, opens the store and rebuilds every unfinished
  // game in it, and binds the listening socket; throws std::runtime_error
  // (or asio::system_error) when any of that fails.
  Server(asio::io_context& io, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts accepting connections (a listener coroutine on the io_context).
  void start();
  // Closes the listener, every session and every game's deadline timer, so
  // io_context::run() returns once the last handlers have run.
  void stop();

  [[nodiscard]] std::uint16_t port() const { return port_; }

  // For sessions.
  [[nodiscard]] asio::io_context& io() { return io_; }
  [[nodiscard]] const ServerOptions& options() const { return options_; }
  [[nodiscard]] std::shared_ptr<const Scenario> default_scenario() const { return scenario_; }
  [[nodiscard]] asio::thread_pool& bot_pool() { return bot_pool_; }
  [[nodiscard]] store::Store* store() { return store_.get(); }
  [[nodiscard]] const std::string& default_scenario_source() const { return scenario_source_; }
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
  std::vector<std::shared_ptr<GameRoom>> rooms();
  std::string next_game_id();
  // A room for a game rebuilt from records: the row's scenario, options and
  // bots, the journal replayed (an error names what failed). Recovery and
  // branches both build rooms this way.
  struct Rebuilt {
    std::shared_ptr<GameRoom> room;
  };
  std::variant<Rebuilt, std::string> rebuild_room(const store::GameRow& row,
                                                  const std::vector<store::JournalEntry>& journal,
                                                  std::int64_t created_ms);
  // Constant-time check of a CreateGame or ListGames key.
  [[nodiscard]] bool facilitator_key_ok(std::string_view key) const;
  void forget(const Session* session);
  // Wrong tokens from one address slow down every Join from it, so guessing
  // does not pay however many connections it opens: counts `token` (once,
  // however often repeated) and returns the wait before the address's next
  // Join is looked at.
  std::chrono::milliseconds note_wrong_token(const std::string& address, const TokenHash& token);
  // When a Join from `address` may be looked at (now, unless the address
  // guessed wrong too often); each call takes the next turn. A refusal
  // naming the limit when too many Joins from the address wait already.
  std::variant<std::chrono::steady_clock::time_point, std::string> join_turn(const std::string& address);
  // The id of the game `token` belonged to, if that game ended and is no
  // longer loaded (it finished before this server started, or was unloaded
  // to make room), so its players are told rather than taken for guessers.
  std::optional<std::string> ended_game_of(const TokenHash& token);

 private:
  asio::awaitable<void> listen();
  asio::awaitable<void> pause_accepting(std::string error, int failures);
  void recover();
  std::optional<std::string> recover_game(const store::GameRow& row);

  asio::io_context& io_;
  ServerOptions options_;
  std::shared_ptr<const Scenario> scenario_;
  std::string scenario_source_;
  std::unique_ptr<store::Store> store_;
  std::size_t recovered_ = 0;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;  // guards rooms_, sessions_, next_id_, stopped_
  std::map<std::string, std::shared_ptr<GameRoom>> rooms_;
  std::map<const Session*, std::weak_ptr<Session>> sessions_;
  std::map<std::string, std::size_t> per_address_;
  std::map<const Session*, std::string> address_of_;
  void remember_ended(const std::string& id, const TokenHashes& hashes);
  GuessThrottle guesses_;
  std::map<TokenHash, std::string> ended_tokens_;  // guarded by mutex_
  std::map<std::string, std::string> creators_;    // game id -> the address that created it
  asio::thread_pool bot_pool_;
  std::uint64_t next_id_ = 1;
  bool stopped_ = false;
};

}  // namespace leadtime::server::net

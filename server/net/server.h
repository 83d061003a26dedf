#pragma once

// The network side of the game server, in the style of Asio's C++20
// coroutine chat server: a lobby of games (each a "room" that knows no
// sockets, driven on its own strand) and sessions with one reader and one
// writer coroutine each. Sessions never touch a game directly: they post
// work to the game's strand, and the game hands finished frames back to the
// sessions, whose writers send them in order.
#include <asio.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "engine/scenario.h"

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
};

class Session;
struct GameRoom;

class Server {
 public:
  // Loads the default scenario and binds the listening socket; throws
  // std::runtime_error (or asio::system_error) when either fails.
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
  std::shared_ptr<GameRoom> add_room(std::shared_ptr<GameRoom> room);
  // The game a token belongs to, or null.
  std::shared_ptr<GameRoom> find_by_token(std::string_view token);
  std::string next_game_id();
  void forget(const Session* session);

 private:
  asio::awaitable<void> listen();

  asio::io_context& io_;
  ServerOptions options_;
  std::shared_ptr<const Scenario> scenario_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;  // guards rooms_, sessions_, next_id_, stopped_
  std::map<std::string, std::shared_ptr<GameRoom>> rooms_;
  std::map<const Session*, std::weak_ptr<Session>> sessions_;
  std::uint64_t next_id_ = 1;
  bool stopped_ = false;
};

}  // namespace leadtime::server::net

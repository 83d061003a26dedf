#pragma once

#include <asio.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "protocol/framing.h"
#include "protocol/leadtime_generated.h"
#include "server/game_names.h"
#include "server/net/frames.h"

namespace leadtime::server::net {

class Server;
class GameRoom;

// One client connection, as in Asio's chat example: a reader coroutine that
// decodes, verifies and dispatches frames, a writer coroutine that drains a
// queue, and a watchdog that closes connections that stall or flood. All
// three run on the session's strand; games are reached only by posting to
// their room's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::ip::tcp::socket socket, Server& server, std::string address);

  void start();
  // Thread-safe: queues a frame for the writer (then, if `close`, closes).
  void deliver(Frame frame, bool close = false);
  // Thread-safe.
  void stop_soon();

  [[nodiscard]] const std::string& peer() const { return peer_; }
  [[nodiscard]] const std::string& address() const { return address_; }

 private:
  asio::awaitable<void> reader();
  asio::awaitable<void> writer();
  asio::awaitable<void> watchdog();
  void deliver_here(Frame frame, bool close = false);
  void stop();
  void refuse(std::uint32_t request_id, wire::ErrorCode code, std::string_view text, bool close = false);
  bool within_rate();
  void handle(const Frame& frame);
  void hello(std::uint32_t rid, const wire::Hello& msg);
  [[nodiscard]] std::uint32_t idle_timeout_seconds() const;
  void pong(std::uint32_t rid, const wire::Ping& ping);
  void create_game(std::uint32_t rid, const wire::CreateGame& msg);
  void list_games(std::uint32_t rid, const wire::ListGames& msg);
  void join(std::uint32_t rid, const wire::Join& msg);
  struct JoinAsked {
    std::uint32_t rid = 0;
    std::string token;
    std::string member;
    std::uint64_t last_press_seq = 0;
    int last_round = 0;
  };
  void examine_join(const JoinAsked& asked);
  asio::awaitable<void> watch_peer_while_waiting();
  void submit(std::uint32_t rid, std::vector<OrderDraft> drafts);
  void ready(std::uint32_t rid, bool ready);
  void press(std::uint32_t rid, const wire::Press& msg);
  void command(std::uint32_t rid, const wire::FacilitatorCommand& msg);
  void export_game(std::uint32_t rid);
  void branch(std::uint32_t rid, int round);
  void leave_room();
  bool need_room(std::uint32_t rid);

  asio::ip::tcp::socket socket_;
  asio::steady_timer wake_;       // wakes the writer
  asio::steady_timer watchdog_;   // handshake and idle timeouts
  asio::steady_timer join_turn_;  // holds the reader until a Join's turn
  Server& server_;
  std::string address_;
  std::string peer_;
  std::deque<Frame> queue_;
  protocol::FrameDecoder decoder_;
  bool hello_ = false;
  bool closing_ = false;  // no more reading; the writer flushes and closes
  bool stopped_ = false;
  std::chrono::steady_clock::time_point connected_at_;
  std::chrono::steady_clock::time_point last_frame_;
  // Token bucket for the message rate limit.
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_;
  int rate_strikes_ = 0;
  // A Join waiting for its address's turn (after wrong tokens); the reader
  // reads nothing more meanwhile.
  std::optional<JoinAsked> waiting_join_;
  std::shared_ptr<GameRoom> room_;
  Identity identity_;
  std::string member_;
};

}  // namespace leadtime::server::net

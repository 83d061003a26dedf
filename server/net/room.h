#pragma once

#include <asio.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/lua/bot.h"
#include "server/game.h"
#include "server/net/frames.h"

namespace leadtime::server::net {

class Session;
using Strand = asio::strand<asio::io_context::executor_type>;

// One game and the sessions joined to it, in the manner of the chat
// example's room. Every member function runs on the room's strand; bots
// decide on the server's bot pool, one round's job at a time per room, and
// post their orders back to the strand.
class GameRoom : public std::enable_shared_from_this<GameRoom> {
 public:
  GameRoom(asio::io_context& io, asio::thread_pool& bot_pool, std::string id, std::string bot_root);

  // Set once, before the room is shared.
  void install(std::unique_ptr<Game> game, std::vector<std::optional<lua::Bot>> bots);

  [[nodiscard]] Strand& strand() { return strand_; }
  [[nodiscard]] const std::string& id() const { return id_; }
  // Tokens never change after creation, so any thread may check one.
  [[nodiscard]] std::optional<Identity> authenticate(std::string_view token) const {
    return game_->authenticate(token);
  }

  // --- On the strand.
  [[nodiscard]] Game& game() { return *game_; }
  [[nodiscard]] std::string seat_name(int seat) const;
  struct JoinRequest {
    std::uint32_t request_id = 0;
    Identity who;
    std::string member;
    std::uint64_t last_press_seq = 0;
    int last_round = 0;
  };
  void join(const std::shared_ptr<Session>& session, const JoinRequest& request);
  void leave(const Session* session);
  // Sends what changed since the last call (round results and views, the
  // end of the game, the status line), re-arms the deadline and starts the
  // bots when a round is due.
  void after_change();
  void relay(const Message& message);
  // Disconnects every client of the seat; returns how many.
  int kick(int seat);
  // Loads a bot for a seat (path relative to the bot folder); an error says why.
  std::optional<std::string> load_bot(int seat, const std::string& path);
  [[nodiscard]] Attendance attendance() const;
  [[nodiscard]] int members() const { return static_cast<int>(members_.size()); }
  void stop();

 private:
  struct Member {
    std::weak_ptr<Session> session;
    Identity identity;
  };

  void send_round_results();
  void send_to_each(const std::function<std::optional<Frame>(const Identity&)>& frame_for);
  void arm_deadline();
  void start_bots();
  BotOrders play_bots();  // on the bot pool

  Strand strand_;
  asio::steady_timer deadline_;
  asio::thread_pool& bot_pool_;
  std::string id_;
  std::string bot_root_;
  std::unique_ptr<Game> game_;
  std::vector<std::optional<lua::Bot>> bots_;
  std::vector<bool> told_result_;   // per seat: the bot played the last round
  std::vector<Member> members_;
  std::size_t rounds_sent_ = 0;
  bool end_sent_ = false;
  bool bots_running_ = false;
  bool stopped_ = false;
};

// A path from a client, kept inside `root`: no absolute paths, no "..".
std::optional<std::string> inside(const std::string& root, const std::string& relative);

}  // namespace leadtime::server::net

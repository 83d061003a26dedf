#pragma once

#include <asio.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/lua/bot.h"
#include "server/game.h"
#include "server/net/frames.h"
#include "server/save/restore.h"
#include "server/store/store.h"

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

  // Where the room's game is recorded: the store (null: nowhere) and what
  // the game was created from.
  struct Records {
    store::Store* store = nullptr;
    std::string scenario_path;
    std::string scenario_source;
    std::int64_t created_ms = 0;
  };

  // Set once, before the room is shared.
  void install(std::unique_ptr<Game> game, std::vector<std::optional<lua::Bot>> bots, Records records);
  // After replaying a stored journal into the game: all of it is on disk
  // already, and its clients saw its rounds before the restart.
  void mark_recorded();

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
  // Records the game's changes since the last call (and the rounds resolved
  // since), then runs `then` on the strand once they are durable, with the
  // store's error if they are not. Without a store `then` runs at once.
  void persist(std::function<void(const store::Outcome&)> then);
  // The game's record as a new store row (its journal goes in by persist).
  [[nodiscard]] store::GameRow row() const;
  // Everything about the game, for a save file.
  [[nodiscard]] save::SaveData save_data() const;
  // Lets the bots decide as they did when a recorded round was played, so a
  // rebuilt game's bots carry on from the state they had.
  void warm_bots();
  [[nodiscard]] int members() const { return static_cast<int>(members_.size()); }
  void stop();

 private:
  struct Member {
    std::weak_ptr<Session> session;
    Identity identity;
  };

  void send_round_results();
  void take_back_rounds();
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
  std::vector<bool> told_result_;  // per seat: the bot played the last round
  std::vector<Member> members_;
  Records records_;
  std::vector<store::RoundRow> round_rows_;
  std::size_t persisted_ = 0;
  int stored_rounds_ = 0;  // rounds whose rows the store has
  bool finished_recorded_ = false;
  std::size_t rounds_sent_ = 0;
  bool end_sent_ = false;
  bool bots_running_ = false;
  bool stopped_ = false;
};

// A path from a client, kept inside `root`: no absolute paths, no "..".
std::optional<std::string> inside(const std::string& root, const std::string& relative);

}  // namespace leadtime::server::net

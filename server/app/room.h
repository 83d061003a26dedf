#pragma once

#include "protocol/asio.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/lua/bot.h"
#include "game/save/restore.h"
#include "server/app/frames.h"
#include "server/app/status_pace.h"
#include "server/game_names.h"
#include "server/store/store.h"

namespace leadtime::server::app {

using Strand = asio::strand<asio::io_context::executor_type>;

// One game and the participants joined to it, in the manner of the chat
// example's room. Every member function runs on the room's strand; bots
// decide on the server's bot pool, one round's job at a time per room, and
// post their orders back to the strand.
class GameRoom : public std::enable_shared_from_this<GameRoom> {
 public:
  // What a room takes from the server's options.
  struct Settings {
    std::string bot_root = ".";  // bot paths are relative to it
    // After a failed save, how soon the room tries again if nothing else
    // changes meanwhile (every change tries again too).
    std::chrono::milliseconds save_retry{5000};
    // The shortest time between two status lines of the game (see
    // push_status), shared by the server's rooms; null: no shortest time.
    std::shared_ptr<StatusPace> status_pace;
    // Tests only: runs on the bot pool just before the bots of a round
    // decide, so a test can hold a round in "resolving" (ServerOptions).
    std::function<void(const std::string& game_id)> testing_before_bots;
  };
  GameRoom(asio::io_context& io, asio::thread_pool& bot_pool, std::string id, Settings settings);
  ~GameRoom();
  GameRoom(const GameRoom&) = delete;
  GameRoom& operator=(const GameRoom&) = delete;

  // Where the room's game is recorded: the store (null: nowhere) and what
  // the game was created from.
  struct Records {
    store::Store* store = nullptr;
    std::string scenario_path;
    std::string scenario_source;
    std::int64_t created_ms = 0;
    // A branch's parent game and the rounds kept from it ("" and -1: none).
    std::string parent_id;
    int branch_round = -1;
  };

  // Set once, before the room is shared.
  void install(std::unique_ptr<Game> game, RoundDriver driver, Records records);
  // After replaying a stored journal into the game: all of it is on disk
  // already (with the store's finished flag), and its clients saw its
  // rounds before the restart.
  void mark_recorded(bool finished_in_store);
  // Any thread: the game is over (finished games count against no limit),
  // and how many clients are joined.
  [[nodiscard]] bool finished() const { return finished_flag_.load(); }
  [[nodiscard]] int member_count() const { return member_count_.load(); }
  // Any thread: a Join found the room and is on its way to its strand (the
  // lobby counts it under its lock, so the room is not unloaded meanwhile).
  void expect_join() { ++joins_expected_; }
  [[nodiscard]] int joins_expected() const { return joins_expected_.load(); }

  [[nodiscard]] Strand& strand() { return strand_; }
  [[nodiscard]] const std::string& id() const { return id_; }
  // Tokens never change after creation, so any thread may check one.
  [[nodiscard]] std::optional<Identity> authenticate(const TokenHash& token) const {
    return game_->authenticate(token);
  }
  [[nodiscard]] TokenHashes token_hashes() const { return game_->token_hashes(); }

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
  void join(const std::shared_ptr<Participant>& participant, const JoinRequest& request);
  void leave(const Participant* participant);
  // Sends what changed since the last call (round results and views, the
  // end of the game, the status line), re-arms the deadline and starts the
  // bots when a round is due.
  void after_change();
  void relay(const Message& message);
  // The facilitators' whole view again (after a seat's orders came in),
  // with the next status line: a burst of submissions costs them one view.
  void refresh_facilitators();
  // Disconnects every client of the seat; returns how many.
  int kick(int seat);
  // Loads a bot for a seat (path relative to the bot folder); an error says why.
  std::optional<std::string> load_bot(int seat, const std::string& path);
  // The same for a game rebuilt from records: a bot that no longer loads
  // leaves its seat on standing orders, and each round it should have played
  // carries a bot_fault note saying why (so the game is never lost to it).
  void load_bot_or_note(int seat, const std::string& path);
  [[nodiscard]] Attendance attendance() const;
  // Records the game's changes not yet handed to the store (and the rounds
  // resolved since), then runs `then` on the strand once they are durable,
  // with the store's error if they are not. Without a store `then` runs at
  // once. A failed save (a full disk, say) leaves the game running from
  // memory: the facilitator is told, and the next call (any change, or a
  // retry timer) writes everything not yet durable, in order, so the journal
  // on disk never has a hole.
  void persist(std::function<void(const store::Outcome&)> then);
  // Whether every change so far is known to be durable.
  [[nodiscard]] bool all_saved() const { return durable_.changes == game_->changes().size(); }
  // The game's record as a new store row (its journal goes in by persist).
  [[nodiscard]] store::GameRow row() const;
  // Everything about the game, for a save file.
  [[nodiscard]] save::SaveData save_data() const;
  // Lets the bots decide as they did when a recorded round was played, so a
  // rebuilt game's bots carry on from the state they had.
  void warm_bots();
  [[nodiscard]] int members() const { return static_cast<int>(members_.size()); }
  // How long a finished game has had no member, no Join on its way and no
  // change, with everything saved; nothing while any of that is not so.
  [[nodiscard]] std::optional<std::chrono::steady_clock::duration> unused_for(
      std::chrono::steady_clock::time_point now) const;
  void stop();
  // Stops the room and forgets its store: for a game whose creation could
  // not be stored, which the server drops.
  void abandon();

 private:
  struct Member {
    std::weak_ptr<Participant> session;
    Identity identity;
  };

  // How far the game's record reaches: changes and round rows, and the
  // finished flag.
  struct Saved {
    std::size_t changes = 0;
    int rounds = 0;
    bool finished = false;
  };
  void saved(const store::Outcome& outcome, const Saved& upto, std::uint64_t generation);
  void tell_facilitators(const Frame& frame);
  void arm_save_retry();
  bool send_round_results();
  void show_changes();
  // Returns whether the line goes out without waiting for the interval.
  bool push_status();
  // What makes a status line news that cannot wait for the interval.
  struct PhaseShown {
    Phase phase = Phase::Lobby;
    bool paused = false;
    int round = -1;
    bool operator==(const PhaseShown&) const = default;
  };
  [[nodiscard]] PhaseShown phase_now() const;
  void send_status();
  [[nodiscard]] std::optional<Frame> take_news_status();
  void count_members();
  [[nodiscard]] std::chrono::milliseconds status_interval() const;
  void mark_status_sent();
  void take_back_rounds();
  // Every member still connected (the others are dropped on the way).
  void for_each_member(const std::function<void(Participant&, const Identity&)>& visit);
  void send_to_each(const std::function<std::optional<Frame>(const Identity&)>& frame_for);
  void arm_deadline();
  void start_bots();
  BotOrders play_bots();  // on the bot pool: the round driver's part of the round

  Strand strand_;
  asio::steady_timer deadline_;
  asio::steady_timer save_retry_;
  asio::steady_timer status_timer_;
  asio::thread_pool& bot_pool_;
  std::string id_;
  Settings settings_;
  std::unique_ptr<Game> game_;
  std::optional<RoundDriver> driver_;  // set by install
  std::vector<Member> members_;
  Records records_;
  std::vector<store::RoundRow> round_rows_;
  Saved sent_;     // handed to the store: committed, failed or in flight
  Saved durable_;  // known to be committed
  // Bumped when a failure sends the room back to its durable point, so the
  // failures of appends queued before that do not send it back again.
  std::uint64_t generation_ = 0;
  std::optional<std::string> save_failure_;  // since the last durable write
  std::size_t rounds_sent_ = 0;
  std::vector<std::string> actor_ids_;  // by actor index: how events name their actors
  bool end_sent_ = false;
  enum class StatusPush { None, Posted, Timed };
  StatusPush status_push_ = StatusPush::None;            // a GameSummary push on its way
  PhaseShown shown_phase_;                               // of the last line sent
  bool facilitators_behind_ = false;                     // their view goes with that push
  std::chrono::steady_clock::time_point last_status_{};  // when the last one went
  bool bots_running_ = false;
  bool stopped_ = false;
  std::atomic<bool> finished_flag_{false};
  std::atomic<int> member_count_{0};
  int paced_members_ = 0;  // counted in settings_.status_pace
  std::atomic<int> joins_expected_{0};
  std::chrono::steady_clock::time_point last_used_ = std::chrono::steady_clock::now();
};

// A path from a client, kept inside `root`: no absolute paths, no "..".
std::optional<std::string> inside(const std::string& root, const std::string& relative);

}  // namespace leadtime::server::app

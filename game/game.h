#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/match.h"
#include "engine/views.h"
#include "game/change.h"
#include "game/round_driver.h"
#include "game/tokens.h"

namespace leadtime::game {

// A game's life: lobby -> orders (round open, deadline running, may be
// paused) -> resolving (bots deciding) -> orders ... -> finished. The game is
// the room of Asio's chat example: it knows seats, rounds and the engine,
// never a socket; time comes in as arguments. Bots decide off the game's
// thread: when a round falls due the game waits in Resolving for their
// orders (complete_round), refusing anything that would change the round,
// unless it was given a BotPlayer to call in place.
enum class Phase : std::uint8_t { Lobby, Orders, Resolving, Finished };
std::string_view phase_name(Phase phase, bool paused);
enum class Role : std::uint8_t { Seat, Observer, Facilitator };

struct GameOptions {
  std::uint64_t seed = 1;
  Seconds deadline{600};
  std::vector<bool> bot_seats;         // per actor; missing = a person's seat
  std::vector<std::string> bot_paths;  // per actor, for the record
};

// Who played a seat in the last resolved round.
struct PlayedBy {
  bool bot = false;
  std::string member;
};

// One seat at a glance, for status lines and the facilitator's list.
struct SeatStatus {
  bool bot = false;
  std::string bot_path;
  bool submitted = false;
  bool ready = false;
};

struct GameStatus {
  Phase phase = Phase::Lobby;
  bool paused = false;
  int round = 0;
  int rounds = 0;
  Seconds time_left{0};
  std::vector<SeatStatus> seats;
};

struct Tokens {
  std::string facilitator;
  std::string observer;
  std::vector<std::string> seats;  // per actor
};

// The hashes a game keeps of its tokens, for the store.
struct TokenHashes {
  TokenHash facilitator{};
  TokenHash observer{};
  std::vector<TokenHash> seats;
};

struct Identity {
  Role role = Role::Observer;
  int seat = kNoActor;
};

struct Submission {
  std::vector<Order> orders;
  std::string member;  // which team member's set counts
};

struct Message {
  std::uint64_t seq = 0;
  int from = kNoActor;  // kNoActor: the facilitator
  std::vector<int> to;  // empty: public
  std::string text;
};

// Why the game did not take an action: a code that front ends map to their
// own (the wire's ErrorCode) and a sentence for the person who asked.
enum class RefusalCode : std::uint8_t {
  WrongPhase,     // not now: the game's phase or clock does not allow it
  NotFound,       // no such seat, event or round
  NotAuthorised,  // not for whoever asked (the seat, the role)
  Invalid,        // a value that cannot be taken (an empty message, a bot without a file)
};
struct Refusal {
  RefusalCode code = RefusalCode::Invalid;
  std::string text;
  bool operator==(const Refusal&) const = default;
};
// Empty when the action was taken.
using Refused = std::optional<Refusal>;

class Game {
 public:
  // Plays the bots' part of a round in place when it falls due (tests and
  // simple hosts; usually RoundDriver::decide). Without one, a game with bot
  // seats waits in Resolving for complete_round().
  using BotPlayer = std::function<BotOrders(const Match& match, const std::vector<bool>& bot_seats)>;

  Game(std::string id, std::shared_ptr<const Scenario> scenario, GameOptions options, BotPlayer bots);

  // Called right after each round resolves (with the match as it is then),
  // for whoever keeps per-round snapshots.
  void on_round(std::function<void(const Match&)> observer) { round_observer_ = std::move(observer); }

  // Tokens are shown once; the game keeps only their hashes.
  Tokens issue_tokens();
  [[nodiscard]] std::optional<Identity> authenticate(std::string_view token) const;
  [[nodiscard]] std::optional<Identity> authenticate(const TokenHash& token) const;
  [[nodiscard]] TokenHashes token_hashes() const;
  // A game rebuilt from the store keeps the tokens it was created with.
  void restore_token_hashes(const TokenHashes& hashes);

  // Facilitator.
  Refused start(TimePoint now);
  Refused pause(TimePoint now);
  Refused resume(TimePoint now);
  Refused move_deadline(Seconds by, TimePoint now);  // negative shortens
  Refused force(TimePoint now);
  Refused inject(Inject inject);
  // The facilitator's inject by id: the scenario's event of that id (which
  // takes no arguments) or, when the scenario has none, one of the engine's
  // injects (engine/injects.h) built with `args` from the state as it is.
  Refused inject_by_id(const std::string& id, const NamedArgs& args);
  Refused swap(int seat, bool to_bot, std::string bot_path, TimePoint now);
  Refused kick(int seat);  // the host disconnects the seat's clients
  Refused end();
  // Undoes the last resolved round: the state before it comes back, with the
  // teams' orders of that round as their submissions, editable again.
  Refused rollback(TimePoint now);
  // The deadline has passed (tick() calls it; replay calls it where the
  // journal says it happened).
  void pass_deadline(TimePoint now);
  // Moves the running deadline by `by`: a game rebuilt from its journal keeps
  // the time that was left when it was last changed.
  void shift_clock(std::chrono::steady_clock::duration by);
  // The server restarted and the game goes on from its record: the clock
  // stood still for `downtime`, so the deadline moves by as much, and the
  // change is recorded (a later replay moves it again; the debrief tells it).
  void restarted(std::chrono::milliseconds downtime, TimePoint now);

  // Resolving: resolves the round with the bots' orders (decided on the
  // state as it is now), then opens the next one.
  void complete_round(BotOrders bots, TimePoint now);

  // Seats.
  std::variant<ValidatedOrders, Refusal> submit(int seat, std::string member, const std::vector<OrderDraft>& drafts,
                                                TimePoint now);
  // A submission as the journal recorded it (orders already validated).
  Refused restore_submission(int seat, std::string member, std::vector<Order> orders);
  Refused set_ready(int seat, bool ready, TimePoint now);
  Refused send(int from, std::vector<int> to, std::string text);

  // Resolves the round if its deadline has passed.
  void tick(TimePoint now);

  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] Phase phase() const { return phase_; }
  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] Seconds time_left(TimePoint now) const;
  [[nodiscard]] GameStatus status(TimePoint now) const;
  [[nodiscard]] const GameOptions& options() const { return options_; }
  [[nodiscard]] const std::string& bot_path(int seat) const { return bot_paths_[static_cast<std::size_t>(seat)]; }
  // Who played each seat in the last resolved round (empty before round 1).
  [[nodiscard]] const std::vector<PlayedBy>& last_played() const {
    static const std::vector<PlayedBy> none;
    return played_.empty() ? none : played_.back();
  }
  [[nodiscard]] const Match& match() const { return match_; }
  [[nodiscard]] const std::vector<Change>& changes() const { return changes_; }
  [[nodiscard]] const std::vector<Message>& messages() const { return messages_; }
  [[nodiscard]] bool is_bot(int seat) const { return bot_[static_cast<std::size_t>(seat)]; }
  [[nodiscard]] bool is_ready(int seat) const { return ready_[static_cast<std::size_t>(seat)]; }
  [[nodiscard]] const std::optional<Submission>& submission(int seat) const {
    return submissions_[static_cast<std::size_t>(seat)];
  }
  // What a reconnecting or joining client gets: a seat's own view, an
  // observer's public one; the facilitator reads match().state() whole.
  [[nodiscard]] View view_for(const Identity& who) const;
  [[nodiscard]] std::vector<Message> messages_for(const Identity& who, std::uint64_t after_seq = 0) const;
  // The one rule for who may read a message: public ones everyone, private
  // ones their sender, addressees and the facilitator.
  [[nodiscard]] static bool addressed_to(const Message& m, const Identity& who);

 private:
  Refused need_orders_phase() const;
  Refused can_submit(int seat) const;
  void accept_submission(int seat, std::string member, std::vector<Order> orders);
  bool valid_seat(int seat) const;
  [[nodiscard]] bool has_scenario_event(const std::string& id) const;
  [[nodiscard]] std::string scenario_event_ids() const;  // "a, b, c", or "none"
  void record(int seat, ChangeData data);
  void fall_due(TimePoint now);
  void fall_due_while_everyone_ready(TimePoint now);
  BotOrders decide_in_place();
  bool all_people_ready() const;

  std::string id_;
  Match match_;
  GameOptions options_;
  BotPlayer bots_;
  std::function<void(const Match&)> round_observer_;
  Phase phase_ = Phase::Lobby;
  bool paused_ = false;
  TimePoint deadline_{};
  Seconds remaining_at_pause_{0};
  TokenHash facilitator_hash_{};
  TokenHash observer_hash_{};
  std::vector<TokenHash> seat_hashes_;
  bool tokens_issued_ = false;
  std::vector<bool> bot_;
  std::vector<std::string> bot_paths_;
  std::vector<std::vector<PlayedBy>> played_;  // per resolved round
  std::vector<bool> ready_;
  std::vector<std::optional<Submission>> submissions_;
  std::vector<Inject> pending_injects_;
  std::vector<Message> messages_;
  std::vector<Change> changes_;
  std::uint64_t seq_ = 0;
  TimePoint last_now_{};
};

}  // namespace leadtime::game

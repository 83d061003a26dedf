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
#include "server/tokens.h"

namespace leadtime::server {

using TimePoint = std::chrono::steady_clock::time_point;
using Seconds = std::chrono::seconds;

// A game's life: lobby -> orders (round open, deadline running, may be
// paused) -> [resolution, results] -> orders ... -> finished. Resolution is a
// moment inside the call that triggers it, never a state a caller can see
// half-done. The game is the room of Asio's chat example: it knows seats,
// rounds and the engine, never a socket; time comes in as arguments.
enum class Phase : std::uint8_t { Lobby, Orders, Finished };
enum class Role : std::uint8_t { Seat, Observer, Facilitator };

struct GameOptions {
  std::uint64_t seed = 1;
  Seconds deadline{600};
  std::vector<bool> bot_seats;  // per actor; missing = a person's seat
};

struct Tokens {
  std::string facilitator;
  std::string observer;
  std::vector<std::string> seats;  // per actor
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

// Every accepted change, in order: the one place a store will record.
struct Change {
  std::uint64_t seq = 0;
  std::string
      kind;  // started, submitted, ready, resolved, paused, resumed, deadline, injected, swapped, message, ended
  int seat = kNoActor;
  std::string detail;
};

// Empty when the action was taken; otherwise why not, in a sentence.
using Refusal = std::optional<std::string>;

class Game {
 public:
  // Decides for a bot seat at resolution (the server runs it off the network
  // thread); an error leaves the seat on its standing orders.
  using BotPlayer =
      std::function<std::variant<std::vector<OrderDraft>, std::string>(int seat, const View& view, const State& state)>;

  Game(std::string id, std::shared_ptr<const Scenario> scenario, GameOptions options, BotPlayer bots);

  // Tokens are shown once; the game keeps only their hashes.
  Tokens issue_tokens();
  [[nodiscard]] std::optional<Identity> authenticate(std::string_view token) const;

  // Facilitator.
  Refusal start(TimePoint now);
  Refusal pause(TimePoint now);
  Refusal resume(TimePoint now);
  Refusal move_deadline(Seconds by, TimePoint now);  // negative shortens
  Refusal force(TimePoint now);
  Refusal inject(Inject inject);
  Refusal swap(int seat, bool to_bot, TimePoint now);
  Refusal end();

  // Seats.
  std::variant<ValidatedOrders, std::string> submit(int seat, std::string member, const std::vector<OrderDraft>& drafts,
                                                    TimePoint now);
  Refusal set_ready(int seat, bool ready, TimePoint now);
  Refusal send(int from, std::vector<int> to, std::string text);

  // Resolves the round if its deadline has passed.
  void tick(TimePoint now);

  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] Phase phase() const { return phase_; }
  [[nodiscard]] bool paused() const { return paused_; }
  [[nodiscard]] Seconds time_left(TimePoint now) const;
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
  Refusal need_orders_phase() const;
  bool valid_seat(int seat) const;
  void record(std::string kind, int seat, std::string detail);
  void resolve_round(TimePoint now);
  void resolve_while_everyone_ready(TimePoint now);
  bool all_people_ready() const;

  std::string id_;
  Match match_;
  GameOptions options_;
  BotPlayer bots_;
  Phase phase_ = Phase::Lobby;
  bool paused_ = false;
  TimePoint deadline_{};
  Seconds remaining_at_pause_{0};
  TokenHash facilitator_hash_{};
  TokenHash observer_hash_{};
  std::vector<TokenHash> seat_hashes_;
  bool tokens_issued_ = false;
  std::vector<bool> bot_;
  std::vector<bool> ready_;
  std::vector<std::optional<Submission>> submissions_;
  std::vector<Inject> pending_injects_;
  std::vector<Message> messages_;
  std::vector<Change> changes_;
  std::uint64_t seq_ = 0;
};

}  // namespace leadtime::server

#pragma once

// The well-behaved side of the soak: per game slot a facilitator that
// creates a game, starts it and keeps its rounds turning on a short deadline
// (now and then extending it or forcing the round), one client per person
// seat that submits valid orders every round, sends press, readies up and
// sometimes drops and reconnects with its token, and observers. When a game
// ends its slot creates the next one. Everything runs on the one client
// thread, so the records here need no locks.
#include "protocol/asio.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/game_load.h"
#include "bench/soak/conn.h"
#include "bench/soak/ledger.h"
#include "bench/soak/soak.h"

namespace leadtime::bench::soak {

// How one game advanced during one phase.
struct PhaseProgress {
  int rounds = 0;
  double max_gap_s = 0;  // longest time without a round resolving (or the start, or the phase's end)
  Clock::time_point last_advance;
  bool finished = false;  // the game ended during the phase
  void advance(Clock::time_point t);
};

// One person seat's client, across its connections and the run's phases.
struct SeatState {
  int seat = -1;  // actor index
  ActorKind kind = ActorKind::Government;
  std::string token;
  int rounds_seen = 0;
  std::uint64_t last_press_seq = 0;
  bool ended = false;
  int connections = 0;
  std::uint64_t submissions = 0;
  std::uint64_t press_sent = 0;
  // The last orders the server acknowledged, for the rejoin check: a client
  // that reconnects in the same round must get them back in Joined.
  struct LastAck {
    int round = 0;
    std::string member;
    nlohmann::json orders;
  };
  std::optional<LastAck> last_ack;
  bool in_flight = false;  // a submission was sent whose answer never came
  Rng rng;
};

struct GameRecord {
  std::string id;
  int deadline_s = 0;
  std::string facilitator_token;
  std::string observer_token;
  std::vector<SeatState> seats;  // person seats only
  int rounds_seen = 0;           // by the facilitator
  bool ended = false;
  bool lost = false;                      // a token of it was refused: the server no longer knows it
  int refused_in_phase = -1;              // when that was, until the database has been asked whether it had finished
  int clients_phase = -1;                 // the phase its seat and observer clients were started for
  std::map<int, PhaseProgress> progress;  // by phase index
  std::uint64_t observer_press_seq = 0;
  int observer_rounds = 0;
};

struct PlayContext {
  PhaseContext& phase;
  const GamePlan& plan;
  const SoakOptions& options;
  ClientFigures& figures;
  Ledger& ledger;
};

// One game at a time, for the whole run: when a game ends, the next one.
class Slot {
 public:
  Slot(int index, std::uint64_t seed) : index_(index), rng_(seed) {}

  // Plays until the phase ends: carries on the game of an earlier phase
  // (rejoining with its tokens after a restart) or creates new ones.
  asio::awaitable<void> run(PlayContext ctx);

  [[nodiscard]] const std::vector<std::unique_ptr<GameRecord>>& games() const { return games_; }
  [[nodiscard]] GameRecord* current() { return games_.empty() ? nullptr : games_.back().get(); }

 private:
  asio::awaitable<void> facilitate(Conn& conn, PlayContext ctx);
  asio::awaitable<bool> create_game(Conn& conn, PlayContext ctx);
  asio::awaitable<bool> rejoin(Conn& conn, GameRecord& game, PlayContext ctx);
  asio::awaitable<void> drive(Conn& conn, GameRecord& game, PlayContext ctx);
  void start_clients(GameRecord& game, PlayContext ctx);

  int index_;
  Rng rng_;
  int created_ = 0;
  std::vector<std::unique_ptr<GameRecord>> games_;
};

// A seat's client for one phase: connects, joins, plays, reconnects.
asio::awaitable<void> play_seat(GameRecord& game, SeatState& seat, PlayContext ctx);
// An observer for one phase: reads what is pushed to it.
asio::awaitable<void> observe(GameRecord& game, PlayContext ctx);

// The orders a seat of `kind` sends with its n-th submission: valid, with a
// value unique to the submission, so the journal line can be found exactly.
std::vector<OrderDraft> orders_for(ActorKind kind, std::uint64_t n);
// Drafts as the server journals the orders it accepted (journal.h,
// orders_to_json), without the rejected indices.
nlohmann::json journal_form(const std::vector<OrderDraft>& drafts, const std::vector<int>& rejected = {});

// Notes how long a Join took to be answered with Joined.
void note_join_wait(ClientFigures& figures, Clock::time_point sent);

// Before a phase after a restart: games that finished while no client was
// connected (their deadlines ran on between the phases) are over for their
// slots too, as a facilitator would see in the game list; rejoining them
// would only be refused (a restarted server reloads unfinished games only).
// Returns how many.
int mark_finished_games(std::vector<std::unique_ptr<Slot>>& slots, const std::string& db_path);

// After a phase: games whose tokens the server refused count as lost unless
// the database (read-only at `db_path`) has them finished, since the server
// reloads only unfinished games at start.
void settle_refused_games(std::vector<std::unique_ptr<Slot>>& slots, int phase, const std::string& db_path,
                          ClientFigures& figures);

// After a phase: the open gap of each unfinished game up to the phase's end
// (or the server's death), so a game that stopped moving counts.
void close_progress(std::vector<std::unique_ptr<Slot>>& slots, const PhaseContext& phase);

}  // namespace leadtime::bench::soak

#pragma once

// The load against the game server: per game one facilitator, a few
// observers and one client per seat, all connected and joined first, then
// every game played through with a few valid orders per seat per round.
#include "protocol/asio.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/figures.h"
#include "bench/load/link.h"
#include "bench/load/phase.h"
#include "engine/scenario.h"

namespace leadtime::bench {

struct LoadOptions {
  int games = 100;
  int observers = 1;    // per game, beside the facilitator and the seats
  int rounds = 0;       // per game; 0: the scenario's
  int echo_rounds = 0;  // request pairs per echo client; 0: as many as game rounds
  unsigned server_threads = 1;
  unsigned client_threads = 1;
  // Long enough for 1,000 games paced on a busy machine (about two
  // minutes on two shared cores); a stalled phase is what it is for.
  std::chrono::seconds phase_limit{300};
  std::chrono::milliseconds think{0};  // mean pause before each request (pacing.h); 0: flat out
  Transport transport = Transport::Tcp;
  bool quick_ack = false;       // see Link; a diagnosis only
  std::string facilitator_key;  // sent in CreateGame; empty while creation is open
  // The server's SQLite store, in a fresh temporary file per run (as people
  // run it: results after commit); false: no store.
  bool store = true;
  // The server's --status-interval-ms; none: its default.
  std::optional<std::chrono::milliseconds> status_interval;
};

// What every game plays: the scenario's seats and how many rounds.
struct GamePlan {
  std::vector<std::string> seat_ids;  // actor ids in scenario order
  std::vector<ActorKind> seat_kinds;  // same order
  int rounds = 0;
  int observers = 0;
  std::string facilitator_key;
};

GamePlan make_plan(const Scenario& scenario, const LoadOptions& options);

// The SubmitOrders a seat of `kind` sends in `round`: two orders its kind may
// give, with values inside the catalogue's ranges, so the server accepts both.
// The echo clients send the same frames.
Frame submit_orders_frame(ActorKind kind, int round, std::uint32_t request_id);
Frame ready_frame(std::uint32_t request_id);

// `server_cpu` reads the CPU time of the server's threads.
RunFigures run_game_load(const LoadOptions& options, const GamePlan& plan, const asio::ip::tcp::endpoint& server,
                         const CpuClock& server_cpu);

}  // namespace leadtime::bench

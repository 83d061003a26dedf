#pragma once

// The soak run's options and what the clients of one phase share: where the
// server is, when the phase ends, and the figures every client adds to.
// Every client coroutine runs on the one client io_context; the ledger and
// tallies they write are read by main only after that io_context stopped.
#include "protocol/asio.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/load/link.h"
#include "bench/soak/ledger.h"

namespace leadtime::bench::soak {

using Clock = std::chrono::steady_clock;

struct SoakOptions {
  int seconds = 120;             // the main phase
  int crash_seconds = 20;        // after a restart, before SIGKILL; 0: no crash phase
  int recovered_seconds = 8;     // after the restart that follows SIGKILL
  int games = 40;                // games played at once (a finished game is replaced)
  int bots_per_game = 2;         // of the scenario's 8 seats
  int observers = 1;             // per game
  int deadline_s = 3;            // per orders phase
  int abusers = 24;              // abusive connections at once
  int burst_connections = 1100;  // once per abusive phase, from one other address
  double calm_share = 0.15;      // of the main phase before abuse starts (the latency baseline)
  unsigned server_threads = 2;
  std::uint64_t seed = 1;
  // Token guesses from the players' own address (as behind one NAT) rather
  // than from 127.0.0.2.
  bool guess_from_players_address = false;
  std::vector<std::string> server_args;  // passed on to leadtime-server
};

// What every client of one phase shares.
struct PhaseContext {
  std::string name;
  int index = 0;
  asio::io_context* io = nullptr;
  asio::ip::tcp::endpoint server;
  std::string facilitator_key;
  Clock::time_point started;
  Clock::time_point abuse_from;  // time_point::max(): no abuse in this phase
  Clock::time_point ends;
  ConnectionGauge gauge;

  [[nodiscard]] bool over() const { return Clock::now() >= ends; }
  [[nodiscard]] bool abuse_on(Clock::time_point t) const { return t >= abuse_from; }
  // Marked (by main, before it kills the server under the clients) so that
  // drops from then on count as expected and games as unable to advance.
  void mark_server_down() { server_down_ns_ = Clock::now().time_since_epoch().count(); }
  [[nodiscard]] bool server_down() const { return server_down_ns_.load() != kNever; }
  [[nodiscard]] Clock::time_point server_down_at() const {
    const auto ns = server_down_ns_.load();
    return ns == kNever ? Clock::time_point::max() : Clock::time_point(Clock::duration(ns));
  }

 private:
  static constexpr Clock::rep kNever = -1;
  std::atomic<Clock::rep> server_down_ns_{kNever};
};

// Figures about the well-behaved clients, per phase.
struct ClientFigures {
  int orders_acked = 0;
  int orders_rejected = 0;  // orders inside an OrdersAccepted's `rejected` (none expected)
  int press_acked = 0;
  int ready_acked = 0;
  int commands_acked = 0;
  int wrong_phase = 0;       // a request that met the round resolving or the game over: expected now and then
  int deliberate_drops = 0;  // disconnects the clients chose (clean, mid-frame, with a request in flight)
  int rejoins = 0;           // joins after the first, same token
  int rejoin_checks = 0;     // rejoins whose Joined orders could be compared with the last acknowledged set
  int rejoin_mismatches = 0;
  int dropped_by_server = 0;        // connections the server closed while it was up and nobody asked it to
  int unknown_tokens = 0;           // a token of an unfinished game was refused: the game is lost
  int finished_not_reloaded = 0;    // a token of a game that had finished was refused after a restart
  int finished_between_phases = 0;  // games that ended while no client was connected, not rejoined
  int unexpected_errors = 0;        // any other Error a well-behaved client received
  int games_created = 0;
  int games_finished = 0;
  int games_not_started = 0;  // created, but the facilitator's Join or Start got no answer while the phase ran
  std::vector<std::string> first_problems;  // a few descriptions, for the report
  std::vector<std::int64_t> rtt_calm_ns;    // SubmitOrders -> OrdersAccepted before abuse started
  std::vector<std::int64_t> rtt_abuse_ns;   // the same while abusers ran
  std::vector<std::int64_t> join_wait_ns;   // Join -> Joined, every client and every (re)join

  void note_problem(std::string what) {
    if (first_problems.size() < 12) first_problems.push_back(std::move(what));
  }
};

// Deterministic per client; seeded from the run's seed.
using Rng = std::mt19937_64;

inline double uniform(Rng& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
inline bool chance(Rng& rng, double p) { return std::bernoulli_distribution(p)(rng); }

}  // namespace leadtime::bench::soak

#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/orders.h"
#include "engine/scenario.h"
#include "engine/state.h"
#include "engine/views.h"

namespace leadtime {

// Everything one resolved round produced, enough to replay it and to report on
// it: the orders that resolved (per actor), injects, events, flows, outcomes
// and the state hash after the round.
struct RoundRecord {
  int round = 0;
  Quarter quarter;
  RoundOrders orders;
  std::vector<Inject> injects;
  std::vector<Event> events;
  Flows flows;
  Outcomes outcomes;
  std::uint64_t hash = 0;
  // The public indicators right after the round, as everyone saw them then.
  PublicIndicators indicators;
};

State initial_state(const Scenario& scenario, std::uint64_t seed);

// A match: a scenario, a seed, and the rounds played so far. The server, the
// batch runner and the tests all play matches through this one class, so a
// match runs the same code everywhere.
class Match {
 public:
  Match(std::shared_ptr<const Scenario> scenario, std::uint64_t seed);

  [[nodiscard]] const Scenario& scenario() const { return *scenario_; }
  [[nodiscard]] std::shared_ptr<const Scenario> scenario_ptr() const { return scenario_; }
  [[nodiscard]] const State& state() const { return state_; }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] bool finished() const { return state_.round >= scenario_->rounds; }
  [[nodiscard]] const std::vector<RoundRecord>& history() const { return history_; }

  // Resolves the next round. `orders` has one (possibly empty) list per
  // actor, already validated; a seat with no orders keeps its standing ones.
  const RoundRecord& play_round(RoundOrders orders, std::vector<Inject> injects = {});
  // Takes back the last round played: the state before it returns exactly
  // (its generator included), and its record is handed back. Requires a
  // played round.
  RoundRecord undo_last_round();

 private:
  // The state before the first round: the scenario's, with this seed.
  [[nodiscard]] State start_state() const;

  std::shared_ptr<const Scenario> scenario_;
  std::uint64_t seed_;
  State state_;
  std::vector<RoundRecord> history_;
};

}  // namespace leadtime

#include "engine/match.h"

#include <algorithm>

#include "engine/hash.h"
#include "engine/resolve.h"

namespace leadtime {

State initial_state(const Scenario& scenario, std::uint64_t seed) {
  State s = scenario.initial;
  s.seed = seed;
  s.rng = Rng(seed);
  s.round = 0;
  s.quarter = scenario.start;
  s.outcomes.scores.assign(s.actors.size(), 0);
  return s;
}

Match::Match(std::shared_ptr<const Scenario> scenario, std::uint64_t seed)
    : scenario_(std::move(scenario)), seed_(seed), state_(start_state()) {
  history_.reserve(static_cast<std::size_t>(std::max(scenario_->rounds, 0)));
}

State Match::start_state() const {
  State s = initial_state(*scenario_, seed_);
  compute_outcomes(s, *scenario_);
  return s;
}

const RoundRecord& Match::play_round(RoundOrders orders, std::vector<Inject> injects) {
  orders.resize(state_.actors.size());
  RoundRecord record;
  record.round = state_.round;
  record.quarter = state_.quarter;
  resolve(state_, *scenario_, orders, injects);
  record.orders = std::move(orders);
  record.injects = std::move(injects);
  record.events = state_.events;
  record.flows = state_.flows;
  record.outcomes = state_.outcomes;
  record.hash = state_hash(state_);
  record.indicators = public_indicators(state_, scenario_->coef);
  history_.push_back(std::move(record));
  return history_.back();
}

// The state before the last round is found again by replaying the rounds
// before it, which the engine's determinism makes exact (the generator
// included). Keeping a copy of the state before every round instead cost a
// fifth of a recorded round, and undo is rare.
RoundRecord Match::undo_last_round() {
  RoundRecord undone = std::move(history_.back());
  history_.pop_back();
  state_ = start_state();
  for (const RoundRecord& r : history_) resolve(state_, *scenario_, r.orders, r.injects);
  return undone;
}

}  // namespace leadtime

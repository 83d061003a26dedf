#include "engine/match.h"

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
    : scenario_(std::move(scenario)), seed_(seed), state_(initial_state(*scenario_, seed)) {
  compute_outcomes(state_, *scenario_);
}

const RoundRecord& Match::play_round(RoundOrders orders, std::vector<Inject> injects) {
  orders.resize(state_.actors.size());
  RoundRecord record;
  record.round = state_.round;
  record.quarter = state_.quarter;
  before_.push_back(state_);
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

RoundRecord Match::undo_last_round() {
  state_ = std::move(before_.back());
  before_.pop_back();
  RoundRecord undone = std::move(history_.back());
  history_.pop_back();
  return undone;
}

}  // namespace leadtime

#include "batch/headless.h"

namespace leadtime {

RoundOrders validate_round(const State& state, const std::vector<std::vector<OrderDraft>>& drafts,
                           std::vector<std::string>& errors) {
  RoundOrders orders(state.actors.size());
  for (std::size_t a = 0; a < drafts.size() && a < state.actors.size(); ++a) {
    ValidatedOrders v = validate_orders(state, static_cast<int>(a), drafts[a]);
    for (const OrderError& e : v.errors) errors.push_back(state.actors[a].id + ": " + e.message);
    orders[a] = std::move(v.orders);
  }
  return orders;
}

LineResult play_line(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, const OrderLine* line) {
  LineResult result;
  result.match = std::make_unique<Match>(std::move(scenario), seed);
  Match& match = *result.match;
  while (!match.finished()) {
    RoundOrders orders(match.state().actors.size());
    if (line) {
      const int round = match.state().round;
      if (round == 0) orders = validate_round(match.state(), line->at_start, result.errors);
      for (const auto& [at, drafts] : line->later) {
        if (at != round) continue;
        RoundOrders more = validate_round(match.state(), drafts, result.errors);
        for (std::size_t a = 0; a < more.size(); ++a) {
          orders[a].insert(orders[a].end(), more[a].begin(), more[a].end());
        }
      }
    }
    match.play_round(std::move(orders));
  }
  return result;
}

}  // namespace leadtime

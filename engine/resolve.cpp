#include "engine/resolve.h"

#include <algorithm>

namespace leadtime {

void resolve(State& state, const Scenario& scenario, const RoundOrders& orders, const std::vector<Inject>& injects) {
  const Coefficients& coef = scenario.coef;
  state.events.clear();
  state.flows = Flows{};
  apply_policies(state, coef, orders);
  pay_budgets(state, coef);
  produce_chips(state, coef);
  sell_chips(state, coef);
  smuggle_chips(state, coef);
  rent_offshore(state, coef);
  train_models(state, coef);
  leak_models(state, coef);
  accelerate_research(state, coef);
  adopt_stacks(state, coef);
  settle_money(state, coef);
  fire_events(state, scenario, injects);
  compute_outcomes(state, scenario);
  state.round += 1;
  state.quarter = state.quarter.plus(1);
}

double interdiction(double enforcement_usd_b, double half_usd_b) {
  if (enforcement_usd_b <= 0) return 0;
  return enforcement_usd_b / (enforcement_usd_b + half_usd_b);
}

double defence_level(double level, double invest_usd_b, const Coefficients& coef) {
  const double target = invest_usd_b / (invest_usd_b + coef.defence_half_usd_b);
  return level + coef.defence_adjust * (target - level);
}

int government_of(const State& state, Bloc bloc) {
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    if (state.actors[i].kind == ActorKind::Government && state.actors[i].bloc == bloc) return static_cast<int>(i);
  }
  return kNoActor;
}

double bloc_compute_h100e(const State& state, Bloc bloc) {
  double total = 0;
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && a.bloc == bloc) total += a.lab.compute_h100e + a.lab.offshore_h100e;
  }
  return total;
}

int best_lab(const State& state, Bloc bloc) {
  int best = kNoActor;
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const Actor& a = state.actors[i];
    if (a.kind != ActorKind::Lab || a.bloc != bloc) continue;
    if (best == kNoActor || a.lab.capability_oom > state.actors[static_cast<std::size_t>(best)].lab.capability_oom) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

double stack_price(const State& state, Bloc bloc, const Coefficients& coef) {
  double price = 0;
  bool open = false;
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab || a.bloc != bloc) continue;
    price = price == 0 ? a.policy.model_price_usd_per_mtok : std::min(price, a.policy.model_price_usd_per_mtok);
    open = open || a.lab.open_weights_oom > 0;
  }
  return open ? price * coef.open_price_factor : price;
}

}  // namespace leadtime

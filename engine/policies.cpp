#include <algorithm>
#include <array>

#include "engine/resolve.h"

namespace leadtime {
namespace {

double total_lobbying(const State& state) {
  double total = 0;
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Vendor) total += a.spent.lobbying;
  }
  return total;
}

// Opening exports costs the exporting government political capital; the
// lobbying vendors actually paid for (last round's, as influence takes time)
// softens that cost (model.md: lobbying "lowers the political cost of
// loosening controls").
// The export controls a government had before its orders: all of the policy
// that loosening compares, copied instead of the whole policy and its vector.
struct Controls {
  std::array<int, kBlocCount> export_tier;
  int licensed_firms;
};

void charge_loosening(Actor& gov, const Controls& before, double lobbying_usd_b, const Coefficients& coef) {
  int steps_opened = 0;
  for (std::size_t b = 0; b < before.export_tier.size(); ++b) {
    steps_opened += std::max(0, gov.policy.export_tier[b] - before.export_tier[b]);
  }
  steps_opened += std::max(0, gov.policy.licensed_firms - before.licensed_firms) > 0 ? 1 : 0;
  if (steps_opened == 0) return;
  const double softening = coef.lobbying_half_usd_b / (coef.lobbying_half_usd_b + lobbying_usd_b);
  gov.gov.political_capital -= coef.political_cost_loosening * steps_opened * softening;
}

}  // namespace

void apply_policies(State& state, const Coefficients& coef, const RoundOrders& orders) {
  const double lobbying = total_lobbying(state);
  const auto specs = catalogue();
  for (std::size_t i = 0; i < state.actors.size() && i < orders.size(); ++i) {
    Actor& actor = state.actors[i];
    const Controls before{actor.policy.export_tier, actor.policy.licensed_firms};
    for (const Order& order : orders[i]) specs[static_cast<std::size_t>(order.action)].apply(actor.policy, order);
    if (actor.kind == ActorKind::Government) charge_loosening(actor, before, lobbying, coef);
  }
}

}  // namespace leadtime

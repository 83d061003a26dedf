#include <algorithm>
#include <cmath>

#include "engine/metrics.h"
#include "engine/resolve.h"

namespace leadtime {
namespace {

double lab_capability(const State& s, int lab) {
  return lab == kNoActor ? 0 : s.actors[static_cast<std::size_t>(lab)].lab.capability_oom;
}

// US vs CN share of all markets weighted by size, in -1..1.
double adoption_balance(const State& s) {
  double size = 0;
  double balance = 0;
  const auto us = static_cast<std::size_t>(stack_index(Bloc::US));
  const auto cn = static_cast<std::size_t>(stack_index(Bloc::CN));
  for (const Market& m : s.markets) {
    size += m.size_usd_b;
    balance += m.size_usd_b * (m.share[us] - m.share[cn]);
  }
  return size > 0 ? balance / size : 0;
}

}  // namespace

void compute_outcomes(State& state, const Scenario& scenario) {
  const Coefficients& coef = scenario.coef;
  Outcomes& o = state.outcomes;
  const int us = best_lab(state, Bloc::US);
  const int cn = best_lab(state, Bloc::CN);
  o.lead_months = (us == kNoActor || cn == kNoActor)
                      ? 0
                      : (lab_capability(state, us) - lab_capability(state, cn)) * coef.months_per_oom;
  const std::size_t n = state.actors.size();
  o.pair_lead_months.assign(n * n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (state.actors[i].kind != ActorKind::Lab || state.actors[j].kind != ActorKind::Lab) continue;
      o.pair_lead_months[i * n + j] =
          (state.actors[i].lab.capability_oom - state.actors[j].lab.capability_oom) * coef.months_per_oom;
    }
  }
  for (std::size_t b = 0; b < kBlocCount; ++b) {
    o.compute_h100e[b] = bloc_compute_h100e(state, static_cast<Bloc>(b));
    o.best_capability_oom[b] = lab_capability(state, best_lab(state, static_cast<Bloc>(b)));
  }
  o.compute_h100e[static_cast<std::size_t>(bloc_index(Bloc::SEA))] = state.hubs.compute_h100e;
  const double cn_compute = o.compute_h100e[static_cast<std::size_t>(bloc_index(Bloc::CN))];
  o.compute_ratio_us_cn =
      cn_compute > 0 ? o.compute_h100e[static_cast<std::size_t>(bloc_index(Bloc::US))] / cn_compute : 0;
  for (std::size_t m = 0; m < kMarketCount; ++m) o.shares[m] = state.markets[m].share;
  for (std::size_t k = 0; k < kStackCount; ++k)
    o.stack_price_usd_per_mtok[k] = stack_price(state, kStackBlocs[k], coef);
  // Norms follow both the frontier (saturating at two years of lead) and
  // adoption at scale, weighted equally.
  o.norm_index = 0.5 * std::clamp(o.lead_months / 24.0, -1.0, 1.0) + 0.5 * adoption_balance(state);
  o.open_weights_oom = 0;
  for (const Actor& a : state.actors) o.open_weights_oom = std::max(o.open_weights_oom, a.lab.open_weights_oom);
  o.thefts_total = state.thefts_total;
  o.surveillance_exports = state.markets[3].share[static_cast<std::size_t>(stack_index(Bloc::CN))];
  o.scores.assign(n, 0);
  for (std::size_t i = 0; i < n && i < scenario.objectives.size(); ++i) {
    for (const Objective& obj : scenario.objectives[i]) {
      if (const Metric* m = find_metric(obj.metric)) o.scores[i] += obj.weight * m->value(state, static_cast<int>(i));
    }
  }
}

}  // namespace leadtime

#include <algorithm>
#include <array>
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

// Every bloc's best lab, picked as best_lab picks it, and its compute,
// summed as bloc_compute_h100e sums it: one pass instead of one per bloc.
struct BlocBests {
  std::array<int, kBlocCount> best_lab;
  std::array<double, kBlocCount> compute_h100e{};
};

BlocBests bloc_bests(const State& s) {
  BlocBests out;
  out.best_lab.fill(kNoActor);
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    const Actor& a = s.actors[i];
    if (a.kind != ActorKind::Lab) continue;
    const auto b = static_cast<std::size_t>(bloc_index(a.bloc));
    out.compute_h100e[b] += a.lab.compute_h100e + a.lab.offshore_h100e;
    int& best = out.best_lab[b];
    if (best == kNoActor || a.lab.capability_oom > s.actors[static_cast<std::size_t>(best)].lab.capability_oom) {
      best = static_cast<int>(i);
    }
  }
  return out;
}

// Actor i's objectives' metrics as bound at load, or null when they were not
// (then each is looked up by name).
const std::vector<const Metric*>* bound_metrics(const Scenario& scenario, std::size_t i) {
  const auto& bound = scenario.lookups.objective_metrics;
  return i < bound.size() && bound[i].size() == scenario.objectives[i].size() ? &bound[i] : nullptr;
}

}  // namespace

void compute_outcomes(State& state, const Scenario& scenario) {
  const Coefficients& coef = scenario.coef;
  Outcomes& o = state.outcomes;
  const BlocBests bests = bloc_bests(state);
  const int us = bests.best_lab[static_cast<std::size_t>(bloc_index(Bloc::US))];
  const int cn = bests.best_lab[static_cast<std::size_t>(bloc_index(Bloc::CN))];
  o.lead_months = (us == kNoActor || cn == kNoActor)
                      ? 0
                      : (lab_capability(state, us) - lab_capability(state, cn)) * coef.months_per_oom;
  const std::size_t n = state.actors.size();
  o.pair_lead_months.assign(n * n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (state.actors[i].kind != ActorKind::Lab) continue;
    const double capability_oom = state.actors[i].lab.capability_oom;
    for (std::size_t j = 0; j < n; ++j) {
      if (state.actors[j].kind != ActorKind::Lab) continue;
      o.pair_lead_months[i * n + j] = (capability_oom - state.actors[j].lab.capability_oom) * coef.months_per_oom;
    }
  }
  for (std::size_t b = 0; b < kBlocCount; ++b) {
    o.compute_h100e[b] = bests.compute_h100e[b];
    o.best_capability_oom[b] = lab_capability(state, bests.best_lab[b]);
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
    const std::vector<Objective>& objectives = scenario.objectives[i];
    const std::vector<const Metric*>* bound = bound_metrics(scenario, i);
    for (std::size_t k = 0; k < objectives.size(); ++k) {
      const Metric* m = bound ? (*bound)[k] : find_metric(objectives[k].metric);
      if (m) o.scores[i] += objectives[k].weight * m->value(state, static_cast<int>(i));
    }
  }
}

}  // namespace leadtime

#include <algorithm>
#include <cmath>

#include "engine/resolve.h"

namespace leadtime {

// Effective training compute = (installed + offshore) x training share x
// 10^(algorithmic efficiency); capability is the log10 of its frontier-run
// FLOP and never falls.
void train_models(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab) continue;
    LabState& lab = a.lab;
    const double speedup = lab.accelerated ? coef.accel_multiplier : 1.0;
    // Drawn for every lab every round, so the number of draws never depends on
    // the state.
    const double noise = coef.talent_noise_oom * state.rng.normal();
    lab.alg_efficiency_oom += lab.alg_growth_oom * speedup + noise;
    const double training_h100e = (lab.compute_h100e + lab.offshore_h100e) * a.policy.training_share;
    if (training_h100e <= 0) continue;
    const double trained_oom = std::log10(training_h100e) + coef.flop_log10_per_h100e + lab.alg_efficiency_oom;
    lab.capability_oom = std::max(lab.capability_oom, trained_oom) + coef.talent_drift_oom;
  }
}

void accelerate_research(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab || a.lab.accelerated || a.lab.capability_oom < coef.accel_threshold_oom) continue;
    a.lab.accelerated = true;
    state.events.push_back({"self_improvement",
                            a.id + " passes the self-improvement milestone: AI now accelerates its research",
                            Visibility::Public,
                            {}});
  }
}

}  // namespace leadtime

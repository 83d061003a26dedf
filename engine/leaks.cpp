#include <algorithm>
#include <cstdio>

#include "engine/resolve.h"

namespace leadtime {
namespace {

// A lab's defence against distillation: its own API defences plus what its
// government's anti-distillation law and threat-intelligence sharing add.
double distill_defence(const State& state, const Actor& teacher, const Coefficients& coef) {
  double d = coef.distill_base_defence + coef.distill_api_defence_scale * teacher.lab.api_defence;
  const int gov = government_of(state, teacher.bloc);
  if (gov != kNoActor) {
    const Policy& p = state.actors[static_cast<std::size_t>(gov)].policy;
    if (p.anti_distillation_law) d += coef.distill_law_defence;
    if (p.threat_intel_sharing) d += coef.distill_intel_defence;
  }
  return d;
}

void update_defences(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab) continue;
    a.lab.api_defence = defence_level(a.lab.api_defence, a.spent.api_defence, coef);
    a.lab.weight_security = defence_level(a.lab.weight_security, a.spent.weight_security, coef);
  }
}

void distil(State& state, const std::vector<double>& before, const Coefficients& coef) {
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    Actor& student = state.actors[i];
    if (student.kind != ActorKind::Lab || student.policy.distill_target == kNoActor) continue;
    // Intensity actually paid for this round.
    const double intensity = coef.distill_cost_usd_b > 0 ? student.spent.distillation / coef.distill_cost_usd_b
                                                         : student.policy.distill_intensity;
    if (intensity <= 0) continue;
    const auto t = static_cast<std::size_t>(student.policy.distill_target);
    const Actor& teacher = state.actors[t];
    const double d = distill_defence(state, teacher, coef);
    // The student gains a share of the whole gap but never comes closer than
    // the margin below its teacher.
    const double ceiling = before[t] - coef.distill_margin_oom;
    const double gap = before[t] - student.lab.capability_oom;
    if (student.lab.capability_oom < ceiling) {
      const double gain = coef.distill_k * intensity / (intensity + d) * gap;
      student.lab.capability_oom = std::min(ceiling, student.lab.capability_oom + gain);
    }
    if (state.rng.bernoulli(coef.distill_detect_p * d / (d + 1))) {
      state.events.push_back(
          {"distillation_detected",
           "Distillation campaign detected: accounts linked to " + student.id + " harvested outputs of " + teacher.id,
           Visibility::Public,
           {}});
    }
  }
}

void steal_weights(State& state, const std::vector<double>& before, const Coefficients& coef) {
  for (std::size_t g = 0; g < state.actors.size(); ++g) {
    Actor& gov = state.actors[g];
    if (gov.kind != ActorKind::Government || gov.spent.cyber <= 0 || gov.policy.cyber_target == kNoActor) continue;
    const auto v = static_cast<std::size_t>(gov.policy.cyber_target);
    const Actor& victim = state.actors[v];
    const double effort = gov.spent.cyber / (gov.spent.cyber + coef.cyber_half_usd_b);
    const double p = coef.theft_base_p * effort * (1 - victim.lab.weight_security);
    if (!state.rng.bernoulli(p)) continue;
    const bool discovered = state.rng.bernoulli(coef.theft_discovery_p);
    const int thief = best_lab(state, gov.bloc);
    if (thief == kNoActor) continue;
    LabState& lab = state.actors[static_cast<std::size_t>(thief)].lab;
    lab.capability_oom = std::max(lab.capability_oom, before[v]);
    state.flows.thefts += 1;
    state.thefts_total += 1;
    const std::string text = "Model weights of " + victim.id + " stolen by a cyber operation from " +
                             kBlocNames[static_cast<std::size_t>(bloc_index(gov.bloc))];
    if (discovered) {
      state.events.push_back({"weight_theft", text, Visibility::Public, {}});
    } else {
      state.events.push_back({"weight_theft", text + " (undiscovered)", Visibility::Private, {static_cast<int>(g)}});
    }
  }
}

void release_open_weights(State& state, const Coefficients& coef) {
  double floor = 0;
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab) continue;
    if (a.policy.open_weights) {
      a.lab.open_weights_oom = std::max(a.lab.open_weights_oom, a.lab.capability_oom - coef.open_lag_oom);
    }
    floor = std::max(floor, a.lab.open_weights_oom);
  }
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab) a.lab.capability_oom = std::max(a.lab.capability_oom, floor);
  }
}

}  // namespace

// Distillation and theft read capabilities from before this step, so the order
// of labs in the scenario never changes who learns what.
void leak_models(State& state, const Coefficients& coef) {
  update_defences(state, coef);
  std::vector<double> before(state.actors.size(), 0);
  for (std::size_t i = 0; i < state.actors.size(); ++i) before[i] = state.actors[i].lab.capability_oom;
  distil(state, before, coef);
  steal_weights(state, before, coef);
  release_open_weights(state, coef);
}

}  // namespace leadtime

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/scenario.h"
#include "engine/state.h"

namespace leadtime {

// What one actor believes about another: estimates whose noise shrinks with
// the viewer's intelligence spending. Fields that make no sense for the kind
// stay 0.
struct Estimate {
  int actor = kNoActor;
  std::string id;
  ActorKind kind = ActorKind::Government;
  Bloc bloc = Bloc::US;
  double cash_usd_b = 0;
  double compute_h100e = 0;
  double capability_oom = 0;
  double capacity_h100e = 0;
  double noise_sd = 0;  // log-normal sd used, so a client can show error bars
};

// Public indicators: the same noisy public estimate for everyone (published
// benchmarks and compute trackers), exact market shares and sizes.
struct PublicIndicators {
  double lead_months = 0;
  double compute_ratio_us_cn = 0;
  std::array<std::array<double, kStackCount>, kMarketCount> shares{};
  std::array<double, kMarketCount> market_size_usd_b{};
  double norm_index = 0;
  double surveillance_exports = 0;
  int thefts_public = 0;
  double seized_h100e = 0;  // announced seizures this round
};

struct View {
  int round = 0;
  Quarter quarter;
  int viewer = kNoActor;      // kNoActor: an observer
  std::optional<Actor> self;  // exact, with standing policy and spending
  double own_score = 0;
  std::vector<Estimate> others;  // every actor but the viewer
  PublicIndicators indicators;
  std::vector<Event> events;  // events of the last round this viewer may see
};

// The view of a seat (viewer = actor index) or of an observer (kNoActor).
// Deterministic: derived from the state and its seed, never from the match
// generator, so building views cannot change a match.
View make_view(const State& state, const Coefficients& coef, int viewer);
PublicIndicators public_indicators(const State& state, const Coefficients& coef);
bool may_see(const Event& event, int viewer);

}  // namespace leadtime

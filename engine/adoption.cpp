#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/resolve.h"

namespace leadtime {
namespace {

struct StackOffer {
  bool present = false;
  double capability_oom = 0;
  double price = 0;
  double promotion_usd_b = 0;
};

// A stack offers its bloc's best model at its cheapest price; releasing open
// weights makes the whole stack cheaper.
StackOffer offer_of(const State& state, Bloc bloc, std::size_t market, const Coefficients& coef) {
  StackOffer offer;
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && a.bloc == bloc) {
      offer.capability_oom =
          offer.present ? std::max(offer.capability_oom, a.lab.capability_oom) : a.lab.capability_oom;
      offer.present = true;
    }
    if (a.kind == ActorKind::Government && a.bloc == bloc) offer.promotion_usd_b += a.spent.export_promotion[market];
  }
  offer.price = stack_price(state, bloc, coef);
  return offer;
}

double eu_local_terms(const State& state, std::size_t market, std::size_t stack, const Coefficients& coef) {
  if (kMarketBlocs[market] != Bloc::EU) return 0;
  const int eu = government_of(state, Bloc::EU);
  if (eu == kNoActor) return 0;
  const Actor& gov = state.actors[static_cast<std::size_t>(eu)];
  if (kStackBlocs[stack] == Bloc::EU) {
    return coef.adopt_sovereignty * std::log1p(gov.gov.cum_sovereignty_usd_b / coef.sovereignty_ref_usd_b);
  }
  return -coef.adopt_regulation * gov.policy.regulation;
}

}  // namespace

// Attractiveness = a x capability - b x ln(price) + c x ln(1 + promotion) +
// d x last share + local preference; shares move by `inertia` toward the
// softmax of attractiveness.
void adopt_stacks(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Government) a.gov.cum_sovereignty_usd_b += a.spent.sovereignty;
  }
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    Market& market = state.markets[m];
    std::array<StackOffer, kStackCount> offers{};
    double top = -std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < kStackCount; ++s) {
      offers[s] = offer_of(state, kStackBlocs[s], m, coef);
      if (offers[s].present) top = std::max(top, offers[s].capability_oom);
    }
    std::array<double, kStackCount> score{};
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < kStackCount; ++s) {
      if (!offers[s].present) continue;
      score[s] = coef.adopt_capability * (offers[s].capability_oom - top) -
                 coef.adopt_price * std::log(offers[s].price) +
                 coef.adopt_promotion * std::log1p(offers[s].promotion_usd_b) + coef.adopt_network * market.share[s] +
                 coef.local_preference[m][s] + eu_local_terms(state, m, s, coef);
      best = std::max(best, score[s]);
    }
    std::array<double, kStackCount> weight{};
    double sum = 0;
    for (std::size_t s = 0; s < kStackCount; ++s) {
      weight[s] = offers[s].present ? std::exp(score[s] - best) : 0;
      sum += weight[s];
    }
    if (sum <= 0) continue;
    for (std::size_t s = 0; s < kStackCount; ++s) {
      market.share[s] = (1 - coef.adopt_inertia) * market.share[s] + coef.adopt_inertia * weight[s] / sum;
    }
  }
}

}  // namespace leadtime

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "engine/resolve.h"

namespace leadtime {
namespace {

struct StackOffer {
  bool present = false;
  double capability_oom = 0;
  double log_price = 0;                                // ln of the price
  double price = 0;                                    // cheapest lab price, as stack_price finds it
  bool open = false;                                   // a lab released open weights
  std::array<double, kMarketCount> promotion_usd_b{};  // per market
};

// A stack offers its bloc's best model at its cheapest price; releasing open
// weights makes the whole stack cheaper. The offers are the same in every
// market but for promotion, so they are found once a round, in one pass
// (the price as stack_price finds it, without a pass of its own per stack).
std::array<StackOffer, kStackCount> stack_offers(const State& state, const Coefficients& coef) {
  std::array<StackOffer, kStackCount> offers{};
  for (const Actor& a : state.actors) {
    const int stack = stack_index(a.bloc);
    if (stack < 0) continue;
    StackOffer& offer = offers[static_cast<std::size_t>(stack)];
    if (a.kind == ActorKind::Lab) {
      offer.capability_oom =
          offer.present ? std::max(offer.capability_oom, a.lab.capability_oom) : a.lab.capability_oom;
      offer.present = true;
      const double price = a.policy.model_price_usd_per_mtok;
      offer.price = offer.price == 0 ? price : std::min(offer.price, price);
      offer.open = offer.open || a.lab.open_weights_oom > 0;
    }
    if (a.kind == ActorKind::Government) {
      for (std::size_t m = 0; m < kMarketCount; ++m) offer.promotion_usd_b[m] += a.spent.export_promotion[m];
    }
  }
  for (StackOffer& offer : offers) {
    if (offer.present) offer.log_price = std::log(offer.open ? offer.price * coef.open_price_factor : offer.price);
  }
  return offers;
}

// Local terms per market and stack: in the EU market, sovereignty investment
// favours the EU stack and regulation weighs on the others; 0 elsewhere.
std::array<std::array<double, kStackCount>, kMarketCount> local_terms(const State& state, const Coefficients& coef) {
  std::array<std::array<double, kStackCount>, kMarketCount> terms{};
  const int eu = government_of(state, Bloc::EU);
  const int market = market_index(Bloc::EU);
  if (eu == kNoActor || market < 0) return terms;
  const Actor& gov = state.actors[static_cast<std::size_t>(eu)];
  for (std::size_t s = 0; s < kStackCount; ++s) {
    terms[static_cast<std::size_t>(market)][s] =
        kStackBlocs[s] == Bloc::EU
            ? coef.adopt_sovereignty * std::log1p(gov.gov.cum_sovereignty_usd_b / coef.sovereignty_ref_usd_b)
            : -coef.adopt_regulation * gov.policy.regulation;
  }
  return terms;
}

// log1p(±0) is ±0 and exp(±0) is 1 exactly, so these return what the libm
// call would: most stacks promote nothing in most markets, and the best
// stack's weight is exp(0); skipping those calls saves a sixth of the step.
double log1p_exact(double x) { return x == 0 ? x : std::log1p(x); }
double exp_exact(double x) { return x == 0 ? 1.0 : std::exp(x); }

}  // namespace

// Attractiveness = a x capability - b x ln(price) + c x ln(1 + promotion) +
// d x last share + local preference; shares move by `inertia` toward the
// softmax of attractiveness.
void adopt_stacks(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Government) a.gov.cum_sovereignty_usd_b += a.spent.sovereignty;
  }
  const std::array<StackOffer, kStackCount> offers = stack_offers(state, coef);
  const auto local = local_terms(state, coef);
  double top = -std::numeric_limits<double>::infinity();
  for (const StackOffer& offer : offers) {
    if (offer.present) top = std::max(top, offer.capability_oom);
  }
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    Market& market = state.markets[m];
    std::array<double, kStackCount> score{};
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < kStackCount; ++s) {
      if (!offers[s].present) continue;
      score[s] = coef.adopt_capability * (offers[s].capability_oom - top) - coef.adopt_price * offers[s].log_price +
                 coef.adopt_promotion * log1p_exact(offers[s].promotion_usd_b[m]) +
                 coef.adopt_network * market.share[s] + coef.local_preference[m][s] + local[m][s];
      best = std::max(best, score[s]);
    }
    std::array<double, kStackCount> weight{};
    double sum = 0;
    for (std::size_t s = 0; s < kStackCount; ++s) {
      weight[s] = offers[s].present ? exp_exact(score[s] - best) : 0;
      sum += weight[s];
    }
    if (sum <= 0) continue;
    for (std::size_t s = 0; s < kStackCount; ++s) {
      market.share[s] = (1 - coef.adopt_inertia) * market.share[s] + coef.adopt_inertia * weight[s] / sum;
    }
  }
}

}  // namespace leadtime

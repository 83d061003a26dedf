#include <array>

#include "engine/resolve.h"

namespace leadtime {
namespace {

// A bloc's labs and their compute, which nothing in this step changes: found
// once instead of for each of the step's payments.
struct BlocLabs {
  double compute_h100e = 0;
  int labs = 0;
};

std::array<BlocLabs, kBlocCount> bloc_labs(const State& state) {
  std::array<BlocLabs, kBlocCount> out{};
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab) continue;
    BlocLabs& bloc = out[static_cast<std::size_t>(bloc_index(a.bloc))];
    bloc.compute_h100e += a.lab.compute_h100e + a.lab.offshore_h100e;  // as bloc_compute_h100e sums
    ++bloc.labs;
  }
  return out;
}

// Splits an amount among a bloc's labs by compute (evenly if none has any).
void pay_labs(State& state, Bloc bloc, const BlocLabs& labs, double amount_usd_b, bool as_revenue) {
  if (labs.labs == 0) return;
  const double compute = labs.compute_h100e;
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab || a.bloc != bloc) continue;
    const double own = a.lab.compute_h100e + a.lab.offshore_h100e;
    const double part = compute > 0 ? amount_usd_b * own / compute : amount_usd_b / labs.labs;
    a.cash_usd_b += part;
    if (as_revenue) a.lab.revenue_usd_b += part;
  }
}

}  // namespace

// Labs earn their stack's share of each market at the lab margin; vendors
// earn their chip sales; governments pay subsidies. Revenue funds the next
// round's purchases, so leadership reinforces itself.
void settle_money(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab) {
      a.lab.revenue_usd_b = 0;
      a.lab.cum_safety_usd_b += a.spent.safety;
    }
    if (a.kind == ActorKind::Vendor) {
      a.cash_usd_b += a.vendor.revenue_usd_b;
      a.vendor.cum_revenue_usd_b += a.vendor.revenue_usd_b;
    }
  }
  const std::array<BlocLabs, kBlocCount> labs = bloc_labs(state);
  auto labs_of = [&](Bloc b) -> const BlocLabs& { return labs[static_cast<std::size_t>(bloc_index(b))]; };
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    for (std::size_t s = 0; s < kStackCount; ++s) {
      const Market& market = state.markets[m];
      pay_labs(state, kStackBlocs[s], labs_of(kStackBlocs[s]), market.share[s] * market.size_usd_b * coef.lab_margin,
               true);
    }
  }
  for (const Actor& gov : state.actors) {
    if (gov.kind == ActorKind::Government && gov.spent.lab_subsidy > 0) {
      pay_labs(state, gov.bloc, labs_of(gov.bloc), gov.spent.lab_subsidy, false);
    }
  }
  for (Market& market : state.markets) market.size_usd_b *= 1 + market.growth;
}

}  // namespace leadtime

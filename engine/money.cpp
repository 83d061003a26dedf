#include "engine/resolve.h"

namespace leadtime {
namespace {

// Splits an amount among a bloc's labs by compute (evenly if none has any).
void pay_labs(State& state, Bloc bloc, double amount_usd_b, bool as_revenue) {
  const double compute = bloc_compute_h100e(state, bloc);
  int labs = 0;
  for (const Actor& a : state.actors) labs += (a.kind == ActorKind::Lab && a.bloc == bloc) ? 1 : 0;
  if (labs == 0) return;
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab || a.bloc != bloc) continue;
    const double own = a.lab.compute_h100e + a.lab.offshore_h100e;
    const double part = compute > 0 ? amount_usd_b * own / compute : amount_usd_b / labs;
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
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    for (std::size_t s = 0; s < kStackCount; ++s) {
      const Market& market = state.markets[m];
      pay_labs(state, kStackBlocs[s], market.share[s] * market.size_usd_b * coef.lab_margin, true);
    }
  }
  for (const Actor& gov : state.actors) {
    if (gov.kind == ActorKind::Government && gov.spent.lab_subsidy > 0) {
      pay_labs(state, gov.bloc, gov.spent.lab_subsidy, false);
    }
  }
  for (Market& market : state.markets) market.size_usd_b *= 1 + market.growth;
}

}  // namespace leadtime

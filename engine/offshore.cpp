#include <algorithm>

#include "engine/resolve.h"

namespace leadtime {
namespace {

// The strictest cloud rule of any government whose export tier restricts
// this bloc: know-your-customer rules shut out restricted destinations.
double kyc_against(const State& state, Bloc renter) {
  double kyc = 0;
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Government || a.bloc == renter) continue;
    if (a.policy.export_tier[static_cast<std::size_t>(bloc_index(renter))] < 3) kyc = std::max(kyc, a.policy.cloud_kyc);
  }
  return kyc;
}

bool has_lab(const State& state, Bloc bloc) {
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && a.bloc == bloc) return true;
  }
  return false;
}

void refund_chip_money(State& state) {
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab) continue;
    a.cash_usd_b += std::max(0.0, a.lab.chip_money_left_usd_b);
    a.lab.chip_money_left_usd_b = 0;
  }
}

}  // namespace

void rent_offshore(State& state, const Coefficients& coef) {
  refund_chip_money(state);
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab) a.lab.offshore_h100e = 0;
  }
  double hub_free_h100e = state.hubs.compute_h100e;
  for (Actor& gov : state.actors) {
    if (gov.kind != ActorKind::Government || gov.spent.offshore_rental <= 0) continue;
    if (state.hubs.rent_usd_per_h100e <= 0 || !has_lab(state, gov.bloc)) {
      gov.cash_usd_b += gov.spent.offshore_rental;  // nothing to rent, or nobody to rent for
      continue;
    }
    const double open_h100e = hub_free_h100e * coef.offshore_sea_share_max * (1 - kyc_against(state, gov.bloc));
    const double wanted_h100e = gov.spent.offshore_rental * 1e9 / state.hubs.rent_usd_per_h100e;
    const double rented = std::min(open_h100e, wanted_h100e);
    const double compute = bloc_compute_h100e(state, gov.bloc);
    int labs = 0;
    for (const Actor& a : state.actors) labs += (a.kind == ActorKind::Lab && a.bloc == gov.bloc) ? 1 : 0;
    for (Actor& a : state.actors) {
      if (a.kind != ActorKind::Lab || a.bloc != gov.bloc) continue;
      a.lab.offshore_h100e += compute > 0 ? rented * a.lab.compute_h100e / compute : rented / labs;
    }
    gov.cash_usd_b += (wanted_h100e - rented) * state.hubs.rent_usd_per_h100e / 1e9;  // unspent rent comes back
    hub_free_h100e -= rented;
    state.flows.offshore_h100e += rented;
  }
}

}  // namespace leadtime

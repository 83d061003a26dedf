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

// A lab's part of an amount split among its bloc's labs by compute (evenly if
// none has any).
double lab_part(const Actor& lab, const BlocLabs& labs, double amount_usd_b) {
  const double compute = labs.compute_h100e;
  const double own = lab.lab.compute_h100e + lab.lab.offshore_h100e;
  return compute > 0 ? amount_usd_b * own / compute : amount_usd_b / labs.labs;
}

// Splits an amount among a bloc's labs.
void pay_labs(State& state, Bloc bloc, const BlocLabs& labs, double amount_usd_b) {
  if (labs.labs == 0) return;
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && a.bloc == bloc) a.cash_usd_b += lab_part(a, labs, amount_usd_b);
  }
}

// Each lab's part of its stack's margin in every market, market by market.
// A lab is paid only from its own stack, so going lab by lab adds the same
// parts to each lab in the same order as going market by market and stack by
// stack did, in one pass over the actors instead of one per market and stack.
void pay_margins(State& state, const std::array<BlocLabs, kBlocCount>& labs, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    const int stack = a.kind == ActorKind::Lab ? stack_index(a.bloc) : -1;
    if (stack < 0) continue;
    const auto s = static_cast<std::size_t>(stack);
    const BlocLabs& bloc = labs[static_cast<std::size_t>(bloc_index(a.bloc))];
    for (const Market& market : state.markets) {
      const double part = lab_part(a, bloc, market.share[s] * market.size_usd_b * coef.lab_margin);
      a.cash_usd_b += part;
      a.lab.revenue_usd_b += part;
    }
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
  pay_margins(state, labs, coef);
  for (const Actor& gov : state.actors) {
    if (gov.kind == ActorKind::Government && gov.spent.lab_subsidy > 0) {
      pay_labs(state, gov.bloc, labs[static_cast<std::size_t>(bloc_index(gov.bloc))], gov.spent.lab_subsidy);
    }
  }
  for (Market& market : state.markets) market.size_usd_b *= 1 + market.growth;
}

}  // namespace leadtime

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "engine/resolve.h"
#include "engine/text.h"

namespace leadtime {
namespace {

// Chips are diverted from the largest vendor outside the smuggling bloc.
const Actor* source_vendor(const State& state, Bloc smuggler) {
  const Actor* best = nullptr;
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Vendor || a.bloc == smuggler) continue;
    if (!best || a.vendor.output_h100e > best->vendor.output_h100e) best = &a;
  }
  return best;
}

// Enforcement against a bloc's smuggling: every other government's
// enforcement spending, plus allies' chip-control alignment.
double enforcement_against(const State& state, Bloc smuggler, const Coefficients& coef) {
  double e = 0;
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Government || a.bloc == smuggler) continue;
    e += a.spent.enforcement;
    if (a.policy.chip_control_alignment) e += coef.eu_alignment_enforcement_usd_b;
  }
  return e;
}

double unmet_money(const State& state, Bloc bloc) {
  double money = 0;
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && a.bloc == bloc) money += a.lab.chip_money_left_usd_b;
  }
  return money;
}

// Each lab of the bloc pays list price for its share of the attempted volume
// and receives its share of what gets through.
void deliver_smuggled(State& state, Bloc bloc, double attempted_h100e, double arrived_h100e, double price_usd) {
  const double money = unmet_money(state, bloc);
  if (money <= 0) return;
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Lab || a.bloc != bloc) continue;
    const double share = a.lab.chip_money_left_usd_b / money;
    a.lab.chip_money_left_usd_b -= share * attempted_h100e * price_usd / 1e9;
    a.lab.compute_h100e += share * arrived_h100e;
    a.lab.bought_h100e += share * arrived_h100e;
  }
}

void expose_case(State& state, Actor& smuggler_gov, double attempted_h100e, double& arrived_h100e, double price_usd,
                 const Coefficients& coef) {
  const double value_usd_b = std::min(coef.case_max_usd_b, attempted_h100e * price_usd / 1e9);
  const double seized = std::min(arrived_h100e, coef.case_seized_share * arrived_h100e);
  arrived_h100e -= seized;
  state.flows.seized_h100e += seized;
  state.flows.exposed_case_usd_b += value_usd_b;
  smuggler_gov.cash_usd_b -= coef.case_fine_usd_b;
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Government && a.bloc != smuggler_gov.bloc && a.spent.enforcement > 0) {
      a.gov.political_capital += coef.case_political_gain;
    }
  }
  // Built without snprintf, which cost a twentieth of a round: the same text,
  // cut where its 200-char buffer cut it.
  std::string text = "Smuggling case exposed: $";
  text += format_fixed(value_usd_b, 1);
  text += "B of diverted AI servers bound for ";
  text += kBlocNames[static_cast<std::size_t>(bloc_index(smuggler_gov.bloc))];
  text += "; ";
  text += format_fixed(seized / 1e3, 0);
  text += "k H100e seized";
  if (text.size() > 199) text.resize(199);
  state.events.push_back({"smuggling_case", std::move(text), Visibility::Public, {}});
}

}  // namespace

void smuggle_chips(State& state, const Coefficients& coef) {
  for (Actor& gov : state.actors) {
    if (gov.kind != ActorKind::Government || gov.spent.smuggling <= 0) continue;
    const Actor* vendor = source_vendor(state, gov.bloc);
    if (!vendor || vendor->policy.chip_price_usd <= 0) continue;
    const double price = vendor->policy.chip_price_usd;
    // The effort pays the networks' premium over list; the labs pay list.
    const double capacity_h100e = gov.spent.smuggling * 1e9 / (price * (coef.smuggling_markup - 1));
    const double demand_h100e = unmet_money(state, gov.bloc) * 1e9 / price;
    const double attempted = std::min(capacity_h100e, demand_h100e);
    if (attempted <= 0) continue;
    const double e = enforcement_against(state, gov.bloc, coef);
    double arrived = attempted * (1 - interdiction(e, coef.enforcement_half_usd_b));
    state.flows.seized_h100e += attempted - arrived;
    const double hazard =
        coef.exposure_per_usd_b * attempted * price / 1e9 * (1 + e / coef.exposure_enforcement_ref_usd_b);
    if (state.rng.bernoulli(1 - std::exp(-hazard))) expose_case(state, gov, attempted, arrived, price, coef);
    deliver_smuggled(state, gov.bloc, attempted, arrived, price);
    state.flows.smuggled_h100e += arrived;
    state.cum_smuggled_h100e += arrived;
  }
}

}  // namespace leadtime

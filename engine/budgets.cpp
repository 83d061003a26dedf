#include <algorithm>
#include <cstdio>

#include "engine/resolve.h"

namespace leadtime {
namespace {

Spending standing_spending(const Actor& a, const Coefficients& coef) {
  const Policy& p = a.policy;
  Spending s;
  s.intelligence = p.intelligence_usd_b;
  switch (a.kind) {
    case ActorKind::Government:
      s.export_promotion = p.export_promotion_usd_b;
      s.lab_subsidy = p.lab_subsidy_usd_b;
      s.enforcement = p.enforcement_usd_b;
      s.fab_investment = p.fab_investment_usd_b;
      s.smuggling = p.smuggling_usd_b;
      s.offshore_rental = p.offshore_rental_usd_b;
      s.cyber = p.cyber_target == kNoActor ? 0 : p.cyber_usd_b;
      s.sovereignty = p.sovereignty_usd_b;
      break;
    case ActorKind::Vendor:
      s.capacity_investment = p.capacity_investment_usd_b;
      s.lobbying = p.lobbying_usd_b;
      break;
    case ActorKind::Lab:
      s.api_defence = p.api_defence_usd_b;
      s.weight_security = p.weight_security_usd_b;
      s.safety = p.safety_usd_b;
      s.distillation = p.distill_target == kNoActor ? 0 : p.distill_intensity * coef.distill_cost_usd_b;
      break;
  }
  return s;
}

double total(const Spending& s) {
  double sum = s.lab_subsidy + s.enforcement + s.fab_investment + s.smuggling + s.offshore_rental + s.cyber +
               s.sovereignty + s.capacity_investment + s.lobbying + s.api_defence + s.weight_security + s.safety +
               s.distillation + s.intelligence;
  for (double v : s.export_promotion) sum += v;
  return sum;
}

void scale(Spending& s, double f) {
  for (double& v : s.export_promotion) v *= f;
  for (double* v : {&s.lab_subsidy, &s.enforcement, &s.fab_investment, &s.smuggling, &s.offshore_rental, &s.cyber,
                    &s.sovereignty, &s.capacity_investment, &s.lobbying, &s.api_defence, &s.weight_security, &s.safety,
                    &s.distillation, &s.intelligence}) {
    *v *= f;
  }
  s.scale = f;
}

void receive_income(Actor& a) {
  if (a.kind == ActorKind::Government) a.cash_usd_b += a.gov.budget_usd_b;
  if (a.kind == ActorKind::Lab) {
    a.cash_usd_b += a.lab.funding_usd_b;
    a.lab.funding_usd_b *= 1 + a.lab.funding_growth;
  }
}

std::string short_of_money_text(const Actor& a, double wanted, double paid) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s was short of money: paid $%.1fB of $%.1fB of standing spending (%.0f%%)",
                a.id.c_str(), paid, wanted, wanted > 0 ? 100 * paid / wanted : 0.0);
  return buf;
}

}  // namespace

void pay_budgets(State& state, const Coefficients& coef) {
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    Actor& a = state.actors[i];
    receive_income(a);
    a.spent = standing_spending(a, coef);
    const double wanted = total(a.spent);
    const double available = std::max(0.0, a.cash_usd_b);
    if (wanted > available) {
      scale(a.spent, available / wanted);
      state.events.push_back(
          {"short_of_money", short_of_money_text(a, wanted, available), Visibility::Private, {static_cast<int>(i)}});
    }
    a.cash_usd_b -= total(a.spent);
    if (a.kind == ActorKind::Lab) {
      a.spent.chips = std::max(0.0, a.cash_usd_b) * a.policy.chip_spend_share;
      a.cash_usd_b -= a.spent.chips;
    }
  }
}

}  // namespace leadtime

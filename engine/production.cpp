#include <algorithm>
#include <cmath>

#include "engine/resolve.h"

namespace leadtime {
namespace {

bool any_tool_alignment(const State& state) {
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Government && a.policy.tool_alignment) return true;
  }
  return false;
}

double invest_growth(double invest_usd_b, const Coefficients& coef) {
  return coef.capacity_invest_growth * invest_usd_b / (invest_usd_b + coef.capacity_invest_half_usd_b);
}

// China's fabs: growth rises with cumulative state investment (diminishing
// returns), falls while Europe withholds lithography tools, and jumps after an
// EUV breakthrough.
double cn_growth(const Actor& vendor, const Actor* gov, bool tools_withheld, const Coefficients& coef) {
  const double cum = gov ? gov->gov.cum_fab_investment_usd_b : 0;
  double g = coef.cn_base_growth + coef.cn_invest_growth * std::log1p(cum / coef.cn_invest_scale_usd_b);
  if (tools_withheld) g -= coef.tool_alignment_drag;
  g += coef.euv_growth_bonus * std::max(0.0, vendor.vendor.euv_multiplier - 1);
  return g;
}

void depreciate(State& state, const Coefficients& coef) {
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab) a.lab.compute_h100e *= 1 - coef.depreciation;
  }
  state.hubs.compute_h100e *= 1 - coef.depreciation;
}

}  // namespace

void produce_chips(State& state, const Coefficients& coef) {
  depreciate(state, coef);
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Government) a.gov.cum_fab_investment_usd_b += a.spent.fab_investment;
  }
  const bool tools_withheld = any_tool_alignment(state);
  for (Actor& a : state.actors) {
    if (a.kind != ActorKind::Vendor) continue;
    a.vendor.output_h100e = a.vendor.capacity_h100e;
    double growth = a.vendor.capacity_growth + invest_growth(a.spent.capacity_investment, coef);
    if (a.bloc == Bloc::CN) {
      const int gov = government_of(state, Bloc::CN);
      const Actor* g = gov == kNoActor ? nullptr : &state.actors[static_cast<std::size_t>(gov)];
      growth += cn_growth(a, g, tools_withheld, coef);
      state.flows.cn_vendor_output_h100e += a.vendor.output_h100e;
    } else if (a.bloc == Bloc::US) {
      state.flows.us_vendor_output_h100e += a.vendor.output_h100e;
    }
    a.vendor.capacity_h100e = std::max(0.0, a.vendor.capacity_h100e * (1 + growth));
  }
}

}  // namespace leadtime

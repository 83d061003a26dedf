#include "engine/metrics.h"

#include <algorithm>
#include <cmath>

#include "engine/resolve.h"

namespace leadtime {
namespace {

const Actor& self(const State& s, int actor) { return s.actors[static_cast<std::size_t>(actor)]; }

double own_stack_share(const State& s, int actor, std::size_t market) {
  const int stack = stack_index(self(s, actor).bloc);
  return stack < 0 ? 0 : s.markets[market].share[static_cast<std::size_t>(stack)];
}

// Market-size-weighted share of the actor's bloc stack across all markets.
double global_share(const State& s, int actor) {
  const int stack = stack_index(self(s, actor).bloc);  // own_stack_share's, found once
  double size = 0;
  double held = 0;
  for (const Market& market : s.markets) {
    size += market.size_usd_b;
    held += market.size_usd_b * (stack < 0 ? 0 : market.share[static_cast<std::size_t>(stack)]);
  }
  return size > 0 ? held / size : 0;
}

// Lead of the actor's bloc's best lab over the best lab of any other bloc,
// read from the pairwise leads the outcomes step computed.
double bloc_lead_months(const State& s, int actor) {
  const int own = best_lab(s, self(s, actor).bloc);
  int rival = kNoActor;
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    const Actor& a = s.actors[i];
    if (a.kind != ActorKind::Lab || a.bloc == self(s, actor).bloc) continue;
    if (rival == kNoActor || a.lab.capability_oom > s.actors[static_cast<std::size_t>(rival)].lab.capability_oom) {
      rival = static_cast<int>(i);
    }
  }
  const std::size_t n = s.actors.size();
  if (own == kNoActor || rival == kNoActor || s.outcomes.pair_lead_months.size() != n * n) return 0;
  return s.outcomes.pair_lead_months[static_cast<std::size_t>(own) * n + static_cast<std::size_t>(rival)];
}

const Metric kMetrics[] = {
    {"lead_months", "lead of the best US lab over the best CN lab, months",
     [](const State& s, int) { return s.outcomes.lead_months; }},
    {"own_lead_months", "lead of your bloc's best lab over every other bloc's best, months", bloc_lead_months},
    {"compute_ratio_log2", "log2 of the US:CN compute ratio (doublings)",
     [](const State& s, int) {
       return s.outcomes.compute_ratio_us_cn > 0 ? std::log2(s.outcomes.compute_ratio_us_cn) : 0;
     }},
    {"own_global_share", "your bloc stack's share of all markets, by size", global_share},
    {"own_row_share", "your bloc stack's share of the ROW market",
     [](const State& s, int a) { return own_stack_share(s, a, 3); }},
    {"own_home_share", "your bloc stack's share of your home market",
     [](const State& s, int a) {
       const int m = market_index(self(s, a).bloc);
       return m < 0 ? 0 : own_stack_share(s, a, static_cast<std::size_t>(m));
     }},
    {"norm_index", "norm-setting index, -1 China sets the norms .. 1 the US does",
     [](const State& s, int) { return s.outcomes.norm_index; }},
    {"own_capability_oom", "your bloc's best model capability, OOM",
     [](const State& s, int a) {
       const int lab = best_lab(s, self(s, a).bloc);
       return lab == kNoActor ? 0 : s.actors[static_cast<std::size_t>(lab)].lab.capability_oom;
     }},
    {"own_cash_usd_b", "your cash, $B", [](const State& s, int a) { return self(s, a).cash_usd_b; }},
    {"own_revenue_usd_b", "your revenue this round, $B",
     [](const State& s, int a) {
       const Actor& x = self(s, a);
       return x.kind == ActorKind::Vendor ? x.vendor.revenue_usd_b : x.lab.revenue_usd_b;
     }},
    {"political_capital", "your political capital",
     [](const State& s, int a) { return self(s, a).gov.political_capital; }},
    {"open_weights_risk", "capability of the most capable open model, OOM above 25",
     [](const State& s, int) { return std::max(0.0, s.outcomes.open_weights_oom - 25); }},
    {"thefts", "model-weight thefts so far", [](const State& s, int) { return static_cast<double>(s.thefts_total); }},
    {"own_safety_usd_b", "your cumulative safety investment, $B",
     [](const State& s, int a) { return self(s, a).lab.cum_safety_usd_b; }},
};

}  // namespace

std::span<const Metric> metrics() { return kMetrics; }

const Metric* find_metric(std::string_view name) {
  const auto it =
      std::find_if(std::begin(kMetrics), std::end(kMetrics), [&](const Metric& m) { return m.name == name; });
  return it == std::end(kMetrics) ? nullptr : &*it;
}

}  // namespace leadtime

#include "batch/sweep_outcomes.h"

#include <algorithm>
#include <cmath>

namespace leadtime::sweep {
namespace {

using PerRound = std::function<double(const RoundRecord&)>;

void add(std::vector<Quantity>& out, std::string name, std::string help, PerRound f) {
  out.push_back({std::move(name), std::move(help), std::move(f)});
}

// Per-bloc, per-market and per-stack quantities, named like the columns of
// `leadtime-batch match --csv` (share_ROW_CN).
void add_indexed(std::vector<Quantity>& out) {
  for (std::size_t b = 0; b < kBlocCount; ++b) {
    const std::string bloc = kBlocNames[b];
    add(out, "compute_h100e_" + bloc, "installed compute of " + bloc + ", H100e",
        [b](const RoundRecord& r) { return r.outcomes.compute_h100e[b]; });
    add(out, "legal_h100e_" + bloc, "chips legally bought by " + bloc + " labs and hubs this round, H100e",
        [b](const RoundRecord& r) { return r.flows.legal_h100e[b]; });
  }
  for (std::size_t s = 0; s < kStackCount; ++s) {
    const auto bloc = static_cast<std::size_t>(kStackBlocs[s]);
    const std::string stack = kStackNames[s];
    add(out, "best_capability_oom_" + stack, "capability of the best " + stack + " model, OOM",
        [bloc](const RoundRecord& r) { return r.outcomes.best_capability_oom[bloc]; });
    add(out, "stack_price_" + stack, "cheapest " + stack + " offer, $ per million tokens",
        [s](const RoundRecord& r) { return r.outcomes.stack_price_usd_per_mtok[s]; });
  }
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    for (std::size_t s = 0; s < kStackCount; ++s) {
      add(out, std::string("share_") + kMarketNames[m] + "_" + kStackNames[s],
          std::string("share of the ") + kMarketNames[m] + " market held by the " + kStackNames[s] + " stack",
          [m, s](const RoundRecord& r) { return r.outcomes.shares[m][s]; });
    }
  }
}

std::vector<Quantity> make_quantities() {
  std::vector<Quantity> out;
  add(out, "lead_months", "lead of the best US lab over the best CN lab, months",
      [](const RoundRecord& r) { return r.outcomes.lead_months; });
  add(out, "compute_ratio_us_cn", "US : CN installed compute",
      [](const RoundRecord& r) { return r.outcomes.compute_ratio_us_cn; });
  add(out, "norm_index", "norm-setting index, -1 China sets the norms .. 1 the US does",
      [](const RoundRecord& r) { return r.outcomes.norm_index; });
  add(out, "open_weights_oom", "capability of the most capable open model, OOM",
      [](const RoundRecord& r) { return r.outcomes.open_weights_oom; });
  add(out, "thefts_total", "model-weight thefts so far",
      [](const RoundRecord& r) { return static_cast<double>(r.outcomes.thefts_total); });
  add(out, "surveillance_exports", "CN share of the ROW market (surveillance-stack exports)",
      [](const RoundRecord& r) { return r.outcomes.surveillance_exports; });
  add(out, "smuggled_h100e", "chips smuggled into China this round, H100e",
      [](const RoundRecord& r) { return r.flows.smuggled_h100e; });
  add(out, "seized_h100e", "smuggled chips seized this round, H100e",
      [](const RoundRecord& r) { return r.flows.seized_h100e; });
  add(out, "offshore_h100e", "compute Chinese labs rented offshore this round, H100e",
      [](const RoundRecord& r) { return r.flows.offshore_h100e; });
  add(out, "cn_domestic_h100e", "domestic Chinese chips delivered this round, H100e",
      [](const RoundRecord& r) { return r.flows.cn_domestic_h100e; });
  add(out, "us_vendor_output_h100e", "the US vendor's output this round, H100e",
      [](const RoundRecord& r) { return r.flows.us_vendor_output_h100e; });
  add(out, "cn_vendor_output_h100e", "the CN vendor's output this round, H100e",
      [](const RoundRecord& r) { return r.flows.cn_vendor_output_h100e; });
  add(out, "cn_vendor_share", "CN vendor output as a share of the US vendor's (the paper's 4% / 2%)",
      [](const RoundRecord& r) {
        return r.flows.us_vendor_output_h100e > 0 ? r.flows.cn_vendor_output_h100e / r.flows.us_vendor_output_h100e : 0;
      });
  add(out, "exposed_case_usd_b", "value of the smuggling case exposed this round, $B",
      [](const RoundRecord& r) { return r.flows.exposed_case_usd_b; });
  add(out, "thefts", "model-weight thefts this round", [](const RoundRecord& r) { return r.flows.thefts; });
  add_indexed(out);
  return out;
}

struct Prefix {
  std::string_view text;
  Reduce reduce;
};
constexpr Prefix kPrefixes[] = {{"min_", Reduce::Min}, {"max_", Reduce::Max}, {"mean_", Reduce::Mean}};

const Quantity* find_quantity(std::string_view name) {
  const auto all = quantities();
  const auto it = std::find_if(all.begin(), all.end(), [&](const Quantity& q) { return q.name == name; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace

std::span<const Quantity> quantities() {
  static const std::vector<Quantity> all = make_quantities();
  return all;
}

std::variant<Outcome, std::string> resolve_outcome(std::string_view name) {
  Outcome outcome;
  outcome.name = std::string(name);
  std::string_view base = name;
  for (const Prefix& p : kPrefixes) {
    if (name.starts_with(p.text) && find_quantity(name.substr(p.text.size()))) {
      base = name.substr(p.text.size());
      outcome.reduce = p.reduce;
    }
  }
  const Quantity* q = find_quantity(base);
  if (!q) {
    return "unknown outcome '" + std::string(name) +
           "' (a quantity such as lead_months or share_ROW_CN, optionally prefixed min_, max_ or mean_; "
           "`leadtime-batch outcomes` lists them)";
  }
  outcome.base = q->name;
  outcome.per_round = q->per_round;
  return outcome;
}

std::vector<std::string> default_outcomes() {
  return {"lead_months", "min_lead_months", "compute_ratio_us_cn", "share_ROW_US", "share_ROW_CN", "norm_index"};
}

double outcome_value(const Outcome& outcome, const std::vector<RoundRecord>& rounds) {
  if (rounds.empty()) return std::nan("");
  if (outcome.reduce == Reduce::Final) return outcome.per_round(rounds.back());
  double acc = outcome.reduce == Reduce::Mean ? 0 : outcome.per_round(rounds.front());
  for (const RoundRecord& r : rounds) {
    const double v = outcome.per_round(r);
    switch (outcome.reduce) {
      case Reduce::Min:
        acc = std::min(acc, v);
        break;
      case Reduce::Max:
        acc = std::max(acc, v);
        break;
      case Reduce::Mean:
        acc += v;
        break;
      case Reduce::Final:
        break;
    }
  }
  return outcome.reduce == Reduce::Mean ? acc / static_cast<double>(rounds.size()) : acc;
}

}  // namespace leadtime::sweep

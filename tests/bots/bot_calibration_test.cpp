// The paper's two lines played by the shipped bots instead of fixed order
// files hit the same end-of-2028 targets as tests/calibration (model.md):
// us_hawk against cn_shortcut is the tight line, us_dealmaker against
// cn_shortcut the lax (parity) line. Every other seat plays the scenario's
// default bot, as `leadtime-batch match --bot us=... --bot cn=...` does, so
// a facilitator who swaps only the two governments sees the paper's result.
// docs/engine.md ("Parity with bots") says why the labs' own defences do not
// undo parity.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/bots/bot_helpers.h"

namespace lt = leadtime;
using lt::testing::bots_for;
using lt::testing::default_scenario;
using lt::testing::join;
using lt::testing::median;

namespace {

constexpr int kSeeds = 200;
constexpr std::size_t kUS = 0;
constexpr std::size_t kCN = 1;
constexpr std::size_t kROW = 3;

struct Finals {
  std::vector<double> lead;
  std::vector<double> ratio;
  std::vector<double> row_margin;               // CN share of ROW minus US share
  std::vector<std::vector<double>> round_lead;  // per round, over seeds
};

Finals play_set(const std::vector<std::string>& assignments) {
  const auto paths = bots_for(assignments);
  Finals f;
  f.round_lead.resize(static_cast<std::size_t>(default_scenario()->rounds));
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto result = lt::play_bots(default_scenario(), static_cast<std::uint64_t>(seed), paths);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    REQUIRE_MESSAGE(result.faults.empty(), join(result.faults));
    const auto& history = result.match->history();
    for (std::size_t r = 0; r < history.size(); ++r) f.round_lead[r].push_back(history[r].outcomes.lead_months);
    const lt::Outcomes& o = history.back().outcomes;
    f.lead.push_back(o.lead_months);
    f.ratio.push_back(o.compute_ratio_us_cn);
    f.row_margin.push_back(o.shares[kROW][kCN] - o.shares[kROW][kUS]);
  }
  return f;
}

std::string round_medians(const Finals& f) {
  std::string out;
  for (const auto& leads : f.round_lead) out += (out.empty() ? "" : " ") + std::to_string(median(leads)).substr(0, 4);
  return out;
}

}  // namespace

TEST_CASE("bot calibration: us_hawk against cn_shortcut ends 2028 with a 12-24 month lead and US:CN compute 8-14") {
  const Finals f = play_set({"us=scripts/bots/us_hawk.lua", "cn=scripts/bots/cn_shortcut.lua"});
  const double lead = median(f.lead);
  const double ratio = median(f.ratio);
  MESSAGE("hawk vs shortcut, " << kSeeds << " seeds: median lead " << lead << " months, median US:CN compute " << ratio
                               << "; median lead by round " << round_medians(f));
  CHECK(lead >= 12);
  CHECK(lead <= 24);
  CHECK(ratio >= 8);
  CHECK(ratio <= 14);
}

TEST_CASE("bot calibration: us_dealmaker against cn_shortcut ends 2028 near parity with China ahead in ROW") {
  const Finals f = play_set({"us=scripts/bots/us_dealmaker.lua", "cn=scripts/bots/cn_shortcut.lua"});
  const double lead = median(f.lead);
  const double margin = median(f.row_margin);
  MESSAGE("dealmaker vs shortcut, " << kSeeds << " seeds: median lead " << lead << " months, median ROW share CN - US "
                                    << margin << "; median lead by round " << round_medians(f));
  CHECK(lead <= 3);
  CHECK(margin > 0);
  // Parity holds to the end rather than drifting apart in the last rounds.
  CHECK(median(f.round_lead.back()) - median(f.round_lead[f.round_lead.size() - 4]) <= 1);
}

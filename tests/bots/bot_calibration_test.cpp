// The paper's two lines played by bots instead of fixed order files hit the
// same end-of-2028 targets as tests/calibration (model.md): the hawk set
// mirrors scenarios/lines/tight.lua, the dealmaker set lax.lua. Seats not
// named keep the scenario's default bots.
#include <cstdio>

#include "tests/bots/bot_helpers.h"

namespace lt = leadtime;
using lt::testing::bots_for;
using lt::testing::default_scenario;
using lt::testing::join;
using lt::testing::median;

namespace {

constexpr int kSeeds = 120;
constexpr std::size_t kUS = 0;
constexpr std::size_t kCN = 1;
constexpr std::size_t kROW = 3;

struct Finals {
  std::vector<double> lead;
  std::vector<double> ratio;
  std::vector<double> row_margin;  // CN share of ROW minus US share
};

Finals play_set(const std::vector<std::string>& assignments) {
  const auto paths = bots_for(assignments);
  Finals f;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto result = lt::play_bots(default_scenario(), static_cast<std::uint64_t>(seed), paths);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    REQUIRE_MESSAGE(result.faults.empty(), join(result.faults));
    const lt::Outcomes& o = result.match->history().back().outcomes;
    f.lead.push_back(o.lead_months);
    f.ratio.push_back(o.compute_ratio_us_cn);
    f.row_margin.push_back(o.shares[kROW][kCN] - o.shares[kROW][kUS]);
  }
  return f;
}

}  // namespace

TEST_CASE("bot calibration: the hawk set ends 2028 with a 12-24 month lead and US:CN compute 8-14") {
  const Finals f =
      play_set({"us=scripts/bots/us_hawk.lua", "eu=scripts/bots/eu_aligner.lua", "cn=scripts/bots/cn_shortcut.lua",
                "cn_lab=scripts/bots/lab_racer.lua", "us_lab=scripts/bots/lab_safety.lua"});
  const double lead = median(f.lead);
  const double ratio = median(f.ratio);
  MESSAGE("hawk set: median lead " << lead << " months, median US:CN compute " << ratio);
  CHECK(lead >= 12);
  CHECK(lead <= 24);
  CHECK(ratio >= 8);
  CHECK(ratio <= 14);
}

TEST_CASE("bot calibration: the dealmaker set ends 2028 near parity with China ahead in ROW") {
  const Finals f = play_set({"us=scripts/bots/us_dealmaker.lua", "cn=scripts/bots/cn_shortcut.lua",
                             "cn_lab=scripts/bots/lab_racer.lua", "us_lab=scripts/bots/lab_racer.lua"});
  const double lead = median(f.lead);
  const double margin = median(f.row_margin);
  MESSAGE("dealmaker set: median lead " << lead << " months, median ROW share CN - US " << margin);
  CHECK(lead <= 3);
  CHECK(margin > 0);
}

// model.md's calibration targets and starting-point ranges for the default
// scenario, each over many seeds with the fixed "tight" and "lax" lines
// (scenarios/lines/). These are the rule catalogue the engine must keep.
#include "tests/calibration/lines.h"

namespace lt = leadtime;
using lt::testing::default_scenario;
using lt::testing::line;
using lt::testing::median;
using lt::testing::over_seeds;

namespace {

constexpr int kSeeds = 200;
constexpr std::size_t kCN = 1;
constexpr std::size_t kUS = 0;
constexpr std::size_t kROW = 3;

// CN vendor output over US vendor output, summed over the rounds of one year.
double cn_vendor_share(const lt::Match& m, int year) {
  double cn = 0;
  double us = 0;
  for (const lt::RoundRecord& r : m.history()) {
    if (r.quarter.year != year) continue;
    cn += r.flows.cn_vendor_output_h100e;
    us += r.flows.us_vendor_output_h100e;
  }
  return us > 0 ? cn / us : 0;
}

const lt::Outcomes& final_outcomes(const lt::Match& m) { return m.history().back().outcomes; }

}  // namespace

TEST_CASE("calibration: CN vendor output is 3-5% of the US vendor's in 2026 and 1.3-2.7% in 2027") {
  const auto scenario = lt::testing::without_event("euv_breakthrough");
  for (const char* name : {"tight", "lax"}) {
    CAPTURE(name);
    const lt::OrderLine l = line(name);
    const double y2026 =
        median(over_seeds(scenario, l, kSeeds, [](const lt::Match& m) { return cn_vendor_share(m, 2026); }));
    const double y2027 =
        median(over_seeds(scenario, l, kSeeds, [](const lt::Match& m) { return cn_vendor_share(m, 2027); }));
    CHECK(y2026 >= 0.03);
    CHECK(y2026 <= 0.05);
    CHECK(y2027 >= 0.013);
    CHECK(y2027 <= 0.027);
  }
}

TEST_CASE("calibration: tight line ends 2028 with US:CN compute 8-14 and a 12-24 month median lead") {
  const lt::OrderLine tight = line("tight");
  const auto ratio = over_seeds(default_scenario(), tight, kSeeds,
                                [](const lt::Match& m) { return final_outcomes(m).compute_ratio_us_cn; });
  const auto lead =
      over_seeds(default_scenario(), tight, kSeeds, [](const lt::Match& m) { return final_outcomes(m).lead_months; });
  CHECK(median(ratio) >= 8);
  CHECK(median(ratio) <= 14);
  CHECK(median(lead) >= 12);
  CHECK(median(lead) <= 24);
}

TEST_CASE("calibration: lax line ends 2028 near parity with China ahead in the ROW market") {
  const lt::OrderLine lax = line("lax");
  const auto lead =
      over_seeds(default_scenario(), lax, kSeeds, [](const lt::Match& m) { return final_outcomes(m).lead_months; });
  const auto row_margin = over_seeds(default_scenario(), lax, kSeeds, [](const lt::Match& m) {
    const auto& share = final_outcomes(m).shares[kROW];
    return share[kCN] - share[kUS];
  });
  CHECK(median(lead) <= 3);
  CHECK(median(row_margin) > 0);
}

TEST_CASE("starting point: mid-2026 compute and capability gaps") {
  const lt::Match m(default_scenario(), 1);
  const lt::Outcomes& o = m.state().outcomes;
  double world = 0;
  for (double c : o.compute_h100e) world += c;
  const double cn_world_share = o.compute_h100e[kCN] / world;
  CHECK(o.compute_ratio_us_cn >= 4);
  CHECK(o.compute_ratio_us_cn <= 7);
  CHECK(o.lead_months >= 4);
  CHECK(o.lead_months <= 12);
  CHECK(cn_world_share >= 0.08);
  CHECK(cn_world_share <= 0.16);
}

TEST_CASE("channel sizes stay believable") {
  const auto scenario = lt::testing::without_event("euv_breakthrough");
  const lt::OrderLine lax = line("lax");
  // Smuggled chips as a share of China's new AI compute, per year (lax line).
  const auto smuggled_share = over_seeds(scenario, lax, kSeeds, [](const lt::Match& m) {
    double smuggled = 0;
    double fresh = 0;
    for (const lt::RoundRecord& r : m.history()) {
      smuggled += r.flows.smuggled_h100e;
      fresh += r.flows.smuggled_h100e + r.flows.legal_h100e[kCN];
    }
    return smuggled / fresh;
  });
  CHECK(median(smuggled_share) >= 0.05);
  CHECK(median(smuggled_share) <= 0.25);
  // Offshore compute rented by CN labs: a few % to 20% of their compute.
  const auto offshore_share = over_seeds(scenario, lax, kSeeds, [](const lt::Match& m) {
    const lt::RoundRecord& r = m.history().back();
    return r.flows.offshore_h100e / r.outcomes.compute_h100e[kCN];
  });
  CHECK(median(offshore_share) >= 0.02);
  CHECK(median(offshore_share) <= 0.20);
  // CN domestic output in 2026, annualised from the two 2026 rounds.
  const auto domestic = over_seeds(scenario, lax, kSeeds, [](const lt::Match& m) {
    double out = 0;
    int rounds = 0;
    for (const lt::RoundRecord& r : m.history()) {
      if (r.quarter.year != 2026) continue;
      out += r.flows.cn_vendor_output_h100e;
      rounds += 1;
    }
    return out * 4 / rounds;
  });
  CHECK(median(domestic) >= 0.2e6);
  CHECK(median(domestic) <= 1.5e6);
  // No exposed smuggling case is worth more than a few $B, in either line.
  for (const char* name : {"tight", "lax"}) {
    const auto largest = over_seeds(scenario, line(name), kSeeds, [](const lt::Match& m) {
      double biggest = 0;
      for (const lt::RoundRecord& r : m.history()) biggest = std::max(biggest, r.flows.exposed_case_usd_b);
      return biggest;
    });
    CHECK(*std::max_element(largest.begin(), largest.end()) <= 5.0);
    CHECK(*std::max_element(largest.begin(), largest.end()) > 0.5);  // cases do happen, at a believable size
  }
}

TEST_CASE("channel sizes: EU sovereignty investment builds at most about 0.5M chips over the horizon") {
  // A EUR 20B programme for ~5 gigafactories of ~100k chips: compare the EU
  // lab's compute at the end with the baseline sovereignty investment and none.
  const auto scenario = lt::testing::without_event("euv_breakthrough");
  const auto eu_compute = [](const lt::Match& m) {
    return m.state().actors[static_cast<std::size_t>(m.state().find_actor("eu_lab"))].lab.compute_h100e;
  };
  const lt::OrderLine none =
      lt::testing::with_orders(line("tight"), "eu", {{"set_sovereignty_investment", {{"usd_b", 0.0}}}});
  const double with_programme = median(over_seeds(scenario, line("tight"), 50, eu_compute));
  const double without = median(over_seeds(scenario, none, 50, eu_compute));
  const double built = with_programme - without;
  CHECK(built > 0.1e6);
  CHECK(built <= 0.6e6);
}

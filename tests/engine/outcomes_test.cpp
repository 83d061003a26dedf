#include <doctest/doctest.h>

#include <cmath>

#include "engine/metrics.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

constexpr std::size_t kBlocUs = 0;
constexpr std::size_t kBlocCn = 1;
constexpr std::size_t kBlocEu = 2;
constexpr std::size_t kBlocSea = 3;

std::size_t pair(int i, int j) { return static_cast<std::size_t>(i * kActorCount + j); }

}  // namespace

TEST_CASE("outcomes: lead months = (best US - best CN) x months per OOM") {
  Scenario sc = make_scenario();
  State s = make_state();
  actor(s, kCnLab).lab.capability_oom = 25.25;
  compute_outcomes(s, sc);
  CHECK(s.outcomes.lead_months == doctest::Approx(9.0));  // 0.75 OOM x 12
  sc.coef.months_per_oom = 8;
  compute_outcomes(s, sc);
  CHECK(s.outcomes.lead_months == doctest::Approx(6.0));
  // The best lab of each bloc counts.
  s.actors.push_back(make_lab("cn_lab2", Bloc::CN, 1e5, 26.5, 0, 2));
  compute_outcomes(s, sc);
  CHECK(s.outcomes.lead_months == doctest::Approx(-4.0));  // (26 - 26.5) x 8
}

TEST_CASE("outcomes: pairwise leads between every two labs") {
  const Scenario sc = make_scenario();
  State s = make_state();
  compute_outcomes(s, sc);
  const auto& p = s.outcomes.pair_lead_months;
  REQUIRE(p.size() == static_cast<std::size_t>(kActorCount * kActorCount));
  CHECK(p[pair(kUsLab, kCnLab)] == doctest::Approx(12.0));
  CHECK(p[pair(kCnLab, kUsLab)] == doctest::Approx(-12.0));
  CHECK(p[pair(kUsLab, kEuLab)] == doctest::Approx(18.0));
  CHECK(p[pair(kCnLab, kEuLab)] == doctest::Approx(6.0));
  CHECK(p[pair(kEuLab, kEuLab)] == 0.0);
  // Rows and columns of non-labs are 0.
  CHECK(p[pair(kUs, kCnLab)] == 0.0);
  CHECK(p[pair(kUsLab, kCnVendor)] == 0.0);
}

TEST_CASE("outcomes: compute by bloc and the US:CN ratio") {
  const Scenario sc = make_scenario();
  State s = make_state();
  actor(s, kCnLab).lab.offshore_h100e = 1e5;  // CN: 1e5 installed + 1e5 offshore
  compute_outcomes(s, sc);
  CHECK(s.outcomes.compute_h100e[kBlocUs] == doctest::Approx(1e6));
  CHECK(s.outcomes.compute_h100e[kBlocCn] == doctest::Approx(2e5));
  CHECK(s.outcomes.compute_h100e[kBlocEu] == doctest::Approx(1e5));
  CHECK(s.outcomes.compute_h100e[kBlocSea] == doctest::Approx(1e5));  // the hubs
  CHECK(s.outcomes.compute_ratio_us_cn == doctest::Approx(5.0));
  // Best capability per bloc; 0 for a bloc without labs.
  CHECK(s.outcomes.best_capability_oom[kBlocUs] == 26.0);
  CHECK(s.outcomes.best_capability_oom[kBlocCn] == 25.0);
  CHECK(s.outcomes.best_capability_oom[kBlocEu] == 24.5);
  CHECK(s.outcomes.best_capability_oom[kBlocSea] == 0.0);
  actor(s, kCnLab).lab.compute_h100e = 0;
  actor(s, kCnLab).lab.offshore_h100e = 0;
  compute_outcomes(s, sc);
  CHECK(s.outcomes.compute_ratio_us_cn == 0.0);  // no CN compute: reported as 0, not infinity
}

TEST_CASE("outcomes: norm index = 0.5 clamp(lead/24) + 0.5 size-weighted (US - CN) share") {
  const Scenario sc = make_scenario();
  State s = make_state();
  compute_outcomes(s, sc);
  // Lead 12 months -> 0.5 x 0.5 = 0.25.
  // Balance: (40 x 0.7 + 30 x -0.8 + 20 x 0.4 + 10 x 0.2) / 100 = (28 - 24 + 8 + 2) / 100 = 0.14.
  CHECK(s.outcomes.norm_index == doctest::Approx(0.25 + 0.5 * 0.14));  // 0.32
  // The lead part saturates at two years.
  actor(s, kUsLab).lab.capability_oom = 30;  // 60 months
  compute_outcomes(s, sc);
  CHECK(s.outcomes.norm_index == doctest::Approx(0.5 + 0.07));
  actor(s, kCnLab).lab.capability_oom = 40;  // -120 months
  compute_outcomes(s, sc);
  CHECK(s.outcomes.norm_index == doctest::Approx(-0.5 + 0.07));
}

TEST_CASE("outcomes: shares, stack prices, open weights, thefts and surveillance exports") {
  Scenario sc = make_scenario();
  sc.coef.open_price_factor = 0.5;
  State s = make_state();
  actor(s, kCnLab).lab.open_weights_oom = 24.7;
  actor(s, kEuLab).lab.open_weights_oom = 24.2;
  s.thefts_total = 3;
  compute_outcomes(s, sc);
  CHECK(s.outcomes.shares[kMEu] == s.markets[kMEu].share);
  CHECK(s.outcomes.stack_price_usd_per_mtok[kSUs] == doctest::Approx(10.0));
  CHECK(s.outcomes.stack_price_usd_per_mtok[kSCn] == doctest::Approx(1.0));  // 2 x 0.5 (released)
  CHECK(s.outcomes.stack_price_usd_per_mtok[kSEu] == doctest::Approx(2.5));
  CHECK(s.outcomes.open_weights_oom == doctest::Approx(24.7));
  CHECK(s.outcomes.thefts_total == 3);
  CHECK(s.outcomes.surveillance_exports == doctest::Approx(0.3));  // CN share of ROW
}

TEST_CASE("outcomes: scores are the weighted sum of each actor's objectives") {
  Scenario sc = make_scenario();
  sc.objectives[kUs] = {{"lead_months", 1}, {"political_capital", 2}};
  sc.objectives[kCn] = {{"own_lead_months", 1}, {"own_row_share", 10}};
  sc.objectives[kEu] = {{"own_home_share", 10}, {"no_such_metric", 100}};
  sc.objectives[kUsLab] = {{"own_cash_usd_b", 0.5}, {"own_capability_oom", 1}};
  sc.objectives[kCnVendor] = {{"own_revenue_usd_b", 1}};
  State s = make_state();
  actor(s, kUs).gov.political_capital = -1.5;
  actor(s, kCnVendor).vendor.revenue_usd_b = 4;
  compute_outcomes(s, sc);
  const auto& score = s.outcomes.scores;
  REQUIRE(score.size() == static_cast<std::size_t>(kActorCount));
  CHECK(score[kUs] == doctest::Approx(12 + 2 * -1.5));     // 9
  CHECK(score[kCn] == doctest::Approx(-12 + 10 * 0.3));    // CN best 25 vs best other 26: -12; ROW share 0.3
  CHECK(score[kEu] == doctest::Approx(10 * 0.4));          // EU stack share of the EU market; unknown metric ignored
  CHECK(score[kUsLab] == doctest::Approx(0.5 * 10 + 26));  // 31
  CHECK(score[kCnVendor] == doctest::Approx(4.0));
  CHECK(score[kUsVendor] == 0.0);  // no objectives
}

TEST_CASE("outcomes: metrics read the state") {
  const Scenario sc = make_scenario();
  State s = make_state();
  compute_outcomes(s, sc);
  REQUIRE(find_metric("compute_ratio_log2"));
  CHECK(find_metric("compute_ratio_log2")->value(s, kUs) == doctest::Approx(std::log2(10.0)));
  // own_global_share for cn: (40 x 0.1 + 30 x 0.9 + 20 x 0.1 + 10 x 0.3) / 100 = 0.36.
  CHECK(find_metric("own_global_share")->value(s, kCn) == doctest::Approx(0.36));
  // eu_lab's bloc lead over the best other bloc (us_lab 26): (24.5 - 26) x 12 = -18.
  CHECK(find_metric("own_lead_months")->value(s, kEuLab) == doctest::Approx(-18.0));
  CHECK(find_metric("own_lead_months")->value(s, kUs) == doctest::Approx(12.0));
  CHECK(find_metric("nope") == nullptr);
}

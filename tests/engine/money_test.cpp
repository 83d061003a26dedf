#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

// Fixture markets ($B a quarter, shares US/CN/EU):
//   US 40 (0.8, 0.1, 0.1), CN 30 (0.1, 0.9, 0), EU 20 (0.5, 0.1, 0.4), ROW 10 (0.5, 0.3, 0.2)
// Stack revenue at margin 0.3:
//   US: 0.3 x (32 + 3 + 10 + 5) = 15;  CN: 0.3 x (4 + 27 + 2 + 3) = 10.8;  EU: 0.3 x (4 + 0 + 8 + 2) = 4.2

TEST_CASE("money: labs earn share x size x margin") {
  State s = make_state();
  actor(s, kUsLab).lab.revenue_usd_b = 99;  // last round's, replaced
  settle_money(s, make_coef());
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(15.0));
  CHECK(actor(s, kCnLab).lab.revenue_usd_b == doctest::Approx(10.8));
  CHECK(actor(s, kEuLab).lab.revenue_usd_b == doctest::Approx(4.2));
  CHECK(actor(s, kUsLab).cash_usd_b == doctest::Approx(25.0));  // 10 + 15
  CHECK(actor(s, kCnLab).cash_usd_b == doctest::Approx(14.8));
  CHECK(actor(s, kEuLab).cash_usd_b == doctest::Approx(6.2));
}

TEST_CASE("money: a stack's revenue is split among its labs by compute (installed + offshore)") {
  State s = make_state();
  s.actors.push_back(make_lab("us_lab2", Bloc::US, 2e6, 25, 0, 10));
  actor(s, kUsLab).lab.offshore_h100e = 1e6;  // us_lab 2e6 of 4e6
  settle_money(s, make_coef());
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(7.5));
  CHECK(s.actors.back().lab.revenue_usd_b == doctest::Approx(7.5));
  // A bloc whose labs have no compute splits evenly.
  State t = make_state();
  t.actors.push_back(make_lab("cn_lab2", Bloc::CN, 0, 25, 0, 2));
  actor(t, kCnLab).lab.compute_h100e = 0;
  settle_money(t, make_coef());
  CHECK(actor(t, kCnLab).lab.revenue_usd_b == doctest::Approx(5.4));
  CHECK(t.actors.back().lab.revenue_usd_b == doctest::Approx(5.4));
}

TEST_CASE("money: the margin scales lab revenue") {
  Coefficients coef = make_coef();
  coef.lab_margin = 0.1;
  State s = make_state();
  settle_money(s, coef);
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(5.0));
  CHECK(actor(s, kCnLab).lab.revenue_usd_b == doctest::Approx(3.6));
}

TEST_CASE("money: subsidies go to the government's own labs as cash, not revenue") {
  State s = make_state();
  s.actors.push_back(make_lab("us_lab2", Bloc::US, 3e6, 25, 0, 10));
  actor(s, kUs).spent.lab_subsidy = 2;
  settle_money(s, make_coef());
  // us_lab: 15 x 1/4 = 3.75 revenue + 2 x 1/4 = 0.5 subsidy; us_lab2: 11.25 + 1.5.
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(3.75));
  CHECK(actor(s, kUsLab).cash_usd_b == doctest::Approx(10 + 3.75 + 0.5));
  CHECK(s.actors.back().lab.revenue_usd_b == doctest::Approx(11.25));
  CHECK(s.actors.back().cash_usd_b == doctest::Approx(11.25 + 1.5));
  // Other blocs' labs get none of it.
  CHECK(actor(s, kCnLab).cash_usd_b == doctest::Approx(14.8));
  // The subsidy was paid in pay_budgets: settling does not charge the government again.
  CHECK(actor(s, kUs).cash_usd_b == doctest::Approx(20.0));
}

TEST_CASE("money: vendors bank their sales and safety spending accumulates") {
  State s = make_state();
  actor(s, kUsVendor).vendor.revenue_usd_b = 5;
  actor(s, kUsVendor).vendor.cum_revenue_usd_b = 7;
  actor(s, kUsLab).spent.safety = 0.5;
  actor(s, kUsLab).lab.cum_safety_usd_b = 1;
  settle_money(s, make_coef());
  CHECK(actor(s, kUsVendor).cash_usd_b == doctest::Approx(15.0));
  CHECK(actor(s, kUsVendor).vendor.cum_revenue_usd_b == doctest::Approx(12.0));
  CHECK(actor(s, kCnVendor).cash_usd_b == doctest::Approx(2.0));
  CHECK(actor(s, kUsLab).lab.cum_safety_usd_b == doctest::Approx(1.5));
}

TEST_CASE("money: markets grow after paying this quarter's revenue") {
  State s = make_state();
  s.markets[kMUs].growth = 0.1;
  s.markets[kMRow].growth = 0.25;
  settle_money(s, make_coef());
  CHECK(s.markets[kMUs].size_usd_b == doctest::Approx(44.0));
  CHECK(s.markets[kMRow].size_usd_b == doctest::Approx(12.5));
  CHECK(s.markets[kMCn].size_usd_b == doctest::Approx(30.0));
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(15.0));  // at this quarter's sizes
  settle_money(s, make_coef());
  // Next quarter: US market 44 x 0.8 x 0.3 = 10.56 (was 9.6), ROW 12.5 x 0.5 x 0.3 = 1.875 (was 1.5).
  CHECK(actor(s, kUsLab).lab.revenue_usd_b == doctest::Approx(15.0 + 0.96 + 0.375));
}

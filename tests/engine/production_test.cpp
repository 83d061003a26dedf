#include <doctest/doctest.h>

#include <cmath>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// China's fab coefficients used below: base 5%, +10% per e-fold of
// cumulative investment over $50B.
Coefficients cn_coef() {
  Coefficients c = make_coef();
  c.cn_base_growth = 0.05;
  c.cn_invest_growth = 0.1;
  c.cn_invest_scale_usd_b = 50;
  c.tool_alignment_drag = 0.03;
  c.euv_growth_bonus = 0.02;
  return c;
}

// cum 40 already invested + 10 this round = 50 -> ln(1 + 50/50) = ln 2.
State cn_state() {
  State s = make_state();
  actor(s, kCn).gov.cum_fab_investment_usd_b = 40;
  actor(s, kCn).spent.fab_investment = 10;
  return s;
}

}  // namespace

TEST_CASE("production: installed compute and SEA hubs depreciate") {
  State s = make_state();
  produce_chips(s, make_coef());  // 10% a quarter
  CHECK(actor(s, kUsLab).lab.compute_h100e == doctest::Approx(900000));
  CHECK(actor(s, kCnLab).lab.compute_h100e == doctest::Approx(90000));
  CHECK(actor(s, kEuLab).lab.compute_h100e == doctest::Approx(90000));
  CHECK(s.hubs.compute_h100e == doctest::Approx(90000));
}

TEST_CASE("production: output is this quarter's capacity, then capacity grows") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.capacity_invest_growth = 0.2;
  coef.capacity_invest_half_usd_b = 10;
  actor(s, kUsVendor).vendor.capacity_growth = 0.1;
  actor(s, kUsVendor).spent.capacity_investment = 10;
  produce_chips(s, coef);
  const VendorState& v = actor(s, kUsVendor).vendor;
  CHECK(v.output_h100e == doctest::Approx(1e6));
  // growth = 0.1 own + 0.2 x 10/(10 + 10) = 0.2 -> 1.2e6 next quarter.
  CHECK(v.capacity_h100e == doctest::Approx(1.2e6));
  CHECK(s.flows.us_vendor_output_h100e == doctest::Approx(1e6));
  CHECK(s.flows.cn_vendor_output_h100e == doctest::Approx(1e5));
  // With every growth coefficient 0 the Chinese vendor stands still.
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(1e5));
  // A second quarter produces the grown capacity.
  produce_chips(s, coef);
  CHECK(actor(s, kUsVendor).vendor.output_h100e == doctest::Approx(1.2e6));
}

TEST_CASE("production: CN growth rises with cumulative fab investment") {
  State s = cn_state();
  const Coefficients coef = cn_coef();
  produce_chips(s, coef);
  CHECK(actor(s, kCn).gov.cum_fab_investment_usd_b == doctest::Approx(50));
  const double growth = 0.05 + 0.1 * std::log(2.0);  // = 0.119315
  CHECK(actor(s, kCnVendor).vendor.output_h100e == doctest::Approx(1e5));
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(1e5 * (1 + growth)));
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(111931.47));
  // The US vendor gets none of China's fab growth.
  CHECK(actor(s, kUsVendor).vendor.capacity_h100e == doctest::Approx(1e6));

  // More cumulative investment, more growth (diminishing returns: ln(1 + 150/50) = ln 4).
  State rich = cn_state();
  actor(rich, kCn).gov.cum_fab_investment_usd_b = 140;
  produce_chips(rich, coef);
  CHECK(actor(rich, kCnVendor).vendor.capacity_h100e == doctest::Approx(1e5 * (1 + 0.05 + 0.1 * std::log(4.0))));
  CHECK(actor(rich, kCnVendor).vendor.capacity_h100e > actor(s, kCnVendor).vendor.capacity_h100e);
}

TEST_CASE("production: EU tool alignment lowers CN growth") {
  State s = cn_state();
  actor(s, kEu).policy.tool_alignment = true;
  produce_chips(s, cn_coef());
  // 0.05 + 0.1 ln 2 - 0.03 drag = 0.089315.
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(1e5 * (1 + 0.05 + 0.1 * std::log(2.0) - 0.03)));
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(108931.47));
  // Alignment touches only the Chinese vendor.
  CHECK(actor(s, kUsVendor).vendor.capacity_h100e == doctest::Approx(1e6));
}

TEST_CASE("production: EU tool alignment never raises CN output over several quarters") {
  const Coefficients coef = cn_coef();
  State open = cn_state();
  State aligned = cn_state();
  actor(aligned, kEu).policy.tool_alignment = true;
  for (int q = 0; q < 6; ++q) {
    produce_chips(open, coef);
    produce_chips(aligned, coef);
    CHECK(actor(aligned, kCnVendor).vendor.output_h100e <= actor(open, kCnVendor).vendor.output_h100e);
  }
  CHECK(actor(aligned, kCnVendor).vendor.output_h100e < actor(open, kCnVendor).vendor.output_h100e);
}

TEST_CASE("production: the EUV multiplier adds growth above 1") {
  State s = cn_state();
  actor(s, kCnVendor).vendor.euv_multiplier = 3;
  produce_chips(s, cn_coef());
  // + 0.02 x (3 - 1) = 0.04 -> growth 0.159315.
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(1e5 * (1 + 0.05 + 0.1 * std::log(2.0) + 0.04)));
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(115931.47));
  // A multiplier at or below 1 adds nothing.
  State flat = cn_state();
  actor(flat, kCnVendor).vendor.euv_multiplier = 0.5;
  produce_chips(flat, cn_coef());
  CHECK(actor(flat, kCnVendor).vendor.capacity_h100e == doctest::Approx(111931.47));
}

TEST_CASE("production: capacity never falls below zero") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.cn_base_growth = -0.5;
  actor(s, kCnVendor).vendor.capacity_growth = -1;
  produce_chips(s, coef);
  CHECK(actor(s, kCnVendor).vendor.output_h100e == doctest::Approx(1e5));
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == 0.0);
}

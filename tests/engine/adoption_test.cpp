#include <doctest/doctest.h>

#include <cmath>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

// Worked example, ROW market, defaults a=3 (capability), b=1 (price),
// c=0.5 (promotion), d=2 (network), inertia 0.25:
//   US: 3 x (26 - 26)   - ln 10 + 2 x 0.5 = -1.302585
//   CN: 3 x (25 - 26)   - ln 2  + 2 x 0.3 = -3.093147
//   EU: 3 x (24.5 - 26) - ln 5  + 2 x 0.2 = -5.709438
//   softmax = (0.848133, 0.141525, 0.010342)
//   new = 0.75 x (0.5, 0.3, 0.2) + 0.25 x softmax = (0.587033, 0.260381, 0.152585)

TEST_CASE("adoption: three stacks move by inertia toward the softmax of attractiveness") {
  State s = make_state();
  adopt_stacks(s, make_coef());
  const auto& row = s.markets[kMRow].share;
  CHECK(row[kSUs] == doctest::Approx(0.5870333));
  CHECK(row[kSCn] == doctest::Approx(0.2603812));
  CHECK(row[kSEu] == doctest::Approx(0.1525854));
  // US market, same offers, last shares (0.8, 0.1, 0.1).
  const auto& us = s.markets[kMUs].share;
  CHECK(us[kSUs] == doctest::Approx(0.8343313));
  CHECK(us[kSCn] == doctest::Approx(0.0893848));
  CHECK(us[kSEu] == doctest::Approx(0.0762839));
}

TEST_CASE("adoption: inertia 1 jumps to the softmax, inertia 0 holds the shares") {
  Coefficients coef = make_coef();
  coef.adopt_inertia = 1;
  State s = make_state();
  adopt_stacks(s, coef);
  CHECK(s.markets[kMRow].share[kSUs] == doctest::Approx(0.8481334));
  CHECK(s.markets[kMRow].share[kSCn] == doctest::Approx(0.1415249));
  CHECK(s.markets[kMRow].share[kSEu] == doctest::Approx(0.0103417));

  coef.adopt_inertia = 0;
  State still = make_state();
  adopt_stacks(still, coef);
  for (std::size_t m = 0; m < kMarketCount; ++m) CHECK(still.markets[m].share == make_state().markets[m].share);
}

TEST_CASE("adoption: a two-stack market") {
  State s = make_state();
  s.actors.pop_back();  // no EU lab: the EU stack is not on offer
  adopt_stacks(s, make_coef());
  // US -1.302585, CN -3.093147 -> softmax (0.856996, 0.143004);
  // EU's 0.2 decays by the inertia to 0.15.
  const auto& row = s.markets[kMRow].share;
  CHECK(row[kSUs] == doctest::Approx(0.75 * 0.5 + 0.25 * 0.856996));  // 0.589249
  CHECK(row[kSCn] == doctest::Approx(0.75 * 0.3 + 0.25 * 0.143004));  // 0.260751
  CHECK(row[kSEu] == doctest::Approx(0.15));
}

TEST_CASE("adoption: shares always sum to 1") {
  State s = make_state();
  Coefficients coef = make_coef();
  actor(s, kUs).spent.export_promotion = {1, 2, 3, 4};
  actor(s, kCn).spent.export_promotion = {0, 5, 0, 8};
  actor(s, kEu).spent.sovereignty = 10;
  actor(s, kEu).policy.regulation = 0.7;
  coef.local_preference[kMCn] = {-2, 1, 0};
  for (int round = 0; round < 20; ++round) {
    actor(s, kCnLab).lab.capability_oom += 0.1;
    adopt_stacks(s, coef);
    for (const Market& m : s.markets) {
      CHECK(m.share[0] + m.share[1] + m.share[2] == doctest::Approx(1.0));
      for (double share : m.share) CHECK(share >= 0.0);
    }
  }
}

TEST_CASE("adoption: promotion raises the promoter's share and never lowers it") {
  auto us_row_share = [](double promotion) {
    State s = make_state();
    actor(s, kUs).spent.export_promotion[kMRow] = promotion;
    adopt_stacks(s, make_coef());
    return s.markets[kMRow].share[kSUs];
  };
  // $3B: + 0.5 x ln(1 + 3) = 0.693147 for the US stack -> 0.604457.
  CHECK(us_row_share(3) == doctest::Approx(0.6044568));
  double last = 0;
  for (double promotion : {0.0, 0.5, 1.0, 3.0, 10.0, 20.0}) {
    const double share = us_row_share(promotion);
    CHECK(share >= last);
    last = share;
  }
  // Promotion in ROW does not move other markets.
  State s = make_state();
  actor(s, kUs).spent.export_promotion[kMRow] = 10;
  State base = make_state();
  adopt_stacks(s, make_coef());
  adopt_stacks(base, make_coef());
  CHECK(s.markets[kMEu].share == base.markets[kMEu].share);
  // Chinese export subsidies work the same way for the CN stack.
  State cn = make_state();
  actor(cn, kCn).spent.export_promotion[kMRow] = 10;
  adopt_stacks(cn, make_coef());
  CHECK(cn.markets[kMRow].share[kSCn] > base.markets[kMRow].share[kSCn]);
}

TEST_CASE("adoption: sovereignty money raises the EU stack's share of the EU market") {
  State base = make_state();
  adopt_stacks(base, make_coef());
  // EU market without sovereignty: (0.596230, 0.099745, 0.304024).
  CHECK(base.markets[kMEu].share[kSEu] == doctest::Approx(0.3040243));
  State s = make_state();
  actor(s, kEu).spent.sovereignty = 5;
  adopt_stacks(s, make_coef());
  // cum 5 -> + 0.5 x ln(1 + 5/5) = 0.346574 for the EU stack in the EU market only.
  CHECK(actor(s, kEu).gov.cum_sovereignty_usd_b == doctest::Approx(5.0));
  CHECK(s.markets[kMEu].share[kSEu] == doctest::Approx(0.3056535));
  CHECK(s.markets[kMEu].share[kSEu] > base.markets[kMEu].share[kSEu]);
  CHECK(s.markets[kMRow].share == base.markets[kMRow].share);
  // More sovereignty never lowers the EU share of the EU market.
  double last = 0;
  for (double money : {0.0, 1.0, 5.0, 20.0, 50.0}) {
    State t = make_state();
    actor(t, kEu).spent.sovereignty = money;
    adopt_stacks(t, make_coef());
    CHECK(t.markets[kMEu].share[kSEu] >= last);
    last = t.markets[kMEu].share[kSEu];
  }
}

TEST_CASE("adoption: EU regulation weighs on foreign stacks in the EU market") {
  State s = make_state();
  actor(s, kEu).policy.regulation = 0.5;  // -1 x 0.5 for US and CN in the EU market
  adopt_stacks(s, make_coef());
  CHECK(s.markets[kMEu].share[kSUs] == doctest::Approx(0.5939439));
  CHECK(s.markets[kMEu].share[kSCn] == doctest::Approx(0.0994897));
  CHECK(s.markets[kMEu].share[kSEu] == doctest::Approx(0.3065664));
}

TEST_CASE("adoption: a better model and a lower price attract") {
  State base = make_state();
  adopt_stacks(base, make_coef());
  State better = make_state();
  actor(better, kCnLab).lab.capability_oom = 25.5;
  adopt_stacks(better, make_coef());
  CHECK(better.markets[kMRow].share[kSCn] > base.markets[kMRow].share[kSCn]);
  State cheaper = make_state();
  actor(cheaper, kCnLab).policy.model_price_usd_per_mtok = 1;
  adopt_stacks(cheaper, make_coef());
  CHECK(cheaper.markets[kMRow].share[kSCn] > base.markets[kMRow].share[kSCn]);
}

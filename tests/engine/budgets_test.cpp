#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

TEST_CASE("budgets: income arrives and standing spending is paid") {
  State s = make_state();
  Coefficients coef = make_coef();
  Actor& us = actor(s, kUs);
  us.cash_usd_b = 0;
  us.policy.enforcement_usd_b = 4;
  us.policy.intelligence_usd_b = 1;
  us.policy.export_promotion_usd_b = {0, 0, 0.5, 1.5};
  pay_budgets(s, coef);
  // cash 0 + budget 10 - (4 + 1 + 0.5 + 1.5) = 3.
  CHECK(us.cash_usd_b == doctest::Approx(3.0));
  CHECK(us.spent.enforcement == doctest::Approx(4.0));
  CHECK(us.spent.intelligence == doctest::Approx(1.0));
  CHECK(us.spent.export_promotion[kMRow] == doctest::Approx(1.5));
  CHECK(us.spent.export_promotion[kMEu] == doctest::Approx(0.5));
  CHECK(us.spent.scale == 1.0);
  CHECK(us.spent.chips == 0.0);  // governments buy no chips
  // Governments with no spending just bank their budget: eu 10 + 5.
  CHECK(actor(s, kEu).cash_usd_b == doctest::Approx(15.0));
  // Vendors have no income here (they earn sales in settle_money).
  CHECK(actor(s, kCnVendor).cash_usd_b == doctest::Approx(2.0));
  CHECK(s.events.empty());
}

TEST_CASE("budgets: lab funding arrives and grows, chip money is a share of the cash left") {
  State s = make_state();
  Coefficients coef = make_coef();
  Actor& lab = actor(s, kUsLab);
  lab.cash_usd_b = 10;
  lab.lab.funding_usd_b = 2;
  lab.lab.funding_growth = 0.5;
  lab.policy.api_defence_usd_b = 1;
  lab.policy.weight_security_usd_b = 0.5;
  lab.policy.safety_usd_b = 0.5;
  lab.policy.chip_spend_share = 0.25;
  pay_budgets(s, coef);
  // 10 + 2 funding - (1 + 0.5 + 0.5) = 10 left; chips 25% of that = 2.5; 7.5 stays in cash.
  CHECK(lab.spent.api_defence == doctest::Approx(1.0));
  CHECK(lab.spent.chips == doctest::Approx(2.5));
  CHECK(lab.cash_usd_b == doctest::Approx(7.5));
  CHECK(lab.lab.funding_usd_b == doctest::Approx(3.0));  // 2 x 1.5 for next quarter
  // Default share 0.5 for the other labs: cn_lab 4 -> chips 2, cash 2.
  CHECK(actor(s, kCnLab).spent.chips == doctest::Approx(2.0));
  CHECK(actor(s, kCnLab).cash_usd_b == doctest::Approx(2.0));
}

TEST_CASE("budgets: distillation and cyber cost money only with a target") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.distill_cost_usd_b = 0.5;
  actor(s, kCnLab).policy.distill_intensity = 0.8;  // no target yet
  actor(s, kCn).policy.cyber_usd_b = 2;             // no target yet
  pay_budgets(s, coef);
  CHECK(actor(s, kCnLab).spent.distillation == 0.0);
  CHECK(actor(s, kCn).spent.cyber == 0.0);

  State t = make_state();
  actor(t, kCnLab).policy.distill_target = kUsLab;
  actor(t, kCnLab).policy.distill_intensity = 0.8;
  actor(t, kCn).policy.cyber_target = kUsLab;
  actor(t, kCn).policy.cyber_usd_b = 2;
  pay_budgets(t, coef);
  // 0.8 intensity x $0.5B for a full campaign = 0.4.
  CHECK(actor(t, kCnLab).spent.distillation == doctest::Approx(0.4));
  // cn_lab 4 - 0.4 = 3.6; chips half = 1.8.
  CHECK(actor(t, kCnLab).spent.chips == doctest::Approx(1.8));
  CHECK(actor(t, kCn).spent.cyber == doctest::Approx(2.0));
  CHECK(actor(t, kCn).cash_usd_b == doctest::Approx(28.0));  // 20 + 10 - 2
}

TEST_CASE("budgets: an actor short of money is scaled pro rata and told privately") {
  State s = make_state();
  Coefficients coef = make_coef();
  Actor& cn = actor(s, kCn);
  cn.cash_usd_b = 0;
  cn.policy.fab_investment_usd_b = 15;
  cn.policy.smuggling_usd_b = 4;
  cn.policy.offshore_rental_usd_b = 1;
  pay_budgets(s, coef);
  // Wanted 20, had 0 + 10: everything paid at 10/20 = 50%.
  CHECK(cn.spent.scale == doctest::Approx(0.5));
  CHECK(cn.spent.fab_investment == doctest::Approx(7.5));
  CHECK(cn.spent.smuggling == doctest::Approx(2.0));
  CHECK(cn.spent.offshore_rental == doctest::Approx(0.5));
  CHECK(cn.cash_usd_b == doctest::Approx(0.0));
  // The standing policy itself is not changed.
  CHECK(cn.policy.fab_investment_usd_b == 15.0);
  REQUIRE(s.events.size() == 1);
  const Event& e = s.events[0];
  CHECK(e.kind == "short_of_money");
  CHECK(e.visibility == Visibility::Private);
  CHECK(e.audience == std::vector<int>{kCn});
  CHECK(e.text == "cn was short of money: paid $10.0B of $20.0B of standing spending (50%)");
}

TEST_CASE("budgets: a lab short of money keeps nothing for chips") {
  State s = make_state();
  Coefficients coef = make_coef();
  Actor& lab = actor(s, kEuLab);  // cash 2
  lab.policy.api_defence_usd_b = 3;
  lab.policy.safety_usd_b = 1;
  pay_budgets(s, coef);
  // Wanted 4, had 2: scale 0.5 -> api 1.5, safety 0.5; no cash left, so no chip money.
  CHECK(lab.spent.scale == doctest::Approx(0.5));
  CHECK(lab.spent.api_defence == doctest::Approx(1.5));
  CHECK(lab.spent.safety == doctest::Approx(0.5));
  CHECK(lab.spent.chips == doctest::Approx(0.0));
  CHECK(lab.cash_usd_b == doctest::Approx(0.0));
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].audience == std::vector<int>{kEuLab});
}

TEST_CASE("budgets: negative cash pays nothing and never goes further down") {
  State s = make_state();
  Coefficients coef = make_coef();
  Actor& us = actor(s, kUs);
  us.cash_usd_b = -15;  // after the budget of 10: -5
  us.policy.enforcement_usd_b = 2;
  pay_budgets(s, coef);
  CHECK(us.spent.scale == 0.0);
  CHECK(us.spent.enforcement == 0.0);
  CHECK(us.cash_usd_b == doctest::Approx(-5.0));
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].text == "us was short of money: paid $0.0B of $2.0B of standing spending (0%)");
}

TEST_CASE("budgets: each short actor gets its own event in actor order") {
  State s = make_state();
  Coefficients coef = make_coef();
  actor(s, kUs).policy.enforcement_usd_b = 100;    // has 30
  actor(s, kEu).policy.sovereignty_usd_b = 100;    // has 15
  actor(s, kUsVendor).policy.lobbying_usd_b = 50;  // has 10
  pay_budgets(s, coef);
  REQUIRE(s.events.size() == 3);
  CHECK(s.events[0].audience == std::vector<int>{kUs});
  CHECK(s.events[1].audience == std::vector<int>{kEu});
  CHECK(s.events[2].audience == std::vector<int>{kUsVendor});
  CHECK(actor(s, kUs).spent.enforcement == doctest::Approx(30.0));
  CHECK(actor(s, kEu).spent.sovereignty == doctest::Approx(15.0));
  CHECK(actor(s, kUsVendor).spent.lobbying == doctest::Approx(10.0));
}

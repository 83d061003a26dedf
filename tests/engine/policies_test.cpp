#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

TEST_CASE("policies: orders set the standing policy of the actor who gave them") {
  State s = make_state();
  const Coefficients coef = make_coef();
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 0.0}}}),
                 make_order(s, kUs, {"set_enforcement", {{"usd_b", 5.0}}}),
                 make_order(s, kUs, {"set_cloud_kyc", {{"strength", 0.75}}}),
                 make_order(s, kUs, {"set_export_promotion", {{"market", text("ROW")}, {"usd_b", 2.0}}})};
  orders[kCn] = {make_order(s, kCn, {"set_foreign_chip_ban", {{"on", true}}}),
                 make_order(s, kCn, {"set_cyber_operations", {{"usd_b", 1.0}, {"target", text("us_lab")}}})};
  orders[kUsVendor] = {make_order(s, kUsVendor, {"set_allocation", {{"customer", text("eu_lab")}, {"priority", 4.0}}})};
  orders[kCnLab] = {make_order(s, kCnLab, {"set_distillation", {{"target", text("us_lab")}, {"intensity", 0.6}}}),
                    make_order(s, kCnLab, {"set_training_share", {{"share", 0.7}}})};
  apply_policies(s, coef, orders);

  const Policy& us = actor(s, kUs).policy;
  CHECK(us.export_tier[1] == 0);
  CHECK(us.export_tier[2] == 3);  // other destinations untouched
  CHECK(us.enforcement_usd_b == 5.0);
  CHECK(us.cloud_kyc == 0.75);
  CHECK(us.export_promotion_usd_b[kMRow] == 2.0);
  CHECK(us.export_promotion_usd_b[kMEu] == 0.0);
  const Policy& cn = actor(s, kCn).policy;
  CHECK(cn.foreign_chip_ban);
  CHECK(cn.cyber_usd_b == 1.0);
  CHECK(cn.cyber_target == kUsLab);
  REQUIRE(actor(s, kUsVendor).policy.allocation_priority.size() == kEuLab + 1);
  CHECK(actor(s, kUsVendor).policy.allocation_priority[kEuLab] == 4);
  CHECK(actor(s, kUsVendor).policy.allocation_priority[kCnLab] == 0);
  CHECK(actor(s, kCnLab).policy.distill_target == kUsLab);
  CHECK(actor(s, kCnLab).policy.distill_intensity == 0.6);
  CHECK(actor(s, kCnLab).policy.training_share == 0.7);
  // Nobody else's policy moved.
  CHECK(actor(s, kEu).policy.export_tier[1] == 3);
  CHECK(actor(s, kUsLab).policy.training_share == 0.5);
  // Tightening costs nothing.
  CHECK(actor(s, kUs).gov.political_capital == 0.0);
}

TEST_CASE("policies: later orders in a set override earlier ones") {
  State s = make_state();
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_enforcement", {{"usd_b", 5.0}}}),
                 make_order(s, kUs, {"set_enforcement", {{"usd_b", 2.0}}})};
  apply_policies(s, make_coef(), orders);
  CHECK(actor(s, kUs).policy.enforcement_usd_b == 2.0);
}

TEST_CASE("policies: standing policies persist when an actor sends no orders") {
  State s = make_state();
  const Coefficients coef = make_coef();
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 1.0}}}),
                 make_order(s, kUs, {"set_anti_distillation_law", {{"on", true}}})};
  orders[kEuLab] = {make_order(s, kEuLab, {"set_open_weights", {{"on", true}}})};
  apply_policies(s, coef, orders);
  const Policy us_after = actor(s, kUs).policy;
  const Policy eu_lab_after = actor(s, kEuLab).policy;
  for (int round = 0; round < 3; ++round) apply_policies(s, coef, no_orders(s));
  apply_policies(s, coef, {});  // an empty order table as well
  CHECK(actor(s, kUs).policy.export_tier == us_after.export_tier);
  CHECK(actor(s, kUs).policy.export_tier[1] == 1);
  CHECK(actor(s, kUs).policy.anti_distillation_law);
  CHECK(actor(s, kEuLab).policy.open_weights == eu_lab_after.open_weights);
  CHECK(actor(s, kEuLab).policy.open_weights);
  // Persisting an opened tier is not opening it again: no further cost.
  CHECK(actor(s, kUs).gov.political_capital == 0.0);
}

TEST_CASE("policies: loosening the export tier costs political capital") {
  Coefficients coef = make_coef();
  coef.political_cost_loosening = 1;
  coef.lobbying_half_usd_b = 0.5;
  auto loosen = [&](double lobbying_usd_b, int from, int to) {
    State s = make_state();
    actor(s, kUs).policy.export_tier[1] = from;
    actor(s, kUsVendor).spent.lobbying = lobbying_usd_b;  // paid last round
    RoundOrders orders = no_orders(s);
    orders[kUs] = {
        make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", static_cast<double>(to)}}})};
    apply_policies(s, coef, orders);
    CHECK(actor(s, kUs).policy.export_tier[1] == to);
    return actor(s, kUs).gov.political_capital;
  };
  // No lobbying: cost 1 per step; 0 -> 3 opens three steps.
  CHECK(loosen(0, 0, 3) == doctest::Approx(-3.0));
  CHECK(loosen(0, 0, 1) == doctest::Approx(-1.0));
  CHECK(loosen(0, 1, 2) == doctest::Approx(-1.0));
  // Lobbying softens by half / (half + lobbying): 0.5/(0.5+0.5) = 0.5 -> 3 x 0.5 = 1.5.
  CHECK(loosen(0.5, 0, 3) == doctest::Approx(-1.5));
  // 0.5/(0.5+1.5) = 0.25 -> 3 x 0.25 = 0.75.
  CHECK(loosen(1.5, 0, 3) == doctest::Approx(-0.75));
  // Tightening or standing still is free, with or without lobbying.
  CHECK(loosen(0, 3, 0) == 0.0);
  CHECK(loosen(0, 2, 2) == 0.0);
  // More lobbying never makes loosening dearer.
  double last = -1e9;
  for (double lobbying : {0.0, 0.1, 0.5, 1.0, 2.0, 5.0}) {
    const double capital = loosen(lobbying, 0, 2);
    CHECK(capital >= last);
    last = capital;
  }
}

TEST_CASE("policies: lobbying from every vendor adds up") {
  Coefficients coef = make_coef();
  coef.political_cost_loosening = 2;
  coef.lobbying_half_usd_b = 1;
  State s = make_state();
  actor(s, kUs).policy.export_tier[1] = 0;
  actor(s, kUsVendor).spent.lobbying = 0.5;
  actor(s, kCnVendor).spent.lobbying = 0.5;
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 2.0}}})};
  apply_policies(s, coef, orders);
  // 2 steps x cost 2 x 1/(1 + 0.5 + 0.5) = 2.
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(-2.0));
}

TEST_CASE("policies: more licensed firms counts as one step of loosening") {
  Coefficients coef = make_coef();
  coef.political_cost_loosening = 1;
  State s = make_state();
  actor(s, kUs).policy.export_tier[1] = 2;
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_export_licences", {{"firms", 10.0}}})};
  apply_policies(s, coef, orders);
  CHECK(actor(s, kUs).policy.licensed_firms == 10);
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(-1.0));
  // Fewer licences is free.
  orders[kUs] = {make_order(s, kUs, {"set_export_licences", {{"firms", 2.0}}})};
  apply_policies(s, coef, orders);
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(-1.0));
}

// Only lobbying actually paid softens the cost: a standing lobbying order of a
// vendor with no cash buys nothing.
TEST_CASE("policies: lobbying a vendor cannot pay does not soften the cost") {
  Coefficients coef = make_coef();
  coef.political_cost_loosening = 1;
  coef.lobbying_half_usd_b = 0.5;
  State s = make_state();
  actor(s, kUs).policy.export_tier[1] = 0;
  actor(s, kUsVendor).cash_usd_b = 0;  // broke: cannot pay any lobbying
  actor(s, kUsVendor).policy.lobbying_usd_b = 5;
  RoundOrders orders = no_orders(s);
  orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 3.0}}})};
  apply_policies(s, coef, orders);
  pay_budgets(s, coef);
  CHECK(actor(s, kUsVendor).spent.lobbying == 0.0);                     // nothing was paid ...
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(-3.0));  // ... so nothing should soften
}

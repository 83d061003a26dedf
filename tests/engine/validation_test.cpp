#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/hash.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// The single error of a one-draft submission.
OrderError only_error(const State& s, int actor_index, const OrderDraft& draft) {
  const ValidatedOrders v = validate_orders(s, actor_index, {draft});
  CHECK(v.orders.empty());
  REQUIRE(v.errors.size() == 1);
  CHECK(v.errors[0].index == 0);
  CHECK(v.errors[0].action == draft.action);
  return v.errors[0];
}

}  // namespace

TEST_CASE("validation: a valid order becomes the action index and numeric args") {
  const State s = make_state();
  const ValidatedOrders v = validate_orders(s, kUs, {{"set_export_tier", {{"target", text("CN")}, {"tier", 1.0}}}});
  CHECK(v.errors.empty());
  REQUIRE(v.orders.size() == 1);
  CHECK(v.orders[0].action == action_index("set_export_tier"));
  CHECK(v.orders[0].args == std::vector<double>{1.0 /* CN */, 1.0});
  // Argument order in the draft does not matter; the catalogue's order does.
  const Order swapped = make_order(s, kUs, {"set_export_tier", {{"tier", 1.0}, {"target", text("CN")}}});
  CHECK(swapped == v.orders[0]);
}

TEST_CASE("validation: unknown action") {
  const State s = make_state();
  const OrderError e = only_error(s, kUs, {"launch_rocket", {}});
  CHECK(e.param.empty());
  CHECK(e.message == "unknown action 'launch_rocket' (see 'help' for the catalogue)");
}

TEST_CASE("validation: action not allowed for the actor's kind or bloc") {
  const State s = make_state();
  // Wrong bloc: set_export_tier is a US government action.
  OrderError e = only_error(s, kCn, {"set_export_tier", {{"target", text("US")}, {"tier", 0.0}}});
  CHECK(e.message == "set_export_tier is not available to cn (a government of CN)");
  // Wrong kind: a lab cannot set export tiers.
  e = only_error(s, kUsLab, {"set_export_tier", {{"target", text("CN")}, {"tier", 0.0}}});
  CHECK(e.message == "set_export_tier is not available to us_lab (a lab of US)");
  // A vendor-only action for a government.
  e = only_error(s, kEu, {"set_chip_price", {{"usd_per_h100e", 20000.0}}});
  CHECK(e.message == "set_chip_price is not available to eu (a government of EU)");
  // A US-vendor-only action for the Chinese vendor.
  e = only_error(s, kCnVendor, {"set_compliant_chip", {{"on", true}}});
  CHECK(e.message == "set_compliant_chip is not available to cn_vendor (a vendor of CN)");
  // set_intelligence is open to every actor.
  for (int i = 0; i < kActorCount; ++i) make_order(s, i, {"set_intelligence", {{"usd_b", 1.0}}});
}

TEST_CASE("validation: missing parameter names it and its range") {
  const State s = make_state();
  const OrderError e = only_error(s, kUs, {"set_export_tier", {{"target", text("CN")}}});
  CHECK(e.param == "tier");
  CHECK(e.message == "set_export_tier: missing parameter 'tier', an integer from 0 to 3");
}

TEST_CASE("validation: out-of-range values name the parameter and the range") {
  const State s = make_state();
  OrderError e = only_error(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 5.0}}});
  CHECK(e.param == "tier");
  CHECK(e.message == "set_export_tier: parameter 'tier' is 5, allowed an integer from 0 to 3");
  e = only_error(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 1.5}}});
  CHECK(e.message == "set_export_tier: parameter 'tier' is 1.5, allowed an integer from 0 to 3");
  e = only_error(s, kUs, {"set_cloud_kyc", {{"strength", 1.5}}});
  CHECK(e.message == "set_cloud_kyc: parameter 'strength' is 1.5, allowed a number from 0 to 1");
  e = only_error(s, kUs, {"set_enforcement", {{"usd_b", -1.0}}});
  CHECK(e.message == "set_enforcement: parameter 'usd_b' is -1, allowed a number from 0 to 20");
  e = only_error(s, kUs, {"set_enforcement", {{"usd_b", text("lots")}}});
  CHECK(e.message == "set_enforcement: parameter 'usd_b' is 'lots', allowed a number from 0 to 20");
  e = only_error(s, kUs, {"set_anti_distillation_law", {{"on", 2.0}}});
  CHECK(e.message == "set_anti_distillation_law: parameter 'on' is 2, allowed true or false");
  e = only_error(s, kUs, {"set_export_promotion", {{"market", text("MARS")}, {"usd_b", 1.0}}});
  CHECK(e.message == "set_export_promotion: parameter 'market' is 'MARS', allowed one of US, CN, EU, ROW");
  e = only_error(s, kUs, {"set_export_tier", {{"target", text("ATLANTIS")}, {"tier", 0.0}}});
  CHECK(e.message == "set_export_tier: parameter 'target' is 'ATLANTIS', allowed one of US, CN, EU, SEA, ROW");
  // Range ends are inclusive.
  make_order(s, kUs, {"set_enforcement", {{"usd_b", 20.0}}});
  make_order(s, kUs, {"set_enforcement", {{"usd_b", 0.0}}});
}

TEST_CASE("validation: unknown parameter") {
  const State s = make_state();
  const OrderError e = only_error(s, kUs, {"set_enforcement", {{"usd_b", 1.0}, {"speed", 3.0}}});
  CHECK(e.param == "speed");
  CHECK(e.message == "set_enforcement: unknown parameter 'speed'");
}

TEST_CASE("validation: loose values convert (booleans, case-insensitive names)") {
  const State s = make_state();
  const int law = action_index("set_anti_distillation_law");
  CHECK(make_order(s, kUs, {"set_anti_distillation_law", {{"on", true}}}) == Order{law, {1}});
  CHECK(make_order(s, kUs, {"set_anti_distillation_law", {{"on", text("off")}}}) == Order{law, {0}});
  CHECK(make_order(s, kUs, {"set_anti_distillation_law", {{"on", text("on")}}}) == Order{law, {1}});
  CHECK(make_order(s, kUs, {"set_anti_distillation_law", {{"on", 1.0}}}) == Order{law, {1}});
  const Order promo = make_order(s, kUs, {"set_export_promotion", {{"market", text("row")}, {"usd_b", 2.0}}});
  CHECK(promo.args == std::vector<double>{3.0 /* ROW */, 2.0});
}

TEST_CASE("validation: a bloc may be given by a government's actor id") {
  State s = make_state();
  // "cn" upper-cases to the bloc name CN.
  CHECK(make_order(s, kUs, {"set_export_tier", {{"target", text("cn")}, {"tier", 0.0}}}).args[0] == 1.0);
  // An id that is not a bloc name resolves through the actor's bloc.
  actor(s, kCn).id = "beijing";
  CHECK(make_order(s, kUs, {"set_export_tier", {{"target", text("beijing")}, {"tier", 0.0}}}).args[0] == 1.0);
  // The US may not set a tier for itself, however it is named.
  const OrderError e = only_error(s, kUs, {"set_export_tier", {{"target", text("us")}, {"tier", 0.0}}});
  CHECK(e.message == "set_export_tier: target must be a foreign bloc, not US");
}

TEST_CASE("validation: actor parameters must name an actor of the right kind") {
  const State s = make_state();
  OrderError e = only_error(s, kCnLab, {"set_distillation", {{"target", text("us_vendor")}, {"intensity", 0.5}}});
  CHECK(e.param == "target");
  CHECK(e.message == "set_distillation: parameter 'target' is 'us_vendor', allowed one of us_lab, cn_lab, eu_lab");
  e = only_error(s, kCnLab, {"set_distillation", {{"target", text("nobody")}, {"intensity", 0.5}}});
  CHECK(e.message == "set_distillation: parameter 'target' is 'nobody', allowed one of us_lab, cn_lab, eu_lab");
  e = only_error(s, kCn, {"set_cyber_operations", {{"usd_b", 1.0}, {"target", text("us")}}});
  CHECK(e.message == "set_cyber_operations: parameter 'target' is 'us', allowed one of us_lab, cn_lab, eu_lab");
  // A number is not an actor.
  e = only_error(s, kCnLab, {"set_distillation", {{"target", 5.0}, {"intensity", 0.5}}});
  CHECK(e.message == "set_distillation: parameter 'target' is 5, allowed one of us_lab, cn_lab, eu_lab");
}

TEST_CASE("validation: distillation and cyber targets must be foreign labs") {
  const State s = make_state();
  OrderError e = only_error(s, kCnLab, {"set_distillation", {{"target", text("cn_lab")}, {"intensity", 0.5}}});
  CHECK(e.param.empty());
  CHECK(e.message == "set_distillation: target must be a lab of another bloc, 'cn_lab' is in your own bloc");
  e = only_error(s, kCn, {"set_cyber_operations", {{"usd_b", 1.0}, {"target", text("cn_lab")}}});
  CHECK(e.message == "set_cyber_operations: target must be a lab of another bloc, 'cn_lab' is in your own bloc");
  const Order ok = make_order(s, kCnLab, {"set_distillation", {{"target", text("us_lab")}, {"intensity", 0.5}}});
  CHECK(ok.args == std::vector<double>{static_cast<double>(kUsLab), 0.5});
}

TEST_CASE("validation: the valid orders of a set stand when others fail") {
  const State s = make_state();
  const ValidatedOrders v = validate_orders(s, kUs,
                                            {{"set_enforcement", {{"usd_b", 3.0}}},
                                             {"set_export_tier", {{"target", text("CN")}, {"tier", 9.0}}},
                                             {"set_cloud_kyc", {{"strength", 0.5}}},
                                             {"no_such_action", {}},
                                             {"set_export_licences", {{"firms", 10.0}}}});
  REQUIRE(v.orders.size() == 3);
  CHECK(v.orders[0] == Order{action_index("set_enforcement"), {3.0}});
  CHECK(v.orders[1] == Order{action_index("set_cloud_kyc"), {0.5}});
  CHECK(v.orders[2] == Order{action_index("set_export_licences"), {10.0}});
  REQUIRE(v.errors.size() == 2);
  CHECK(v.errors[0].index == 1);
  CHECK(v.errors[0].param == "tier");
  CHECK(v.errors[1].index == 3);
  CHECK(v.errors[1].action == "no_such_action");
}

TEST_CASE("validation: a seat that does not exist") {
  const State s = make_state();
  for (int bad : {-1, kActorCount, 100}) {
    const ValidatedOrders v = validate_orders(s, bad, {{"set_enforcement", {{"usd_b", 1.0}}}});
    CHECK(v.orders.empty());
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].message == "no such seat");
  }
}

TEST_CASE("validation: to_draft round-trips a validated order") {
  const State s = make_state();
  const std::vector<OrderDraft> drafts = {
      {"set_export_tier", {{"target", text("CN")}, {"tier", 2.0}}},
      {"set_export_promotion", {{"market", text("ROW")}, {"usd_b", 1.5}}},
      {"set_anti_distillation_law", {{"on", true}}},
  };
  for (const OrderDraft& d : drafts) {
    const Order o = make_order(s, kUs, d);
    CHECK(make_order(s, kUs, to_draft(s, o)) == o);
  }
  const Order distil = make_order(s, kCnLab, {"set_distillation", {{"target", text("us_lab")}, {"intensity", 0.25}}});
  CHECK(describe(s, distil) == "set_distillation target=us_lab intensity=0.25");
}

TEST_CASE("validation: validate_orders never changes the state") {
  State s = make_state();
  const std::uint64_t before = state_hash(s);
  const std::vector<OrderDraft> drafts = {
      {"set_export_tier", {{"target", text("CN")}, {"tier", 0.0}}},
      {"set_export_tier", {{"target", text("CN")}, {"tier", 7.0}}},
      {"set_enforcement", {{"usd_b", 5.0}}},
      {"set_distillation", {{"target", text("cn_lab")}, {"intensity", 1.0}}},
      {"nonsense", {}},
  };
  for (int i = 0; i < kActorCount; ++i) {
    const ValidatedOrders v = validate_orders(s, i, drafts);
    CHECK(v.orders.size() + v.errors.size() == drafts.size());
  }
  CHECK(state_hash(s) == before);
  // The policies did not move either (validation writes nothing into the standing settings).
  CHECK(actor(s, kUs).policy.export_tier[1] == 3);
  CHECK(actor(s, kUs).policy.enforcement_usd_b == 0);
}

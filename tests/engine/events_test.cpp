#include <doctest/doctest.h>

#include <algorithm>

#include "engine/events.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

ScenarioEvent event(std::string id, double probability, std::vector<Effect> effects,
                    std::vector<Condition> conditions = {}) {
  ScenarioEvent e;
  e.text = "event " + id;
  e.id = std::move(id);
  e.probability = probability;
  e.effects = std::move(effects);
  e.conditions = std::move(conditions);
  return e;
}

int fired(const State& s, const std::string& id) {
  return static_cast<int>(
      std::count_if(s.events.begin(), s.events.end(), [&](const Event& e) { return e.kind == id; }));
}

}  // namespace

TEST_CASE("events: effects add, multiply and set actor fields") {
  State s = make_state();
  apply_effect(s, {"us_lab", "capability_oom", EffectOp::Add, 0.5});
  apply_effect(s, {"cn_vendor", "euv_multiplier", EffectOp::Set, 2});
  apply_effect(s, {"cn_vendor", "capacity_h100e", EffectOp::Mul, 1.5});
  apply_effect(s, {"us", "budget_usd_b", EffectOp::Add, -4});
  apply_effect(s, {"cn", "cash_usd_b", EffectOp::Mul, 0.5});
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(26.5));
  CHECK(actor(s, kCnVendor).vendor.euv_multiplier == 2.0);
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(150000));
  CHECK(actor(s, kUs).gov.budget_usd_b == doctest::Approx(6.0));
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(10.0));
}

TEST_CASE("events: effects on markets and the SEA hubs") {
  State s = make_state();
  apply_effect(s, {"ROW", "size_usd_b", EffectOp::Mul, 2});
  apply_effect(s, {"EU", "growth", EffectOp::Set, 0.05});
  apply_effect(s, {"SEA", "compute_h100e", EffectOp::Add, 50000});
  apply_effect(s, {"SEA", "rent_usd_per_h100e", EffectOp::Set, 1500});
  CHECK(s.markets[kMRow].size_usd_b == doctest::Approx(20.0));
  CHECK(s.markets[kMEu].growth == doctest::Approx(0.05));
  CHECK(s.markets[kMUs].size_usd_b == doctest::Approx(40.0));
  CHECK(s.hubs.compute_h100e == doctest::Approx(150000));
  CHECK(s.hubs.rent_usd_per_h100e == doctest::Approx(1500));
}

TEST_CASE("events: an effect on a field the target lacks does nothing") {
  State s = make_state();
  const State before = s;
  apply_effect(s, {"us_lab", "budget_usd_b", EffectOp::Set, 99});  // a government field
  apply_effect(s, {"nobody", "cash_usd_b", EffectOp::Set, 99});
  apply_effect(s, {"SEA", "size_usd_b", EffectOp::Set, 99});
  CHECK(actor(s, kUsLab).gov.budget_usd_b == 0.0);
  CHECK(s.hubs.compute_h100e == before.hubs.compute_h100e);
}

TEST_CASE("events: conditions compare named fields") {
  State s = make_state();  // us_lab capability 26
  CHECK(condition_holds(s, {"us_lab", "capability_oom", CompareOp::GreaterEqual, 26}));
  CHECK_FALSE(condition_holds(s, {"us_lab", "capability_oom", CompareOp::Greater, 26}));
  CHECK(condition_holds(s, {"us_lab", "capability_oom", CompareOp::LessEqual, 26}));
  CHECK_FALSE(condition_holds(s, {"us_lab", "capability_oom", CompareOp::Less, 26}));
  CHECK(condition_holds(s, {"ROW", "size_usd_b", CompareOp::Less, 11}));
  CHECK(condition_holds(s, {"SEA", "compute_h100e", CompareOp::Greater, 99999}));
  // An unknown target or field never holds.
  CHECK_FALSE(condition_holds(s, {"mars", "cash_usd_b", CompareOp::GreaterEqual, -1e300}));
  CHECK_FALSE(condition_holds(s, {"us", "capability_oom", CompareOp::GreaterEqual, -1e300}));
}

TEST_CASE("events: a scenario event fires only when all its conditions hold") {
  Scenario sc = make_scenario();
  sc.events = {event("boom", 1, {{"ROW", "size_usd_b", EffectOp::Add, 5}},
                     {{"us_lab", "capability_oom", CompareOp::GreaterEqual, 26},
                      {"cn_lab", "capability_oom", CompareOp::GreaterEqual, 25.5}})};
  State s = make_state();
  fire_events(s, sc, {});
  CHECK(fired(s, "boom") == 0);
  CHECK(s.markets[kMRow].size_usd_b == 10.0);
  actor(s, kCnLab).lab.capability_oom = 25.5;
  fire_events(s, sc, {});
  CHECK(fired(s, "boom") == 1);
  CHECK(s.markets[kMRow].size_usd_b == doctest::Approx(15.0));
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].text == "event boom");
  CHECK(s.events[0].visibility == Visibility::Public);
}

TEST_CASE("events: a once-only event fires once, a repeating one every round") {
  Scenario sc = make_scenario();
  sc.events = {event("once", 1, {{"us", "cash_usd_b", EffectOp::Add, 1}}),
               event("again", 1, {{"cn", "cash_usd_b", EffectOp::Add, 1}})};
  sc.events[1].once = false;
  State s = make_state();
  for (int round = 0; round < 5; ++round) {
    s.round = round;
    fire_events(s, sc, {});
  }
  CHECK(actor(s, kUs).cash_usd_b == doctest::Approx(21.0));
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(25.0));
  CHECK(s.fired_once == std::vector<std::string>{"once"});
}

TEST_CASE("events: fired_once stays sorted and without duplicates") {
  Scenario sc = make_scenario();
  sc.events = {event("zeta", 1, {}), event("alpha", 1, {}), event("mu", 1, {})};
  State s = make_state();
  fire_events(s, sc, {});
  fire_events(s, sc, {{"alpha", {}}});  // an inject of a fired event fires it, but records it once
  CHECK(s.fired_once == std::vector<std::string>{"alpha", "mu", "zeta"});
}

TEST_CASE("events: probability 0 never fires, 1 always fires") {
  Scenario sc = make_scenario();
  sc.events = {event("never", 0, {}), event("always", 1, {})};
  sc.events[0].once = false;
  sc.events[1].once = false;
  State s = make_state();
  int never = 0;
  int always = 0;
  for (int round = 0; round < 200; ++round) {
    s.events.clear();
    fire_events(s, sc, {});
    never += fired(s, "never");
    always += fired(s, "always");
  }
  CHECK(never == 0);
  CHECK(always == 200);
}

TEST_CASE("events: a probability fires at about that rate") {
  Scenario sc = make_scenario();
  sc.events = {event("coin", 0.3, {})};
  sc.events[0].once = false;
  State s = make_state();
  int hits = 0;
  for (int round = 0; round < 5000; ++round) {
    s.events.clear();
    fire_events(s, sc, {});
    hits += fired(s, "coin");
  }
  CHECK(hits / 5000.0 == doctest::Approx(0.3).epsilon(0.07));
}

TEST_CASE("events: the round window is inclusive") {
  Scenario sc = make_scenario();
  sc.events = {event("window", 1, {})};
  sc.events[0].once = false;
  sc.events[0].first_round = 2;
  sc.events[0].last_round = 3;
  State s = make_state();
  std::vector<int> rounds;
  for (int round = 0; round < 6; ++round) {
    s.round = round;
    s.events.clear();
    fire_events(s, sc, {});
    if (fired(s, "window") > 0) rounds.push_back(round);
  }
  CHECK(rounds == std::vector<int>{2, 3});
}

TEST_CASE("events: scenario events fire in table order, then injects in order") {
  Scenario sc = make_scenario();
  sc.events = {
      event("first", 1, {{"us", "cash_usd_b", EffectOp::Set, 1}}),
      event("second", 1, {{"us", "cash_usd_b", EffectOp::Mul, 10}}),
      event("table_only", 0, {{"us", "cash_usd_b", EffectOp::Add, 3}}, {{"us", "cash_usd_b", CompareOp::Less, -1}})};
  Inject custom;
  custom.custom = event("custom", 0, {{"us", "cash_usd_b", EffectOp::Add, 0.5}});
  custom.custom.visibility = Visibility::Private;
  custom.custom.audience = {"cn", "eu", "ghost"};
  State s = make_state();
  // Injects ignore probability and conditions: table_only (p 0, false condition) fires by id.
  fire_events(s, sc, {{"table_only", {}}, custom});
  // ((1 x 10) + 3) + 0.5 = 13.5.
  CHECK(actor(s, kUs).cash_usd_b == doctest::Approx(13.5));
  REQUIRE(s.events.size() == 4);
  CHECK(s.events[0].kind == "first");
  CHECK(s.events[1].kind == "second");
  CHECK(s.events[2].kind == "table_only");
  CHECK(s.events[3].kind == "custom");
  CHECK(s.events[3].visibility == Visibility::Private);
  CHECK(s.events[3].audience == std::vector<int>{kCn, kEu});  // unknown ids dropped
}

TEST_CASE("events: an inject naming no scenario event does nothing") {
  Scenario sc = make_scenario();
  State s = make_state();
  fire_events(s, sc, {{"no_such_event", {}}});
  CHECK(s.events.empty());
  CHECK(s.fired_once.empty());
}

TEST_CASE("events: check_event names unknown targets, fields and audiences") {
  const State s = make_state();
  CHECK(check_target_field(s, "us_lab", "capability_oom").empty());
  CHECK(check_target_field(s, "ROW", "size_usd_b").empty());
  CHECK(check_target_field(s, "SEA", "rent_usd_per_h100e").empty());
  CHECK(check_target_field(s, "mars", "cash_usd_b") ==
        "unknown target 'mars' (an actor id, a market US/CN/EU/ROW, or SEA)");
  CHECK(check_target_field(s, "us_lab", "speed") == "'us_lab' has no field 'speed'");
  CHECK(check_target_field(s, "us_lab", "budget_usd_b") == "'us_lab' has no field 'budget_usd_b'");
  CHECK(check_target_field(s, "ROW", "capability_oom") == "'ROW' has no field 'capability_oom'");
  CHECK(check_target_field(s, "SEA", "size_usd_b") == "'SEA' has no field 'size_usd_b'");

  ScenarioEvent good = event("good", 0.5, {{"cn_vendor", "euv_multiplier", EffectOp::Set, 2}},
                             {{"cn", "cum_fab_investment_usd_b", CompareOp::Greater, 10}});
  good.audience = {"us"};
  CHECK(check_event(s, good).empty());

  ScenarioEvent bad_effect = good;
  bad_effect.effects.push_back({"atlantis", "cash_usd_b", EffectOp::Add, 1});
  CHECK(check_event(s, bad_effect) == "unknown target 'atlantis' (an actor id, a market US/CN/EU/ROW, or SEA)");

  ScenarioEvent bad_field = good;
  bad_field.effects[0].field = "euv";
  CHECK(check_event(s, bad_field) == "'cn_vendor' has no field 'euv'");

  ScenarioEvent bad_condition = good;
  bad_condition.conditions[0].field = "capacity_h100e";  // a vendor field on a government
  CHECK(check_event(s, bad_condition) == "'cn' has no field 'capacity_h100e'");

  ScenarioEvent bad_audience = good;
  bad_audience.audience.push_back("ghost");
  CHECK(check_event(s, bad_audience) == "unknown actor 'ghost' in audience");
}

TEST_CASE("events: check_event never changes the state") {
  State s = make_state();
  const State before = s;
  ScenarioEvent e = event("x", 1, {{"us_lab", "capability_oom", EffectOp::Set, 99}});
  CHECK(check_event(s, e).empty());
  CHECK(actor(s, kUsLab).lab.capability_oom == before.actors[kUsLab].lab.capability_oom);
}

#include <doctest/doctest.h>

#include <algorithm>

#include "engine/events.h"
#include "engine/fields.h"
#include "engine/hash.h"
#include "engine/match.h"
#include "engine/metrics.h"
#include "engine/resolve.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// The fixture's world with its actors in reverse order, so that an index
// bound for the usual order (or for the default scenario's) lands on the
// wrong actor; objectives and events that name actors, markets and the hubs
// in an order of their own, every event firing every round.
Scenario reordered_scenario() {
  Scenario sc = make_scenario(11);
  std::reverse(sc.initial.actors.begin(), sc.initial.actors.end());
  const std::size_t n = sc.initial.actors.size();
  sc.objectives.assign(n, {});
  sc.objectives[0] = {{"own_safety_usd_b", 1}, {"own_capability_oom", 2}, {"lead_months", -0.5}};
  sc.objectives[2] = {{"own_home_share", 3}, {"own_cash_usd_b", 0.25}};
  sc.objectives[5] = {{"political_capital", 1}, {"own_global_share", 4}, {"norm_index", 2}};
  sc.objectives[7] = {{"own_revenue_usd_b", 1}, {"compute_ratio_log2", 1}};
  ScenarioEvent grow;
  grow.id = "grow";
  grow.probability = 1;
  grow.once = false;
  grow.conditions = {{"us_lab", "capability_oom", CompareOp::Greater, 1}, {"ROW", "size_usd_b", CompareOp::Greater, 0}};
  grow.effects = {{"cn_lab", "compute_h100e", EffectOp::Mul, 1.5},
                  {"eu", "political_capital", EffectOp::Add, 0.5},
                  {"us_vendor", "capacity_growth", EffectOp::Add, 0.01},
                  {"SEA", "rent_usd_per_h100e", EffectOp::Mul, 0.9},
                  {"EU", "growth", EffectOp::Add, 0.02},
                  {"us", "capability_oom", EffectOp::Add, 9}};  // governments have no capability: no effect
  ScenarioEvent never;
  never.id = "never";
  never.probability = 1;
  never.conditions = {{"cn", "cash_usd_b", CompareOp::Less, -1}};
  never.effects = {{"eu_lab", "capability_oom", EffectOp::Add, 5}};
  sc.events = {never, grow};
  return sc;
}

State play(const Scenario& sc, int rounds) {
  State s = initial_state(sc, 5);
  for (int r = 0; r < rounds; ++r) resolve(s, sc, no_orders(s));
  return s;
}

}  // namespace

TEST_CASE("scenario lookups: each objective's metric is the one it names") {
  Scenario sc = reordered_scenario();
  bind_lookups(sc);
  REQUIRE(sc.lookups.objective_metrics.size() == sc.objectives.size());
  for (std::size_t i = 0; i < sc.objectives.size(); ++i) {
    REQUIRE(sc.lookups.objective_metrics[i].size() == sc.objectives[i].size());
    for (std::size_t k = 0; k < sc.objectives[i].size(); ++k) {
      REQUIRE(sc.lookups.objective_metrics[i][k] != nullptr);
      CHECK(sc.lookups.objective_metrics[i][k]->name == sc.objectives[i][k].metric);
    }
  }
}

TEST_CASE("scenario lookups: each effect and condition is bound to the field its target has") {
  Scenario sc = reordered_scenario();
  bind_lookups(sc);
  const EventSlots& grow = sc.lookups.events.at(1);
  REQUIRE(grow.effects.size() == sc.events[1].effects.size());
  const FieldSlot& cn_lab = grow.effects[0];
  REQUIRE(cn_lab.place == FieldSlot::Place::Actor);
  CHECK(sc.initial.actors[cn_lab.index].id == "cn_lab");
  CHECK(cn_lab.actor_field->name == "compute_h100e");
  CHECK(sc.initial.actors[grow.effects[1].index].id == "eu");
  CHECK(sc.initial.actors[grow.effects[2].index].id == "us_vendor");
  CHECK(grow.effects[3].place == FieldSlot::Place::Hubs);
  CHECK(grow.effects[3].hub_field->name == "rent_usd_per_h100e");
  REQUIRE(grow.effects[4].place == FieldSlot::Place::Market);
  CHECK(kMarketNames[grow.effects[4].index] == std::string("EU"));
  CHECK(grow.effects[5].place == FieldSlot::Place::Missing);
  CHECK(sc.initial.actors[grow.conditions[0].index].id == "us_lab");
  CHECK(grow.conditions[1].index == 3);  // ROW
}

TEST_CASE("scenario lookups: rounds resolve exactly as they do looking every name up") {
  Scenario by_name = reordered_scenario();
  Scenario bound = by_name;
  bind_lookups(bound);
  const State a = play(by_name, 6);
  const State b = play(bound, 6);
  CHECK(state_hash(a) == state_hash(b));
  CHECK(a.outcomes.scores == b.outcomes.scores);
  // The events did fire and the scores are not all 0, so the check above
  // compares something.
  CHECK(std::count_if(b.events.begin(), b.events.end(), [](const Event& e) { return e.kind == "grow"; }) == 1);
  CHECK(std::any_of(b.outcomes.scores.begin(), b.outcomes.scores.end(), [](double v) { return v != 0; }));
}

TEST_CASE("scenario lookups: lookups that no longer match the scenario are ignored") {
  Scenario sc = reordered_scenario();
  bind_lookups(sc);
  Scenario changed = sc;
  changed.objectives[0].push_back({"thefts", 1});
  changed.events[1].effects.push_back({"cn", "cash_usd_b", EffectOp::Add, 1});
  Scenario rebound = changed;
  bind_lookups(rebound);
  CHECK(state_hash(play(changed, 3)) == state_hash(play(rebound, 3)));
}

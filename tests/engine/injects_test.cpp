// The facilitator's engine injects (engine/injects.h): each builds an event
// whose effects follow from its parameters and the state, fires through
// resolution as any event does, and refuses bad parameters by name.
#include <doctest/doctest.h>

#include <string>

#include "engine/events.h"
#include "engine/injects.h"
#include "engine/resolve.h"
#include "engine/views.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

ScenarioEvent built(const State& s, const std::string& id, const NamedArgs& args) {
  auto e = build_inject(s, make_coef(), id, args);
  if (const auto* problem = std::get_if<std::string>(&e)) FAIL(*problem);
  return std::get<ScenarioEvent>(std::move(e));
}

std::string refusal(const State& s, const std::string& id, const NamedArgs& args) {
  auto e = build_inject(s, make_coef(), id, args);
  REQUIRE(std::holds_alternative<std::string>(e));
  return std::get<std::string>(e);
}

// Fires the event as resolution's event step does.
void fire(State& s, ScenarioEvent e) {
  Inject inject;
  inject.custom = std::move(e);
  Scenario sc = make_scenario();
  fire_events(s, sc, {inject});
}

}  // namespace

TEST_CASE("injects: a supply shock takes its share of the vendor's chip output") {
  State s = make_state();
  const double before = actor(s, kCnVendor).vendor.capacity_h100e;
  const ScenarioEvent e = built(s, "supply_shock", {{"vendor", std::string("cn_vendor")}, {"share", 0.3}});
  CHECK(e.id == "supply_shock");
  CHECK(e.text.find("loses 30% of its chip output") != std::string::npos);
  CHECK(check_event(s, e).empty());
  fire(s, e);
  CHECK(actor(s, kCnVendor).vendor.capacity_h100e == doctest::Approx(before * 0.7));
  REQUIRE(!s.events.empty());
  CHECK(s.events.back().kind == "supply_shock");
  CHECK(s.events.back().visibility == Visibility::Public);
}

TEST_CASE("injects: a model theft closes its share of the capability gap, in public") {
  State s = make_state();
  // us_lab 26 OOM, cn_lab 25: half the gap is 0.5 OOM.
  const ScenarioEvent e =
      built(s, "model_theft", {{"thief", std::string("cn_lab")}, {"victim", std::string("us_lab")}, {"share", 0.5}});
  fire(s, e);
  CHECK(actor(s, kCnLab).lab.capability_oom == doctest::Approx(25.5));
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(26));
  CHECK(s.events.back().kind == "weight_theft");
  CHECK(public_indicators(s, make_coef()).thefts_public == 1);
  // A thief ahead of its victim gains nothing, and says so.
  const ScenarioEvent ahead =
      built(s, "model_theft", {{"thief", std::string("us_lab")}, {"victim", std::string("eu_lab")}, {"share", 1.0}});
  CHECK(ahead.effects.front().value == 0);
  CHECK(ahead.text.find("gaining 0.00 OOM") != std::string::npos);
}

TEST_CASE("injects: a smuggling case seizes the chips from the bloc's labs, fines its government") {
  State s = make_state();
  actor(s, kUs).spent.enforcement = 1;  // the US funds enforcement, the EU does not
  const double compute = actor(s, kCnLab).lab.compute_h100e;
  const double cash = actor(s, kCn).cash_usd_b;
  const double us_capital = actor(s, kUs).gov.political_capital;
  const double eu_capital = actor(s, kEu).gov.political_capital;
  const ScenarioEvent e = built(s, "smuggling_case", {{"bound_for", std::string("CN")}, {"chips", 20000.0}});
  CHECK(e.text == "Smuggling case exposed: 20k H100e of diverted AI servers bound for CN seized");
  fire(s, e);
  CHECK(actor(s, kCnLab).lab.compute_h100e == doctest::Approx(compute - 20000));
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(cash - make_coef().case_fine_usd_b));
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(us_capital + make_coef().case_political_gain));
  CHECK(actor(s, kEu).gov.political_capital == doctest::Approx(eu_capital));
  CHECK(s.events.back().kind == "smuggling_case");
  // A government's id names its bloc, as in orders.
  CHECK(built(s, "smuggling_case", {{"bound_for", std::string("cn")}, {"chips", 5000.0}}).text.find("bound for CN") !=
        std::string::npos);
}

TEST_CASE("injects: bad ids and parameters are refused, naming what is wrong") {
  const State s = make_state();
  CHECK(refusal(s, "alien_landing", {}) ==
        "unknown event 'alien_landing'; the engine's injects: smuggling_case, model_theft, supply_shock");
  CHECK(refusal(s, "supply_shock", {{"vendor", std::string("cn_vendor")}}) ==
        "supply_shock: missing parameter 'share', a number from 0.01 to 0.9");
  CHECK(refusal(s, "supply_shock", {{"vendor", std::string("cn_lab")}, {"share", 0.3}})
            .starts_with("supply_shock: parameter 'vendor' is 'cn_lab', allowed one of us_vendor, cn_vendor"));
  CHECK(refusal(s, "supply_shock", {{"vendor", std::string("cn_vendor")}, {"share", 1.5}})
            .starts_with("supply_shock: parameter 'share' is 1.5, allowed "));
  CHECK(refusal(s, "supply_shock", {{"vendor", std::string("cn_vendor")}, {"share", 0.3}, {"when", 2.0}}) ==
        "supply_shock: unknown parameter 'when'");
  CHECK(refusal(s, "model_theft",
                {{"thief", std::string("cn_lab")}, {"victim", std::string("cn_lab")}, {"share", 0.5}}) ==
        "model_theft: the thief and the victim are the same lab");
  for (const InjectSpec& spec : inject_catalogue()) {
    CHECK(find_inject(spec.id) == &spec);
    CHECK(!spec.help.empty());
    for (const ParamSpec& p : spec.params) CHECK(!p.help.empty());
  }
}

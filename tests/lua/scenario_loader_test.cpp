#include "engine/lua/scenario_loader.h"

#include <doctest/doctest.h>

#include <string>

#include "engine/catalogue.h"

namespace {

using leadtime::LoadResult;
using leadtime::OrderLine;
using leadtime::Scenario;

std::string data_path(const std::string& name) { return std::string(LEADTIME_SOURCE_DIR) + "/tests/lua/data/" + name; }

Scenario load_minimal() {
  LoadResult loaded = leadtime::load_scenario_file(data_path("minimal.lua"));
  INFO(loaded.error);
  REQUIRE(loaded.scenario);
  return std::move(*loaded.scenario);
}

// Loads a broken fixture and returns its error, which must name the file.
std::string fixture_error(const std::string& name) {
  const std::string path = data_path(name);
  const LoadResult loaded = leadtime::load_scenario_file(path);
  REQUIRE_FALSE(loaded.scenario);
  CHECK(loaded.error.starts_with(path + ":"));
  return loaded.error;
}

// A valid scenario around `actors` and `extra` top-level fields, for errors
// a dedicated fixture would be overkill for.
std::string source_error(const std::string& actors, const std::string& extra = "") {
  const std::string source = "return { name = 'inline', start = '2026Q3', rounds = 4,\n actors = " + actors +
                             ",\n markets = { US = { share = { US = 1 } }, CN = { share = { CN = 1 } },"
                             " EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } } },\n" +
                             extra + "}";
  const LoadResult loaded = leadtime::load_scenario_source(source, "inline.lua");
  REQUIRE_FALSE(loaded.scenario);
  CHECK(loaded.error.starts_with("inline.lua:"));
  return loaded.error;
}

constexpr const char* kOneGovernment = "{ { id = 'us', kind = 'government', bloc = 'US' } }";
constexpr const char* kGovernmentAndLab =
    "{ { id = 'us', kind = 'government', bloc = 'US' }, { id = 'us_lab', kind = 'lab', bloc = 'US' } }";

std::string line_error(const std::string& source, const Scenario& s) {
  const auto loaded = leadtime::load_order_line_source(source, "line.lua", s.initial, s.start);
  const auto* error = std::get_if<std::string>(&loaded);
  REQUIRE(error);
  CHECK(error->starts_with("line.lua:"));
  return *error;
}

}  // namespace

TEST_CASE("scenario loader: a minimal scenario loads with every value in place") {
  const Scenario s = load_minimal();
  CHECK(s.name == "minimal");
  CHECK(s.description == "two labs and a government");
  CHECK(s.source == data_path("minimal.lua"));
  CHECK(s.start == leadtime::Quarter{2026, 3});
  CHECK(s.initial.quarter == s.start);
  CHECK(s.rounds == 4);
  CHECK(s.coef.distill_k == doctest::Approx(0.6));
  CHECK(s.coef.months_per_oom == leadtime::Coefficients{}.months_per_oom);  // unnamed: default
  CHECK(s.coef.local_preference[1][1] == 3);
  CHECK(s.coef.local_preference[0][0] == 0);

  REQUIRE(s.initial.actors.size() == 3);
  const leadtime::Actor& us = s.initial.actors[0];
  CHECK(us.id == "us");
  CHECK(us.name == "United States");
  CHECK(us.kind == leadtime::ActorKind::Government);
  CHECK(us.bloc == leadtime::Bloc::US);
  CHECK(us.cash_usd_b == 20);
  CHECK(us.gov.budget_usd_b == 10);
  CHECK(us.policy.export_tier[leadtime::bloc_index(leadtime::Bloc::CN)] == 1);
  CHECK(us.policy.enforcement_usd_b == doctest::Approx(2.5));
  const leadtime::Actor& us_lab = s.initial.actors[1];
  CHECK(us_lab.name == "us_lab");  // defaults to the id
  CHECK(us_lab.lab.compute_h100e == 1.5e6);
  CHECK(us_lab.policy.open_weights);
  const leadtime::Actor& cn_lab = s.initial.actors[2];
  CHECK(cn_lab.bloc == leadtime::Bloc::CN);
  CHECK(cn_lab.policy.distill_target == 1);
  CHECK(cn_lab.policy.distill_intensity == doctest::Approx(0.5));

  REQUIRE(s.objectives.size() == 3);
  REQUIRE(s.objectives[0].size() == 2);
  CHECK(s.objectives[0][0].metric == "lead_months");
  CHECK(s.objectives[0][0].weight == 2);
  CHECK(s.objectives[0][1].weight == 1);
  CHECK(s.objectives[1].empty());
  REQUIRE(s.default_bots.size() == 3);
  CHECK(s.default_bots[0] == "scripts/bots/us_hawk.lua");
  CHECK(s.default_bots[1].empty());

  CHECK(s.initial.markets[0].size_usd_b == 40);
  CHECK(s.initial.markets[0].share[2] == doctest::Approx(0.08));
  CHECK(s.initial.markets[1].share[1] == 1);
  CHECK(s.initial.markets[3].share[0] == doctest::Approx(0.5));
  CHECK(s.initial.hubs.compute_h100e == 1e6);
  CHECK(s.initial.hubs.capex_usd_b == 0);

  REQUIRE(s.events.size() == 2);
  const leadtime::ScenarioEvent& leak = s.events[0];
  CHECK(leak.id == "leak");
  CHECK(leak.probability == doctest::Approx(0.1));
  CHECK(leak.first_round == 1);  // 2026Q4
  CHECK(leak.last_round == 2);   // 2027Q1
  CHECK_FALSE(leak.once);
  CHECK(leak.visibility == leadtime::Visibility::Private);
  CHECK(leak.audience == std::vector<std::string>{"cn_lab"});
  REQUIRE(leak.conditions.size() == 1);
  CHECK(leak.conditions[0].op == leadtime::CompareOp::GreaterEqual);
  REQUIRE(leak.effects.size() == 2);
  CHECK(leak.effects[1].target == "SEA");
  CHECK(leak.effects[1].op == leadtime::EffectOp::Mul);
  const leadtime::ScenarioEvent& boom = s.events[1];
  CHECK(boom.first_round == 0);
  CHECK(boom.last_round == 3);
  CHECK(boom.once);
  CHECK(boom.effects[0].op == leadtime::EffectOp::Set);
}

TEST_CASE("scenario loader: loading is deterministic") {
  const Scenario a = load_minimal();
  const Scenario b = load_minimal();
  REQUIRE(a.initial.actors.size() == b.initial.actors.size());
  for (std::size_t i = 0; i < a.initial.actors.size(); ++i) {
    CHECK(a.initial.actors[i].id == b.initial.actors[i].id);
    CHECK(a.initial.actors[i].policy.export_tier == b.initial.actors[i].policy.export_tier);
  }
}

TEST_CASE("scenario loader: broken fixtures fail with a precise message") {
  CHECK(fixture_error("syntax_error.lua").find("syntax_error.lua:4:") != std::string::npos);
  CHECK(fixture_error("missing_rounds.lua") ==
        data_path("missing_rounds.lua") + ": missing field 'rounds' (a whole number of quarters from 1 to 200)");
  CHECK(fixture_error("out_of_range.lua") ==
        data_path("out_of_range.lua") + ": coefficients.distill_k: expected a number from 0 to 1, got 3");
  CHECK(fixture_error("unknown_target.lua") ==
        data_path("unknown_target.lua") +
            ": events[2].effects[1].target: unknown target 'xx' (an actor id, a market US/CN/EU/ROW, or SEA)");
  CHECK(fixture_error("typo_field.lua") == data_path("typo_field.lua") + ": actors[2]: unknown field 'buget_usd_b'");
  CHECK(fixture_error("bad_kind.lua") ==
        data_path("bad_kind.lua") + ": actors[3].kind: expected one of government, vendor, lab, got 'bank'");
  CHECK(fixture_error("bad_shares.lua") ==
        data_path("bad_shares.lua") + ": markets.EU.share: shares must sum to 1, got 0.9");
  CHECK(fixture_error("bad_order.lua") ==
        data_path("bad_order.lua") +
            ": actors[1].orders[2]: set_export_tier: parameter 'tier' is 5, allowed an integer from 0 to 3");
  CHECK(fixture_error("no_such_file.lua").find("cannot read") != std::string::npos);
}

TEST_CASE("scenario loader: actor errors") {
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US' }, { id = 'us', kind = 'lab', bloc = 'US' } }") ==
        "inline.lua: actors[2].id: duplicate id 'us' (also actors[1])");
  CHECK(source_error("{ { id = 'US', kind = 'government', bloc = 'US' } }").find("actors[1].id: 'US' is a market") !=
        std::string::npos);
  CHECK(source_error("{ { id = 'Us-1', kind = 'government', bloc = 'US' } }") ==
        "inline.lua: actors[1].id: expected an id of lower-case letters, digits and _, got 'Us-1'");
  CHECK(source_error("{ { id = '', kind = 'government', bloc = 'US' } }") ==
        "inline.lua: actors[1].id: expected a non-empty id");
  CHECK(source_error("{ { id = 'us', kind = 'government' } }") ==
        "inline.lua: actors[1]: missing field 'bloc' (one of US, CN, EU, SEA, ROW)");
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', capacity_h100e = 5 } }") ==
        "inline.lua: actors[1].capacity_h100e: not a field of a government (it is for vendors)");
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', cash_usd_b = 0/0 } }")
            .find("actors[1].cash_usd_b: expected a number") != std::string::npos);
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', cash_usd_b = '5' } }").ends_with("got '5'"));
  CHECK(source_error("{}") == "inline.lua: actors: expected a non-empty list of actor tables, got an empty list");
  CHECK(source_error("{ us = { kind = 'government' } }").find("actors: expected a non-empty list") !=
        std::string::npos);
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', objectives = { { metric = 'nope' } } } }")
            .starts_with("inline.lua: actors[1].objectives[1].metric: unknown metric 'nope' (one of lead_months"));
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', orders = { action = 'set_enforcement' } } }")
            .find("actors[1].orders: expected a list of orders, got a single order") != std::string::npos);
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', orders = { { action = 'set_enforcement', "
                     "usd_b = {} } } } }") ==
        "inline.lua: actors[1].orders[1]: field 'usd_b': expected a number, a boolean or a string, got a table");
  CHECK(source_error("{ { id = 'us', kind = 'government', bloc = 'US', orders = { { action = 'set_fab_investment', "
                     "usd_b = 1 } } } }")
            .starts_with("inline.lua: actors[1].orders[1]: set_fab_investment is not available to us"));
}

TEST_CASE("scenario loader: standing orders may name actors listed later") {
  const std::string actors =
      "{ { id = 'cn_lab', kind = 'lab', bloc = 'CN', orders = { { action = 'set_distillation', target = 'us_lab', "
      "intensity = 1 } } }, { id = 'us_lab', kind = 'lab', bloc = 'US' } }";
  const std::string source = "return { name = 'x', start = '2026Q3', rounds = 2, actors = " + actors +
                             ", markets = { US = { share = { US = 1 } }, CN = { share = { CN = 1 } }, "
                             "EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } } } }";
  const LoadResult loaded = leadtime::load_scenario_source(source, "later.lua");
  INFO(loaded.error);
  REQUIRE(loaded.scenario);
  CHECK(loaded.scenario->initial.actors[0].policy.distill_target == 1);
}

TEST_CASE("scenario loader: top-level, market and coefficient errors") {
  CHECK(source_error(kOneGovernment, "ruonds = 3,") == "inline.lua: unknown field 'ruonds'");
  CHECK(source_error(kOneGovernment, "coefficients = { distil_k = 0.5 },") ==
        "inline.lua: coefficients: unknown field 'distil_k'");
  CHECK(source_error(kOneGovernment, "coefficients = { local_preference = { XX = {} } },") ==
        "inline.lua: coefficients.local_preference: unknown field 'XX'");
  CHECK(source_error(kOneGovernment, "hubs = { compute_h100e = -1 },") ==
        "inline.lua: hubs.compute_h100e: expected a number from 0 to 1e+12, got -1");
  CHECK(source_error(kOneGovernment, "hooks = { on_round = 3 },") ==
        "inline.lua: hooks.on_round: expected a function, got 3");

  const std::string no_eu =
      "return { name = 'x', start = '2026Q3', rounds = 4, actors = " + std::string(kOneGovernment) +
      ", markets = { US = { share = { US = 1 } }, CN = { share = { CN = 1 } }, "
      "ROW = { share = { US = 1 } } } }";
  CHECK(leadtime::load_scenario_source(no_eu, "m.lua").error ==
        "m.lua: markets: missing field 'EU' (a market table { size_usd_b = ..., growth = ..., share = {...} })");

  CHECK(leadtime::load_scenario_source("return 3", "n.lua").error ==
        "n.lua: the file must return the scenario table, got 3");
  CHECK(leadtime::load_scenario_source("error('nope')", "e.lua").error == "e.lua:1: nope");
  CHECK(leadtime::load_scenario_source("while true do end", "loop.lua")
            .error.starts_with("loop.lua: instruction budget exceeded"));
  CHECK(leadtime::load_scenario_source("table.move({}, 1, 1 << 50, 2) return {}", "move.lua")
            .error.starts_with("move.lua: instruction budget exceeded"));
  // The host reads the returned table raw: a trap behind every metamethod never fires.
  CHECK(leadtime::load_scenario_source("local function trap() while true do end end "
                                       "return setmetatable({}, { __index = trap, __pairs = trap, __len = trap })",
                                       "trap.lua")
            .error.starts_with("trap.lua: "));
  CHECK(leadtime::load_scenario_source("return { name = 'x', start = 'soon', rounds = 2 }", "q.lua").error ==
        "q.lua: start: expected a quarter like 2027Q1, got 'soon'");
  CHECK(leadtime::load_scenario_source("return { name = 'x', start = '2026Q3', rounds = 2.5 }", "r.lua").error ==
        "r.lua: rounds: expected a whole number of quarters from 1 to 200, got 2.5");
}

TEST_CASE("scenario loader: event errors") {
  const auto event_error = [](const std::string& event) {
    return source_error(kGovernmentAndLab, "events = { " + event + " },");
  };
  CHECK(event_error("{ id = 'e', first = '2026Q1' }") ==
        "inline.lua: events[1].first: 2026Q1 is before the start, 2026Q3");
  CHECK(event_error("{ id = 'e', last = '2027Q3' }") ==
        "inline.lua: events[1].last: 2027Q3 is after the last round, 2027Q2");
  CHECK(event_error("{ id = 'e', first = '2027Q1', last = '2026Q4' }") ==
        "inline.lua: events[1]: first comes after last");
  CHECK(event_error("{ id = 'e', probability = 1.5 }") ==
        "inline.lua: events[1].probability: expected a number from 0 to 1, got 1.5");
  CHECK(event_error("{ id = 'e', visibility = 'private' }") ==
        "inline.lua: events[1]: a private event needs an audience, a list of actor ids");
  CHECK(event_error("{ id = 'e', visibility = 'private', audience = { 'us', 'zz' } }") ==
        "inline.lua: events[1].audience[2]: unknown actor 'zz'");
  CHECK(event_error("{ id = 'e' }, { id = 'e' }") ==
        "inline.lua: events[2].id: duplicate event id 'e' (also events[1])");
  CHECK(event_error("{ id = 'e', effects = { { target = 'us', field = 'capacity_h100e', op = 'add', value = 1 } } }") ==
        "inline.lua: events[1].effects[1].field: 'us' has no field 'capacity_h100e'");
  CHECK(event_error("{ id = 'e', effects = { { target = 'us', field = 'cash_usd_b', op = 'double', value = 1 } } }") ==
        "inline.lua: events[1].effects[1].op: expected one of add, mul, set, got 'double'");
  CHECK(event_error(
            "{ id = 'e', conditions = { { target = 'us_lab', field = 'capability_oom', op = '==', value = 1 } } }") ==
        "inline.lua: events[1].conditions[1].op: expected one of <, <=, >, >=, got '=='");
  CHECK(event_error("{ id = 'e', conditions = { { target = 'SEA', field = 'compute_h100e', op = '<' } } }") ==
        "inline.lua: events[1].conditions[1]: missing field 'value' (a finite number)");
  CHECK(event_error("{ id = 'e', effects = { { target = 'us', field = 'cash_usd_b', op = 'add', value = 1, "
                    "when = 2 } } }") == "inline.lua: events[1].effects[1]: unknown field 'when'");
}

TEST_CASE("scenario loader: the shipped scenario and its order lines load") {
  const std::string root = LEADTIME_SOURCE_DIR;
  LoadResult loaded = leadtime::load_scenario_file(root + "/scenarios/2028.lua");
  INFO(loaded.error);
  REQUIRE(loaded.scenario);
  const Scenario& s = *loaded.scenario;
  CHECK_FALSE(s.initial.actors.empty());
  for (const char* line : {"/scenarios/lines/tight.lua", "/scenarios/lines/lax.lua"}) {
    const auto parsed = leadtime::load_order_line(root + line, s.initial, s.start);
    const auto* error = std::get_if<std::string>(&parsed);
    INFO((error ? *error : ""));
    CHECK(std::holds_alternative<OrderLine>(parsed));
  }
}

TEST_CASE("order line: a valid file loads per actor and per quarter") {
  const Scenario s = load_minimal();
  const auto loaded = leadtime::load_order_line(data_path("line.lua"), s.initial, s.start);
  const auto* error = std::get_if<std::string>(&loaded);
  INFO((error ? *error : ""));
  REQUIRE(std::holds_alternative<OrderLine>(loaded));
  const auto& line = std::get<OrderLine>(loaded);
  REQUIRE(line.at_start.size() == 3);
  REQUIRE(line.at_start[0].size() == 2);
  CHECK(line.at_start[0][0].action == "set_export_tier");
  CHECK(line.at_start[0][1].action == "set_enforcement");
  CHECK(line.at_start[1].empty());
  REQUIRE(line.at_start[2].size() == 1);
  CHECK(line.at_start[2][0].action == "set_distillation");
  REQUIRE(line.later.size() == 2);
  CHECK(line.later[0].first == 1);  // 2026Q4, listed second in the file
  REQUIRE(line.later[0].second.size() == 3);
  CHECK(line.later[0].second[0][0].action == "set_cloud_kyc");
  CHECK(line.later[1].first == 3);  // 2027Q2
  CHECK(line.later[1].second[1][0].action == "set_open_weights");
}

TEST_CASE("order line: errors name the file, the actor and the order") {
  const Scenario s = load_minimal();
  const auto loaded = leadtime::load_order_line(data_path("line_unknown_actor.lua"), s.initial, s.start);
  REQUIRE(std::holds_alternative<std::string>(loaded));
  CHECK(std::get<std::string>(loaded) ==
        data_path("line_unknown_actor.lua") + ": orders: unknown actor 'xx' (actors are us, us_lab, cn_lab)");

  CHECK(line_error("return { orders = { us = { { action = 'set_export_tier', target = 'CN', tier = 9 } } } }", s) ==
        "line.lua: orders.us[1]: set_export_tier: parameter 'tier' is 9, allowed an integer from 0 to 3");
  CHECK(line_error("return { at = { ['2026Q1'] = {} } }", s) ==
        "line.lua: at.2026Q1: 2026Q1 is before the start, 2026Q3");
  CHECK(line_error("return { at = { soon = {} } }", s) ==
        "line.lua: at: expected quarters like 2027Q3 as keys, got 'soon'");
  CHECK(line_error("return { at = { ['2027Q1'] = {}, ['2027q1'] = {} } }", s) ==
        "line.lua: at: '2027Q1' and '2027q1' name the same quarter");
  CHECK(line_error("return { order = {} }", s) == "line.lua: unknown field 'order'");
  CHECK(line_error("return { at = { ['2027Q1'] = { zz = {} } } }", s) ==
        "line.lua: at.2027Q1: unknown actor 'zz' (actors are us, us_lab, cn_lab)");
}

// Scenarios that extend others (engine/lua/scenario_extends.h): the merge
// rule per field, chains, and problems blamed on the file and field they came
// from, with the line; and the loader's every-problem mode for the check.
#include <doctest/doctest.h>

#include <string>

#include "batch/headless.h"
#include "engine/lua/scenario_hooks.h"
#include "engine/lua/scenario_loader.h"

namespace lt = leadtime;

namespace {

const std::string kData = "tests/lua/data/";
const std::string kVariants = "tests/lua/data/variants/";

lt::Scenario load(const std::string& path) {
  lt::LoadResult loaded = lt::load_scenario_file(path);
  INFO(loaded.error);
  REQUIRE(loaded.scenario);
  return std::move(*loaded.scenario);
}

lt::LoadError only_error(const std::string& path) {
  const lt::LoadResult loaded = lt::load_scenario_file(path);
  REQUIRE_FALSE(loaded.scenario);
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.error == loaded.errors[0].text);
  return loaded.errors[0];
}

const lt::ScenarioEvent* event(const lt::Scenario& s, const std::string& id) {
  for (const lt::ScenarioEvent& e : s.events) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("extends: a variant changes only what it names and keeps the rest of its base") {
  const lt::Scenario base = load(kData + "minimal.lua");
  const lt::Scenario v = load(kVariants + "variant.lua");
  CHECK(v.name == "minimal-variant");
  CHECK(v.description == base.description);
  CHECK(v.source == kVariants + "variant.lua");
  CHECK(v.start == base.start);
  CHECK(v.rounds == 6);
  CHECK(v.coef.distill_k == doctest::Approx(0.9));
  CHECK(v.coef.local_preference[1][1] == 3);  // the base's, untouched

  // Actors merge by id in the base's order; a new id comes last.
  REQUIRE(v.initial.actors.size() == 4);
  CHECK(v.initial.actors[0].id == "us");
  CHECK(v.initial.actors[3].id == "eu");
  CHECK(v.initial.actors[3].cash_usd_b == 8);
  const lt::Actor& us = v.initial.actors[0];
  CHECK(us.name == "United States");
  CHECK(us.cash_usd_b == 20);
  CHECK(us.policy.export_tier[lt::bloc_index(lt::Bloc::CN)] == 1);  // the base's order stands
  CHECK(us.policy.enforcement_usd_b == doctest::Approx(4));         // the variant's comes after it
  CHECK(v.default_bots[0].empty());
  const lt::Actor& cn_lab = v.initial.actors[2];
  CHECK(cn_lab.lab.capability_oom == doctest::Approx(26.2));
  CHECK(cn_lab.policy.distill_target == 1);

  // Objectives merge by metric: a known one changes weight, a new one is added.
  REQUIRE(v.objectives[0].size() == 2);
  CHECK(v.objectives[0][0].metric == "lead_months");
  CHECK(v.objectives[0][0].weight == 5);
  CHECK(v.objectives[0][1].metric == "political_capital");
  REQUIRE(v.objectives[2].size() == 1);
  CHECK(v.objectives[2][0].weight == 3);

  // A market merges key by key but its share table is replaced whole.
  const lt::Market& row = v.initial.markets[3];
  CHECK(row.growth == doctest::Approx(0.1));
  CHECK(row.share[0] == doctest::Approx(0.4));
  CHECK(row.share[1] == 0);
  CHECK(row.share[2] == doctest::Approx(0.6));
  CHECK(v.initial.markets[0].size_usd_b == base.initial.markets[0].size_usd_b);

  // Events by id: changed in place, removed, added at the end.
  REQUIRE(v.events.size() == 2);
  CHECK(v.events[0].id == "leak");
  CHECK(v.events[0].probability == doctest::Approx(0.3));
  CHECK(v.events[0].audience == std::vector<std::string>{"cn_lab"});
  CHECK(v.events[0].effects.size() == 2);
  CHECK(event(v, "boom") == nullptr);
  const lt::ScenarioEvent* surge = event(v, "surge");
  REQUIRE(surge != nullptr);
  CHECK(surge->first_round == 5);  // 2027Q4
  CHECK(surge->last_round == 5);   // the variant's last round

  const lt::LoadResult loaded = lt::load_scenario_file(kVariants + "variant.lua");
  CHECK(loaded.files == std::vector<std::string>{kVariants + "variant.lua", "tests/lua/data/minimal.lua"});
}

TEST_CASE("extends: a chain of variants applies each in turn") {
  const lt::Scenario c = load(kVariants + "chain.lua");
  CHECK(c.name == "minimal-chain");
  CHECK(c.rounds == 8);
  CHECK(c.coef.distill_k == doctest::Approx(0.9));  // from the middle file
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[0].probability == doctest::Approx(0.3));
  CHECK(c.events[0].last_round == 5);  // 2027Q4, from the top file
  const lt::LoadResult loaded = lt::load_scenario_file(kVariants + "chain.lua");
  CHECK(loaded.files.size() == 3);
  CHECK(loaded.files.back() == "tests/lua/data/minimal.lua");
}

TEST_CASE("extends: a problem in an override names the variant, its field and line") {
  const lt::LoadError e = only_error(kVariants + "bad_override.lua");
  CHECK(e.file == kVariants + "bad_override.lua");
  CHECK(e.field == "coefficients.distill_k");
  CHECK(e.line == 5);
  CHECK(e.text == kVariants + "bad_override.lua: coefficients.distill_k: expected a number from 0 to 1, got 2");

  // The variant's own position in its list, not the merged one.
  const lt::LoadError a = only_error(kVariants + "bad_actor_override.lua");
  CHECK(a.file == kVariants + "bad_actor_override.lua");
  CHECK(a.field == "actors[1].capability_oom");
  CHECK(a.line == 5);
  CHECK(a.message == "expected a number from 0 to 100, got 'high'");
}

TEST_CASE("extends: a problem the variant causes in what it inherits names the base") {
  const lt::LoadError e = only_error(kVariants + "short.lua");
  CHECK(e.file == "tests/lua/data/minimal.lua");
  CHECK(e.field == "events[1].last");
  CHECK(e.line == 44);
  CHECK(e.text ==
        "tests/lua/data/minimal.lua: events[1].last: 2027Q1 is after the last round, 2026Q4 (in the base of " +
            kVariants + "short.lua)");
}

TEST_CASE("extends: broken chains are refused by name") {
  const lt::LoadError cycle = only_error(kVariants + "cycle_a.lua");
  CHECK(cycle.file == kVariants + "cycle_b.lua");
  CHECK(cycle.field == "extends");
  CHECK(cycle.message.find("a scenario cannot extend itself") != std::string::npos);

  const lt::LoadError orphan = only_error(kVariants + "missing_base.lua");
  CHECK(orphan.text == kVariants + "missing_base.lua: extends: cannot read " + kVariants + "no_such_base.lua");
  CHECK(orphan.line == 1);

  const lt::LoadError remove = only_error(kVariants + "remove_unknown.lua");
  CHECK(remove.text == kVariants + "remove_unknown.lua: events[1].id: no 'nothing' in the base to remove");
  CHECK(remove.line == 4);

  const lt::LoadError no_id = only_error(kVariants + "no_id.lua");
  CHECK(no_id.text ==
        kVariants + "no_id.lua: actors[2]: missing field 'id' (the id of the entry to change, add or remove)");
  CHECK(no_id.line == 5);

  const auto wrong_type = lt::load_scenario_source("return { extends = 3 }", "inline.lua");
  CHECK(wrong_type.error == "inline.lua: extends: expected the path of the scenario this one changes, got 3");
}

TEST_CASE("extends: hooks come from the file that defines them and still fire") {
  auto scenario = std::make_shared<const lt::Scenario>(load(kVariants + "hooks_variant.lua"));
  CHECK_FALSE(scenario->hook_script.empty());
  CHECK(scenario->hook_script.find("on_round") != std::string::npos);
  const lt::BotMatchResult result = lt::play_bots(scenario, 1, std::vector<std::string>(3));
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  // Asked for from the third round on; an event is once-only by default.
  int fired = 0;
  for (const lt::RoundRecord& r : result.match->history()) {
    for (const lt::Event& e : r.events) fired += e.kind == "alarm" ? 1 : 0;
  }
  CHECK(fired == 1);  // once = true by default
  CHECK(result.match->state().actors[0].gov.budget_usd_b == doctest::Approx(1));
}

TEST_CASE("scenario loader: problems come with their line") {
  const lt::LoadError kind = only_error(kData + "bad_kind.lua");
  CHECK(kind.field == "actors[3].kind");
  CHECK(kind.line == 6);
  const lt::LoadError coefficient = only_error(kData + "out_of_range.lua");
  CHECK(coefficient.line == 3);
  const lt::LoadError syntax = only_error(kData + "syntax_error.lua");
  CHECK(syntax.line == 4);
}

TEST_CASE("scenario loader: every_problem reports each broken part, the first as error") {
  const std::string path = kVariants + "many_problems.lua";
  const lt::LoadResult first = lt::load_scenario_file(path);
  REQUIRE(first.errors.size() == 1);
  lt::LoadOptions options;
  options.every_problem = true;
  const lt::LoadResult all = lt::load_scenario_file(path, options);
  REQUIRE_FALSE(all.scenario);
  REQUIRE(all.errors.size() == 3);
  CHECK(all.error == first.error);
  CHECK(all.errors[0].field == "coefficients.distill_k");
  CHECK(all.errors[0].line == 5);
  CHECK(all.errors[1].field == "actors[2].kind");
  CHECK(all.errors[1].line == 10);
  CHECK(all.errors[2].field == "markets.EU.share");
  CHECK(all.errors[2].line == 14);
  CHECK(all.errors[2].message == "shares must sum to 1, got 0.5");
}

TEST_CASE("scenario loader: lines are found past comments, strings and hook functions") {
  const std::string source =
      "--[==[ a comment with { braces } and ]] inside ]==]\n"   // 1
      "return {\n"                                              // 2
      "  hooks = { on_round = function(info)\n"                 // 3
      "    local a, b = { 1, 2 }, '}'\n"                        // 4
      "    if a then return { \"x\" } end\n"                    // 5
      "  end },\n"                                              // 6
      "  name = [[ a long\n name ]], start = '2026Q3',\n"       // 7, 8
      "  rounds = 4, -- a comment, {\n"                         // 9
      "  actors = {\n"                                          // 10
      "    { id = 'us', kind = 'government', bloc = 'US' },\n"  // 11
      "    { id = 'x',\n"                                       // 12
      "      [\"kind\"] = 'bank', bloc = 'US' },\n"             // 13
      "  },\n"
      "  markets = { US = { share = { US = 1 } }, CN = { share = { CN = 1 } },\n"
      "    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } } },\n"
      "}\n";
  const lt::LoadResult loaded = lt::load_scenario_source(source, "tricky.lua");
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors[0].field == "actors[2].kind");
  CHECK(loaded.errors[0].line == 13);
  // A table built elsewhere and returned by name gets no line rather than a wrong one.
  const lt::LoadResult indirect = lt::load_scenario_source("local t = { name = 3 }\nreturn t", "indirect.lua");
  REQUIRE(indirect.errors.size() == 1);
  CHECK(indirect.errors[0].field == "name");
  CHECK(indirect.errors[0].line == 0);
}

TEST_CASE("extends: only regular files are read as bases") {
  const auto device = lt::load_scenario_source("return { extends = '/dev/zero' }", "inline.lua");
  CHECK(device.error == "inline.lua: extends: cannot read /dev/zero");
  const auto folder = lt::load_scenario_source("return { extends = 'tests' }", "inline.lua");
  CHECK(folder.error == "inline.lua: extends: cannot read tests");
}

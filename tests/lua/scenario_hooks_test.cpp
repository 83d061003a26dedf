// Scenario hooks: hooks.on_round runs before each round in its own sandbox
// and names scenario events to fire; bad hooks are clear errors, and a
// runaway hook is stopped by its budget while the match goes on.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "batch/headless.h"
#include "engine/lua/scenario_hooks.h"

namespace lt = leadtime;

namespace {

std::string minimal_with(const std::string& hooks) {
  std::ifstream in("tests/lua/data/minimal.lua");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  const std::string anchor = "  events = {\n";
  const auto at = source.find(anchor);
  REQUIRE(at != std::string::npos);
  source.insert(at + anchor.size(),
                "    { id = \"alarm\", probability = 0, once = true, text = \"hook fired\",\n"
                "      effects = { { target = \"us\", field = \"budget_usd_b\", op = \"add\", value = 7 } } },\n");
  source.insert(at, "  hooks = " + hooks + ",\n");
  return source;
}

std::shared_ptr<const lt::Scenario> load(const std::string& source) {
  auto loaded = lt::load_scenario_source(source, "hooks.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  return std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
}

int rounds_with(const lt::Match& m, const std::string& kind) {
  int n = 0;
  for (const lt::RoundRecord& r : m.history()) {
    for (const lt::Event& e : r.events) n += e.kind == kind ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("hooks: on_round fires a scenario event in the round it names, once") {
  const auto scenario =
      load(minimal_with("{ on_round = function(info) if info.round >= 2 then return { 'alarm' } end end }"));
  const lt::LineResult result = lt::play_line(scenario, 1, nullptr);
  REQUIRE(result.errors.empty());
  const lt::Match& m = *result.match;
  CHECK(rounds_with(m, "alarm") == 1);
  bool in_round_two = false;
  for (const lt::Event& e : m.history()[1].events) in_round_two = in_round_two || e.kind == "alarm";
  CHECK(in_round_two);
  CHECK(m.state().actors[0].gov.budget_usd_b == doctest::Approx(17));
}

TEST_CASE("hooks: a scenario without hooks plays the same as before") {
  const auto scenario = load(minimal_with("{ on_round = function() return nil end }"));
  const lt::LineResult result = lt::play_line(scenario, 1, nullptr);
  REQUIRE(result.errors.empty());
  CHECK(rounds_with(*result.match, "alarm") == 0);
}

TEST_CASE("hooks: an unknown event id, a runaway hook and a bad return are reported, the match goes on") {
  const std::pair<const char*, const char*> cases[] = {
      {"{ on_round = function() return { 'nope' } end }", "hooks.on_round: unknown event 'nope'"},
      {"{ on_round = function() while true do end end }", "instruction budget exceeded"},
      {"{ on_round = function() return 42 end }", "expected a list of event ids or nil"},
      // Work hidden in C library loops pays from the same budget (#8).
      {"{ on_round = function() table.move({}, 1, 1 << 50, 2) end }", "instruction budget exceeded"},
      {"{ on_round = function() error(setmetatable({}, { __tostring = function() while true do end end })) end }",
       "(error object is a table value)"},
  };
  for (const auto& [hooks, expected] : cases) {
    CAPTURE(hooks);
    const lt::LineResult result = lt::play_line(load(minimal_with(hooks)), 1, nullptr);
    REQUIRE(result.match);
    CHECK(result.match->finished());
    REQUIRE(!result.errors.empty());
    CHECK(result.errors.front().find(expected) != std::string::npos);
    CHECK(result.errors.front().find("hooks.lua") != std::string::npos);
  }
}

TEST_CASE("hooks: an unknown hook name or a non-function is a load error") {
  auto unknown = lt::load_scenario_source(minimal_with("{ on_turn = function() end }"), "hooks.lua");
  CHECK_FALSE(unknown.scenario);
  CHECK(unknown.error.find("unknown hook 'on_turn'") != std::string::npos);
  auto not_fn = lt::load_scenario_source(minimal_with("{ on_round = 3 }"), "hooks.lua");
  CHECK_FALSE(not_fn.scenario);
  CHECK(not_fn.error.find("hooks.on_round: expected a function") != std::string::npos);
}

#include "engine/lua/scenario_loader.h"

#include <array>
#include <lua.hpp>

#include "engine/lua/sandbox.h"
#include "engine/lua/scenario_sections.h"

namespace leadtime {
namespace {

using namespace scenario_detail;

constexpr int kMaxRounds = 200;

constexpr std::array<std::string_view, 10> kScenarioKeys = {"name",   "description", "start", "rounds", "coefficients",
                                                            "actors", "markets",     "hubs",  "events", "hooks"};

Scenario read_scenario(lua_State* L, int root, const std::string& source, Problems& problems) {
  problems.attempt([&] { check_keys(L, root, "", any_of_names(kScenarioKeys)); });
  Scenario s;
  s.source = source;
  problems.attempt([&] {
    s.name = required_string(L, root, "", "name", "a non-empty string");
    if (s.name.empty()) fail("name", "expected a non-empty string");
  });
  problems.attempt([&] { s.description = optional_string(L, root, "", "description", "a string").value_or(""); });
  const bool dated = problems.attempt([&] {
    const std::optional<Quarter> start = optional_quarter(L, root, "", "start");
    if (!start) fail("", missing("start", "the first quarter, like 2026Q3"));
    s.start = *start;
  }) && problems.attempt([&] {
    const NumberRule rounds_rule{1, kMaxRounds, true,
                                 "a whole number of quarters from 1 to " + std::to_string(kMaxRounds)};
    s.rounds = static_cast<int>(required_number(L, root, "", "rounds", rounds_rule));
  });
  s.coef = read_coefficients(L, root, problems);
  bool actors_read = false;
  problems.attempt([&] { actors_read = read_actors(L, root, s, problems); });
  problems.attempt([&] { read_markets(L, root, s.initial, problems); });
  problems.attempt([&] { s.initial.hubs = read_hubs(L, root); });
  // Orders and events name actors (and events quarters): with those broken,
  // what follows would only repeat the same problems.
  if (actors_read) apply_standing_orders(L, root, s, problems);
  if (actors_read && dated) s.events = read_events(L, root, s, problems);
  problems.attempt([&] {
    if (check_hooks(L, root)) s.hook_script = "hooks";  // marked here, the text is filled in by the caller
  });
  s.initial.quarter = s.start;
  return s;
}

}  // namespace

LoadResult load_scenario_source(std::string_view source, const std::string& chunkname) {
  lua::Sandbox sandbox(kLoadMemory);
  if (auto error = run_data_file(sandbox, source, chunkname, "the scenario")) return {std::nullopt, std::move(*error)};
  try {
    Problems problems;
    Scenario scenario = read_scenario(sandbox.L(), lua_gettop(sandbox.L()), chunkname, problems);
    if (!scenario.hook_script.empty()) scenario.hook_script = std::string(source);
    return {std::move(scenario), {}};
  } catch (const LoadFailure& failure) {
    return {std::nullopt, chunkname + ": " + failure.message};
  }
}

LoadResult load_scenario_file(const std::string& path) {
  const std::optional<std::string> source = read_text_file(path);
  if (!source) return {std::nullopt, path + ": cannot read the file"};
  return load_scenario_source(*source, path);
}

}  // namespace leadtime

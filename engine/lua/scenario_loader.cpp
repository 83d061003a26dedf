#include "engine/lua/scenario_loader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <lua.hpp>

#include "engine/lua/sandbox.h"
#include "engine/lua/scenario_extends.h"
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

// A reader's message, "actors[3].kind: expected ...", split at its field
// path; a message that starts with no path is about the file as a whole.
std::pair<std::string, std::string> split_field(const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return {"", message};
  const std::string field = message.substr(0, colon);
  const bool is_path = std::all_of(field.begin(), field.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '[' || c == ']';
  });
  if (!is_path) return {"", message};
  return {field, message.substr(colon + 2)};
}

// Names the file and field a problem of the merged table came from: the
// variant's for what it overrides, the base's for the rest.
LoadError blamed_error(const Chain& chain, const std::string& message) {
  const auto [merged_field, what] = split_field(message);
  const Blame b = blame(chain, merged_field);
  const ChainFile& file = chain.files[b.file];
  const bool inherited = b.file + 1 != chain.files.size();
  return make_error(file.path, file.source, b.path,
                    inherited ? what + " (in the base of " + chain.files.back().path + ")" : what);
}

}  // namespace

LoadResult load_scenario_source(std::string_view source, const std::string& chunkname, const LoadOptions& options) {
  LoadResult result;
  const auto failed = [&](LoadError error) {
    result.error = error.text;
    result.errors.push_back(std::move(error));
    return result;
  };
  lua::Sandbox sandbox(kLoadMemory);
  Chain chain;
  if (auto error = run_scenario_chain(sandbox, source, chunkname, chain)) return failed(std::move(*error));
  for (auto it = chain.files.rbegin(); it != chain.files.rend(); ++it) result.files.push_back(it->path);
  result.chain = std::make_shared<const Chain>(chain);
  Problems problems;
  problems.collect = options.every_problem;
  std::optional<Scenario> scenario;
  try {
    scenario = read_scenario(sandbox.L(), lua_gettop(sandbox.L()), chunkname, problems);
  } catch (const LoadFailure& failure) {
    problems.messages.push_back(failure.message);
  }
  for (const std::string& message : problems.messages) result.errors.push_back(blamed_error(*result.chain, message));
  if (!result.errors.empty()) {
    result.error = result.errors.front().text;
    return result;
  }
  // The hooks run from the text of the file that gave them (scenario_hooks.h).
  if (!scenario->hook_script.empty()) {
    scenario->hook_script = result.chain->files[blame(*result.chain, "hooks").file].source;
  }
  bind_lookups(*scenario);
  result.scenario = std::move(scenario);
  return result;
}

LoadError locate(const LoadResult& loaded, const std::string& field, const std::string& message) {
  if (!loaded.chain || loaded.chain->files.empty()) {
    const std::string file = loaded.files.empty() ? "" : loaded.files.front();
    return make_error(file, "", field, message);
  }
  return blamed_error(*loaded.chain, field.empty() ? message : field + ": " + message);
}

LoadResult load_scenario_file(const std::string& path, const LoadOptions& options) {
  const std::optional<std::string> source = read_text_file(path);
  if (!source) {
    LoadResult result;
    result.errors.push_back(make_error(path, "", "", "cannot read the file"));
    result.error = result.errors.front().text;
    return result;
  }
  return load_scenario_source(*source, path, options);
}

}  // namespace leadtime

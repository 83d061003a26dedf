#include "engine/lua/scenario_hooks.h"

#include <algorithm>
#include <lua.hpp>

namespace leadtime::lua {
namespace {

// The registry key of the compiled scenario file, run at every start.
constexpr const char* kChunk = "leadtime.hooks_chunk";

void push_info(lua_State* L, const State& state) {
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, state.round + 1);
  lua_setfield(L, -2, "round");
  lua_pushstring(L, state.quarter.str().c_str());
  lua_setfield(L, -2, "quarter");
  lua_pushnumber(L, state.outcomes.lead_months);
  lua_setfield(L, -2, "lead_months");
  lua_pushnumber(L, state.outcomes.compute_ratio_us_cn);
  lua_setfield(L, -2, "compute_ratio_us_cn");
  lua_createtable(L, 0, kMarketCount);
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    lua_createtable(L, 0, kStackCount);
    for (std::size_t k = 0; k < kStackCount; ++k) {
      lua_pushnumber(L, state.markets[m].share[k]);
      lua_setfield(L, -2, kStackNames[k]);
    }
    lua_setfield(L, -2, kMarketNames[m]);
  }
  lua_setfield(L, -2, "shares");
}

std::string describe(const LuaError& e) {
  switch (e.kind) {
    case ErrorKind::Budget:
      return "instruction budget exceeded";  // TimeLimit's message says all it needs
    case ErrorKind::Memory:
      return "memory cap exceeded";
    default:
      return e.message;
  }
}

}  // namespace

// Compiling comes before the snapshot, the seed and running after it, as
// for bots (Bot::load).
std::variant<ScenarioHooks, std::string> ScenarioHooks::load(const Scenario& scenario, std::uint64_t seed,
                                                             Restart restart) {
  ScenarioHooks hooks;
  hooks.script_ = scenario.hook_script;
  hooks.source_ = scenario.source;
  if (scenario.hook_script.empty()) return hooks;
  Sandbox sandbox;
  if (auto error = sandbox.load(scenario.hook_script, scenario.source)) {
    return scenario.source + ": " + describe(*error);
  }
  lua_setfield(sandbox.L(), LUA_REGISTRYINDEX, kChunk);
  hooks.sandbox_.emplace(std::move(sandbox));
  if (restart == Restart::Offer) hooks.sandbox_->snapshot();
  if (auto error = hooks.start(seed)) return *error;
  return hooks;
}

bool ScenarioHooks::can_restart(const Scenario& scenario) const {
  if (scenario.hook_script != script_ || scenario.source != source_) return false;
  return !sandbox_ || sandbox_->has_snapshot();
}

std::optional<std::string> ScenarioHooks::restart(std::uint64_t seed) {
  if (!sandbox_) return std::nullopt;
  sandbox_->restore();
  return start(seed);
}

std::optional<std::string> ScenarioHooks::start(std::uint64_t seed) {
  Sandbox& sandbox = *sandbox_;
  sandbox.seed(derive_seed(seed, 0x400C5));
  sandbox.set_budget(Sandbox::kDefaultBudget);
  lua_getfield(sandbox.L(), LUA_REGISTRYINDEX, kChunk);
  if (auto error = sandbox.call(0, 1)) return source_ + ": " + describe(*error);
  lua_getfield(sandbox.L(), -1, "hooks");
  lua_setglobal(sandbox.L(), "__leadtime_hooks");  // kept for every round; the scenario table is dropped
  lua_settop(sandbox.L(), 0);
  return std::nullopt;
}

std::variant<std::vector<Inject>, std::string> ScenarioHooks::on_round(const State& state, const Scenario& scenario) {
  std::vector<Inject> injects;
  if (!sandbox_) return injects;
  lua_State* L = sandbox_->L();
  lua_settop(L, 0);
  lua_getglobal(L, "__leadtime_hooks");
  if (lua_getfield(L, -1, "on_round") != LUA_TFUNCTION) return injects;
  push_info(L, state);
  sandbox_->set_budget(kBudget);
  const std::string where = scenario.source + ": hooks.on_round";
  if (auto error = sandbox_->call(1, 1)) return where + ": " + describe(*error);
  if (lua_isnil(L, -1)) return injects;
  if (!lua_istable(L, -1)) return where + ": expected a list of event ids or nil";
  const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    if (lua_type(L, -1) != LUA_TSTRING) return where + ": entry " + std::to_string(i) + " is not an event id";
    const std::string id = lua_tostring(L, -1);
    lua_pop(L, 1);
    const auto event = std::find_if(scenario.events.begin(), scenario.events.end(),
                                    [&](const ScenarioEvent& e) { return e.id == id; });
    if (event == scenario.events.end()) return where + ": unknown event '" + id + "'";
    // A once-only event a hook asks for again stays fired once.
    if (event->once && std::binary_search(state.fired_once.begin(), state.fired_once.end(), id)) continue;
    Inject inject;
    inject.event_id = id;
    injects.push_back(std::move(inject));
  }
  return injects;
}

}  // namespace leadtime::lua

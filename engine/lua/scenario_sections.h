#pragma once

// The parts of a scenario table, one reader each (internal to the loader):
// engine/lua/scenario_world.cpp reads coefficients, markets and hubs,
// scenario_actors.cpp the actors and their standing orders,
// scenario_events.cpp the events and hooks. Each takes the index of the
// scenario table on the Lua stack; paths in messages start at its fields.

#include "engine/lua/scenario_read.h"
#include "engine/scenario.h"

namespace leadtime::scenario_detail {

Coefficients read_coefficients(lua_State* L, int root, Problems& problems);
void read_markets(lua_State* L, int root, State& state, Problems& problems);
Hubs read_hubs(lua_State* L, int root);

// False when an actor could not be read (in collect mode the rest still are).
bool read_actors(lua_State* L, int root, Scenario& s, Problems& problems);
// Runs after every actor exists, so orders may name actors listed later.
void apply_standing_orders(lua_State* L, int root, Scenario& s, Problems& problems);

std::vector<ScenarioEvent> read_events(lua_State* L, int root, const Scenario& s, Problems& problems);
// Hooks run per match in engine/lua/scenario_hooks.cpp; here only their names
// and types are checked. Returns whether the scenario has any.
bool check_hooks(lua_State* L, int root);

}  // namespace leadtime::scenario_detail

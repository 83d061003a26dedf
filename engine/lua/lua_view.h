#pragma once

#include "engine/state.h"
#include "engine/views.h"

struct lua_State;

namespace leadtime::lua {

// Pushes what a bot may read, as plain Lua tables. Lists are arrays in a
// fixed order (actors by scenario order, markets US, CN, EU, ROW) because
// pairs() order over string keys is seeded per Lua state.

// The seat's fog-of-war view: { round, quarter, self = {...}, others = {...},
// indicators = {...}, events = {...}, score }.
void push_view(lua_State* L, const View& view, const State& state);

// The action catalogue: an array of { name, help, kinds = {...}, bloc,
// params = { { name, type, min, max, unit, help }, ... } }, plus a map by name.
void push_catalogue(lua_State* L);

}  // namespace leadtime::lua

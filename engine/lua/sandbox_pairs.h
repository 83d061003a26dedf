#pragma once

// The sandbox's own pairs() (sandbox_pairs.cpp). Only the sandbox
// includes this; scripts see the result as the global `pairs`.

#include <lua.hpp>

namespace leadtime::lua::detail {

// pairs(t) that visits t's keys in an order that does not depend on Lua's
// per-state string hash seed (see sandbox.h for the rule). With a __pairs
// metamethod it calls that instead, as stock Lua does.
int ordered_pairs(lua_State* L);

}  // namespace leadtime::lua::detail

#pragma once

// The sandbox's standard library, for the sandbox's own files only: which
// libraries scripts get, what is taken out, and the functions replaced or
// guarded (sandbox.h says why).

#include <lua.hpp>

namespace leadtime::lua::detail {

// Opens the base, string, table, math, utf8 and coroutine libraries, removes
// everything that reaches the outside world, puts the sandbox's own and
// guarded functions in place and locks the strings' metatable.
void open_sandbox_libraries(lua_State* L);

// Calls upvalue 1 (the original function) with this call's arguments.
int call_original(lua_State* L);

// Guarded string and table functions (sandbox_guards.cpp). Upvalue 1 is the
// original, except for stable_sort, which replaces table.sort outright.
int guarded_find(lua_State* L);
int guarded_pattern(lua_State* L);  // string.match and string.gsub
int guarded_gmatch(lua_State* L);
int guarded_rep(lua_State* L);
int guarded_move(lua_State* L);
int guarded_insert(lua_State* L);
int guarded_remove(lua_State* L);
int stable_sort(lua_State* L);

}  // namespace leadtime::lua::detail

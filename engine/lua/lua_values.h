#pragma once

// Small readers shared by the scenario loader and order parsing. None of
// them runs a metamethod or raises a Lua error, so they are safe on the
// host's side of a call.

#include <cstddef>
#include <optional>
#include <string>

struct lua_State;

namespace leadtime::lua {

// How a value reads in an error message: 3, 0.25, 'bank', true, a table.
std::string describe_value(lua_State* L, int index);

// The number of entries of the list at `index` (a table with keys 1..n and
// nothing else), or nothing when it is not a table or has other keys: a
// record where a list belongs, or a list with holes.
std::optional<std::size_t> list_length(lua_State* L, int index);

// True when the table at `index` has the string key `name` (raw lookup).
bool has_string_key(lua_State* L, int index, const std::string& name);

}  // namespace leadtime::lua

#pragma once

// Names a view sets again and again (the fields of each struct, the blocs
// and markets of keyed arrays) as Lua strings made once per Lua state.
//
// Why: lua_setfield(L, i, "capacity_investment_usd_b") turns the C string
// into a Lua string on every call. Lua's cache for that is keyed by the C
// pointer and confirms a hit with strcmp, and with a few hundred names in a
// cache of about a hundred entries many calls miss, hash the name and look
// it up in the string table: that was a fifth of building a view. A name
// kept in an array is one indexed read away.

#include <array>
#include <span>

#include "engine/state_fields.h"

struct lua_State;

namespace leadtime::lua {

// Pushes the array of `names` as Lua strings (names[0] at index 1), made on
// first use in this Lua state and kept in its registry under names.data():
// pass only arrays of static storage whose contents never change.
void push_names(lua_State* L, std::span<const char* const> names);

// The names of S's fields in table order (fields::for_each), for push_names.
template <fields::HasTable S>
inline constexpr auto kFieldNames = [] {
  std::array<const char*, fields::count<S>> names{};
  fields::for_each<S>([&](auto at) { names[decltype(at)::index] = decltype(at)::field.name; });
  return names;
}();

}  // namespace leadtime::lua

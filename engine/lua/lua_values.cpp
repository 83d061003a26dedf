#include "engine/lua/lua_values.h"

#include <lua.hpp>
#include <sstream>
#include <string_view>

namespace leadtime::lua {

std::string describe_value(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TNUMBER: {
      if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
      std::ostringstream out;
      out << lua_tonumber(L, index);
      return out.str();
    }
    case LUA_TSTRING: {
      std::size_t length = 0;
      const char* text = lua_tolstring(L, index, &length);
      return "'" + std::string(text, length) + "'";
    }
    case LUA_TBOOLEAN:
      return lua_toboolean(L, index) ? "true" : "false";
    case LUA_TNIL:
    case LUA_TNONE:
      return "nil";
    default:
      return std::string("a ") + lua_typename(L, lua_type(L, index));
  }
}

std::optional<std::size_t> list_length(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE || !lua_checkstack(L, 2)) return std::nullopt;
  const lua_Unsigned length = lua_rawlen(L, index);
  // n distinct keys, all whole numbers from 1 to n, are exactly 1..n; this
  // holds whatever order pairs visits them in.
  lua_Unsigned entries = 0;
  bool only_positions = true;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    ++entries;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || static_cast<lua_Unsigned>(lua_tointeger(L, -2)) > length) {
      only_positions = false;
    }
    lua_pop(L, 1);
  }
  if (!only_positions || entries != length) return std::nullopt;
  return static_cast<std::size_t>(length);
}

bool has_string_key(lua_State* L, int index, const std::string& name) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE || !lua_checkstack(L, 2)) return false;
  bool found = false;
  lua_pushnil(L);
  while (!found && lua_next(L, index)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      std::size_t length = 0;
      const char* key = lua_tolstring(L, -2, &length);
      found = std::string_view(key, length) == name;
    }
    lua_pop(L, 1);
  }
  if (found) lua_pop(L, 1);  // the key lua_next left behind
  return found;
}

}  // namespace leadtime::lua

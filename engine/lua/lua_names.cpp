#include "engine/lua/lua_names.h"

#include <lua.hpp>

namespace leadtime::lua {

void push_names(lua_State* L, std::span<const char* const> names) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, names.data()) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (std::size_t i = 0; i < names.size(); ++i) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, names.data());
}

}  // namespace leadtime::lua

#pragma once

// Running a chunk in a sandbox from a test: one that must succeed and
// return a value (as text), or one that must fail (its error). Both check
// that the stack is left as it was. The budget is the caller's to set.
#include <doctest/doctest.h>

#include <lua.hpp>
#include <string>

#include "engine/lua/sandbox.h"

namespace lua_testing {

// The value the chunk returns as text: "true", "42", "nil", ...
inline std::string run_value(leadtime::lua::Sandbox& sandbox, const std::string& source,
                             const char* chunk = "test.lua") {
  lua_State* L = sandbox.L();
  const int top = lua_gettop(L);
  if (const leadtime::lua::CallResult error = sandbox.run_chunk(source, chunk, 1)) {
    FAIL_CHECK("chunk failed: ", error->message, "\n", source);
    return "<error>";
  }
  std::string text = lua_type(L, -1) == LUA_TBOOLEAN ? (lua_toboolean(L, -1) ? "true" : "false")
                                                     : std::string(luaL_tolstring(L, -1, nullptr));
  lua_settop(L, top);
  return text;
}

inline leadtime::lua::LuaError run_error(leadtime::lua::Sandbox& sandbox, const std::string& source,
                                         const char* chunk = "test.lua") {
  const int top = lua_gettop(sandbox.L());
  const leadtime::lua::CallResult error = sandbox.run_chunk(source, chunk, 0);
  CHECK(lua_gettop(sandbox.L()) == top);
  if (!error) {
    FAIL_CHECK("the chunk succeeded but should have failed: ", source);
    return {};
  }
  return *error;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace lua_testing

// The libraries a sandboxed script gets: the whitelist, the functions
// replaced so nothing reaches outside or runs unmetered, and print and
// math.random made the host's (sandbox.h has the rules).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "engine/lua/sandbox_library.h"
#include "engine/lua/sandbox_limits.h"
#include "engine/lua/sandbox_pairs.h"

namespace leadtime::lua::detail {
namespace {

// coroutine.create, but the new thread is metered by the same budget. (Lua
// 5.4 happens to copy hooks into new threads; this does not rely on it.)
int metered_create(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State* thread = lua_newthread(L);
  install_hook(thread, control_of(L));
  lua_pushvalue(L, 1);
  lua_xmove(L, thread, 1);
  return 1;
}

// The function coroutine.wrap hands out: resumes its thread (upvalue 1) and
// returns what it yields, or raises the coroutine's error in the caller.
// Unlike stock Lua it does not close the dead coroutine's pending <close>
// variables: see guarded_close.
int resume_wrapped(lua_State* L) {
  lua_State* thread = lua_tothread(L, lua_upvalueindex(1));
  const int nargs = lua_gettop(L);
  if (!lua_checkstack(thread, nargs)) return luaL_error(L, "too many arguments to resume");
  lua_xmove(L, thread, nargs);
  int nresults = 0;
  const int status = lua_resume(thread, L, nargs, &nresults);
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_xmove(thread, L, 1);
    return lua_error(L);
  }
  if (!lua_checkstack(L, nresults)) {
    lua_pop(thread, nresults);
    return luaL_error(L, "too many results to resume");
  }
  lua_xmove(thread, L, nresults);
  return nresults;
}

int metered_wrap(lua_State* L) {
  metered_create(L);
  lua_pushcclosure(L, resume_wrapped, 1);
  return 1;
}

// Lua runs some code with hooks switched off, out of the budget's reach;
// the guards below keep scripts from putting their own code there.
//
// A coroutine killed by the budget error is left with hooks off (the error
// left the hook without switching them back on), and closing it would run
// its pending <close> handlers unmetered. Closing a coroutine that died of
// any error therefore skips them and just reports the death; upvalue 1 is
// the original close.
int guarded_close(lua_State* L) {
  lua_State* thread = lua_tothread(L, 1);
  const int status = thread ? lua_status(thread) : LUA_OK;
  if (status == LUA_OK || status == LUA_YIELD) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_pushboolean(L, 0);
  lua_pushliteral(L, "coroutine died of an error; its <close> handlers are skipped in the sandbox");
  return 2;
}

// The message handler of an error raised by the budget hook runs with hooks
// off, so an xpcall handler that loops would never be stopped. While the
// budget is spent the handler is skipped and the error passes through.
// Upvalue 1 is the script's handler.
int guarded_handler(lua_State* L) {
  if (stopped(control_of(L))) return lua_gettop(L) > 0 ? 1 : 0;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// Everything on the stack is the call's results; also the continuation
// when the protected function yields, so coroutines can yield inside xpcall.
int pass_results(lua_State* L, int /*status*/, lua_KContext /*context*/) { return lua_gettop(L); }

// xpcall with the script's handler behind guarded_handler; upvalue 1 is the
// original xpcall.
int guarded_xpcall(lua_State* L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, pass_results);
  return pass_results(L, LUA_OK, 0);
}

// Finalizers (__gc) always run with hooks off. Lua only schedules a table
// for finalization if its metatable has __gc when setmetatable is called,
// so refusing such metatables here keeps finalizers out entirely. Upvalue 1
// is the original setmetatable.
int guarded_setmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    const int type = lua_rawget(L, 2);
    lua_pop(L, 1);
    if (type != LUA_TNIL) return luaL_error(L, "setmetatable: __gc metamethods are not available in the sandbox");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// load() minus binary chunks: hand-made bytecode can break the VM's
// invariants and escape any sandbox. Without an env argument the chunk sees
// the sandbox's globals, as the original does. Upvalue 1 is the original.
int text_only_load(lua_State* L) {
  const int nargs = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  if (nargs >= 1) {
    lua_pushvalue(L, 1);
  } else {
    lua_pushnil(L);  // the original reports the missing chunk
  }
  if (nargs >= 2) {
    lua_pushvalue(L, 2);
  } else {
    lua_pushnil(L);
  }
  lua_pushliteral(L, "t");
  const bool has_env = nargs >= 4;
  if (has_env) lua_pushvalue(L, 4);
  lua_call(L, has_env ? 4 : 3, LUA_MULTRET);
  return lua_gettop(L) - nargs;
}

// Scripts may watch their memory but not drive the collector: collection
// timing would otherwise be theirs to make expensive.
int count_only_collectgarbage(lua_State* L) {
  const char* option = luaL_optstring(L, 1, "collect");
  if (std::strcmp(option, "count") != 0) {
    return luaL_error(L, "collectgarbage: only \"count\" is available in the sandbox");
  }
  const int kib = lua_gc(L, LUA_GCCOUNT);
  const int rest = lua_gc(L, LUA_GCCOUNTB);
  lua_pushnumber(L, static_cast<lua_Number>(kib) + static_cast<lua_Number>(rest) / 1024.0);
  return 1;
}

void append_bounded(std::string& out, const char* text, std::size_t length) {
  const std::size_t room = Sandbox::kOutputCap - std::min(out.size(), Sandbox::kOutputCap);
  out.append(text, std::min(length, room));
}

// print() into a buffer the host reads, never to the server's stdout. Every
// conversion (which may raise) happens before anything touches the buffer.
int captured_print(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checkstack(L, n, "too many arguments to print");
  for (int i = 1; i <= n; ++i) luaL_tolstring(L, i, nullptr);
  std::string& out = control_of(L).output;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) append_bounded(out, "\t", 1);
    std::size_t length = 0;
    const char* text = lua_tolstring(L, n + i, &length);
    append_bounded(out, text, length);
  }
  append_bounded(out, "\n", 1);
  return 0;
}

// math.random from the sandbox's Rng, so a seed replays a script exactly.
int seeded_random(lua_State* L) {
  Rng& rng = control_of(L).rng;
  lua_Integer low = 1;
  lua_Integer high = 0;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, rng.uniform01());
      return 1;
    case 1:
      high = luaL_checkinteger(L, 1);
      if (high == 0) {  // as in stock Lua: a whole random integer
        lua_pushinteger(L, static_cast<lua_Integer>(rng.next_u64()));
        return 1;
      }
      break;
    case 2:
      low = luaL_checkinteger(L, 1);
      high = luaL_checkinteger(L, 2);
      break;
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= high, lua_gettop(L), "interval is empty");
  // Unsigned arithmetic: the span of [minint, maxint] does not fit a lua_Integer.
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t offset = span == std::numeric_limits<std::uint64_t>::max() ? rng.next_u64() : rng.below(span + 1);
  const std::uint64_t value = static_cast<std::uint64_t>(low) + offset;  // wraps back into [low, high]
  lua_pushinteger(L, static_cast<lua_Integer>(value));
  return 1;
}

// Reseeding would let a bot choose its own luck; it quietly does nothing so
// scripts written for stock Lua still run.
int ignored_randomseed(lua_State* /*L*/) { return 0; }

void open_libraries(lua_State* L) {
  const luaL_Reg libraries[] = {
      {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine},
  };
  for (const luaL_Reg& library : libraries) {
    luaL_requiref(L, library.name, library.func, 1);
    lua_pop(L, 1);
  }
}

// Cleared even though their libraries are never opened, so nothing a future
// edit to open_libraries adds can leak them back in.
void remove_outside_access(lua_State* L) {
  for (const char* name : {"dofile", "loadfile", "require", "package", "io", "os", "debug"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");  // bytecode out is the first half of bytecode in
  lua_pop(L, 1);
}

void set_library_function(lua_State* L, const char* library, const char* name, lua_CFunction f) {
  lua_getglobal(L, library);
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

// Replaces library.name (a global when library is null) with a closure of
// `f` over the original.
void wrap_original(lua_State* L, const char* library, const char* name, lua_CFunction f) {
  if (library) {
    lua_getglobal(L, library);
  } else {
    lua_pushglobaltable(L);
  }
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

void replace_base_functions(lua_State* L) {
  wrap_original(L, nullptr, "load", text_only_load);
  wrap_original(L, nullptr, "xpcall", guarded_xpcall);
  wrap_original(L, nullptr, "setmetatable", guarded_setmetatable);
  wrap_original(L, LUA_COLIBNAME, "close", guarded_close);
  wrap_original(L, LUA_STRLIBNAME, "find", guarded_find);
  for (const char* name : {"match", "gsub"}) wrap_original(L, LUA_STRLIBNAME, name, guarded_pattern);
  wrap_original(L, LUA_STRLIBNAME, "gmatch", guarded_gmatch);
  wrap_original(L, LUA_STRLIBNAME, "rep", guarded_rep);
  wrap_original(L, LUA_TABLIBNAME, "move", guarded_move);
  wrap_original(L, LUA_TABLIBNAME, "insert", guarded_insert);
  wrap_original(L, LUA_TABLIBNAME, "remove", guarded_remove);
  lua_pushcfunction(L, count_only_collectgarbage);
  lua_setglobal(L, "collectgarbage");
  lua_pushcfunction(L, captured_print);
  lua_setglobal(L, "print");
  lua_pushcfunction(L, ordered_pairs);
  lua_setglobal(L, "pairs");
  set_library_function(L, LUA_TABLIBNAME, "sort", stable_sort);
  set_library_function(L, LUA_MATHLIBNAME, "random", seeded_random);
  set_library_function(L, LUA_MATHLIBNAME, "randomseed", ignored_randomseed);
  set_library_function(L, LUA_COLIBNAME, "create", metered_create);
  set_library_function(L, LUA_COLIBNAME, "wrap", metered_wrap);
}

// All strings share one metatable per state; a script that could reach it
// could change how every string behaves for every later script.
void lock_string_metatable(lua_State* L) {
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

}  // namespace

// Calls upvalue 1 (the original) with this call's arguments.
int call_original(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void open_sandbox_libraries(lua_State* L) {
  open_libraries(L);
  remove_outside_access(L);
  replace_base_functions(L);
  lock_string_metatable(L);
}

}  // namespace leadtime::lua::detail

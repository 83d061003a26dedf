#include "engine/lua/sandbox.h"

#include <doctest/doctest.h>

#include <lua.hpp>
#include <string>

#include "tests/lua/sandbox_run.h"

namespace {

using leadtime::lua::ErrorKind;
using leadtime::lua::Sandbox;

using lua_testing::run_error;
using lua_testing::run_value;

// A bytecode header, enough for Lua to recognise a binary chunk.
const std::string kBinaryChunk = std::string("\x1bLua\x54\x00\x19\x93\r\n\x1a\n", 12) + "payload";

}  // namespace

TEST_CASE("sandbox: no way out to files, processes or the debug library") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "return io == nil and os == nil and debug == nil and package == nil") == "true");
  CHECK(run_value(sandbox, "return require == nil and dofile == nil and loadfile == nil") == "true");
  CHECK(run_value(sandbox, "return string.dump == nil and ('').dump == nil") == "true");
  const auto error = run_error(sandbox, "return io.open('/etc/passwd')");
  CHECK(error.kind == ErrorKind::Runtime);
  CHECK(error.message.find("io") != std::string::npos);
  CHECK(run_error(sandbox, "dofile('/etc/passwd')").kind == ErrorKind::Runtime);
  CHECK(run_error(sandbox, "return require('os')").kind == ErrorKind::Runtime);
}

TEST_CASE("sandbox: the globals are exactly the allowed set") {
  // Anything new here must be reviewed for ways out of the sandbox.
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local names = {} for k in pairs(load('return _ENV')()) do names[#names + 1] = k end "
                  "table.sort(names) return table.concat(names, ' ')") ==
        "_G _VERSION assert collectgarbage coroutine error getmetatable ipairs load math next pairs pcall print "
        "rawequal rawget rawlen rawset select setmetatable string table tonumber tostring type utf8 warn xpcall");
}

TEST_CASE("sandbox: only text chunks load, from the host or from scripts") {
  Sandbox sandbox;
  const auto host = sandbox.run_chunk(kBinaryChunk, "binary.lua");
  REQUIRE(host);
  CHECK(host->kind == ErrorKind::Syntax);
  CHECK(host->message.find("binary") != std::string::npos);

  lua_State* L = sandbox.L();
  lua_pushlstring(L, kBinaryChunk.data(), kBinaryChunk.size());
  lua_setglobal(L, "bytes");
  CHECK(run_value(sandbox, "local f, message = load(bytes) return f == nil and message:find('binary') ~= nil") ==
        "true");
  // Asking for binary mode explicitly changes nothing.
  CHECK(run_value(sandbox, "return load(bytes, 'x', 'b') == nil and load(bytes, 'x', 'bt') == nil") == "true");
  // Text still loads, in every mode a script may ask for.
  CHECK(run_value(sandbox, "return load('return 1 + 1', 'x', 'b')()") == "2");
}

TEST_CASE("sandbox: load without an env sees the sandbox globals and nothing else") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "return load('return _G')() == _G") == "true");
  CHECK(run_value(sandbox,
                  "local a, b, c, d = load('return io, os, debug, require')() "
                  "return a == nil and b == nil and c == nil and d == nil") == "true");
  CHECK(run_value(sandbox, "return load('return x', 'c', 't', { x = 7 })()") == "7");
  CHECK(run_value(sandbox, "return load('return print', 'c', 't', {})() == nil") == "true");
  // Reader functions still work.
  CHECK(run_value(sandbox,
                  "local parts = { 'return ', '40 + 2' } local i = 0 "
                  "return load(function() i = i + 1 return parts[i] end)()") == "42");
}

TEST_CASE("sandbox: the string metatable is locked") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "return getmetatable('')") == "false");
  CHECK(run_value(sandbox, "return (pcall(setmetatable, '', {}))") == "false");
  CHECK(run_value(sandbox, "return (pcall(function() getmetatable('').__index = {} end))") == "false");
  CHECK(run_value(sandbox, "return ('abc'):upper()") == "ABC");
}

TEST_CASE("sandbox: collectgarbage only counts") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "return collectgarbage('count') > 0") == "true");
  CHECK(run_error(sandbox, "collectgarbage()").message.find("only \"count\"") != std::string::npos);
  CHECK(run_error(sandbox, "collectgarbage('stop')").kind == ErrorKind::Runtime);
}

TEST_CASE("sandbox: an infinite loop stops with a budget error and the sandbox stays usable") {
  Sandbox sandbox;
  sandbox.set_budget(1'000'000);
  const auto error = run_error(sandbox, "while true do end");
  CHECK(error.kind == ErrorKind::Budget);
  CHECK(error.message == "instruction budget exceeded");
  CHECK(sandbox.budget_exhausted());
  // Spent is spent until the host refills it.
  CHECK(run_error(sandbox, "return 1").kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_value(sandbox, "local n = 0 for i = 1, 1000 do n = n + i end return n") == "500500");
  CHECK(sandbox.budget_left() < 1'000'000);
}

TEST_CASE("sandbox: pcall and xpcall cannot swallow the budget error") {
  Sandbox sandbox;
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox, "while true do pcall(function() while true do end end) end").kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox,
                  "local n = 0 while true do local ok = pcall(function() for i = 1, 10 do n = n + 1 end end) end")
            .kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox,
                  "while true do xpcall(function() while true do end end, "
                  "function() while true do end end) end")
            .kind == ErrorKind::Budget);
  // Catching it on the way out and returning normally is still an overrun.
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox, "return pcall(function() while true do end end)").kind == ErrorKind::Budget);
}

TEST_CASE("sandbox: coroutines share the budget") {
  Sandbox sandbox;
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox, "coroutine.wrap(function() while true do end end)()").kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox, "while true do coroutine.resume(coroutine.create(function() while true do end end)) end")
            .kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox,
                  "local co = coroutine.wrap(function() while true do coroutine.yield() end end) "
                  "while true do pcall(co) end")
            .kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox, "coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()")
            .kind == ErrorKind::Budget);
}

TEST_CASE("sandbox: no script code runs where the budget cannot reach it") {
  Sandbox sandbox;
  // Finalizers run with hooks off, so scripts may not create them.
  CHECK(run_error(sandbox, "setmetatable({}, { __gc = function() while true do end end })").message.find("__gc") !=
        std::string::npos);
  CHECK(run_value(sandbox, "return getmetatable(setmetatable({}, { __index = { x = 1 } })).__index.x") == "1");
  // A coroutine killed by the budget keeps hooks off; closing it must not
  // run its <close> handlers.
  sandbox.set_budget(100'000);
  const char* killed =
      "local co = coroutine.create(function() "
      "  local guard <close> = setmetatable({}, { __close = function() while true do end end }) "
      "  while true do end end) "
      "killed = co coroutine.resume(co)";
  CHECK(run_error(sandbox, killed).kind == ErrorKind::Budget);
  sandbox.set_budget(1'000'000);
  CHECK(
      run_value(sandbox, "local ok, message = coroutine.close(killed) return not ok and message:find('died') ~= nil") ==
      "true");
  // <close> handlers of coroutines that are merely suspended still run, metered.
  CHECK(run_value(sandbox,
                  "local closed = false local co = coroutine.create(function() "
                  "local guard <close> = setmetatable({}, { __close = function() closed = true end }) "
                  "coroutine.yield() end) coroutine.resume(co) coroutine.close(co) return closed") == "true");
  sandbox.set_budget(1'000'000);
  CHECK(run_error(sandbox,
                  "local co = coroutine.create(function() "
                  "local guard <close> = setmetatable({}, { __close = function() while true do end end }) "
                  "coroutine.yield() end) coroutine.resume(co) coroutine.close(co)")
            .kind == ErrorKind::Budget);
}

TEST_CASE("sandbox: xpcall keeps its stock behaviour") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local ok, message = xpcall(error, function(m) return 'handled ' .. m end, 'x') "
                  "return message") == "handled x");
  CHECK(run_value(sandbox, "return select('#', xpcall(function(...) return ... end, print, 1, 2, 3))") == "4");
  CHECK(run_value(sandbox,
                  "local co = coroutine.wrap(function() "
                  "return xpcall(function() return coroutine.yield(1) + 1 end, print) end) "
                  "co() local ok, v = co(41) return v") == "42");
}

TEST_CASE("sandbox: coroutines still behave like coroutines") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local gen = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) "
                  "return gen(1) + gen(10)") == "22");
  CHECK(run_value(sandbox,
                  "local f = coroutine.wrap(function() error('inner', 0) end) "
                  "local ok, message = pcall(f) return not ok and message == 'inner'") == "true");
  CHECK(run_value(sandbox,
                  "local co = coroutine.create(function(x) coroutine.yield(x) end) "
                  "local _, v = coroutine.resume(co, 5) return v") == "5");
  CHECK(run_value(sandbox, "local f = coroutine.wrap(function() end) f() return (pcall(f))") == "false");
}

TEST_CASE("sandbox: a huge string hits the memory cap and the host survives") {
  Sandbox sandbox;
  sandbox.set_budget(100'000'000);
  const auto error = run_error(sandbox, "return string.rep('x', 1e9)");
  CHECK(error.kind == ErrorKind::Memory);
  CHECK(error.message.find("memory cap") != std::string::npos);
  CHECK(sandbox.memory_used() <= sandbox.memory_cap());
  CHECK(run_value(sandbox, "return 1 + 1") == "2");
  // A script may catch it and carry on.
  CHECK(run_value(sandbox, "local ok, message = pcall(string.rep, 'x', 1e9) return message") == "not enough memory");
}

TEST_CASE("sandbox: a table growing forever hits the memory cap") {
  Sandbox sandbox(std::size_t{8} << 20U);
  sandbox.set_budget(1'000'000'000);
  const auto error = run_error(sandbox, "local t, i = {}, 0 while true do i = i + 1 t[i] = { i } end");
  CHECK(error.kind == ErrorKind::Memory);
  CHECK(sandbox.memory_used() <= sandbox.memory_cap());
  CHECK(run_value(sandbox, "return #'still alive'") == "11");
}

TEST_CASE("sandbox: math.random follows the sandbox seed only") {
  const auto sequence = [](std::uint64_t seed, const std::string& prefix = "") {
    Sandbox sandbox;
    sandbox.seed(seed);
    return run_value(sandbox, prefix +
                                  "local t = {} for i = 1, 20 do t[i] = math.random(1, 1000000) end "
                                  "return table.concat(t, ',')");
  };
  CHECK(sequence(7) == sequence(7));
  CHECK(sequence(7) != sequence(8));
  // Scripts cannot reseed.
  CHECK(sequence(7, "math.randomseed(12345) ") == sequence(7));

  Sandbox sandbox;
  sandbox.seed(1);
  CHECK(run_value(sandbox,
                  "for i = 1, 1000 do local x = math.random(6) if x < 1 or x > 6 or math.type(x) ~= 'integer' "
                  "then return false end end return true") == "true");
  CHECK(run_value(sandbox,
                  "for i = 1, 1000 do local x = math.random(-3, 3) if x < -3 or x > 3 then return false end "
                  "end return true") == "true");
  CHECK(run_value(sandbox,
                  "for i = 1, 1000 do local x = math.random() if x < 0 or x >= 1 then return false end "
                  "end return true") == "true");
  CHECK(run_value(sandbox, "return math.random(3, 3)") == "3");
  CHECK(run_value(sandbox, "return math.type(math.random(math.mininteger, math.maxinteger))") == "integer");
  CHECK(run_error(sandbox, "return math.random(2, 1)").message.find("interval is empty") != std::string::npos);
}

TEST_CASE("sandbox: errors say what went wrong and where") {
  Sandbox sandbox;
  const auto syntax = run_error(sandbox, "return (");
  CHECK(syntax.kind == ErrorKind::Syntax);
  CHECK(syntax.message.rfind("test.lua:1:", 0) == 0);
  const auto runtime = run_error(sandbox, "\nerror('boom')");
  CHECK(runtime.kind == ErrorKind::Runtime);
  CHECK(runtime.message == "test.lua:2: boom");
  CHECK(run_error(sandbox, "error({})").message == "(error object is a table value)");
}

TEST_CASE("sandbox: call passes arguments and results") {
  Sandbox sandbox;
  lua_State* L = sandbox.L();
  REQUIRE_FALSE(sandbox.run_chunk("return function(a, b) return a + b, a * b end", "f.lua", 1));
  lua_pushinteger(L, 3);
  lua_pushinteger(L, 4);
  REQUIRE_FALSE(sandbox.call(2, 2));
  CHECK(lua_tointeger(L, -2) == 7);
  CHECK(lua_tointeger(L, -1) == 12);
  lua_settop(L, 0);
}

TEST_CASE("sandbox: print goes to a buffer") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "print('a', 1, true) print() return 0") == "0");
  CHECK(sandbox.take_output() == "a\t1\ttrue\n\n");
  CHECK(sandbox.take_output().empty());
  CHECK(run_value(sandbox, "for i = 1, 10000 do print(string.rep('x', 100)) end return 0") == "0");
  CHECK(sandbox.take_output().size() == Sandbox::kOutputCap);
}

TEST_CASE("sandbox: a moved sandbox keeps working") {
  Sandbox first;
  first.seed(3);
  const std::string expected = run_value(first, "return math.random(1, 1000000)");
  Sandbox source;
  source.seed(3);
  Sandbox moved(std::move(source));
  CHECK(run_value(moved, "return math.random(1, 1000000)") == expected);
  moved.set_budget(1000);
  CHECK(run_error(moved, "while true do end").kind == ErrorKind::Budget);
}

TEST_CASE("sandbox: a backtracking pattern bomb is refused instead of running uncounted in C") {
  leadtime::lua::Sandbox sandbox;
  sandbox.set_budget(1'000'000);
  auto error = sandbox.run_chunk("return string.find(string.rep('a', 5000), '.-.-.-.-.-.-b')", "bomb", 1);
  REQUIRE(error);
  CHECK(error->message.find("too costly") != std::string::npos);
  // Method syntax goes through the same guard.
  auto method = sandbox.run_chunk("return (string.rep('a', 5000)):match('.-.-.-.-b')", "bomb2", 1);
  REQUIRE(method);
  CHECK(method->message.find("too costly") != std::string::npos);
  // Ordinary patterns, ranges in sets and plain finds still work.
  sandbox.set_budget(1'000'000);
  CHECK_FALSE(
      sandbox.run_chunk("assert(('us_lab'):match('^(%a+)_') == 'us')\n"
                        "assert(string.find(string.rep('a', 20000), '[a-z]+') == 1)\n"
                        "assert(string.find(string.rep('a', 100000), 'aab') == nil)\n"
                        "assert(string.find(string.rep('a', 100000) .. '.-.-b', '.-.-b', 1, true))\n"
                        "assert(select(2, string.gsub('a-b-c', '%-', '+')) == 2)",
                        "ok", 0));
}

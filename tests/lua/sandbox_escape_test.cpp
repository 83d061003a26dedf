// The known ways out of a Lua 5.4 sandbox, family by family (issue #8):
// bytecode, string.dump, shared metatables, finalizers, coroutines that dodge
// the hook, pcall loops that swallow the budget error, and work done inside
// C library functions where neither the hook nor the memory cap looks.
// Every case checks that the host gets control back with the right kind of
// failure, that the budget or the memory cap held, and that the sandbox is
// still usable afterwards.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <lua.hpp>
#include <mutex>
#include <string>
#include <thread>

#include "engine/lua/sandbox.h"
#include "tests/lua/sandbox_run.h"

namespace {

using leadtime::lua::CallResult;
using leadtime::lua::ErrorKind;
using leadtime::lua::LuaError;
using leadtime::lua::Sandbox;

constexpr std::uint64_t kBudget = 1'000'000;

// An escape that works hangs the host, and a hung test says nothing. The
// guard ends the process with the case's name if the case has not finished
// long after any sane bound; it measures nothing and passes no test.
class HangGuard {
 public:
  explicit HangGuard(std::string what) : what_(std::move(what)), thread_([this] { watch(); }) {}
  ~HangGuard() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  HangGuard(const HangGuard&) = delete;
  HangGuard& operator=(const HangGuard&) = delete;

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    if (!wake_.wait_for(lock, std::chrono::minutes(2), [this] { return done_; })) {
      std::fprintf(stderr, "sandbox escape: the host never got control back from: %s\n", what_.c_str());
      std::_Exit(3);
    }
  }

  std::string what_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

// Runs `source` with a fresh budget and returns its failure; the chunk must
// fail, and the stack must be as it was.
LuaError must_fail(Sandbox& sandbox, const std::string& source, std::uint64_t budget = kBudget) {
  const HangGuard guard(source);
  sandbox.set_budget(budget);
  return lua_testing::run_error(sandbox, source, "escape.lua");
}

// Runs `source`, which must succeed and return one value, and returns it as
// text.
std::string must_return(Sandbox& sandbox, const std::string& source, std::uint64_t budget = kBudget) {
  const HangGuard guard(source);
  sandbox.set_budget(budget);
  return lua_testing::run_value(sandbox, source, "escape.lua");
}

// The sandbox still runs ordinary code after whatever came before.
void still_usable(Sandbox& sandbox) {
  CHECK(must_return(sandbox, "local t = {} for i = 1, 100 do t[i] = i end return #t") == "100");
}

void budget_spent(Sandbox& sandbox, const std::string& source) {
  CAPTURE(source);
  const LuaError error = must_fail(sandbox, source);
  CHECK(error.kind == ErrorKind::Budget);
  CHECK(error.message == leadtime::lua::kBudgetMessage);
  CHECK(sandbox.budget_left() == 0);
  still_usable(sandbox);
}

void memory_refused(Sandbox& sandbox, const std::string& source) {
  CAPTURE(source);
  const LuaError error = must_fail(sandbox, source, 100'000'000);
  CHECK(error.kind == ErrorKind::Memory);
  CHECK(sandbox.memory_used() <= sandbox.memory_cap());
  still_usable(sandbox);
}

// A bytecode header that Lua recognises as a binary chunk.
const std::string kBinaryHeader = std::string("\x1bLua\x54\x00\x19\x93\r\n\x1a\n", 12);

}  // namespace

TEST_CASE("sandbox escapes: bytecode cannot be loaded by any route") {
  Sandbox sandbox;
  lua_pushlstring(sandbox.L(), kBinaryHeader.data(), kBinaryHeader.size());
  lua_setglobal(sandbox.L(), "chunk");
  for (const char* load_call : {
           "load(chunk, 'x', 'b')",
           "load(chunk, 'x', 'bt')",
           "load(chunk, 'x', 'b', {})",
           // A reader function hands the chunk over in pieces.
           "load(function() i = i + 1 return parts[i] end, 'x', 'b')",
       }) {
    CAPTURE(load_call);
    CHECK(must_return(sandbox, std::string("parts = { chunk:sub(1, 1), chunk:sub(2) } i = 0 local f, message = ") +
                                   load_call + " return f == nil and message:find('binary chunk') ~= nil") == "true");
  }
  // The host's own load refuses it too, as a syntax error.
  const CallResult host = sandbox.load(kBinaryHeader + "payload", "bytes.lua");
  REQUIRE(host);
  CHECK(host->kind == ErrorKind::Syntax);
}

TEST_CASE("sandbox escapes: no function can be turned into bytecode") {
  Sandbox sandbox;
  CHECK(must_return(sandbox, "return string.dump == nil and ('').dump == nil and string['dump'] == nil") == "true");
  // The string library reached through the string metatable is the same table.
  CHECK(must_fail(sandbox, "return ('x').dump(print)").message.find("dump") != std::string::npos);
}

TEST_CASE("sandbox escapes: the metatables of shared types stay out of reach") {
  Sandbox sandbox;
  CHECK(must_return(sandbox, "return getmetatable('') == false") == "true");
  CHECK(must_fail(sandbox, "setmetatable('', {})").message.find("table expected") != std::string::npos);
  for (const char* value : {"1", "true", "print", "nil", "coroutine.create(print)"}) {
    CAPTURE(value);
    CHECK(must_return(sandbox, std::string("return getmetatable(") + value + ") == nil") == "true");
    CHECK(must_fail(sandbox, std::string("setmetatable(") + value + ", {})").message.find("table expected") !=
          std::string::npos);
  }
  CHECK(must_return(sandbox, "return rawget == nil or rawequal(getmetatable(''), false)") == "true");
}

TEST_CASE("sandbox escapes: changing the string library stays inside one sandbox") {
  Sandbox tamperer;
  Sandbox neighbour;
  CHECK(must_return(tamperer,
                    "string.upper = function() return 'pwned' end string.format = nil "
                    "return ('abc'):upper()") == "pwned");
  CHECK(must_return(neighbour, "return ('abc'):upper() .. string.format('%d', 7)") == "ABC7");
}

TEST_CASE("sandbox escapes: finalizers never run script code") {
  // A finalizer would run with hooks off, so a looping one would hang the
  // host at the next collection or when the sandbox is closed.
  const char* loop = "function() while true do end end";
  {
    Sandbox sandbox;
    for (const char* gc : {"false", "true", "{}", loop}) {
      CAPTURE(gc);
      CHECK(must_fail(sandbox, std::string("setmetatable({}, { __gc = ") + gc + " })").message.find("__gc") !=
            std::string::npos);
    }
    // __gc added after setmetatable never schedules the table for finalization,
    // and __gc behind an __index on the metatable is not a __gc field.
    CHECK(must_return(sandbox, std::string("local mt = {} late = setmetatable({}, mt) mt.__gc = ") + loop +
                                   " hidden = setmetatable({}, setmetatable({}, { __index = { __gc = " + loop +
                                   " } })) return true") == "true");
    // Garbage enough to run the collector several times over.
    CHECK(must_return(sandbox,
                      std::string("for i = 1, 200 do local mt = {} setmetatable({}, mt) mt.__gc = ") + loop +
                          " local junk = string.rep('x', 100000) end return true",
                      50'000'000) == "true");
    const HangGuard guard("closing a sandbox with tables whose metatables gained __gc late");
  }  // the destructor closes the state: no finalizer may run here
}

TEST_CASE("sandbox escapes: coroutines cannot dodge the instruction hook") {
  Sandbox sandbox;
  budget_spent(sandbox, "coroutine.wrap(function() while true do end end)()");
  budget_spent(sandbox, "coroutine.wrap(pcall)(function() while true do end end)");
  budget_spent(sandbox, "coroutine.resume(coroutine.create(pcall), function() while true do end end)");
  // Nested fifty deep, each level catching what the level below raises.
  budget_spent(sandbox,
               "local function nest(n) if n == 0 then while true do end end "
               "return coroutine.wrap(function() while true do pcall(nest(n - 1)) end end) end "
               "nest(50)()");
  // Made on one call and resumed on a later one, after a refill.
  CHECK(must_return(sandbox,
                    "later = coroutine.create(function() coroutine.yield() while true do end end) "
                    "coroutine.resume(later) return true") == "true");
  budget_spent(sandbox, "coroutine.resume(later)");
  // A coroutine that swallows the budget error and carries on gets nowhere.
  budget_spent(sandbox,
               "local co = coroutine.wrap(function() while true do pcall(function() while true do end end) "
               "coroutine.yield() end end) while true do co() end");
}

TEST_CASE("sandbox escapes: pcall, xpcall and error objects cannot swallow or stall the budget error") {
  Sandbox sandbox;
  budget_spent(sandbox, "while true do pcall(error) end");
  budget_spent(sandbox, "while true do pcall(function() while true do end end) end");
  budget_spent(sandbox, "while true do xpcall(function() while true do end end, function(m) return m end) end");
  budget_spent(sandbox, "xpcall(function() while true do end end, function() while true do end end)");
  budget_spent(sandbox, "while true do pcall(string.rep, 'x', 1 << 40) end");
  budget_spent(sandbox,
               "local ok = pcall(function() local guard <close> = setmetatable({}, { __close = function() "
               "while true do end end }) while true do end end) while true do end");
  // An error object's metamethods are never run by the host.
  const LuaError error = must_fail(sandbox,
                                   "error(setmetatable({}, { __tostring = function() while true do end end, "
                                   "__name = 'x', __index = function() while true do end end }))");
  CHECK(error.kind == ErrorKind::Runtime);
  CHECK(error.message == "(error object is a table value)");
  still_usable(sandbox);
}

TEST_CASE("sandbox escapes: allocation bombs stop at the memory cap") {
  Sandbox sandbox(std::size_t{8} << 20U);
  memory_refused(sandbox, "local t = {} for i = 1, 1000 do t[i] = string.rep('x', 100000) end return table.concat(t)");
  memory_refused(sandbox,
                 "local t = {} for i = 1, 100 do t[i] = 'x' end return table.concat(t, string.rep('y', 1 << 20))");
  memory_refused(sandbox, "local s = string.rep('x', 1 << 16) for i = 1, 40 do s = string.format('%s%s', s, s) end");
  memory_refused(sandbox, "local s = string.rep('x', 1 << 16) for i = 1, 40 do s = string.format('%q', s .. s) end");
  memory_refused(sandbox, "return string.rep('x', 1 << 22, ',')");
  memory_refused(sandbox, "return ('x'):rep(1 << 20):gsub('', 'yyyy')");
  memory_refused(sandbox, "return table.concat({ string.rep('x', 1 << 20) }, '', 1, 1) .. string.rep('z', 8 << 20)");
  // The limits of the library itself come back as plain errors.
  CHECK(must_fail(sandbox, "return string.rep('x', math.maxinteger)").message.find("too large") != std::string::npos);
  CHECK(must_fail(sandbox, "return table.unpack({}, 1, 1e8)").message.find("too many results") != std::string::npos);
  CHECK(must_fail(sandbox, "return table.concat({}, '', 1, 1 << 40)").message.find("invalid value") !=
        std::string::npos);
  still_usable(sandbox);
}

TEST_CASE("sandbox escapes: C functions that loop without allocating pay from the budget") {
  Sandbox sandbox;
  // Copies zero bytes math.maxinteger times in stock Lua; the answer is "".
  CHECK(must_return(sandbox, "return #string.rep('', math.maxinteger) + #(''):rep(1 << 62, '')") == "0");
  CHECK(sandbox.budget_left() > 0);
  // Moving a range of nils allocates nothing, whatever its length.
  budget_spent(sandbox, "table.move({}, 1, 1 << 50, 2)");
  budget_spent(sandbox, "local t = {} table.move(t, 1, math.maxinteger - 1, 1, t)");
  // A border far beyond the entries: t[1], t[2], t[4], ... t[2^40].
  // Built by one constructor so every key lands in the hash part, where the
  // length operator searches by doubling.
  const std::string far_border =
      "local keys = {} local i = 1 while i <= (1 << 40) do keys[#keys + 1] = '[' .. i .. '] = true' i = i * 2 end "
      "local t = load('return {' .. table.concat(keys, ',') .. '}')() ";
  CHECK(must_return(sandbox, far_border + "return #t") == "1099511627776");
  budget_spent(sandbox, far_border + "table.insert(t, 1, 'x')");
  budget_spent(sandbox, far_border + "table.remove(t, 1)");
  // A length that lies could answer the check and the library differently.
  CHECK(must_fail(sandbox, "table.insert(setmetatable({}, { __len = function() return 1 << 50 end }), 1, 'x')")
            .message.find("__len") != std::string::npos);
  CHECK(must_fail(sandbox, "table.remove(setmetatable({}, { __len = function() return 1 << 50 end }), 1)")
            .message.find("__len") != std::string::npos);
  // Ordinary use costs what it did: appends and pops shift nothing, and a
  // list of 20,000 built with table.insert fits a small budget.
  CHECK(must_return(sandbox,
                    "local t = {} for i = 1, 20000 do table.insert(t, i) end "
                    "table.insert(t, 1, 0) table.remove(t, 1) for i = 1, 10 do table.remove(t) end "
                    "table.move(t, 1, 3, 2) return #t .. ',' .. t[1] .. ',' .. t[2] .. ',' .. t[4]",
                    1'000'000) == "19990,1,1,3");
}

TEST_CASE("sandbox escapes: a pattern search that would run for hours in C is refused") {
  Sandbox sandbox;
  // One quantifier, but tried from each of a million start positions.
  for (const char* call : {"string.find(s, '.-b')", "s:match('a*b')", "s:gsub('.-b', '')",
                           "(function() for m in s:gmatch('^a-b') do end end)()"}) {
    CAPTURE(call);
    CHECK(must_fail(sandbox, std::string("local s = string.rep('a', 1000000) return ") + call)
              .message.find("too costly") != std::string::npos);
  }
  // Anchored, the same pattern tries one position and is allowed.
  CHECK(must_return(sandbox, "return string.find(string.rep('a', 1000000), '^.-b') == nil") == "true");
  // So is a pattern without quantifiers, and a plain find.
  CHECK(must_return(sandbox,
                    "local s = string.rep('a', 1000000) return s:find('aab') == nil and "
                    "s:find('.-b', 1, true) == nil") == "true");
  still_usable(sandbox);
}

TEST_CASE("sandbox escapes: long patterns and gsub's count do not slip past the pattern guard") {
  Sandbox sandbox;
  const std::string setup = "local s = string.rep('a', 1000000) local long = string.rep('a', 1 << 14) ";
  for (const char* call : {
           // gsub's fourth argument is a count, once taken for find's `plain`.
           "s:gsub('.-b', '', 1)",
           // No quantifier, but 16 KB of pattern tried at each of a million positions.
           "string.find(s, long .. '.b')",
           "s:match(long .. 'b')",
           "s:gsub(long .. 'b', '')",
       }) {
    CAPTURE(call);
    CHECK(must_fail(sandbox, setup + "return " + call).message.find("too costly") != std::string::npos);
  }
  // A plain search compares with memcmp, and only a huge one is refused.
  CHECK(must_fail(sandbox,
                  "local s = string.rep('a', 8 << 20) return string.find(s, string.rep('a', 4 << 20) .. 'b', 1, true)")
            .message.find("search is too costly") != std::string::npos);
  // Anchored, a long pattern is tried once; short plain and counted searches work.
  CHECK(must_return(sandbox, setup + "return s:find('^' .. long .. '.') == 1 and s:find(long, 1, true) == 1 and "
                                     "('a-b-c'):gsub('%-', '+', 1) == 'a+b-c'") == "true");
  still_usable(sandbox);
}

TEST_CASE("sandbox escapes: deep recursion through C ends in an error, not a crash") {
  Sandbox sandbox;
  CHECK(must_fail(sandbox, "local function f() return ('x'):gsub('x', f) end f()").message.find("stack overflow") !=
        std::string::npos);
  CHECK(must_fail(sandbox, "local function f() return tostring(setmetatable({}, { __tostring = f })) end f()").kind ==
        ErrorKind::Runtime);
  CHECK(must_fail(sandbox, "return string.find('x', string.rep('(', 300) .. 'x' .. string.rep(')', 300))").kind ==
        ErrorKind::Runtime);
  budget_spent(sandbox, "local function f() return f() end f()");
  const LuaError deep = must_fail(sandbox, "local function f() return 1 + f() end f()", 100'000'000);
  CHECK_MESSAGE((deep.kind == ErrorKind::Memory || deep.message.find("stack overflow") != std::string::npos),
                deep.message);
  still_usable(sandbox);
}

// pairs in the sandbox visits a table's keys in an order of its own, not in
// the order of Lua's hash nodes: stock Lua seeds its string hash per state
// from time() and addresses, so stock pairs (which is `next`) could show the
// same table in different orders in two runs of one match, and a bot that
// lets that order decide would desynchronise the state hash. These cases pin
// down that the order is the same whatever the state or the table's history,
// that it is the documented one, that the loop tolerates changes to the
// table, that __pairs still works, and that the snapshot pays from the
// instruction budget.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <lua.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/lua/sandbox.h"
#include "tests/lua/sandbox_run.h"

namespace {

using leadtime::lua::ErrorKind;
using leadtime::lua::LuaError;
using leadtime::lua::Sandbox;

constexpr std::uint64_t kBudget = 10'000'000;

using lua_testing::contains;

// A chunk run with a fresh budget.
std::string run_value(Sandbox& sandbox, const std::string& source, std::uint64_t budget = kBudget) {
  sandbox.set_budget(budget);
  return lua_testing::run_value(sandbox, source, "pairs.lua");
}

LuaError run_error(Sandbox& sandbox, const std::string& source, std::uint64_t budget = kBudget) {
  sandbox.set_budget(budget);
  return lua_testing::run_error(sandbox, source, "pairs.lua");
}

// Defines build(style), which makes one table (300 string keys key1..key300
// with value i) by different histories, order(t) (the keys pairs visits,
// joined) and stock_order(t) (the same through next, which is what stock
// pairs hands out).
constexpr char kTables[] = R"lua(
local n = 300
function build(style)
  local t = {}
  if style == 'forward' then
    for i = 1, n do t['key' .. i] = i end
  elseif style == 'reverse' then
    for i = n, 1, -1 do t['key' .. i] = i end
  elseif style == 'churn' then
    -- Many keys come and go, and half the real ones are removed and put
    -- back in the opposite order: the same contents, another node layout.
    for i = 1, 5 * n do t['tmp' .. i] = i end
    for i = 1, n do t['key' .. i] = i end
    for i = 1, 5 * n do t['tmp' .. i] = nil end
    for i = 1, n, 2 do t['key' .. i] = nil end
    for i = n - 1, 1, -2 do t['key' .. i] = i end
  end
  return t
end
local function join(iterate, t)
  local out = {}
  for k, v in iterate(t) do
    assert(v == t[k])
    out[#out + 1] = tostring(k)
  end
  return table.concat(out, ' ')
end
function order(t) return join(pairs, t) end
function stock_order(t) return join(function(t) return next, t, nil end, t) end
)lua";

// key1..key300, sorted byte-wise: what pairs must give for build().
std::string expected_key_order() {
  std::vector<std::string> keys;
  for (int i = 1; i <= 300; ++i) keys.push_back("key" + std::to_string(i));
  std::sort(keys.begin(), keys.end());
  std::string out;
  for (const std::string& k : keys) out += (out.empty() ? "" : " ") + k;
  return out;
}

}  // namespace

TEST_CASE("pairs: one table gives one order in every sandbox and after any history") {
  // All alive at once: each Lua state seeds its string hash from its own
  // address, so these disagree about `next` order.
  std::vector<Sandbox> sandboxes(4);
  std::set<std::string> stock_orders;
  const std::string expected = expected_key_order();
  for (Sandbox& sandbox : sandboxes) {
    REQUIRE_FALSE(sandbox.run_chunk(kTables, "tables.lua", 0));
    for (const char* style : {"forward", "reverse", "churn"}) {
      CHECK(run_value(sandbox, std::string("return order(build('") + style + "'))") == expected);
      stock_orders.insert(run_value(sandbox, std::string("return stock_order(build('") + style + "'))"));
    }
  }
  // What this test guards against: with stock pairs (next) the same
  // contents come out in different orders, so the checks above would fail.
  CHECK(stock_orders.size() > 1);
}

TEST_CASE("pairs: the history of one table in one sandbox changes next's order but not pairs'") {
  Sandbox sandbox;
  REQUIRE_FALSE(sandbox.run_chunk(kTables, "tables.lua", 0));
  CHECK(run_value(sandbox,
                  "return stock_order(build('forward')) ~= stock_order(build('reverse')) or "
                  "stock_order(build('forward')) ~= stock_order(build('churn'))") == "true");
  CHECK(run_value(sandbox,
                  "return order(build('forward')) == order(build('reverse')) and "
                  "order(build('forward')) == order(build('churn'))") == "true");
}

TEST_CASE("pairs: the list part first, then numbers, strings and booleans, each in ascending order") {
  Sandbox sandbox;
  const std::string keys = run_value(sandbox, R"lua(
    local t = { 'a', 'b', 'c' }
    t[5] = 'five'  -- after a hole: not the list part
    t[0], t[-1], t[2.5], t[-0.5] = 0, -1, 2.5, -0.5
    t[math.huge], t[-math.huge] = 1, 1
    t[math.maxinteger], t[math.mininteger] = 1, 1
    t[2^63], t[-2^64] = 1, 1  -- floats beyond the integers
    t.b, t.a, t[''], t.B, t.ab, t['a\0'] = 1, 1, 1, 1, 1, 1
    t[true], t[false] = 1, 1
    local out = {}
    for k in pairs(t) do
      out[#out + 1] = type(k) == 'string' and string.format('%q', k) or tostring(k)
    end
    return table.concat(out, ' ')
  )lua");
  CHECK(keys ==
        "1 2 3 -inf -1.844674407371e+19 -9223372036854775808 -1 -0.5 0 2.5 5 9223372036854775807 "
        "9.2233720368548e+18 inf \"\" \"B\" \"a\" \"a\\0\" \"ab\" \"b\" false true");
}

TEST_CASE("pairs: numbers compare exactly, an integer before a float of the same value") {
  Sandbox sandbox;
  // maxinteger rounds to 2^63 as a double; the order must still see it as smaller.
  CHECK(run_value(sandbox,
                  "local t = { [2^63] = 'f', [math.maxinteger] = 'i' } "
                  "local out = {} for k, v in pairs(t) do out[#out + 1] = v end "
                  "return table.concat(out)") == "if");
  CHECK(run_value(sandbox,
                  "local t = { [-2^63 - 2^11] = 'f', [math.mininteger] = 'i', [math.mininteger + 1] = 'j' } "
                  "local out = {} for k, v in pairs(t) do out[#out + 1] = v end "
                  "return table.concat(out)") == "fij");
}

TEST_CASE("pairs: keys with no order of their own come last, each once") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, R"lua(
    local f, g, co = function() end, {}, coroutine.create(function() end)
    local t = { 10, 20, [f] = 'f', [g] = 'g', [co] = 'co', z = 'z', [7] = 7, [false] = 'no' }
    local out, seen = {}, {}
    for k, v in pairs(t) do
      assert(not seen[k]) seen[k] = true
      out[#out + 1] = type(k) == 'string' and k or type(k) == 'number' and tostring(k) or type(k) == 'boolean' and tostring(k) or '*'
    end
    return table.concat(out, ' ')
  )lua") == "1 2 7 z false * * *");
}

TEST_CASE("pairs: removing keys during the loop skips them; keys added are not visited") {
  Sandbox sandbox;
  // The loop clears the whole table at its first key: nothing else is visited.
  CHECK(run_value(sandbox,
                  "local t = { 1, 2, 3, a = 1, b = 2, [true] = 3 } local n = 0 "
                  "for k in pairs(t) do n = n + 1 for k2 in next, t do t[k2] = nil end end "
                  "return n .. ' ' .. tostring(next(t))") == "1 nil");
  // The usual clean-up: removing the current key.
  CHECK(run_value(sandbox,
                  "local t = {} for i = 1, 100 do t[i] = i t['s' .. i] = i end "
                  "for k, v in pairs(t) do if v % 2 == 0 then t[k] = nil end end "
                  "local n = 0 for _ in pairs(t) do n = n + 1 end return n") == "100");
  // Adding keys during the loop (undefined for stock next) ends, visiting the old keys only.
  CHECK(run_value(sandbox,
                  "local t = { 1, 2, x = 1 } local n = 0 "
                  "for k in pairs(t) do n = n + 1 for i = 1, 50 do t[tostring(k) .. i] = i t[#t + 1] = i end end "
                  "return n") == "3");
  // A key removed and put back before its turn is visited with its new value.
  CHECK(run_value(sandbox,
                  "local t = { a = 1, b = 2 } local out = {} "
                  "for k, v in pairs(t) do out[#out + 1] = k .. v if k == 'a' then t.b = nil t.b = 3 end end "
                  "return table.concat(out, ' ')") == "a1 b3");
}

TEST_CASE("pairs: loops over one table can nest, and a finished iterator stays finished") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local t = { 'x', 'y', k = 'z' } local out = {} "
                  "for a in pairs(t) do for b in pairs(t) do out[#out + 1] = tostring(a) .. tostring(b) end end "
                  "return table.concat(out, ' ')") == "11 12 1k 21 22 2k k1 k2 kk");
  CHECK(run_value(sandbox,
                  "local f, s, k = pairs({ a = 1 }) local k1 = f(s, k) local k2 = f(s, k1) "
                  "return tostring(k1) .. tostring(k2) .. tostring(f(s, k2))") == "anilnil");
  CHECK(run_value(sandbox, "local n = 0 for _ in pairs({}) do n = n + 1 end return n") == "0");
}

TEST_CASE("pairs: a __pairs metamethod is called as in stock Lua, and may yield") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local t = setmetatable({ real = 1 }, { __pairs = function(self) "
                  "  return function(_, k) if k == nil then return 'fake', 2 end end, self, nil end }) "
                  "local out = {} for k, v in pairs(t) do out[#out + 1] = k .. v end "
                  "return table.concat(out, ' ')") == "fake2");
  CHECK(run_value(sandbox,
                  "local t = setmetatable({}, { __pairs = function(self) "
                  "  coroutine.yield('paused') return next, { only = 1 }, nil end }) "
                  "local co = coroutine.wrap(function() for k in pairs(t) do return k end end) "
                  "return co() .. ' ' .. co()") == "paused only");
  // __index and other metamethods do not change what pairs reads (raw, like next).
  CHECK(run_value(sandbox,
                  "local t = setmetatable({ a = 1 }, { __index = function() return 'meta' end }) "
                  "local out = {} for k, v in pairs(t) do out[#out + 1] = k .. v end "
                  "return table.concat(out, ' ')") == "a1");
}

TEST_CASE("pairs: errors say what was wrong") {
  Sandbox sandbox;
  const LuaError number = run_error(sandbox, "for k in pairs(5) do end");
  CHECK(number.kind == ErrorKind::Runtime);
  CHECK_MESSAGE(contains(number.message, "bad argument #1 to 'pairs' (table expected, got number)"), number.message);
  const LuaError none = run_error(sandbox, "pairs()");
  CHECK_MESSAGE(contains(none.message, "bad argument #1 to 'pairs' (value expected)"), none.message);
  const LuaError from_meta =
      run_error(sandbox, "pairs(setmetatable({}, { __pairs = function() error('no pairs here') end }))");
  CHECK_MESSAGE(contains(from_meta.message, "no pairs here"), from_meta.message);
  CHECK(run_value(sandbox, "return select('#', pairs({}))") == "3");
}

TEST_CASE("pairs: the snapshot and its sort pay from the budget") {
  Sandbox sandbox(std::size_t{512} << 20U);
  sandbox.set_budget(100'000'000);
  REQUIRE_FALSE(
      sandbox.run_chunk("big = {} for i = 1, 1000000 do big[-i] = true end "
                        "list = {} for i = 1, 1000000 do list[i] = true end "
                        "small = {} for i = 1, 100000 do small['k' .. i] = i end",
                        "big.lua", 0));
  // A million keys outside the list part, and a million in it, under a budget of 100 000.
  for (const char* table : {"big", "list"}) {
    const LuaError error = run_error(sandbox, std::string("for k in pairs(") + table + ") do end", 100'000);
    CHECK(error.kind == ErrorKind::Budget);
    CHECK(error.message == leadtime::lua::kBudgetMessage);
  }
  // Only the snapshot, no loop: 100 000 keys walked and sorted in 17 passes.
  sandbox.set_budget(10'000'000);
  REQUIRE_FALSE(sandbox.run_chunk("local f = pairs(small)", "snapshot.lua", 0));
  CHECK(sandbox.budget_left() < 10'000'000 - 100'000 * 18);
  // The sandbox is usable afterwards.
  CHECK(run_value(sandbox, "local n = 0 for _ in pairs({ a = 1, b = 2 }) do n = n + 1 end return n") == "2");
}

TEST_CASE("pairs: next is stock and still visits every key once") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local t = { 1, 2, a = 1, b = 2, [false] = 0 } local n = 0 "
                  "for k in next, t do n = n + 1 end return n .. ' ' .. tostring(next({}))") == "5 nil");
}

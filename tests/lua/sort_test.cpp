// table.sort in the sandbox is our own stable merge sort, not stock Lua's
// quicksort: stock Lua switches to a pivot seeded from clock() and time()
// when a partition comes out lopsided, so the order of tied elements could
// differ between two runs of the same match. These cases pin down that the
// order is the same on every run, that ties keep their input order, that the
// stock interface and errors are kept, and that the work in C pays from the
// instruction budget.
#include <doctest/doctest.h>

#include <cstdint>
#include <lua.hpp>
#include <string>

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
  return lua_testing::run_value(sandbox, source, "sort.lua");
}

LuaError run_error(Sandbox& sandbox, const std::string& source, std::uint64_t budget = kBudget) {
  sandbox.set_budget(budget);
  return lua_testing::run_error(sandbox, source, "sort.lua");
}

void still_usable(Sandbox& sandbox) {
  CHECK(run_value(sandbox, "local t = { 3, 1, 2 } table.sort(t) return table.concat(t, ',')") == "1,2,3");
}

// Defines records(), ids(list) and burn() in the sandbox. The records have
// keys 1 to 3 with hundreds of ties, and two records with key 0 where stock
// Lua looks for its median-of-three pivot (first and middle): its first
// partition then leaves one element on one side, and it picks every later
// pivot from clock() and time().
constexpr char kRecords[] = R"lua(
function records(n)
  local list = {}
  for i = 1, n do list[i] = { key = i % 3 + 1, id = i } end
  list[1].key = 0
  list[(1 + n) // 2].key = 0
  return list
end
function ids(list)
  local out = {}
  for i, r in ipairs(list) do out[i] = r.id end
  return table.concat(out, ',')
end
-- What a stable sort by key gives: each key's records in input order.
function stable_by_key(list, descending)
  local buckets = { [0] = {}, {}, {}, {} }
  for _, r in ipairs(list) do table.insert(buckets[r.key], r) end
  local out = {}
  local first, last, step = 0, 3, 1
  if descending then first, last, step = 3, 0, -1 end
  for key = first, last, step do for _, r in ipairs(buckets[key]) do out[#out + 1] = r end end
  return out
end
-- CPU time passes, so clock() moves on between sorts.
function burn()
  local x = 0
  for k = 1, 200000 do x = x + k % 7 end
  return x
end
)lua";

}  // namespace

TEST_CASE("table.sort: tied records come out in one order on every run, ties in input order") {
  Sandbox sandbox;
  REQUIRE_FALSE(sandbox.run_chunk(kRecords, "records.lua", 0));
  CHECK(run_value(sandbox,
                  "local expected = ids(stable_by_key(records(1000))) "
                  "local seen, distinct, stable = {}, 0, true "
                  "for run = 1, 30 do "
                  "  local list = records(1000) "
                  "  table.sort(list, function(a, b) return a.key < b.key end) "
                  "  local order = ids(list) "
                  "  if not seen[order] then seen[order] = true distinct = distinct + 1 end "
                  "  stable = stable and order == expected "
                  "  burn() "
                  "end "
                  "return distinct .. ' distinct order(s), stable: ' .. tostring(stable)",
                  100'000'000) == "1 distinct order(s), stable: true");
}

TEST_CASE("table.sort: the same tied sort gives the same order in separate sandboxes") {
  std::string first;
  for (int i = 0; i < 5; ++i) {
    Sandbox sandbox;
    REQUIRE_FALSE(sandbox.run_chunk(kRecords, "records.lua", 0));
    // A digest of the order, so a failure prints two numbers, not two lists.
    const std::string order = run_value(sandbox,
                                        "burn() local list = records(777) "
                                        "table.sort(list, function(a, b) return a.key < b.key end) "
                                        "local h = 0 for _, r in ipairs(list) do h = (h * 31 + r.id) % 2147483647 end "
                                        "return h");
    if (first.empty()) first = order;
    CHECK(order == first);
  }
}

TEST_CASE("table.sort: default < orders numbers, strings and tables with __lt") {
  Sandbox sandbox;
  CHECK(run_value(sandbox,
                  "local t = { 5, -2, 3.5, 0, 10, math.huge, -7, 3, 0.25, -math.huge } table.sort(t) "
                  "return table.concat(t, ' ')") == "-inf -7 -2 0 0.25 3 3.5 5 10 inf");
  // 3.0 and 3 are equal, so they keep their order.
  CHECK(run_value(sandbox, "local t = { 3.0, 3, 1, 3 } table.sort(t) return table.concat(t, ' ')") == "1 3.0 3 3");
  CHECK(run_value(sandbox,
                  "local t = { 'pear', 'Apple', 'apple', '', 'app', 'b' } table.sort(t) "
                  "return table.concat(t, ',')") == ",Apple,app,apple,b,pear");
  // A long array, checked element by element against its neighbours.
  CHECK(run_value(sandbox,
                  "local t = {} for i = 1, 5000 do t[i] = (i * 7919) % 5003 end table.sort(t) "
                  "for i = 2, #t do if t[i - 1] > t[i] then return 'out of order at ' .. i end end return #t") ==
        "5000");
  // Tables compare through their __lt, and equal ones keep their order.
  CHECK(run_value(sandbox,
                  "local mt = { __lt = function(a, b) return a.v < b.v end } local t = {} "
                  "for i = 1, 300 do t[i] = setmetatable({ v = i % 4, id = i }, mt) end table.sort(t) "
                  "for i = 2, #t do local a, b = t[i - 1], t[i] "
                  "  if a.v > b.v or (a.v == b.v and a.id > b.id) then return 'bad at ' .. i end end "
                  "return t[1].v .. t[1].id .. ' ' .. t[300].v .. t[300].id") == "04 3299");
}

TEST_CASE("table.sort: a reverse comparator sorts descending and keeps ties in input order") {
  Sandbox sandbox;
  REQUIRE_FALSE(sandbox.run_chunk(kRecords, "records.lua", 0));
  CHECK(run_value(sandbox,
                  "local t = { 1, 5, 2, 4, 3 } table.sort(t, function(a, b) return a > b end) "
                  "return table.concat(t, ',')") == "5,4,3,2,1");
  CHECK(run_value(sandbox,
                  "local list = records(1000) table.sort(list, function(a, b) return a.key > b.key end) "
                  "return ids(list) == ids(stable_by_key(records(1000), true))") == "true");
  // Already sorted and reversed inputs come out right too.
  CHECK(run_value(sandbox,
                  "local up, down = {}, {} for i = 1, 1000 do up[i] = i down[i] = 1001 - i end "
                  "table.sort(up) table.sort(down) "
                  "for i = 1, 1000 do if up[i] ~= i or down[i] ~= i then return false end end return true") == "true");
}

TEST_CASE("table.sort: empty and one-element tables are left as they are") {
  Sandbox sandbox;
  CHECK(run_value(sandbox, "local t = {} table.sort(t) return #t .. tostring(next(t))") == "0nil");
  CHECK(run_value(sandbox, "local t = { 42 } table.sort(t, function() error('never called') end) return t[1]") == "42");
  CHECK(run_value(sandbox, "local t = { 'x' } table.sort(t, nil) return #t .. t[1]") == "1x");
}

TEST_CASE("table.sort: errors say what went wrong, leave the table untouched, and the sandbox goes on") {
  Sandbox sandbox;
  const LuaError mixed = run_error(sandbox, "table.sort({ 3, 'x', 1 })");
  CHECK(mixed.kind == ErrorKind::Runtime);
  CHECK_MESSAGE(contains(mixed.message, "attempt to compare"), mixed.message);
  CHECK_MESSAGE(contains(run_error(sandbox, "table.sort({ {}, {} })").message, "attempt to compare two table values"),
                "tables without __lt");
  const LuaError thrown =
      run_error(sandbox, "table.sort({ 3, 2, 1 }, function(a, b) if a == 1 or b == 1 then error('boom') end end)");
  CHECK(thrown.kind == ErrorKind::Runtime);
  CHECK_MESSAGE(contains(thrown.message, "sort.lua:1: boom"), thrown.message);
  const LuaError not_function = run_error(sandbox, "table.sort({ 2, 1 }, 5)");
  CHECK_MESSAGE(contains(not_function.message, "bad argument #2 to 'sort' (function expected, got number)"),
                not_function.message);
  // Checked whatever the length, so a bad call fails the same way on every input.
  CHECK(contains(run_error(sandbox, "table.sort({}, 'desc')").message, "bad argument #2 to 'sort'"));
  CHECK(contains(run_error(sandbox, "table.sort('cba')").message, "bad argument #1 to 'sort'"));
  CHECK(contains(run_error(sandbox, "table.sort(setmetatable({}, { __len = function() return 3 end }))").message,
                 "__len"));
  // Yielding from a comparator is refused as in stock Lua.
  CHECK(contains(
      run_error(sandbox, "coroutine.wrap(function() table.sort({ 1, 2 }, function() coroutine.yield() end) end)()")
          .message,
      "yield across"));
  // A caught error leaves the table exactly as it was, not half merged.
  CHECK(run_value(sandbox,
                  "local t = {} for i = 1, 200 do t[i] = (i * 37) % 201 end local calls = 0 "
                  "local ok = pcall(table.sort, t, function(a, b) calls = calls + 1 "
                  "  if calls == 500 then error('stop') end return a < b end) "
                  "for i = 1, 200 do if t[i] ~= (i * 37) % 201 then return 'changed at ' .. i end end "
                  "return tostring(ok) .. ' ' .. calls") == "false 500");
  still_usable(sandbox);
}

TEST_CASE("table.sort: __index and __newindex are respected as in stock Lua") {
  Sandbox sandbox;
  // Holes read through __index; every write goes through __newindex once.
  CHECK(run_value(sandbox,
                  "local writes = 0 local t = setmetatable({ 3, nil, 1 }, { "
                  "  __index = function() return 2 end, "
                  "  __newindex = function(t, k, v) writes = writes + 1 rawset(t, k, v) end }) "
                  "table.sort(t) return table.concat(t, ',') .. ' ' .. writes") == "1,2,3 1");
}

TEST_CASE("table.sort: the work pays from the budget, and a huge sort stops there") {
  Sandbox sandbox(std::size_t{256} << 20U);
  lua_State* L = sandbox.L();
  // 10,000 elements: 14 passes of 10,000 steps.
  REQUIRE_FALSE(sandbox.run_chunk("small = {} for i = 1, 10000 do small[i] = (i * 7919) % 10007 end", "fill.lua", 0));
  sandbox.set_budget(kBudget);
  REQUIRE_FALSE(sandbox.run_chunk("table.sort(small)", "sort.lua", 0));
  const std::uint64_t spent = kBudget - sandbox.budget_left();
  CHECK(spent >= 140'000);
  CHECK(spent < 150'000);

  // Two million elements, made by the host so the script's budget only
  // meets the sort.
  constexpr int kHuge = 2'000'000;
  lua_createtable(L, kHuge, 0);
  for (int i = 1; i <= kHuge; ++i) {
    lua_pushinteger(L, kHuge - i);
    lua_rawseti(L, -2, i);
  }
  lua_setglobal(L, "huge");
  const LuaError stopped = run_error(sandbox, "table.sort(huge)", 1'000'000);
  CHECK(stopped.kind == ErrorKind::Budget);
  CHECK(stopped.message == leadtime::lua::kBudgetMessage);
  CHECK(sandbox.budget_left() == 0);
  CHECK(run_error(sandbox, "pcall(table.sort, huge) while true do end", 1'000'000).kind == ErrorKind::Budget);
  CHECK(run_value(sandbox, "return huge[1] .. ' ' .. huge[2000000]") == "1999999 0");

  // A border far beyond the entries: t[1], t[2], t[4], ... t[2^k]. Past
  // INT_MAX it is "array too big" as in stock Lua; below, the budget stops
  // it before anything is allocated.
  const auto far_border = [](int power) {
    return "local keys = {} local i = 1 while i <= (1 << " + std::to_string(power) +
           ") do keys[#keys + 1] = '[' .. i .. '] = ' .. i i = i * 2 end "
           "local t = load('return {' .. table.concat(keys, ',') .. '}')() ";
  };
  CHECK(run_value(sandbox, far_border(30) + "return #t") == "1073741824");
  CHECK(run_error(sandbox, far_border(30) + "table.sort(t)", 1'000'000).kind == ErrorKind::Budget);
  CHECK(contains(run_error(sandbox, far_border(40) + "table.sort(t)").message, "array too big"));
  still_usable(sandbox);
}

// Sandbox::snapshot and restore: a restored sandbox is the one the snapshot
// saw, with nothing a script did afterwards left in it (globals, upvalues,
// library tables, coroutines, memory, budget, printed text).
#include <doctest/doctest.h>

#include <lua.hpp>
#include <stdexcept>
#include <string>

#include "engine/lua/sandbox.h"
#include "tests/lua/sandbox_run.h"

namespace {

using leadtime::lua::ErrorKind;
using leadtime::lua::Sandbox;

using lua_testing::run_error;
using lua_testing::run_value;

}  // namespace

TEST_CASE("sandbox snapshot: globals, upvalues and library tables go back to the snapshot") {
  Sandbox sandbox;
  run_value(sandbox,
            "kept = 1 "
            "local count = 0 "
            "function bump() count = count + 1 return count end");
  REQUIRE(sandbox.snapshot());
  CHECK(sandbox.has_snapshot());
  for (int match = 0; match < 3; ++match) {
    CAPTURE(match);
    CHECK(run_value(sandbox, "return kept") == "1");
    CHECK(run_value(sandbox, "return leaked == nil") == "true");
    CHECK(run_value(sandbox, "return bump()") == "1");  // the upvalue starts where the snapshot had it
    CHECK(run_value(sandbox, "return ('abc'):upper()") == "ABC");
    run_value(sandbox,
              "kept = 2 leaked = {} bump() "
              "string.upper = function() return 'changed' end "
              "math.floor = nil "
              "co = coroutine.create(function() coroutine.yield(1) end) coroutine.resume(co)");
    CHECK(run_value(sandbox, "return ('abc'):upper()") == "changed");
    sandbox.restore();
    CHECK(run_value(sandbox, "return math.floor(2.5) == 2 and co == nil") == "true");
  }
}

TEST_CASE("sandbox snapshot: memory, budget and printed text go back too") {
  Sandbox sandbox;
  sandbox.set_budget(1'000'000);
  REQUIRE(sandbox.snapshot());
  const std::size_t used = sandbox.memory_used();
  const std::uint64_t budget = sandbox.budget_left();
  // Big blocks (outside the arena) and small ones, kept in globals.
  run_value(sandbox,
            "big = string.rep('x', 300000) small = {} "
            "for i = 1, 1000 do small[i] = { i } end print('hello')");
  CHECK(sandbox.memory_used() > used + 300000);
  CHECK(sandbox.budget_left() < budget);
  sandbox.restore();
  CHECK(sandbox.memory_used() == used);
  CHECK(sandbox.budget_left() == budget);
  CHECK(sandbox.take_output().empty());
  CHECK(run_value(sandbox, "return big == nil and small == nil") == "true");
}

TEST_CASE("sandbox snapshot: a sandbox stopped by its budget or memory cap is usable again after restore") {
  Sandbox sandbox(std::size_t{4} << 20U);
  sandbox.set_budget(100'000);
  REQUIRE(sandbox.snapshot());
  CHECK(run_error(sandbox, "while true do end").kind == ErrorKind::Budget);
  CHECK(sandbox.budget_exhausted());
  sandbox.restore();
  CHECK_FALSE(sandbox.budget_exhausted());
  CHECK(run_value(sandbox, "return 1 + 1") == "2");
  sandbox.set_budget(10'000'000);
  CHECK(run_error(sandbox, "local t = {} for i = 1, 1e7 do t[i] = string.rep('y', 64) .. i end").kind ==
        ErrorKind::Memory);
  sandbox.restore();
  CHECK(run_value(sandbox, "return 1 + 1") == "2");
}

TEST_CASE("sandbox snapshot: the same script from a restored sandbox runs as it did from the snapshot") {
  // The generator and the collector's state come back with the Lua state:
  // the same draws, and the same memory at every step.
  const std::string script =
      "local t = {} for i = 1, 2000 do t[#t + 1] = tostring(math.random(1000)) .. 'x' end "
      "return table.concat(t, ','):sub(1, 200) .. collectgarbage('count')";
  Sandbox sandbox;
  sandbox.seed(42);
  sandbox.set_budget(10'000'000);
  REQUIRE(sandbox.snapshot());
  const std::string first = run_value(sandbox, script);
  sandbox.restore();
  CHECK(run_value(sandbox, script) == first);
  run_value(sandbox, "junk = {} for i = 1, 5000 do junk[i] = { tostring(i) } end");
  sandbox.restore();
  CHECK(run_value(sandbox, script) == first);
}

TEST_CASE("sandbox snapshot: refused while a block too big for the arena is alive") {
  Sandbox sandbox;
  run_value(sandbox, "big = string.rep('z', 200000)");
  CHECK_FALSE(sandbox.snapshot());
  CHECK_FALSE(sandbox.has_snapshot());
  CHECK(sandbox.snapshot_bytes() == 0);
  CHECK_THROWS_AS(sandbox.restore(), std::logic_error);
  run_value(sandbox, "big = nil collectgarbage('count')");
  lua_gc(sandbox.L(), LUA_GCCOLLECT);
  CHECK(sandbox.snapshot());
  CHECK(sandbox.snapshot_bytes() > 0);
}

TEST_CASE("sandbox snapshot: two slots, each restored as it was, in any order") {
  Sandbox sandbox;
  sandbox.set_budget(10'000'000);
  run_value(sandbox, "stage = 'first'");
  REQUIRE(sandbox.snapshot(0));
  const std::size_t first_used = sandbox.memory_used();
  run_value(sandbox, "stage = 'second' more = {} for i = 1, 300 do more[i] = { i } end");
  REQUIRE(sandbox.snapshot(1));
  const std::size_t second_used = sandbox.memory_used();
  CHECK(sandbox.snapshot_bytes(1) > sandbox.snapshot_bytes(0));
  for (int slot : {1, 0, 1, 1, 0}) {
    CAPTURE(slot);
    run_value(sandbox, "stage = 'later' more = nil junk = {} for i = 1, 500 do junk[i] = tostring(i) end");
    sandbox.restore(slot);
    CHECK(sandbox.memory_used() == (slot == 0 ? first_used : second_used));
    CHECK(run_value(sandbox, "return stage .. tostring(more == nil) .. tostring(junk == nil)") ==
          (slot == 0 ? "firsttruetrue" : "secondfalsetrue"));
  }
  sandbox.drop_snapshot(1);
  CHECK_FALSE(sandbox.has_snapshot(1));
  CHECK(sandbox.has_snapshot(0));
  CHECK_THROWS_AS(sandbox.restore(1), std::logic_error);
}

TEST_CASE("sandbox snapshot: drew_random tells whether a script drew since the seed") {
  Sandbox sandbox;
  sandbox.seed(7);
  run_value(sandbox, "x = 1");
  CHECK_FALSE(sandbox.drew_random());
  run_value(sandbox, "x = math.random()");
  CHECK(sandbox.drew_random());
  sandbox.seed(8);
  CHECK_FALSE(sandbox.drew_random());
}

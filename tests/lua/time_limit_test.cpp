// The CPU-time limit, the sandbox's last line of defence: single
// instructions that do long C work (comparing two long strings) slip past
// the instruction budget, and only the clock stops them. Each case gives a
// budget far too large to matter and a small time limit, and checks that the
// call fails with the time limit's message, that nothing in the script can
// swallow it, that the sandbox counts it, and that it stays usable. No case
// asserts how fast anything runs.
#include <doctest/doctest.h>

#include <chrono>
#include <lua.hpp>
#include <string>

#include "batch/headless.h"
#include "engine/lua/sandbox.h"

namespace {

using leadtime::lua::ErrorKind;
using leadtime::lua::LuaError;
using leadtime::lua::Sandbox;
using namespace std::chrono_literals;

// Enough that only the clock can stop the cases below.
constexpr std::uint64_t kHugeBudget = 100'000'000'000;
constexpr auto kSmallLimit = 200ms;

// Two equal 1 MB strings that are different objects, so == compares every
// byte, and < does for any two.
const std::string kLongStrings = "local s = string.rep('a', 1 << 20) local t = string.rep('a', 1 << 20) ";

Sandbox timed_sandbox() {
  Sandbox sandbox;
  sandbox.set_time_limit(kSmallLimit);
  return sandbox;
}

LuaError must_time_out(Sandbox& sandbox, const std::string& source) {
  CAPTURE(source);
  const std::uint64_t trips = sandbox.time_limit_trips();
  sandbox.set_budget(kHugeBudget);
  const int top = lua_gettop(sandbox.L());
  const auto error = sandbox.run_chunk(source, "slow.lua", 0);
  CHECK(lua_gettop(sandbox.L()) == top);
  REQUIRE(error);
  CHECK(error->kind == ErrorKind::TimeLimit);
  CHECK(error->message.starts_with(leadtime::lua::kTimeLimitMessage));
  CHECK(error->message.find("200 ms") != std::string::npos);
  CHECK(error->message.find("last line of defence") != std::string::npos);
  CHECK(error->message.find("not reproducible") != std::string::npos);
  CHECK(sandbox.time_limited());
  CHECK(sandbox.time_limit_trips() == trips + 1);
  // The budget did not run out: the clock stopped the call.
  CHECK_FALSE(sandbox.budget_exhausted());
  return *error;
}

// The next call gets its own time and the budget left over.
void still_usable(Sandbox& sandbox) {
  const auto error = sandbox.run_chunk("local n = 0 for i = 1, 1000 do n = n + i end return n", "after.lua", 1);
  REQUIRE_FALSE(error);
  CHECK(lua_tointeger(sandbox.L(), -1) == 500500);
  lua_pop(sandbox.L(), 1);
  CHECK_FALSE(sandbox.time_limited());
}

}  // namespace

TEST_CASE("time limit: comparing long strings in a loop is stopped by the clock, not the budget") {
  Sandbox sandbox = timed_sandbox();
  const std::uint64_t trips = sandbox.time_limit_trips();
  CHECK(trips == 0);
  for (const char* loop : {
           "while true do if s < s then end end",
           "while true do if s <= t then end end",
           "while true do if s == t then end end",
           "while true do if s ~= t then end end",
       }) {
    must_time_out(sandbox, kLongStrings + loop);
    still_usable(sandbox);
  }
  CHECK(sandbox.time_limit_trips() == 4);
}

TEST_CASE("time limit: pcall, xpcall and coroutines cannot swallow it") {
  Sandbox sandbox = timed_sandbox();
  const std::string spin = "function() while true do if s == t then end end end";
  for (const std::string& loop : {
           "while true do pcall(" + spin + ") end",
           "local ok = pcall(" + spin + ") return ok",
           "while true do xpcall(" + spin + ", function() while true do if s < t then end end end) end",
           "while true do coroutine.wrap(pcall)(" + spin + ") end",
           "while true do coroutine.resume(coroutine.create(" + spin + ")) end",
           "coroutine.wrap(function() while true do pcall(" + spin + ") end end)()",
       }) {
    must_time_out(sandbox, kLongStrings + loop);
    still_usable(sandbox);
  }
}

TEST_CASE("time limit: table.sort of long strings, which runs no Lua, polls the clock") {
  Sandbox sandbox = timed_sandbox();
  // Two long strings alternating: every merge compares a megabyte.
  must_time_out(sandbox, kLongStrings +
                             "local a, b = s .. 'b', t .. 'a' local list = {} "
                             "for i = 1, 100000 do list[i] = i % 2 == 0 and a or b end table.sort(list)");
  still_usable(sandbox);
}

TEST_CASE("time limit: it is per call, and the budget still decides ordinary overruns") {
  Sandbox sandbox;
  CHECK(sandbox.time_limit() == Sandbox::kDefaultTimeLimit);
  sandbox.set_time_limit(kSmallLimit);
  CHECK(sandbox.time_limit() == kSmallLimit);
  // Many short calls together use far more than one call's limit.
  sandbox.set_budget(kHugeBudget);
  for (int i = 0; i < 20; ++i) {
    const auto error = sandbox.run_chunk("local n = 0 for i = 1, 200000 do n = n + i end", "short.lua", 0);
    REQUIRE_FALSE(error);
  }
  CHECK(sandbox.time_limit_trips() == 0);
  // An endless loop under an ordinary budget is a budget error, as before.
  sandbox.set_budget(1'000'000);
  const auto error = sandbox.run_chunk("while true do end", "loop.lua", 0);
  REQUIRE(error);
  CHECK(error->kind == ErrorKind::Budget);
  CHECK_FALSE(sandbox.time_limited());
  CHECK(sandbox.time_limit_trips() == 0);
}

TEST_CASE("time limit: ordinary bots and scenario hooks never trip it") {
  auto loaded = leadtime::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const auto scenario = std::make_shared<const leadtime::Scenario>(std::move(*loaded.scenario));
  auto bots = leadtime::assign_bots(*scenario, {});
  REQUIRE(std::holds_alternative<std::vector<std::string>>(bots));
  const auto result = leadtime::play_bots(scenario, 3, std::get<std::vector<std::string>>(bots));
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  REQUIRE(result.match);
  CHECK(result.match->finished());
  CHECK(result.time_limited == 0);
  for (const std::string& fault : result.faults) CHECK(fault.find("time limit") == std::string::npos);
}

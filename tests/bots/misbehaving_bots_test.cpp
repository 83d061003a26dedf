// Hostile and broken bots (tests/bots/data/) cannot stop a match: each one
// faults every round, the match still plays all ten rounds, the fault names
// the bot, the round and the reason, the seat alone hears about it through
// a private "bot_fault" event, and its standing policy stays as it was.
#include "engine/hash.h"
#include "tests/bots/bot_helpers.h"

namespace lt = leadtime;
using lt::testing::default_scenario;
using lt::testing::join;
using lt::testing::only_bots;
using lt::testing::seat;

namespace {

struct Misbehaviour {
  const char* file;
  const char* reason;  // a fragment of the fault's reason
};

constexpr Misbehaviour kMisbehaviours[] = {
    {"throws", "deliberate failure"},
    {"unknown_action", "unknown action 'launch_missiles'"},
    {"out_of_range", "allowed a number from 0 to 20"},
    {"wrong_seat", "set_chip_price is not available to us"},
    {"returns_number", "decide returned expected a list of orders"},
    {"returns_strings", "decide returned [1]: expected an order table"},
    {"infinite_loop", "instruction budget exceeded"},
    {"alloc_bomb", "memory cap exceeded"},
    {"pcall_loop", "instruction budget exceeded"},
    {"coroutine_loop", "instruction budget exceeded"},
    {"string_rep", "memory cap exceeded"},
    {"os_execute", "global 'os'"},
    {"io_open", "global 'io'"},
    {"require", "global 'require'"},
    {"binary_chunk", "binary chunk"},
    {"string_metatable", "table expected, got boolean"},
    {"collectgarbage_stop", "only \"count\""},
    // Escapes through C library loops, metamethods and error objects (#8).
    {"c_loops", "instruction budget exceeded"},
    {"far_border", "instruction budget exceeded"},
    {"hostile_orders", "missing field 'action'"},
    {"error_object", "(error object is a table value)"},
    {"wrapped_pcall", "instruction budget exceeded"},
};

constexpr lt::lua::BotLimits kSmallLimits{200'000, std::size_t{8} << 20U};

// The initial state with one actor's policy swapped for `policy`: equal bytes
// mean the policy is exactly the scenario's opening one.
bool policy_unchanged(const lt::Match& m, int actor) {
  const lt::State& start = m.scenario().initial;
  lt::State swapped = start;
  swapped.actors[static_cast<std::size_t>(actor)].policy = m.state().actors[static_cast<std::size_t>(actor)].policy;
  return lt::canonical_bytes(swapped) == lt::canonical_bytes(start);
}

bool has_fault_event(const lt::RoundRecord& r, int actor, const std::string& text) {
  for (const lt::Event& e : r.events) {
    if (e.kind != "bot_fault") continue;
    const bool to_actor = std::find(e.audience.begin(), e.audience.end(), actor) != e.audience.end();
    if (to_actor && e.visibility == lt::Visibility::Private && e.text == text) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("misbehaving bots: every fault is contained, reported and private") {
  const int us = seat("us");
  for (const Misbehaviour& bad : kMisbehaviours) {
    const std::string path = std::string("tests/bots/data/") + bad.file + ".lua";
    CAPTURE(path);
    auto result = lt::play_bots(default_scenario(), 5, only_bots({{"us", path}}), nullptr, kSmallLimits);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    REQUIRE(result.match);
    const lt::Match& m = *result.match;
    CHECK(m.finished());
    REQUIRE(m.history().size() == 10);
    // One fault a round, in round order, each naming bot, seat, round and reason.
    REQUIRE_MESSAGE(result.faults.size() == 10, join(result.faults));
    for (int r = 0; r < 10; ++r) {
      CAPTURE(r);
      const std::string& fault = result.faults[static_cast<std::size_t>(r)];
      CHECK(fault.find(path) != std::string::npos);
      CHECK(fault.find("seat us") != std::string::npos);
      CHECK(fault.find("round " + std::to_string(r + 1) + ":") != std::string::npos);
      CHECK_MESSAGE(fault.find(bad.reason) != std::string::npos, fault);
      CHECK(has_fault_event(m.history()[static_cast<std::size_t>(r)], us, fault));
      // The seat's orders that round were all refused.
      CHECK(m.history()[static_cast<std::size_t>(r)].orders[static_cast<std::size_t>(us)].empty());
    }
    CHECK(result.faults.front().find("round 1:") != std::string::npos);
    CHECK(policy_unchanged(m, us));
  }
}

TEST_CASE("misbehaving bots: a call the time limit stops is a fault that says so, and the result is marked") {
  // Comparing 2 MB strings: the 200,000-instruction budget would last
  // seconds, so a small time limit stops every decision instead.
  const int us = seat("us");
  const std::string path = "tests/bots/data/long_compare.lua";
  lt::lua::BotLimits limits = kSmallLimits;
  limits.time_limit_per_call = std::chrono::milliseconds(100);
  auto result = lt::play_bots(default_scenario(), 5, only_bots({{"us", path}}), nullptr, limits);
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  REQUIRE(result.match);
  CHECK(result.match->finished());
  REQUIRE_MESSAGE(result.faults.size() == 10, join(result.faults));
  for (int r = 0; r < 10; ++r) {
    const std::string& fault = result.faults[static_cast<std::size_t>(r)];
    CHECK(fault.find("round " + std::to_string(r + 1) + ": time limit exceeded (100 ms") != std::string::npos);
    CHECK_MESSAGE(fault.find("not reproducible") != std::string::npos, fault);
    CHECK(has_fault_event(result.match->history()[static_cast<std::size_t>(r)], us, fault));
  }
  CHECK(result.time_limited == 10);
  CHECK(policy_unchanged(*result.match, us));
  // The same bots without the hostile one leave the result unmarked.
  auto calm = lt::play_bots(default_scenario(), 5, only_bots({{"us", "tests/bots/data/throws.lua"}}), nullptr, limits);
  CHECK(calm.time_limited == 0);
}

TEST_CASE("misbehaving bots: a fault event is private to the faulting seat") {
  const int us = seat("us");
  auto result =
      lt::play_bots(default_scenario(), 5, only_bots({{"us", "tests/bots/data/throws.lua"}}), nullptr, kSmallLimits);
  REQUIRE(result.match);
  for (const lt::RoundRecord& r : result.match->history()) {
    for (const lt::Event& e : r.events) {
      if (e.kind != "bot_fault") continue;
      CHECK(e.visibility == lt::Visibility::Private);
      CHECK(e.audience == std::vector<int>{us});
    }
  }
}

TEST_CASE("misbehaving bots: a hostile bot leaves the other seats' bots and the host working") {
  // A well-behaved bot on another seat still plays every round fault-free,
  // and the sandbox limits keep the whole match fast.
  for (const char* file : {"alloc_bomb", "pcall_loop", "coroutine_loop", "string_rep"}) {
    const std::string path = std::string("tests/bots/data/") + file + ".lua";
    CAPTURE(path);
    auto result =
        lt::play_bots(default_scenario(), 9, only_bots({{"us", path}, {"cn", "scripts/bots/cn_shortcut.lua"}}), nullptr,
                      kSmallLimits);
    REQUIRE(result.match);
    for (const std::string& f : result.faults) CHECK(f.find("seat us") != std::string::npos);
    const lt::Policy& cn = result.match->state().actors[static_cast<std::size_t>(seat("cn"))].policy;
    CHECK(cn.smuggling_usd_b == doctest::Approx(1.5));
  }
}

TEST_CASE("misbehaving bots: an on_result failure is reported and logged with the next round") {
  const auto paths = leadtime::testing::only_bots({{"us", "tests/bots/data/on_result_throws.lua"}});
  const leadtime::BotMatchResult result = leadtime::play_bots(leadtime::testing::default_scenario(), 1, paths);
  REQUIRE(result.error.empty());
  REQUIRE(result.match->finished());
  REQUIRE(result.faults.size() == 10);
  CHECK(result.faults[0].find("round 1: on_result error") != std::string::npos);
  CHECK(result.faults[0].find("on_result exploded") != std::string::npos);
  // Round 1's failure is logged in round 2's events, privately to the seat.
  int logged = 0;
  for (const leadtime::Event& e : result.match->history()[1].events) {
    if (e.kind != "bot_fault") continue;
    logged += 1;
    CHECK(e.visibility == leadtime::Visibility::Private);
    CHECK(e.text.find("round 1") != std::string::npos);
  }
  CHECK(logged == 1);
}

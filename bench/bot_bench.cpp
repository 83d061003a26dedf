// Lua bots: whole default matches with eight bots, one bot decision, the
// pieces a decision costs (building the view, loading a bot), and the cost of
// the instruction-budget hook. Run by hand from the repository root:
//   build/release/bench/leadtime-bench-bots --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <lua.hpp>

#include "batch/headless.h"
#include "engine/lua/lua_view.h"
#include "engine/views.h"

namespace {

std::shared_ptr<const leadtime::Scenario> scenario() {
  static const auto s = [] {
    auto loaded = leadtime::load_scenario_file("scenarios/2028.lua");
    if (!loaded.scenario) {
      std::cerr << loaded.error << "\n(run from the repository root)\n";
      std::exit(2);
    }
    return std::make_shared<const leadtime::Scenario>(std::move(*loaded.scenario));
  }();
  return s;
}

std::vector<std::string> default_bots() {
  auto assigned = leadtime::assign_bots(*scenario(), {});
  return std::get<std::vector<std::string>>(assigned);
}

// Match after match on each thread, as a sweep's worker plays them: each
// thread's runner restarts its bots from their snapshots.
void BM_FullBotMatch(benchmark::State& bench) {
  const auto bots = default_bots();
  scenario();
  leadtime::BotMatchRunner runner;
  std::uint64_t seed = 1 + 1000000ULL * static_cast<std::uint64_t>(bench.thread_index());
  for (auto _ : bench) {
    auto result = runner.play(scenario(), seed++, bots);
    benchmark::DoNotOptimize(result.match);
  }
  bench.counters["matches_per_s"] =
      benchmark::Counter(static_cast<double>(bench.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FullBotMatch)->Unit(benchmark::kMicrosecond);
// The same on both cores: matches share nothing, so threads scale.
BENCHMARK(BM_FullBotMatch)->Unit(benchmark::kMicrosecond)->Threads(2)->UseRealTime();

// Every match loading its bots afresh (play_bots): what a served game's
// bots cost to start, and what reuse saves.
void BM_FullBotMatchFresh(benchmark::State& bench) {
  const auto bots = default_bots();
  scenario();
  std::uint64_t seed = 1 + 1000000ULL * static_cast<std::uint64_t>(bench.thread_index());
  for (auto _ : bench) {
    auto result = leadtime::play_bots(scenario(), seed++, bots);
    benchmark::DoNotOptimize(result.match);
  }
  bench.counters["matches_per_s"] =
      benchmark::Counter(static_cast<double>(bench.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FullBotMatchFresh)->Unit(benchmark::kMicrosecond);

// A match without bots: what the engine alone costs inside the same runner.
void BM_MatchNoBots(benchmark::State& bench) {
  const std::vector<std::string> none(scenario()->initial.actors.size());
  std::uint64_t seed = 1;
  for (auto _ : bench) benchmark::DoNotOptimize(leadtime::play_bots(scenario(), seed++, none).match);
}
BENCHMARK(BM_MatchNoBots)->Unit(benchmark::kMicrosecond);

void BM_BotLoad(benchmark::State& bench) {
  for (auto _ : bench) {
    auto bot = leadtime::lua::Bot::load("scripts/bots/us_hawk.lua", *scenario(), 0, 1);
    benchmark::DoNotOptimize(bot);
  }
}
BENCHMARK(BM_BotLoad)->Unit(benchmark::kMicrosecond);

// Starting the same bot over for another match (Bot::restart): the sandbox
// back to its snapshot, then the file's chunk and init run again.
void BM_BotRestart(benchmark::State& bench) {
  auto loaded =
      leadtime::lua::Bot::load("scripts/bots/us_hawk.lua", *scenario(), 0, 1, {}, leadtime::lua::Bot::Restart::Offer);
  auto& bot = std::get<leadtime::lua::Bot>(loaded);
  std::uint64_t seed = 1;
  for (auto _ : bench) benchmark::DoNotOptimize(bot.restart(*scenario(), 0, ++seed, {}));
  bench.counters["snapshot_bytes"] = static_cast<double>(bot.snapshot_bytes());
}
BENCHMARK(BM_BotRestart)->Unit(benchmark::kMicrosecond);

void BM_Decide(benchmark::State& bench, const char* path, int seat) {
  auto loaded = leadtime::lua::Bot::load(path, *scenario(), seat, 1);
  auto& bot = std::get<leadtime::lua::Bot>(loaded);
  const leadtime::State state = leadtime::initial_state(*scenario(), 1);
  const leadtime::View view = leadtime::make_view(state, scenario()->coef, seat);
  for (auto _ : bench) benchmark::DoNotOptimize(bot.decide(view, state));
}
BENCHMARK_CAPTURE(BM_Decide, us_hawk, "scripts/bots/us_hawk.lua", 0)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Decide, lab_racer, "scripts/bots/lab_racer.lua", 6)->Unit(benchmark::kMicrosecond);

// Building the view table alone, as eagerly pushed every decision.
void BM_PushView(benchmark::State& bench) {
  leadtime::lua::Sandbox sandbox;
  const leadtime::State state = leadtime::initial_state(*scenario(), 1);
  const leadtime::View view = leadtime::make_view(state, scenario()->coef, 5);
  for (auto _ : bench) {
    leadtime::lua::push_view(sandbox.L(), view, state);
    lua_pop(sandbox.L(), 1);
  }
}
BENCHMARK(BM_PushView)->Unit(benchmark::kMicrosecond);

// The lazy view as bots get it, reading only `self` (what most bots need).
void BM_PushLazyViewReadSelf(benchmark::State& bench) {
  leadtime::lua::Sandbox sandbox;
  const leadtime::State state = leadtime::initial_state(*scenario(), 1);
  const leadtime::View view = leadtime::make_view(state, scenario()->coef, 5);
  leadtime::ViewParts parts(view, state);
  leadtime::lua::ViewSlot slot{&parts, 0};
  lua_State* L = sandbox.L();
  for (auto _ : bench) {
    leadtime::lua::push_lazy_view(L, slot);
    lua_getfield(L, -1, "self");
    lua_pop(L, 2);
    slot.generation += 1;
  }
}
BENCHMARK(BM_PushLazyViewReadSelf)->Unit(benchmark::kMicrosecond);

// The lazy view read whole, as a bot that looks at everything reads it:
// self with its policy, the estimates of the others, the indicators and the
// events (seat 3, a vendor, reads its policy to price its chips).
void BM_PushLazyViewReadAll(benchmark::State& bench) {
  leadtime::lua::Sandbox sandbox;
  const leadtime::State state = leadtime::initial_state(*scenario(), 1);
  lua_State* L = sandbox.L();
  leadtime::lua::ViewSlot slot;
  for (auto _ : bench) {
    leadtime::ViewParts parts(state, scenario()->coef, 3);
    slot.parts = &parts;
    leadtime::lua::push_lazy_view(L, slot);
    lua_getfield(L, -1, "self");
    lua_getfield(L, -1, "policy");
    lua_pop(L, 2);
    for (const char* part : {"others", "indicators", "events"}) {
      lua_getfield(L, -1, part);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    slot.generation += 1;
  }
}
BENCHMARK(BM_PushLazyViewReadAll)->Unit(benchmark::kMicrosecond);

// The same arithmetic loop with and without a count hook installed: the cost
// of counting instructions for the budget.
void count_hook(lua_State*, lua_Debug*) {}

void BM_LuaLoop(benchmark::State& bench) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  if (bench.range(0) > 0) lua_sethook(L, count_hook, LUA_MASKCOUNT, static_cast<int>(bench.range(0)));
  luaL_loadstring(L, "local s = 0 for i = 1, 100000 do s = s + i % 7 end return s");
  const int fn = luaL_ref(L, LUA_REGISTRYINDEX);
  for (auto _ : bench) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
    lua_call(L, 0, 1);
    lua_pop(L, 1);
  }
  lua_close(L);
}
BENCHMARK(BM_LuaLoop)->Arg(0)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

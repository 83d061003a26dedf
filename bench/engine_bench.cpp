// Round resolution of the default scenario with fixed orders (the tight line),
// measured with Google Benchmark. Run by hand from the repository root:
//   build/release/bench/leadtime-bench-engine --benchmark_repetitions=10
//       --benchmark_report_aggregates_only=true   (one command line)
// Prints nanoseconds per round and rounds per second (median of repetitions).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "batch/headless.h"
#include "engine/hash.h"
#include "engine/match.h"
#include "engine/resolve.h"
#include "engine/views.h"

namespace {

struct Fixture {
  std::shared_ptr<const leadtime::Scenario> scenario;
  leadtime::RoundOrders opening;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    auto loaded = leadtime::load_scenario_file("scenarios/2028.lua");
    if (!loaded.scenario) {
      std::cerr << loaded.error << "\n(run from the repository root)\n";
      std::exit(2);
    }
    auto scenario = std::make_shared<const leadtime::Scenario>(std::move(*loaded.scenario));
    auto line = leadtime::load_order_line("scenarios/lines/tight.lua", scenario->initial, scenario->start);
    if (auto* e = std::get_if<std::string>(&line)) {
      std::cerr << *e << "\n";
      std::exit(2);
    }
    std::vector<std::string> errors;
    auto opening = leadtime::validate_round(scenario->initial, std::get<leadtime::OrderLine>(line).at_start, errors);
    return Fixture{scenario, opening};
  }();
  return f;
}

// Resolves whole matches from a copy of the initial state: what a sweep does.
void BM_ResolveRound(benchmark::State& bench) {
  const Fixture& f = fixture();
  const leadtime::RoundOrders none(f.scenario->initial.actors.size());
  std::uint64_t seed = 1;
  for (auto _ : bench) {
    leadtime::State state = leadtime::initial_state(*f.scenario, seed++);
    leadtime::resolve(state, *f.scenario, f.opening);
    for (int r = 1; r < f.scenario->rounds; ++r) leadtime::resolve(state, *f.scenario, none);
    benchmark::DoNotOptimize(state.outcomes.lead_months);
  }
  bench.SetItemsProcessed(bench.iterations() * f.scenario->rounds);
  bench.counters["ns_per_round"] = benchmark::Counter(static_cast<double>(bench.iterations() * f.scenario->rounds),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ResolveRound);

// The start of each match above: a copy of the scenario's state (and its
// destruction), which BM_ResolveRound pays once per match.
void BM_InitialState(benchmark::State& bench) {
  const Fixture& f = fixture();
  std::uint64_t seed = 1;
  for (auto _ : bench) {
    leadtime::State state = leadtime::initial_state(*f.scenario, seed++);
    benchmark::DoNotOptimize(state.rng);
  }
}
BENCHMARK(BM_InitialState);

// The same matches played through Match, as the server and the journal play
// them: each round is also recorded (its state hash, events, indicators) and
// the state before it kept for undo.
void BM_PlayRoundRecorded(benchmark::State& bench) {
  const Fixture& f = fixture();
  const leadtime::RoundOrders none(f.scenario->initial.actors.size());
  std::uint64_t seed = 1;
  for (auto _ : bench) {
    leadtime::Match match(f.scenario, seed++);
    match.play_round(f.opening);
    for (int r = 1; r < f.scenario->rounds; ++r) match.play_round(none);
    benchmark::DoNotOptimize(match.history().back().hash);
  }
  bench.SetItemsProcessed(bench.iterations() * f.scenario->rounds);
  bench.counters["ns_per_round"] = benchmark::Counter(static_cast<double>(bench.iterations() * f.scenario->rounds),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PlayRoundRecorded);

void BM_StateHash(benchmark::State& bench) {
  const leadtime::State state = leadtime::initial_state(*fixture().scenario, 1);
  for (auto _ : bench) benchmark::DoNotOptimize(leadtime::state_hash(state));
}
BENCHMARK(BM_StateHash);

void BM_View(benchmark::State& bench) {
  const leadtime::State state = leadtime::initial_state(*fixture().scenario, 1);
  for (auto _ : bench) benchmark::DoNotOptimize(leadtime::make_view(state, fixture().scenario->coef, 1));
}
BENCHMARK(BM_View);

void BM_ValidateOrders(benchmark::State& bench) {
  const leadtime::State& state = fixture().scenario->initial;
  const std::vector<leadtime::OrderDraft> drafts = {
      {"set_export_tier", {{"target", std::string("CN")}, {"tier", 0.0}}},
      {"set_enforcement", {{"usd_b", 4.0}}},
      {"set_cloud_kyc", {{"strength", 1.0}}},
  };
  for (auto _ : bench) benchmark::DoNotOptimize(leadtime::validate_orders(state, 0, drafts));
}
BENCHMARK(BM_ValidateOrders);

}  // namespace

BENCHMARK_MAIN();

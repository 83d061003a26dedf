#pragma once

// One run of a sweep: the point's setup, the run's seed, the match played by
// a BotMatchRunner (play_bots with bots restarted from row to row), and the
// row the results keep of it.

#include <cstdint>
#include <string>
#include <vector>

#include "batch/headless.h"
#include "batch/sweep_design.h"
#include "batch/sweep_spec.h"

namespace leadtime::sweep {

// What a run leaves in the results. Outcomes and scores are NaN (NULL in
// SQLite) for a run that could not start (a bot refused its parameters).
struct RunRow {
  std::uint64_t run = 0;
  std::uint64_t point = 0;
  std::uint64_t seed_index = 0;
  std::uint64_t seed = 0;
  std::vector<double> outcomes;  // in the spec's order
  std::vector<double> scores;    // per seat
  std::uint32_t faults = 0;      // bot faults over the match
  std::string error;
  // Calls the sandbox's CPU-time limit stopped (BotMatchResult::time_limited):
  // when not 0 the row is not reproducible.
  std::uint32_t time_limited = 0;
  // With series: per round, the series quantities then the scores.
  std::vector<double> series;
  friend bool operator==(const RunRow&, const RunRow&) = default;
};

// A spec made ready to run: its design, the names its tables use, and its
// fingerprint (the results file of another sweep must never be resumed).
struct SweepPlan {
  SweepSpec spec;
  Design design;
  std::vector<ParamTarget> targets;
  std::vector<std::string> seats;
  std::vector<std::string> series_names;        // the distinct quantities of the outcomes
  std::vector<const Outcome*> series_outcomes;  // one Outcome per series quantity, read per round
  std::uint64_t fingerprint = 0;

  [[nodiscard]] std::uint64_t runs() const { return design.size() * spec.seeds; }
  explicit SweepPlan(SweepSpec s);
  SweepPlan(const SweepPlan&) = delete;
  SweepPlan& operator=(const SweepPlan&) = delete;
};

RunRow play_run(const SweepPlan& plan, std::uint64_t run);

// The row of a match already played (shared with `run --experiments`).
struct MatchMeasure {
  const std::vector<Outcome>* outcomes;
  const std::vector<const Outcome*>* series;  // null: no series
};
// A row for a run whose match threw (out of memory): empty outcomes.
RunRow failed_row(const RunRow& started, std::size_t outcomes, std::size_t seats, const std::string& why);
void measure_match(const BotMatchResult& result, const MatchMeasure& what, std::size_t seats, RunRow& row);

}  // namespace leadtime::sweep

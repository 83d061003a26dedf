#pragma once

// `--csv FILE`: the results as CSV, one row per run in run order with its
// point's parameters beside its outcomes (run, point, seed_index, seed,
// parameters..., outcomes..., score_<seat>..., faults, error, time_limited), and with
// series a second file FILE minus ".csv" plus ".rounds.csv" with the rounds
// table. Numbers are written in their shortest exact form, so the CSV and
// the SQLite file hold the same values; an empty cell is a missing value.

#include <optional>
#include <string>

#include "batch/sweep_store.h"

namespace leadtime::sweep {

std::optional<std::string> write_csv(const ResultStore& store, const std::string& path);

// Where the rounds of `path` go.
std::string rounds_csv_path(const std::string& path);

}  // namespace leadtime::sweep

#pragma once

// `leadtime-batch run --experiments table.csv`: Leadtime as the model of an
// exploratory-modelling tool (EMA Workbench, OpenMOLE, a script). The table
// has one row per run: a `seed` column (the match seed, used as is) and one
// column per parameter, named as in sweep specs (distill_k,
// cn_vendor.capacity_growth, bot.us, bot.us.enforcement_usd_b). The output
// is the same table with the outcomes, the scores, the fault count, any
// error and the count of bot calls the sandbox's time limit stopped (not 0:
// the row is not reproducible) appended, one row per input row, in input
// order.
//
// The rest of each run (scenario, bots of the seats no column sets, the
// outcomes) comes from a sweep spec (--spec, whose parameters and design are
// ignored) or from --scenario, --bot SEAT=PATH and --outcome. Everything is
// checked before the first run: an unknown column, a value out of range, a
// bot that does not load or does not read a parameter.

#include <ostream>
#include <string>
#include <vector>

namespace leadtime::sweep {

struct ExperimentsOptions {
  std::string table;  // "-": standard input
  std::string out;    // empty: standard output
  std::string spec;
  std::string scenario;  // default scenarios/2028.lua
  std::vector<std::string> bots;
  std::vector<std::string> outcomes;
  std::vector<std::string> keep;  // columns copied through untouched (EMA's scenario/policy/model ids)
  unsigned threads = 0;
  bool progress = true;
};

// Exit codes as for sweeps: 0 done, 1 a write failed, 2 bad input.
int run_experiments(const ExperimentsOptions& options, std::ostream& out, std::ostream& err);

}  // namespace leadtime::sweep

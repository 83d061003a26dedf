#pragma once

// `leadtime-batch sweep SPEC`: reads and checks the spec, opens (or resumes)
// the results file, plays the runs not yet in it on every core (or across MPI
// ranks, batch/sweep_mpi.h), writes them in batched transactions and prints
// the summary. The library entry points below are what main() and the tests
// call.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "batch/sweep_run.h"

namespace leadtime::sweep {

class ResultStore;

// Shard I of N plays the runs whose index is I modulo N: every shard gets a
// share of every part of the design, so shards take about as long as each
// other even when some points are slower than others.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

// "I/N" with 0 <= I < N.
std::variant<Shard, std::string> parse_shard(std::string_view text);

// The shard of a Slurm job array task (SLURM_ARRAY_TASK_ID, _COUNT, and _MIN
// and _STEP when the array does not start at 0 or skips), or nothing outside
// one. `getenv` is a parameter so tests need not touch the environment.
using EnvFn = std::function<const char*(const char*)>;
std::variant<std::optional<Shard>, std::string> shard_from_env(const EnvFn& getenv);

// True when Open MPI's mpirun or a PMIx launcher (srun --mpi=pmix) started
// this process (OMPI_COMM_WORLD_SIZE or PMIX_RANK is set).
bool launched_by_mpi(const EnvFn& getenv);

struct SweepOptions {
  std::string spec_path;
  std::string out;       // empty: the spec's stem + ".db" (".shard-I-of-N.db" for a shard)
  std::string csv;       // also write CSV here
  unsigned threads = 0;  // 0: every core (under MPI: one per rank)
  Shard shard;
  bool progress = true;  // the bar, when stderr is a terminal
  bool summary = true;
  std::size_t summary_points = 50;  // 0: every point
};

struct SweepStats {
  std::uint64_t total = 0;    // runs in this shard
  std::uint64_t skipped = 0;  // already in the file
  std::uint64_t played = 0;
  bool interrupted = false;
  std::string out;
};

// Exit codes: 0 done, 1 a write failed, 2 bad input, 130 interrupted (rerun
// the same command to finish).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

int run_sweep(const SweepOptions& options, std::ostream& out, std::ostream& err, SweepStats* stats = nullptr);

// Shared with the MPI runner.
std::string default_out_path(const std::string& spec_path, const Shard& shard);
std::vector<std::uint64_t> todo_runs(std::uint64_t runs, const std::vector<bool>& finished, const Shard& shard);
// After the runs: the CSV and the summary, from the file.
int finish_outputs(const ResultStore& store, const SweepOptions& options, std::ostream& out, std::ostream& err);
// SIGINT and SIGTERM ask a running sweep to stop after the runs in hand.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  [[nodiscard]] static bool requested();
};

}  // namespace leadtime::sweep

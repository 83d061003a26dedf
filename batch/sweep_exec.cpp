#include "batch/sweep_exec.h"

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "batch/progress.h"
#include "batch/sweep_export.h"
#include "batch/sweep_pool.h"
#include "batch/sweep_store.h"
#include "batch/sweep_summary.h"

namespace leadtime::sweep {
namespace {

// Rows per transaction at most, and the longest a finished row waits for its
// transaction: a few commits a second, whatever the speed of the runs.
constexpr std::size_t kBatchRows = 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(250);

// The one piece of global state: a signal handler can reach nothing else.
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted = true; }

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::string stem_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  std::string stem = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::size_t dot = stem.rfind('.');
  return dot == std::string::npos || dot == 0 ? stem : stem.substr(0, dot);
}

// Plays the todo list on the local threads, writing as rows come in.
std::optional<std::string> play_locally(const SweepPlan& plan, std::vector<std::uint64_t> todo, unsigned threads,
                                        ResultStore& store, Progress& progress, SweepStats& stats) {
  RunDispenser dispenser(std::move(todo));
  RowQueue queue;
  WorkerPool pool(threads, dispenser, queue, [&plan](std::uint64_t run) { return play_run(plan, run); });
  for (;;) {
    if (InterruptGuard::requested()) dispenser.stop();
    const bool finished = pool.finished();
    const std::vector<RunRow> rows = queue.take(kBatchRows, finished ? std::chrono::milliseconds(0) : kFlushEvery);
    if (auto error = store.write(rows)) {
      dispenser.stop();
      pool.join();
      return error;
    }
    stats.played += rows.size();
    progress.advance(rows.size());
    if (finished && rows.empty()) break;
  }
  stats.interrupted = dispenser.remaining() > 0;
  return std::nullopt;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted = false;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool InterruptGuard::requested() { return g_interrupted.load(); }

std::variant<Shard, std::string> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string bad = "--shard '" + std::string(text) + "': expected I/N with 0 <= I < N, e.g. 0/4";
  if (slash == std::string_view::npos) return bad;
  const auto index = whole_number(text.substr(0, slash));
  const auto count = whole_number(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) return bad;
  return Shard{*index, *count};
}

std::variant<std::optional<Shard>, std::string> shard_from_env(const EnvFn& getenv) {
  const char* id_text = getenv("SLURM_ARRAY_TASK_ID");
  const char* count_text = getenv("SLURM_ARRAY_TASK_COUNT");
  if (!id_text || !count_text) return std::optional<Shard>();
  const char* min_text = getenv("SLURM_ARRAY_TASK_MIN");
  const char* step_text = getenv("SLURM_ARRAY_TASK_STEP");
  const auto id = whole_number(id_text);
  const auto count = whole_number(count_text);
  const auto min = min_text ? whole_number(min_text) : std::optional<std::uint64_t>(0);
  const auto step = step_text ? whole_number(step_text) : std::optional<std::uint64_t>(1);
  if (!id || !count || !min || !step || *count == 0 || *step == 0 || *id < *min || (*id - *min) % *step != 0 ||
      (*id - *min) / *step >= *count) {
    return "SLURM_ARRAY_TASK_ID=" + std::string(id_text) + " with SLURM_ARRAY_TASK_COUNT=" + count_text +
           ": not a task of an array of that size (use --shard I/N to say which shard this is)";
  }
  return std::optional<Shard>(Shard{(*id - *min) / *step, *count});
}

bool launched_by_mpi(const EnvFn& getenv) { return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK"); }

std::string default_out_path(const std::string& spec_path, const Shard& shard) {
  const std::string stem = stem_of(spec_path);
  if (shard.count == 1) return stem + ".db";
  return stem + ".shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".db";
}

std::vector<std::uint64_t> todo_runs(std::uint64_t runs, const std::vector<bool>& finished, const Shard& shard) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t run = shard.index; run < runs; run += shard.count) {
    if (run >= finished.size() || !finished[run]) out.push_back(run);
  }
  return out;
}

int finish_outputs(const ResultStore& store, const SweepOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.csv.empty()) {
    if (auto error = write_csv(store, options.csv)) {
      err << "leadtime-batch: " << *error << "\n";
      return kExitFailed;
    }
  }
  if (!options.summary) return kExitOk;
  auto summary = summarize(store);
  if (auto* error = std::get_if<std::string>(&summary)) {
    err << "leadtime-batch: " << *error << "\n";
    return kExitFailed;
  }
  print_summary(out, store.layout(), std::get<std::vector<PointSummary>>(summary), store.finished_count(),
                options.summary_points);
  return kExitOk;
}

int run_sweep(const SweepOptions& options, std::ostream& out, std::ostream& err, SweepStats* stats_out) {
  SweepStats stats;
  auto loaded = load_sweep_spec(options.spec_path);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    err << "leadtime-batch: " << *error << "\n";
    return kExitBadInput;
  }
  const SweepPlan plan(std::get<SweepSpec>(std::move(loaded)));
  stats.out = options.out.empty() ? default_out_path(options.spec_path, options.shard) : options.out;
  auto opened = ResultStore::open_for(stats.out, plan);
  if (auto* error = std::get_if<std::string>(&opened)) {
    err << "leadtime-batch: " << *error << "\n";
    return kExitBadInput;
  }
  ResultStore& store = *std::get<std::unique_ptr<ResultStore>>(opened);
  std::vector<std::uint64_t> todo = todo_runs(plan.runs(), store.finished(), options.shard);
  stats.total = (plan.runs() + options.shard.count - 1 - options.shard.index) / options.shard.count;
  stats.skipped = stats.total - todo.size();
  const InterruptGuard interrupts;
  Progress progress(err, todo.size(), options.progress && Progress::stderr_is_terminal());
  const auto error = play_locally(plan, std::move(todo), resolve_threads(options.threads), store, progress, stats);
  const double seconds = progress.finish();
  if (stats_out) *stats_out = stats;
  if (error) {
    err << "leadtime-batch: " << *error << "\n";
    return kExitFailed;
  }
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.2f s, %.0f runs/s", seconds,
                seconds > 0 ? static_cast<double>(stats.played) / seconds : 0.0);
  err << "leadtime-batch: " << stats.played << " runs played (" << stats.skipped << " already in " << stats.out
      << ") in " << rate << "\n";
  if (stats.interrupted) {
    err << "leadtime-batch: interrupted; " << store.finished_count() << " of " << plan.runs() << " runs are in "
        << stats.out << " (rerun the same command to finish)\n";
    return kExitInterrupted;
  }
  return finish_outputs(store, options, out, err);
}

}  // namespace leadtime::sweep

#include "batch/sweep_mpi.h"

#include <mpi.h>

#include <algorithm>
#include <cstdio>

#include "batch/progress.h"
#include "batch/sweep_pool.h"
#include "batch/sweep_store.h"
#include "batch/sweep_wire.h"

namespace leadtime::sweep {
namespace {

// Worker -> rank 0: the rows of the chunk just played (none at first), which
// also asks for the next chunk. Rank 0 -> worker: run indices; an empty chunk
// says there is no more work.
constexpr int kTagRows = 1;
constexpr int kTagWork = 2;
// Requests each worker keeps in flight. Every request gets exactly one reply,
// and a worker's last kPrefetch replies are the empty ones, so rank 0 knows a
// worker is finished (and all its rows are in) once it has sent it that many.
constexpr int kPrefetch = 2;
constexpr std::size_t kBatchRows = 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(250);
// How long rank 0 waits for its own threads' rows before it looks for
// messages again: short enough that a worker's request never waits long.
constexpr auto kPoll = std::chrono::milliseconds(1);
constexpr std::uint64_t kMaxChunk = 64;

class MpiRuntime {
 public:
  MpiRuntime() {
    int provided = 0;
    // Only the main thread of a rank calls MPI; worker threads play matches.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    MPI_Get_processor_name(name, &length);
    host.assign(name, static_cast<std::size_t>(length));
  }
  ~MpiRuntime() { MPI_Finalize(); }
  MpiRuntime(const MpiRuntime&) = delete;
  MpiRuntime& operator=(const MpiRuntime&) = delete;

  int rank = 0;
  int size = 1;
  std::string host;
};

// True on every rank when `ok` holds on every rank. When rank 0 failed only
// rank 0 speaks, otherwise each failing rank says what it saw.
bool agree(const MpiRuntime& mpi, bool ok, const std::string& error, std::ostream& err) {
  int mine = ok ? 1 : 0;
  int all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  int root_ok = mine;
  MPI_Bcast(&root_ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok && (mpi.rank == 0 || root_ok == 1)) {
    err << "leadtime-batch: " << (mpi.rank == 0 ? "" : "rank " + std::to_string(mpi.rank) + " on " + mpi.host + ": ")
        << error << "\n";
  }
  return all == 1;
}

std::vector<RunRow> play_chunk(const SweepPlan& plan, const std::vector<std::uint64_t>& runs, unsigned threads) {
  if (threads <= 1) {
    std::vector<RunRow> rows;
    for (std::uint64_t run : runs) rows.push_back(play_run(plan, run));
    return rows;
  }
  RunDispenser dispenser(runs);
  RowQueue queue;
  {
    WorkerPool pool(threads, dispenser, queue, [&plan](std::uint64_t run) { return play_run(plan, run); });
  }
  return queue.take(0, std::chrono::milliseconds(0));
}

// A worker rank: asks, plays, sends, until rank 0 has no more work. Rows go
// out with a blocking send: a chunk's rows are larger than MPI's eager limit,
// and a non-blocking send of them would only move while this rank is inside
// MPI, leaving rank 0 spinning in its receive for a whole chunk of play.
void serve_as_worker(const SweepPlan& plan, unsigned threads) {
  const std::vector<std::uint8_t> nothing = encode_rows({});
  for (int i = 0; i < kPrefetch; ++i) {
    MPI_Send(nothing.data(), static_cast<int>(nothing.size()), MPI_BYTE, 0, kTagRows, MPI_COMM_WORLD);
  }
  int empties = 0;
  while (empties < kPrefetch) {
    MPI_Status status;
    MPI_Probe(0, kTagWork, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    std::vector<std::uint64_t> runs(static_cast<std::size_t>(count));
    MPI_Recv(runs.data(), count, MPI_UINT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (runs.empty()) {
      ++empties;
      continue;
    }
    const std::vector<std::uint8_t> rows = encode_rows(play_chunk(plan, runs, threads));
    MPI_Send(rows.data(), static_cast<int>(rows.size()), MPI_BYTE, 0, kTagRows, MPI_COMM_WORLD);
  }
}

// Rank 0's side: answers every request with the next chunk, plays runs on its
// own threads meanwhile, and writes every row that arrives.
class Coordinator {
 public:
  Coordinator(const SweepPlan& plan, const MpiRuntime& mpi, std::vector<std::uint64_t> todo, unsigned threads,
              ResultStore& store, Progress& progress)
      : mpi_(mpi),
        chunk_(std::clamp<std::uint64_t>(
            todo.size() / (static_cast<std::uint64_t>(mpi.size) * std::max(1U, threads) * 16), 1, kMaxChunk)),
        dispenser_(std::move(todo)),
        store_(store),
        progress_(progress),
        empties_(static_cast<std::size_t>(mpi.size), 0),
        pool_(threads, dispenser_, queue_, [&plan](std::uint64_t run) { return play_run(plan, run); }) {}

  // Returns an error when a write failed.
  std::optional<std::string> run(SweepStats& stats) {
    auto last_flush = std::chrono::steady_clock::now();
    for (;;) {
      if (InterruptGuard::requested()) dispenser_.stop();
      answer_requests();
      reap_sends();
      const bool local_done = pool_.finished();
      for (RunRow& r : queue_.take(kBatchRows, kPoll)) pending_.push_back(std::move(r));
      const bool done = local_done && finished_workers_ == mpi_.size - 1 && queue_empty_after(local_done);
      const auto now = std::chrono::steady_clock::now();
      if (pending_.size() >= kBatchRows || (!pending_.empty() && (now - last_flush >= kFlushEvery || done))) {
        if (auto error = store_.write(pending_)) {
          dispenser_.stop();
          return error;
        }
        stats.played += pending_.size();
        progress_.advance(pending_.size());
        pending_.clear();
        last_flush = now;
      }
      if (done && pending_.empty()) break;
    }
    stats.interrupted = dispenser_.remaining() > 0;
    wait_sends();
    pool_.join();
    return std::nullopt;
  }

 private:
  // Once the local threads are finished nothing more can enter the queue, so
  // one more take tells whether it is empty.
  bool queue_empty_after(bool local_done) {
    if (!local_done) return false;
    std::vector<RunRow> rest = queue_.take(0, std::chrono::milliseconds(0));
    const bool empty = rest.empty();
    for (RunRow& r : rest) pending_.push_back(std::move(r));
    return empty;
  }

  void answer_requests() {
    for (;;) {
      int waiting = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kTagRows, MPI_COMM_WORLD, &waiting, &status);
      if (!waiting) return;
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::vector<std::uint8_t> buffer(static_cast<std::size_t>(bytes));
      MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kTagRows, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      std::optional<std::vector<RunRow>> rows = decode_rows(buffer);
      if (!rows) {
        std::fprintf(stderr, "leadtime-batch: rank %d sent rows that do not decode\n", status.MPI_SOURCE);
        MPI_Abort(MPI_COMM_WORLD, kExitFailed);
      }
      for (RunRow& r : *rows) pending_.push_back(std::move(r));
      auto chunk = std::make_unique<Outgoing>();
      chunk->runs = dispenser_.take(chunk_);
      const bool empty = chunk->runs.empty();
      MPI_Isend(chunk->runs.data(), static_cast<int>(chunk->runs.size()), MPI_UINT64_T, status.MPI_SOURCE, kTagWork,
                MPI_COMM_WORLD, &chunk->request);
      outgoing_.push_back(std::move(chunk));
      if (empty && ++empties_[static_cast<std::size_t>(status.MPI_SOURCE)] == kPrefetch) ++finished_workers_;
    }
  }

  // Forgets the chunks that have reached their rank.
  void reap_sends() {
    std::erase_if(outgoing_, [](const std::unique_ptr<Outgoing>& o) {
      int done = 0;
      MPI_Test(&o->request, &done, MPI_STATUS_IGNORE);
      return done != 0;
    });
  }

  void wait_sends() {
    for (const std::unique_ptr<Outgoing>& o : outgoing_) MPI_Wait(&o->request, MPI_STATUS_IGNORE);
    outgoing_.clear();
  }

  // A chunk on its way: its runs must stay put until the send completes.
  // Sends are non-blocking because a worker takes its next chunk only
  // between chunks: a blocking send would hold rank 0 (and every other
  // worker's request) for a whole chunk of play.
  struct Outgoing {
    std::vector<std::uint64_t> runs;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  const MpiRuntime& mpi_;
  std::uint64_t chunk_;
  RunDispenser dispenser_;
  RowQueue queue_;
  ResultStore& store_;
  Progress& progress_;
  std::vector<int> empties_;
  int finished_workers_ = 0;
  std::vector<RunRow> pending_;
  std::vector<std::unique_ptr<Outgoing>> outgoing_;
  WorkerPool pool_;  // last: its threads start once everything above exists
};

struct Loaded {
  std::unique_ptr<SweepPlan> plan;
  std::string error;
};

Loaded load_plan(const SweepOptions& options) {
  auto loaded = load_sweep_spec(options.spec_path);
  if (auto* error = std::get_if<std::string>(&loaded)) return {nullptr, *error};
  return {std::make_unique<SweepPlan>(std::get<SweepSpec>(std::move(loaded))), {}};
}

// Every rank must play the same sweep: a host with other files would write
// rows that belong to another one.
bool same_sweep_everywhere(const MpiRuntime& mpi, const Loaded& loaded, std::ostream& err) {
  unsigned long long mine = loaded.plan ? loaded.plan->fingerprint : 0;
  unsigned long long root = mine;
  MPI_Bcast(&root, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  const bool ok = loaded.plan && mine == root;
  const std::string error = loaded.plan ? "its spec, scenario or bot files differ from rank 0's (every host needs "
                                          "the same files at the same paths)"
                                        : loaded.error;
  return agree(mpi, ok, error, err);
}

void report(std::ostream& err, const SweepStats& stats, double seconds, int ranks) {
  char rate[96];
  std::snprintf(rate, sizeof rate, "%.2f s, %.0f runs/s on %d ranks", seconds,
                seconds > 0 ? static_cast<double>(stats.played) / seconds : 0.0, ranks);
  err << "leadtime-batch: " << stats.played << " runs played (" << stats.skipped << " already in " << stats.out
      << ") in " << rate << "\n";
}

}  // namespace

int run_sweep_mpi(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  const MpiRuntime mpi;
  const Loaded loaded = load_plan(options);
  if (!same_sweep_everywhere(mpi, loaded, err)) return kExitBadInput;
  const SweepPlan& plan = *loaded.plan;
  // One rank per core is how MPI jobs are laid out, so each rank plays on one
  // thread unless told otherwise; a lone rank (srun with PMIx starts even
  // plain job-array tasks as MPI processes) takes every core as usual.
  const unsigned threads = options.threads != 0 ? options.threads : mpi.size == 1 ? resolve_threads(0) : 1;
  if (mpi.rank != 0) {
    if (!agree(mpi, true, "", err)) return kExitBadInput;
    serve_as_worker(plan, threads);
    return kExitOk;
  }
  SweepStats stats;
  stats.out = options.out.empty() ? default_out_path(options.spec_path, options.shard) : options.out;
  auto opened = ResultStore::open_for(stats.out, plan);
  const auto* open_error = std::get_if<std::string>(&opened);
  if (!agree(mpi, open_error == nullptr, open_error ? *open_error : "", err)) return kExitBadInput;
  ResultStore& store = *std::get<std::unique_ptr<ResultStore>>(opened);
  std::vector<std::uint64_t> todo = todo_runs(plan.runs(), store.finished(), options.shard);
  stats.total = (plan.runs() + options.shard.count - 1 - options.shard.index) / options.shard.count;
  stats.skipped = stats.total - todo.size();
  const InterruptGuard interrupts;
  Progress progress(err, todo.size(), options.progress && Progress::stderr_is_terminal());
  std::optional<std::string> error;
  {
    Coordinator coordinator(plan, mpi, std::move(todo), threads, store, progress);
    error = coordinator.run(stats);
  }
  const double seconds = progress.finish();
  if (error) {
    err << "leadtime-batch: " << *error << "\n";
    MPI_Abort(MPI_COMM_WORLD, kExitFailed);
  }
  report(err, stats, seconds, mpi.size);
  if (stats.interrupted) {
    err << "leadtime-batch: interrupted; " << store.finished_count() << " of " << plan.runs() << " runs are in "
        << stats.out << " (rerun the same command to finish)\n";
    return kExitInterrupted;
  }
  return finish_outputs(store, options, out, err);
}

}  // namespace leadtime::sweep

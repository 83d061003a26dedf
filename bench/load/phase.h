#pragma once

// A phase of the benchmark (setting connections up, playing, echoing): many
// coroutines run to their end on the client io_context, by a given number of
// threads, with a time limit after which every link is closed so each
// coroutine stops with an error. Nothing here waits without a bound.
#include "protocol/asio.h"

#include <chrono>
#include <ctime>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench/load/figures.h"
#include "bench/load/link.h"

namespace leadtime::bench {

using Clock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;

// Reads a CPU clock in seconds (the server's threads' time).
using CpuClock = std::function<double()>;

struct PhaseTask {
  Strand executor;
  // Called once to make the coroutine; what it refers to must outlive the phase.
  std::function<asio::awaitable<void>()> make;
};

struct PhaseOutcome {
  double seconds = 0;       // from the first spawn to the end of the last coroutine
  double server_cpu_s = 0;  // used by the server's threads meanwhile
  int failures = 0;
  std::string first_failure;
  bool timed_out = false;
};

PhaseOutcome run_phase(asio::io_context& io, unsigned threads, std::chrono::seconds limit,
                       const std::vector<Link*>& links, std::vector<PhaseTask> tasks, const CpuClock& server_cpu);

// Adds a phase's failures to a run's figures, keeping the first cause.
void add_failures(const PhaseOutcome& phase, RunFigures& figures);

// The time on a CPU clock (a thread's, a process's) in seconds; 0 if it
// cannot be read.
double cpu_clock_seconds(clockid_t clock);

// Runs an io_context (a server's) on `count` threads until destroyed.
class IoThreads {
 public:
  IoThreads(asio::io_context& io, unsigned count);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // CPU time these threads have used so far. On a shared machine wall time
  // depends on the neighbours; CPU time per message much less so.
  [[nodiscard]] double cpu_seconds() const;

 private:
  asio::io_context& io_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::native_handle_type> handles_;
};

}  // namespace leadtime::bench

#include "bench/load/phase.h"

#include <pthread.h>

#include <ctime>
#include <exception>
#include <mutex>

namespace leadtime::bench {

namespace {

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// What the coroutines of one phase report as they end (from any client thread).
struct Tally {
  std::mutex mutex;
  PhaseOutcome outcome;
  std::size_t left = 0;
  Clock::time_point end;
};

}  // namespace

PhaseOutcome run_phase(asio::io_context& io, unsigned threads, std::chrono::seconds limit,
                       const std::vector<Link*>& links, std::vector<PhaseTask> tasks, const CpuClock& server_cpu) {
  Tally tally;
  tally.left = tasks.size();
  const Strand watchdog_strand = asio::make_strand(io);
  asio::steady_timer watchdog(watchdog_strand, limit);
  watchdog.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    {
      const std::lock_guard lock(tally.mutex);
      tally.outcome.timed_out = true;
    }
    for (Link* link : links) link->close_soon();
  });
  const auto finished = [&](std::exception_ptr error) {
    const std::lock_guard lock(tally.mutex);
    if (error && tally.outcome.failures++ == 0) {
      tally.outcome.first_failure = describe(error);
      // One failed client stalls its whole game (a round waits for every
      // seat), and the figures are void anyway: stop the phase now rather
      // than at the time limit.
      for (Link* link : links) link->close_soon();
    }
    if (--tally.left == 0) {
      tally.end = Clock::now();
      asio::post(watchdog_strand, [&watchdog] { watchdog.cancel(); });
    }
  };

  const double cpu_before = server_cpu();
  const Clock::time_point start = Clock::now();
  tally.end = start;
  if (tasks.empty()) watchdog.cancel();
  for (PhaseTask& task : tasks) asio::co_spawn(task.executor, task.make(), finished);
  io.restart();
  {
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    for (std::thread& t : pool) t.join();
  }
  tally.outcome.seconds = std::chrono::duration<double>(tally.end - start).count();
  tally.outcome.server_cpu_s = server_cpu() - cpu_before;
  return tally.outcome;
}

void add_failures(const PhaseOutcome& phase, RunFigures& figures) {
  if (figures.failures == 0 && phase.failures > 0) figures.first_failure = phase.first_failure;
  figures.failures += phase.failures;
  figures.timed_out = figures.timed_out || phase.timed_out;
}

IoThreads::IoThreads(asio::io_context& io, unsigned count) : io_(io) {
  for (unsigned i = 0; i < count; ++i) {
    threads_.emplace_back([this] { io_.run(); });
    handles_.push_back(threads_.back().native_handle());
  }
}

double cpu_clock_seconds(clockid_t clock) {
  timespec used{};
  if (::clock_gettime(clock, &used) != 0) return 0;
  return static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
}

double IoThreads::cpu_seconds() const {
  double total = 0;
  for (const pthread_t handle : handles_) {
    clockid_t clock{};
    if (::pthread_getcpuclockid(handle, &clock) == 0) total += cpu_clock_seconds(clock);
  }
  return total;
}

IoThreads::~IoThreads() {
  io_.stop();
  for (std::thread& t : threads_) t.join();
}

}  // namespace leadtime::bench

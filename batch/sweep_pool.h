#pragma once

// Runs on every core: worker threads take run indices one at a time from a
// shared dispenser (so a slow point never leaves a thread idle while others
// wait) and queue their rows for the one thread that writes the results.
// A row depends only on its run index, never on which thread played it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "batch/sweep_run.h"

namespace leadtime::sweep {

class RunDispenser {
 public:
  explicit RunDispenser(std::vector<std::uint64_t> todo) : todo_(std::move(todo)) {}

  // The next run, or false once the list is spent or stop() was called.
  bool take_one(std::uint64_t& run);
  // Up to n runs in order; empty once the list is spent or stopped.
  std::vector<std::uint64_t> take(std::size_t n);
  // Hands out nothing more (an interrupted sweep finishes the runs in hand).
  void stop() { stopped_ = true; }
  [[nodiscard]] std::uint64_t size() const { return todo_.size(); }
  [[nodiscard]] std::uint64_t remaining() const;

 private:
  std::vector<std::uint64_t> todo_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stopped_{false};
};

class RowQueue {
 public:
  void push(RunRow row);
  void push_all(std::vector<RunRow> rows);
  // Waits until `batch` rows are queued, notify() is called or `wait`
  // passes, then takes every queued row.
  std::vector<RunRow> take(std::size_t batch, std::chrono::milliseconds wait);
  void notify();

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<RunRow> rows_;
  bool notified_ = false;
};

using PlayFn = std::function<RunRow(std::uint64_t)>;

class WorkerPool {
 public:
  WorkerPool(unsigned threads, RunDispenser& dispenser, RowQueue& queue, PlayFn play);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // True once every worker has returned; rows they queued are all in the
  // queue by then.
  [[nodiscard]] bool finished() const { return running_.load() == 0; }
  void join();

 private:
  void work(RunDispenser& dispenser, RowQueue& queue, const PlayFn& play);
  std::atomic<unsigned> running_{0};
  std::vector<std::thread> threads_;
};

// All cores unless told otherwise.
unsigned resolve_threads(unsigned requested);

}  // namespace leadtime::sweep

#include "batch/sweep_pool.h"

namespace leadtime::sweep {

bool RunDispenser::take_one(std::uint64_t& run) {
  if (stopped_) return false;
  const std::size_t i = next_.fetch_add(1);
  if (i >= todo_.size()) return false;
  run = todo_[i];
  return true;
}

std::vector<std::uint64_t> RunDispenser::take(std::size_t n) {
  std::vector<std::uint64_t> out;
  if (stopped_ || n == 0) return out;
  const std::size_t first = next_.fetch_add(n);
  for (std::size_t i = first; i < first + n && i < todo_.size(); ++i) out.push_back(todo_[i]);
  return out;
}

std::uint64_t RunDispenser::remaining() const {
  const std::size_t taken = next_.load();
  return taken >= todo_.size() ? 0 : todo_.size() - taken;
}

void RowQueue::push(RunRow row) {
  std::size_t size = 0;
  {
    std::lock_guard lock(mutex_);
    rows_.push_back(std::move(row));
    size = rows_.size();
  }
  // Waking the writer for every row would cost more than the row; it wakes
  // on a full batch or its timeout.
  if (size % 256 == 0) ready_.notify_one();
}

void RowQueue::push_all(std::vector<RunRow> rows) {
  {
    std::lock_guard lock(mutex_);
    for (RunRow& r : rows) rows_.push_back(std::move(r));
  }
  ready_.notify_one();
}

void RowQueue::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  ready_.notify_one();
}

std::vector<RunRow> RowQueue::take(std::size_t batch, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, wait, [&] { return rows_.size() >= batch || notified_; });
  notified_ = false;
  std::vector<RunRow> out;
  out.swap(rows_);
  return out;
}

WorkerPool::WorkerPool(unsigned threads, RunDispenser& dispenser, RowQueue& queue, PlayFn play) {
  running_ = threads;
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this, &dispenser, &queue, play] { work(dispenser, queue, play); });
  }
}

WorkerPool::~WorkerPool() { join(); }

void WorkerPool::join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::work(RunDispenser& dispenser, RowQueue& queue, const PlayFn& play) {
  std::uint64_t run = 0;
  while (dispenser.take_one(run)) queue.push(play(run));
  if (running_.fetch_sub(1) == 1) queue.notify();
}

unsigned resolve_threads(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace leadtime::sweep

#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace leadtime::server::app {

// How far apart a game's status lines go (issue #21): at least the server's
// status interval, and further apart when the server holds so many members
// that a line each per interval would pass its budget of status lines a
// second. An exercise of 40 people keeps its lines a second apart; 10,000
// members share the budget (a line each every two seconds at 5,000 a
// second), where their lines were a fifth of the server's work. News (a new
// phase or round) goes at once whatever the pace. Shared by every room of a
// server; rooms count their members in and out.
class StatusPace {
 public:
  StatusPace(std::chrono::milliseconds shortest, std::uint32_t lines_per_second)
      : shortest_(shortest), lines_per_second_(std::max<std::uint32_t>(lines_per_second, 1)) {}

  void add_members(int delta) { members_.fetch_add(delta, std::memory_order_relaxed); }
  [[nodiscard]] int members() const { return members_.load(std::memory_order_relaxed); }

  [[nodiscard]] std::chrono::milliseconds interval() const {
    const std::int64_t members = std::max(0, this->members());
    return std::max(shortest_, std::chrono::milliseconds(members * 1000 / lines_per_second_));
  }

 private:
  std::chrono::milliseconds shortest_;
  std::uint32_t lines_per_second_;
  std::atomic<int> members_{0};
};

}  // namespace leadtime::server::app

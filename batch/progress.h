#pragma once

// A one-line progress bar on stderr: done/total, runs per second and the time
// left. It draws only when stderr is a terminal, so logs and CI output stay
// clean, and at most ten times a second. The clock it reads is for people:
// nothing it measures reaches the results.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace leadtime::sweep {

class Progress {
 public:
  // `enabled` false draws nothing; `total` is the runs this session plays.
  Progress(std::ostream& err, std::uint64_t total, bool enabled);

  void advance(std::uint64_t runs);
  // Clears the bar's line and returns the elapsed seconds.
  double finish();

  [[nodiscard]] static bool stderr_is_terminal();
  // "1234/5000 runs  1850/s  0:02 left", the bar's text.
  [[nodiscard]] static std::string line(std::uint64_t done, std::uint64_t total, double seconds);

 private:
  void draw();

  std::ostream& err_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace leadtime::sweep

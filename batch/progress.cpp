#include "batch/progress.h"

#include <unistd.h>

#include <cstdio>

namespace leadtime::sweep {
namespace {

constexpr auto kRedraw = std::chrono::milliseconds(100);
constexpr int kBarWidth = 24;

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

Progress::Progress(std::ostream& err, std::uint64_t total, bool enabled)
    : err_(err), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::string Progress::line(std::uint64_t done, std::uint64_t total, double seconds) {
  const double share = total == 0 ? 1 : static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(share * kBarWidth);
  std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(kBarWidth - filled), ' ') + "]";
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  char buf[160];
  if (rate > 0) {
    std::snprintf(buf, sizeof buf, " %llu/%llu runs  %.0f/s  %s left", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(total), rate,
                  clock_text(static_cast<double>(total - done) / rate).c_str());
  } else {
    std::snprintf(buf, sizeof buf, " %llu/%llu runs", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(total));
  }
  return bar + buf;
}

void Progress::advance(std::uint64_t runs) {
  done_ += runs;
  const auto now = std::chrono::steady_clock::now();
  if (!enabled_ || now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  draw();
}

void Progress::draw() {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // \r and erase-to-end-of-line: the bar rewrites itself in place.
  err_ << "\r" << line(done_, total_, seconds) << "\x1b[K" << std::flush;
}

double Progress::finish() {
  if (enabled_) err_ << "\r\x1b[K" << std::flush;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace leadtime::sweep

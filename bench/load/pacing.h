#pragma once

// How long a player deliberates before each request. Flat out (mean 0) every
// client sends its next request the moment the last answer arrives, which
// measures capacity: with hundreds of clients each keeping one request in
// flight, a round trip is mostly the queue ahead of it (Little's law), on any
// server. Paced, the same connections offer a load below capacity, which is
// what a latency goal is about.
#include "protocol/asio.h"

#include <chrono>
#include <cstdint>
#include <random>

namespace leadtime::bench {

class ThinkTime {
 public:
  // Pauses are uniform between 0 and twice `mean`, from a generator seeded
  // per player so a run offers the same load every time.
  ThinkTime(std::chrono::milliseconds mean, std::uint64_t seed);

  // Waits out the next pause on the calling coroutine's executor; returns at
  // once when the mean is 0.
  asio::awaitable<void> pause();

 private:
  std::chrono::microseconds mean_;
  std::mt19937_64 rng_;
};

}  // namespace leadtime::bench

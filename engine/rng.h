#pragma once

#include <array>
#include <cstdint>

namespace leadtime {

// The match's only source of randomness. xoshiro256** seeded through
// splitmix64: its state is four words, so it hashes and saves trivially, and
// every draw is defined here rather than by a standard library's
// implementation-defined distributions (which differ between libstdc++ and
// libc++ and would break replays of save files moved between machines).
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next_u64();
  double uniform01();                        // [0, 1)
  double normal();                           // mean 0, sd 1 (Box-Muller)
  bool bernoulli(double p);                  // p clamped to [0, 1]
  std::uint64_t below(std::uint64_t bound);  // [0, bound), bound > 0

  [[nodiscard]] const std::array<std::uint64_t, 4>& words() const { return s_; }
  void set_words(const std::array<std::uint64_t, 4>& w) { s_ = w; }
  friend bool operator==(const Rng&, const Rng&) = default;

 private:
  std::array<std::uint64_t, 4> s_{};
};

// Derives an independent stream from a master seed and indices (view noise,
// per-run seeds in sweeps) so cosmetic draws never touch the match generator.
std::uint64_t derive_seed(std::uint64_t master, std::uint64_t a, std::uint64_t b = 0);

}  // namespace leadtime

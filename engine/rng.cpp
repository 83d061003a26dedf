#include "engine/rng.h"

#include <cmath>
#include <numbers>

namespace leadtime {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  x += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = x;
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17U;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11U) * 0x1.0p-53; }

double Rng::normal() {
  // Two uniforms per draw, always: a cached second value would make the
  // number of words consumed depend on call history.
  const double u1 = 1.0 - uniform01();  // (0, 1], safe for log
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

bool Rng::bernoulli(double p) { return uniform01() < p; }

std::uint64_t Rng::below(std::uint64_t bound) {
  // Rejection sampling keeps the result unbiased for any bound.
  const std::uint64_t limit = -bound % bound;
  for (;;) {
    const std::uint64_t x = next_u64();
    if (x >= limit) return x % bound;
  }
}

std::uint64_t derive_seed(std::uint64_t master, std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = master ^ 0x6a09e667f3bcc909ULL;
  std::uint64_t out = splitmix64(x);
  x ^= a * 0xd1b54a32d192ed03ULL;
  out ^= splitmix64(x);
  x ^= b * 0x8cb92ba72f3d8dd7ULL;
  out ^= splitmix64(x);
  return out;
}

}  // namespace leadtime

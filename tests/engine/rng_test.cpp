#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "engine/rng.h"

using leadtime::derive_seed;
using leadtime::Rng;

namespace {

std::vector<std::uint64_t> draws(Rng rng, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next_u64());
  return out;
}

}  // namespace

TEST_CASE("rng: the same seed gives the same sequence") {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xdeadbeefULL}) {
    Rng a(seed);
    Rng b(seed);
    CHECK(a == b);
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(a.next_u64() == b.next_u64());
      REQUIRE(a.uniform01() == b.uniform01());
      REQUIRE(a.normal() == b.normal());
      REQUIRE(a.below(17) == b.below(17));
    }
    CHECK(a == b);
  }
}

TEST_CASE("rng: different seeds give different sequences") {
  const auto a = draws(Rng(1), 20);
  const auto b = draws(Rng(2), 20);
  const auto zero = draws(Rng(0), 20);
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  CHECK(same == 0);
  CHECK(a != zero);
  // Seed 0 is a valid seed: splitmix64 never leaves xoshiro with an all-zero state.
  CHECK(Rng(0).words() != std::array<std::uint64_t, 4>{});
  CHECK(std::set<std::uint64_t>(zero.begin(), zero.end()).size() == zero.size());
}

TEST_CASE("rng: words round-trip through set_words") {
  Rng a(99);
  for (int i = 0; i < 10; ++i) a.next_u64();
  Rng b(12345);
  CHECK_FALSE(a == b);
  b.set_words(a.words());
  CHECK(a == b);
  CHECK(draws(a, 10) == draws(b, 10));
}

TEST_CASE("rng: every draw advances the state") {
  Rng a(5);
  const auto before = a.words();
  a.next_u64();
  CHECK(a.words() != before);
  // normal() always consumes exactly two words, so call history never shifts later draws.
  Rng n(5);
  Rng u(5);
  n.normal();
  u.next_u64();
  u.next_u64();
  CHECK(n == u);
}

TEST_CASE("rng: uniform01 stays in 0 to 1 (1 excluded) and covers it") {
  Rng rng(2024);
  double lo = 1;
  double hi = 0;
  double sum = 0;
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  CHECK(lo < 0.001);
  CHECK(hi > 0.999);
  CHECK(sum / kN == doctest::Approx(0.5).epsilon(0.02));  // mean 1/2, sd of the mean ~0.002
}

TEST_CASE("rng: below(n) stays in range and reaches every value") {
  Rng rng(77);
  for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 7ULL, 10ULL, 1000ULL}) {
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 5000; ++i) {
      const std::uint64_t x = rng.below(n);
      REQUIRE(x < n);
      seen.insert(x);
    }
    if (n <= 10) CHECK(seen.size() == n);
  }
  // A bound near 2^64 (rejection sampling has to reject sometimes) still stays in range.
  const std::uint64_t big = (std::uint64_t{1} << 63U) + 1;
  for (int i = 0; i < 1000; ++i) REQUIRE(rng.below(big) < big);
}

TEST_CASE("rng: below(n) is roughly uniform") {
  Rng rng(3);
  std::array<int, 6> counts{};
  constexpr int kN = 60000;
  for (int i = 0; i < kN; ++i) counts[rng.below(6)] += 1;
  for (int c : counts) CHECK(c == doctest::Approx(kN / 6.0).epsilon(0.05));  // 10000 +- ~95 (1 sd)
}

TEST_CASE("rng: normal has mean about 0 and sd about 1") {
  Rng rng(11);
  constexpr int kN = 20000;
  double sum = 0;
  double sum_sq = 0;
  int beyond_2sd = 0;
  for (int i = 0; i < kN; ++i) {
    const double z = rng.normal();
    REQUIRE(std::isfinite(z));
    sum += z;
    sum_sq += z * z;
    beyond_2sd += std::abs(z) > 2 ? 1 : 0;
  }
  const double mean = sum / kN;
  const double sd = std::sqrt(sum_sq / kN - mean * mean);
  CHECK(std::abs(mean) < 0.03);  // sd of the mean is 1/sqrt(20000) = 0.007
  CHECK(sd == doctest::Approx(1.0).epsilon(0.03));
  CHECK(static_cast<double>(beyond_2sd) / kN == doctest::Approx(0.0455).epsilon(0.15));  // two-sided 2-sigma tail
}

TEST_CASE("rng: bernoulli edges and rate") {
  Rng rng(8);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    REQUIRE_FALSE(rng.bernoulli(0.0));
    REQUIRE(rng.bernoulli(1.0));
    REQUIRE_FALSE(rng.bernoulli(-0.5));  // clamped to 0
    REQUIRE(rng.bernoulli(1.5));         // clamped to 1
    hits += rng.bernoulli(0.3) ? 1 : 0;
  }
  CHECK(hits / 10000.0 == doctest::Approx(0.3).epsilon(0.05));
}

TEST_CASE("rng: derive_seed is deterministic and differs per index") {
  CHECK(derive_seed(42, 1, 2) == derive_seed(42, 1, 2));
  CHECK(derive_seed(42, 0) == derive_seed(42, 0, 0));
  CHECK(derive_seed(42, 1, 2) != derive_seed(43, 1, 2));
  CHECK(derive_seed(42, 1, 2) != derive_seed(42, 2, 1));
  std::set<std::uint64_t> seen;
  for (std::uint64_t a = 0; a < 40; ++a) {
    for (std::uint64_t b = 0; b < 40; ++b) seen.insert(derive_seed(42, a, b));
  }
  CHECK(seen.size() == 40U * 40U);
  std::set<std::uint64_t> masters;
  for (std::uint64_t m = 0; m < 1000; ++m) masters.insert(derive_seed(m, 3));
  CHECK(masters.size() == 1000U);
  // A derived stream is not the master stream.
  CHECK(draws(Rng(derive_seed(42, 0)), 5) != draws(Rng(42), 5));
}

#pragma once

// The points of a sweep's design, computed on demand so a design of millions
// of points costs no memory beyond the LHS strata:
//   grid    every combination of the parameters' levels, the last parameter
//           varying fastest (like nested loops in the listed order);
//   random  each value drawn uniformly from its range (or its listed values)
//           by a generator seeded from the master seed and the point's index;
//   lhs     Latin hypercube: with N points each parameter's range is cut in
//           N equal strata and every stratum holds exactly one point, the
//           strata shuffled independently per parameter.
// Every draw comes from engine/rng.h, so a point is the same on every
// machine, thread count and standard library.

#include <cstdint>
#include <vector>

#include "batch/sweep_spec.h"

namespace leadtime::sweep {

using Point = std::vector<ParamValue>;

class Design {
 public:
  // Keeps a reference to the spec, which must outlive it.
  explicit Design(const SweepSpec& spec);

  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] Point point(std::uint64_t index) const;

  // The grid levels of a parameter (a range's evenly spaced values, or the
  // listed ones).
  static std::vector<ParamValue> levels(const SpecParameter& p);

 private:
  [[nodiscard]] Point grid_point(std::uint64_t index) const;
  [[nodiscard]] Point random_point(std::uint64_t index) const;
  [[nodiscard]] Point lhs_point(std::uint64_t index) const;

  const SweepSpec* spec_;
  std::uint64_t size_ = 0;
  std::vector<std::vector<ParamValue>> grid_levels_;
  std::vector<std::vector<std::uint32_t>> strata_;  // lhs: per parameter, each point's stratum
};

// The seed of a run: derived from the master seed and the run's index (or,
// with common_seeds, the run's seed index within its point), and kept below
// 2^63 so SQLite stores it as is and `leadtime-batch match --seed` replays it.
std::uint64_t run_seed(const SweepSpec& spec, std::uint64_t run);

}  // namespace leadtime::sweep

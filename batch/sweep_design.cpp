#include "batch/sweep_design.h"

#include <algorithm>
#include <cmath>

#include "engine/rng.h"

namespace leadtime::sweep {
namespace {

// Streams of the master seed, one per use, so no two ever share draws.
constexpr std::uint64_t kRunSeeds = 0x52554E53;   // "RUNS"
constexpr std::uint64_t kRandom = 0x52414E44;     // "RAND"
constexpr std::uint64_t kLhsStrata = 0x4C485353;  // "LHSS"
constexpr std::uint64_t kLhsJitter = 0x4C48534A;  // "LHSJ"

// A value at position u in [0, 1) of a parameter's range or listed values.
ParamValue at(const SpecParameter& p, double u) {
  if (p.is_range) return std::min(p.max, p.min + u * (p.max - p.min));
  const auto k = p.values.size();
  const auto i = std::min(k - 1, static_cast<std::size_t>(u * static_cast<double>(k)));
  return p.values[i];
}

std::vector<std::uint32_t> shuffled(std::uint64_t n, Rng& rng) {
  std::vector<std::uint32_t> out(n);
  for (std::uint64_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(i);
  for (std::uint64_t i = n; i > 1; --i) std::swap(out[i - 1], out[rng.below(i)]);
  return out;
}

}  // namespace

std::vector<ParamValue> Design::levels(const SpecParameter& p) {
  if (!p.is_range) return p.values;
  std::vector<ParamValue> out;
  const int n = std::max(1, p.levels);
  for (int i = 0; i < n; ++i) {
    // The last level is max itself, not min + (max - min) * 1 with rounding.
    out.emplace_back(i + 1 == n && n > 1 ? p.max : p.min + (p.max - p.min) * i / std::max(1, n - 1));
  }
  return out;
}

Design::Design(const SweepSpec& spec) : spec_(&spec) {
  switch (spec.design) {
    case DesignKind::Grid:
      size_ = 1;
      for (const SpecParameter& p : spec.parameters) {
        grid_levels_.push_back(levels(p));
        size_ *= grid_levels_.back().size();
      }
      break;
    case DesignKind::Random:
      size_ = spec.design_points;
      break;
    case DesignKind::Lhs:
      size_ = spec.design_points;
      for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
        Rng rng(derive_seed(spec.master_seed, kLhsStrata, j));
        strata_.push_back(shuffled(size_, rng));
      }
      break;
  }
}

Point Design::point(std::uint64_t index) const {
  switch (spec_->design) {
    case DesignKind::Grid:
      return grid_point(index);
    case DesignKind::Random:
      return random_point(index);
    case DesignKind::Lhs:
      return lhs_point(index);
  }
  return {};
}

Point Design::grid_point(std::uint64_t index) const {
  Point out(grid_levels_.size());
  for (std::size_t j = grid_levels_.size(); j-- > 0;) {
    const std::uint64_t n = grid_levels_[j].size();
    out[j] = grid_levels_[j][index % n];
    index /= n;
  }
  return out;
}

Point Design::random_point(std::uint64_t index) const {
  Rng rng(derive_seed(spec_->master_seed, kRandom, index));
  Point out;
  for (const SpecParameter& p : spec_->parameters) out.push_back(at(p, rng.uniform01()));
  return out;
}

Point Design::lhs_point(std::uint64_t index) const {
  Rng jitter(derive_seed(spec_->master_seed, kLhsJitter, index));
  Point out;
  const auto n = static_cast<double>(size_);
  for (std::size_t j = 0; j < spec_->parameters.size(); ++j) {
    const double u = (static_cast<double>(strata_[j][index]) + jitter.uniform01()) / n;
    out.push_back(at(spec_->parameters[j], u));
  }
  return out;
}

std::uint64_t run_seed(const SweepSpec& spec, std::uint64_t run) {
  const std::uint64_t index = spec.common_seeds ? run % spec.seeds : run;
  return derive_seed(spec.master_seed, kRunSeeds, index) >> 1U;
}

}  // namespace leadtime::sweep

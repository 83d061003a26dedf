// Designs (batch/sweep_design.h): grid counts and order, random draws inside
// their ranges, Latin hypercube stratification, and run seeds.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "batch/sweep_design.h"
#include "engine/rng.h"

namespace sw = leadtime::sweep;

namespace {

sw::SweepSpec spec_of(const std::string& fields) {
  const std::string source = "return { rounds = 1, seeds = 2, seed = 5, " + fields + " }";
  auto loaded = sw::load_sweep_spec_source(source, "spec.lua");
  if (auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  return std::get<sw::SweepSpec>(std::move(loaded));
}

double num(const sw::ParamValue& v) { return std::get<double>(v); }

constexpr const char* kTwoRanges = R"(
  parameters = { { name = "distill_k", min = 0.2, max = 0.8 },
                 { name = "smuggling_markup", min = 1, max = 5 },
                 { name = "theft_base_p", values = { 0.1, 0.2, 0.3, 0.4 } } })";

}  // namespace

TEST_CASE("a grid has every combination of levels, the last parameter fastest") {
  const sw::SweepSpec spec = spec_of(R"(parameters = {
      { name = "distill_k", values = { 0.3, 0.5, 0.7 } },
      { name = "smuggling_markup", min = 1, max = 3, levels = 3 } })");
  const sw::Design design(spec);
  REQUIRE(design.size() == 9);
  CHECK(num(design.point(0)[0]) == 0.3);
  CHECK(num(design.point(0)[1]) == 1);
  CHECK(num(design.point(1)[1]) == 2);
  CHECK(num(design.point(2)[1]) == 3);
  CHECK(num(design.point(3)[0]) == 0.5);
  CHECK(num(design.point(8)[0]) == 0.7);
  CHECK(num(design.point(8)[1]) == 3);
  std::set<std::pair<double, double>> seen;
  for (std::uint64_t i = 0; i < design.size(); ++i) seen.insert({num(design.point(i)[0]), num(design.point(i)[1])});
  CHECK(seen.size() == 9);
}

TEST_CASE("a grid with no parameters is one point") {
  const sw::SweepSpec spec = spec_of("");
  const sw::Design design(spec);
  CHECK(design.size() == 1);
  CHECK(design.point(0).empty());
}

TEST_CASE("a random design draws its points inside the ranges, the same on every call") {
  const sw::SweepSpec spec = spec_of(std::string(R"(design = { kind = "random", points = 200 },)") + kTwoRanges);
  const sw::Design design(spec);
  REQUIRE(design.size() == 200);
  std::set<double> listed;
  double low = 1;
  double high = 0;
  for (std::uint64_t i = 0; i < design.size(); ++i) {
    const sw::Point p = design.point(i);
    CHECK(num(p[0]) >= 0.2);
    CHECK(num(p[0]) <= 0.8);
    CHECK(num(p[1]) >= 1);
    CHECK(num(p[1]) <= 5);
    listed.insert(num(p[2]));
    low = std::min(low, num(p[0]));
    high = std::max(high, num(p[0]));
    CHECK(design.point(i) == p);
  }
  CHECK(listed == std::set<double>{0.1, 0.2, 0.3, 0.4});
  // 200 uniform draws cover most of the range.
  CHECK(low < 0.25);
  CHECK(high > 0.75);
}

TEST_CASE("another master seed draws another random design") {
  const sw::SweepSpec a = spec_of(std::string(R"(design = { kind = "random", points = 5 },)") + kTwoRanges);
  auto b_loaded = sw::load_sweep_spec_source(
      std::string(R"(return { rounds = 1, seeds = 2, seed = 6, design = { kind = "random", points = 5 },)") +
          kTwoRanges + "}",
      "spec.lua");
  REQUIRE(std::holds_alternative<sw::SweepSpec>(b_loaded));
  const sw::SweepSpec& b = std::get<sw::SweepSpec>(b_loaded);
  CHECK(sw::Design(a).point(0) != sw::Design(b).point(0));
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of every range") {
  constexpr int kPoints = 40;
  const sw::SweepSpec spec =
      spec_of("design = { kind = \"lhs\", points = " + std::to_string(kPoints) + " }," + kTwoRanges);
  const sw::Design design(spec);
  REQUIRE(design.size() == kPoints);
  const double ranges[2][2] = {{0.2, 0.8}, {1, 5}};
  for (int j = 0; j < 2; ++j) {
    std::vector<int> per_stratum(kPoints, 0);
    for (std::uint64_t i = 0; i < design.size(); ++i) {
      const double u =
          (num(design.point(i)[static_cast<std::size_t>(j)]) - ranges[j][0]) / (ranges[j][1] - ranges[j][0]);
      const int stratum = std::min(kPoints - 1, static_cast<int>(std::floor(u * kPoints)));
      per_stratum[static_cast<std::size_t>(stratum)] += 1;
    }
    CHECK(std::all_of(per_stratum.begin(), per_stratum.end(), [](int n) { return n == 1; }));
  }
  // Listed values are strata too: 4 values over 40 points, 10 points each.
  std::map<double, int> per_value;
  for (std::uint64_t i = 0; i < design.size(); ++i) per_value[num(design.point(i)[2])] += 1;
  CHECK(per_value == std::map<double, int>{{0.1, 10}, {0.2, 10}, {0.3, 10}, {0.4, 10}});
}

TEST_CASE("the parameters of a Latin hypercube are shuffled independently") {
  const sw::SweepSpec spec = spec_of(std::string(R"(design = { kind = "lhs", points = 30 },)") + kTwoRanges);
  const sw::Design design(spec);
  std::vector<std::pair<double, double>> pairs;
  for (std::uint64_t i = 0; i < design.size(); ++i)
    pairs.emplace_back(num(design.point(i)[0]), num(design.point(i)[1]));
  std::sort(pairs.begin(), pairs.end());
  // Were the strata shared, sorting by the first would sort the second too.
  CHECK_FALSE(std::is_sorted(pairs.begin(), pairs.end(), [](auto& a, auto& b) { return a.second < b.second; }));
}

TEST_CASE("a run's seed derives from the master seed and the run's index only") {
  const sw::SweepSpec spec = spec_of(R"(parameters = { { name = "distill_k", values = { 0.3, 0.7 } } })");
  std::set<std::uint64_t> seeds;
  for (std::uint64_t run = 0; run < 4; ++run) {
    const std::uint64_t seed = sw::run_seed(spec, run);
    CHECK(seed == leadtime::derive_seed(5, 0x52554E53, run) >> 1U);
    CHECK(seed < (std::uint64_t{1} << 63U));
    seeds.insert(seed);
  }
  CHECK(seeds.size() == 4);
}

TEST_CASE("with common seeds every point plays the same seeds") {
  const sw::SweepSpec spec =
      spec_of(R"(common_seeds = true, parameters = { { name = "distill_k", values = { 0.3, 0.7 } } })");
  CHECK(sw::run_seed(spec, 0) == sw::run_seed(spec, 2));  // seed 0 of points 0 and 1
  CHECK(sw::run_seed(spec, 1) == sw::run_seed(spec, 3));
  CHECK(sw::run_seed(spec, 0) != sw::run_seed(spec, 1));
}

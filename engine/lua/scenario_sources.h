#pragma once

// The range of each coefficient that its source supports, for the scenario
// check's warnings. A coefficient's hard range (engine/coefficients.cpp) is
// what the engine accepts; this narrower one is what the cited figure can
// defend, so a value outside it is legal but needs a reason. The table is a
// Lua data file read like a scenario (scenarios/coefficient_sources.lua):
//
// return {
//   distill_k = { min = 0.5, max = 0.95, source = "the paper: an undefended campaign closes most of the gap in a year"
//   },
// }
//
// Keys are coefficient names; min <= max, both within the hard range.

#include <string>
#include <variant>
#include <vector>

namespace leadtime {

struct CoefficientSource {
  std::string name;
  double min = 0;
  double max = 0;
  std::string source;
};

// In the order of coefficient_fields(); the string alternative is the error.
std::variant<std::vector<CoefficientSource>, std::string> load_coefficient_sources(const std::string& path);

}  // namespace leadtime

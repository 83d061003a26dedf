#pragma once

#include <span>
#include <string_view>

#include "engine/state.h"

namespace leadtime {

// Quantities objectives score against: each named once, read from the state
// (after outcomes are computed) for one actor.
struct Metric {
  std::string_view name;
  std::string_view help;
  double (*value)(const State&, int actor);
};

std::span<const Metric> metrics();
const Metric* find_metric(std::string_view name);

}  // namespace leadtime

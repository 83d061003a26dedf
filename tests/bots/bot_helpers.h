#pragma once

// Shared set-up for the bot tests: seat lookup and playing the default
// scenario with bots assigned like the CLI's --bot SEAT=PATH.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "batch/headless.h"
#include "tests/calibration/lines.h"

namespace leadtime::testing {

inline int seat(const std::string& id) {
  const int index = default_scenario()->initial.find_actor(id);
  REQUIRE_MESSAGE(index != kNoActor, "no seat " << id);
  return index;
}

// The scenario's default bots overridden by "seat=path" assignments.
inline std::vector<std::string> bots_for(const std::vector<std::string>& assignments) {
  auto assigned = assign_bots(*default_scenario(), assignments);
  if (auto* error = std::get_if<std::string>(&assigned)) FAIL(*error);
  return std::get<std::vector<std::string>>(std::move(assigned));
}

// Only the given seats have bots; every other seat keeps its standing orders.
inline std::vector<std::string> only_bots(const std::vector<std::pair<std::string, std::string>>& seats) {
  std::vector<std::string> paths(default_scenario()->initial.actors.size());
  for (const auto& [id, path] : seats) paths[static_cast<std::size_t>(seat(id))] = path;
  return paths;
}

inline std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace leadtime::testing

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/match.h"
#include "engine/lua/scenario_loader.h"

namespace leadtime {

// Plays a whole match with fixed order lines: the line's opening orders in
// round 0, its dated orders in their rounds, standing orders otherwise.
// Errors (an order the engine rejects) are returned, never thrown: a line
// that fails validation is a broken data file.
struct LineResult {
  std::unique_ptr<Match> match;
  std::vector<std::string> errors;
};

LineResult play_line(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, const OrderLine* line);

// Turns drafts per actor into validated orders; errors name actor and order.
RoundOrders validate_round(const State& state, const std::vector<std::vector<OrderDraft>>& drafts,
                           std::vector<std::string>& errors);

}  // namespace leadtime

#pragma once

// The seed generator's messages: every message type encoded from real
// values (the scenario's seats, every action with plausible parameters), as
// clients send them and as the server does.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/scenario.h"

namespace leadtime::fuzz::seeds {

using Bytes = std::vector<std::uint8_t>;

// The facilitator key the server fuzz target runs with.
inline constexpr const char* kKey = "fuzz-facilitator-key";

struct Messages {
  std::vector<std::pair<std::string, Bytes>> client;  // what clients send
  std::vector<std::pair<std::string, Bytes>> server;  // what the server sends
  std::vector<Bytes> orders_per_seat;                 // SubmitOrders with every action a seat has
};

Messages messages(const Scenario& scenario);
// A length-prefixed frame of `payload`.
Bytes framed(const Bytes& payload);

}  // namespace leadtime::fuzz::seeds

#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/catalogue.h"
#include "engine/fields.h"
#include "engine/state.h"

namespace leadtime {

// A validated order: the action's index in the catalogue and one number per
// parameter (actors, markets and blocs by index, booleans as 0/1).
struct Order {
  int action = -1;
  std::vector<double> args;
  friend bool operator==(const Order&, const Order&) = default;
};

// An order as people, bots and the network write it: names and loose values.
using ArgValue = std::variant<double, bool, std::string>;
using NamedArgs = std::vector<std::pair<std::string, ArgValue>>;
struct OrderDraft {
  std::string action;
  NamedArgs args;
};

// What was wrong with one order: which one, which parameter, and a sentence
// a player understands that names the allowed range.
struct OrderError {
  int index = -1;  // position in the submitted set
  std::string action;
  std::string param;  // empty when the action itself is at fault
  std::string message;
};

struct ValidatedOrders {
  std::vector<Order> orders;
  std::vector<OrderError> errors;
};

// Named arguments as numbers, one per parameter of `params` in its order
// (actors, markets and blocs by index, booleans as 0/1), or which parameter
// is wrong and a sentence, starting with `what`, naming the allowed values.
// Orders and the facilitator's engine injects (injects.h) read their
// arguments with it.
struct ArgError {
  std::string param;
  std::string message;
};
std::variant<std::vector<double>, ArgError> convert_args(const State& state, std::span<const ParamSpec> params,
                                                         const NamedArgs& args, std::string_view what);

// Never changes the state: the same function checks a submission and the
// orders a round resolves.
ValidatedOrders validate_orders(const State& state, int actor, const std::vector<OrderDraft>& drafts);

// "set_export_tier target=CN tier=1", an order (or an engine inject) as
// people write it; the terminal client's parse_order() reads it back.
std::string format_order(const OrderDraft& order);
std::string format_value(const ArgValue& value);

// Turns a validated order back into the draft that produces it (for JSON,
// Lua and the protocol).
OrderDraft to_draft(const State& state, const Order& order);
std::string describe(const State& state, const Order& order);

// All actors' orders for one round, indexed by actor.
using RoundOrders = std::vector<std::vector<Order>>;

}  // namespace leadtime

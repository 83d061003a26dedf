#pragma once

// Orders written as Lua tables, as scenario files, order lines and bots
// write them:
//   { action = "set_export_tier", target = "CN", tier = 0 }
// `action` names the catalogue entry; every other field is a parameter.
// Numbers (integer or float) become doubles, booleans bools, strings
// strings; validate_orders then checks them against the catalogue.

#include <optional>
#include <string>
#include <vector>

#include "engine/orders.h"

struct lua_State;

namespace leadtime::lua {

// Reads the order table at `index`. Parameters come out sorted by name, so
// the draft never depends on Lua's table order. Returns a sentence saying
// what was expected when the value is not an order table; `out` is then
// unchanged. Runs no metamethods and raises no Lua errors.
std::optional<std::string> order_draft_from_lua(lua_State* L, int index, OrderDraft& out);

// Reads a list of order tables, { {action = ...}, {action = ...} }, in list
// order. An error in one entry starts with its position, "[2]: ...", so a
// caller can put its own field path in front. `out` is replaced only on
// success.
std::optional<std::string> read_order_list(lua_State* L, int index, std::vector<OrderDraft>& out);

}  // namespace leadtime::lua

// Order lines: fixed orders per actor for headless matches, at the start and
// at dated quarters (scenario_loader.h has the format).
#include <algorithm>
#include <lua.hpp>

#include "engine/lua/lua_orders.h"
#include "engine/lua/lua_values.h"
#include "engine/lua/scenario_loader.h"
#include "engine/lua/scenario_read.h"

namespace leadtime {
namespace {

using lua::describe_value;
using namespace scenario_detail;

// { us = { {action = ...}, ... }, cn = ... }, read in the state's actor order
// so the result never depends on Lua's table order.
std::vector<std::vector<OrderDraft>> read_actor_orders(lua_State* L, int table, const std::string& path,
                                                       const State& state) {
  std::string ids;
  for (const Actor& a : state.actors) ids += (ids.empty() ? "" : ", ") + a.id;
  check_keys(
      L, table, path, [&](std::string_view key) { return state.find_actor(key) != kNoActor; }, "actor",
      " (actors are " + ids + ")");
  std::vector<std::vector<OrderDraft>> drafts(state.actors.size());
  for (std::size_t a = 0; a < state.actors.size(); ++a) {
    StackGuard guard(L);
    if (push_field(L, table, state.actors[a].id) == LUA_TNIL) continue;
    const std::string here = field_path(path, state.actors[a].id);
    if (const auto problem = lua::read_order_list(L, -1, drafts[a])) fail("", join_message(here, *problem));
    validated(state, static_cast<int>(a), drafts[a], here);
  }
  return drafts;
}

constexpr std::string_view kOrdersByActor = "a table of orders by actor id, { us = { { action = ... } } }";

using DatedOrders = std::vector<std::pair<int, std::vector<std::vector<OrderDraft>>>>;

// Quarters are collected and sorted by round before anything is read, so
// neither the result nor the first error depends on Lua's table order.
std::vector<std::pair<int, std::string>> dated_keys(lua_State* L, int table, const Quarter& start) {
  std::vector<std::pair<int, std::string>> dates;
  std::vector<std::string> problems;
  lua_pushnil(L);
  while (lua_next(L, table)) {
    const std::optional<Quarter> quarter =
        lua_type(L, -2) == LUA_TSTRING ? Quarter::parse(lua_tostring(L, -2)) : std::nullopt;
    if (!quarter) {
      problems.push_back("at: expected quarters like 2027Q3 as keys, got " + describe_value(L, -2));
    } else if (const int round = quarters_between(start, *quarter); round < 0) {
      problems.push_back("at." + std::string(lua_tostring(L, -2)) + ": " + quarter->str() + " is before the start, " +
                         start.str());
    } else {
      dates.emplace_back(round, lua_tostring(L, -2));
    }
    lua_pop(L, 1);
  }
  if (!problems.empty()) fail("", *std::min_element(problems.begin(), problems.end()));
  std::sort(dates.begin(), dates.end());
  for (std::size_t i = 1; i < dates.size(); ++i) {
    if (dates[i].first == dates[i - 1].first) {
      fail("at", in_quotes(dates[i - 1].second) + " and " + in_quotes(dates[i].second) + " name the same quarter");
    }
  }
  return dates;
}

DatedOrders read_dated_orders(lua_State* L, int root, const State& state, const Quarter& start) {
  StackGuard guard(L);
  const std::optional<int> table =
      open_table(L, root, "", "at", "a table of orders by quarter, { [\"2027Q3\"] = { us = {...} } }");
  DatedOrders out;
  if (!table) return out;
  for (const auto& [round, key] : dated_keys(L, *table, start)) {
    StackGuard item_guard(L);
    const std::optional<int> orders = open_table(L, *table, "at", key, kOrdersByActor);
    out.emplace_back(round, read_actor_orders(L, *orders, field_path("at", key), state));
  }
  return out;
}

OrderLine read_order_line(lua_State* L, int root, const State& state, const Quarter& start) {
  static constexpr std::array<std::string_view, 2> kKeys = {"orders", "at"};
  check_keys(L, root, "", any_of_names(kKeys));
  OrderLine line;
  {
    StackGuard guard(L);
    const std::optional<int> orders = open_table(L, root, "", "orders", kOrdersByActor);
    line.at_start = orders ? read_actor_orders(L, *orders, "orders", state)
                           : std::vector<std::vector<OrderDraft>>(state.actors.size());
  }
  line.later = read_dated_orders(L, root, state, start);
  return line;
}

}  // namespace

std::variant<OrderLine, std::string> load_order_line_source(std::string_view source, const std::string& chunkname,
                                                            const State& initial, const Quarter& start) {
  lua::Sandbox sandbox(kLoadMemory);
  if (auto error = run_data_file(sandbox, source, chunkname, "the order line")) return std::move(*error);
  try {
    return read_order_line(sandbox.L(), lua_gettop(sandbox.L()), initial, start);
  } catch (const LoadFailure& failure) {
    return chunkname + ": " + failure.message;
  }
}

std::variant<OrderLine, std::string> load_order_line(const std::string& path, const State& initial,
                                                     const Quarter& start) {
  const std::optional<std::string> source = read_text_file(path);
  if (!source) return path + ": cannot read the file";
  return load_order_line_source(*source, path, initial, start);
}

}  // namespace leadtime

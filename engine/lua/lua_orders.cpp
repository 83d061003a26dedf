#include "engine/lua/lua_orders.h"

#include <algorithm>
#include <lua.hpp>
#include <string_view>

#include "engine/lua/lua_values.h"

namespace leadtime::lua {
namespace {

// One field of an order table as read, before anything is judged: judging in
// name order keeps the first reported problem the same on every run.
struct Field {
  std::string_view name;  // the key's text, alive with the order table on the stack
  ArgValue value;
  bool usable = false;  // false for types an order cannot carry
  std::string shown;    // the value as an error message shows it, where one could
};

// False when the value's type cannot be an order argument.
bool read_arg(lua_State* L, int index, ArgValue& out) {
  switch (lua_type(L, index)) {
    case LUA_TNUMBER:
      out = static_cast<double>(lua_tonumber(L, index));
      return true;
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, index) != 0;
      return true;
    case LUA_TSTRING: {
      std::size_t length = 0;
      const char* text = lua_tolstring(L, index, &length);
      out = std::string(text, length);
      return true;
    }
    default:
      return false;
  }
}

// Reads every field of the table at `index` (absolute); nothing if a key is
// not a string.
std::optional<std::vector<Field>> read_fields(lua_State* L, int index) {
  std::vector<Field> fields;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      lua_pop(L, 2);
      return std::nullopt;
    }
    std::size_t length = 0;
    const char* key = lua_tolstring(L, -2, &length);
    if (fields.empty()) fields.reserve(8);
    Field& field = fields.emplace_back();
    field.name = std::string_view(key, length);
    field.usable = read_arg(L, -1, field.value);
    // Only these are ever shown (order_draft_from_lua); wording a number is
    // most of the cost of reading an order.
    if (!field.usable || (field.name == "action" && lua_type(L, -1) != LUA_TSTRING)) {
      field.shown = describe_value(L, -1);
    }
    lua_pop(L, 1);
  }
  std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
  return fields;
}

}  // namespace

std::optional<std::string> order_draft_from_lua(lua_State* L, int index, OrderDraft& out) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE) {
    return "expected an order table like { action = \"set_lab_subsidy\", usd_b = 5 }, got " + describe_value(L, index);
  }
  if (!lua_checkstack(L, 3)) return "Lua stack exhausted while reading an order";
  std::optional<std::vector<Field>> fields = read_fields(L, index);
  if (!fields) return "order fields must be named (action = ..., target = ...), found a key that is not a string";
  OrderDraft draft;
  draft.args.reserve(fields->size());
  bool has_action = false;
  for (Field& f : *fields) {
    if (!f.usable) {
      return "field '" + std::string(f.name) + "': expected a number, a boolean or a string, got " + f.shown;
    }
    if (f.name != "action") {
      draft.args.emplace_back(std::string(f.name), std::move(f.value));
      continue;
    }
    auto* name = std::get_if<std::string>(&f.value);
    if (!name) return "field 'action': expected the name of an action, got " + f.shown;
    draft.action = std::move(*name);
    has_action = true;
  }
  if (!has_action) return "missing field 'action' (the name of an action, e.g. \"set_lab_subsidy\")";
  out = std::move(draft);
  return std::nullopt;
}

std::optional<std::string> read_order_list(lua_State* L, int index, std::vector<OrderDraft>& out) {
  index = lua_absindex(L, index);
  const std::optional<std::size_t> length = list_length(L, index);
  if (!length) {
    if (has_string_key(L, index, "action")) {
      return "expected a list of orders, got a single order: wrap it in braces, { { action = ... } }";
    }
    return "expected a list of orders, { { action = ... }, ... }, got " + describe_value(L, index) +
           (lua_type(L, index) == LUA_TTABLE ? " with keys other than 1, 2, 3, ..." : "");
  }
  if (!lua_checkstack(L, 1)) return "Lua stack exhausted while reading orders";
  std::vector<OrderDraft> drafts;
  drafts.reserve(std::min<std::size_t>(*length, 64));  // a bot's list may be long: grow past that as read
  for (std::size_t i = 1; i <= *length; ++i) {
    lua_rawgeti(L, index, static_cast<lua_Integer>(i));
    OrderDraft draft;
    std::optional<std::string> problem = order_draft_from_lua(L, -1, draft);
    lua_pop(L, 1);
    if (problem) return "[" + std::to_string(i) + "]: " + *problem;
    drafts.push_back(std::move(draft));
  }
  out = std::move(drafts);
  return std::nullopt;
}

}  // namespace leadtime::lua

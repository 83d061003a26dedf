#include "engine/lua/scenario_read.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <lua.hpp>
#include <sstream>

#include "engine/lua/lua_values.h"

namespace leadtime::scenario_detail {

using lua::describe_value;

namespace {

// Memory the host may use under the cap while it reads the returned table.
constexpr std::size_t kReadHeadroom = std::size_t{4} << 20U;
// Deepest the readers nest, with a margin: a few slots per table level.
constexpr int kReadStackSlots = 64;

std::string with_path(const std::string& path, const std::string& message) {
  // Lua's own messages already start "path:line:".
  if (message.starts_with(path + ":")) return message;
  return path + ": " + message;
}

std::string describe_run_error(const lua::LuaError& error) {
  if (error.kind == lua::ErrorKind::Budget) {
    return error.message + " (a data file may run " + std::to_string(kLoadBudget) + " Lua instructions)";
  }
  return error.message;
}

}  // namespace

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw LoadFailure{path.empty() ? message : path + ": " + message};
}

std::string field_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t position) {
  return parent + "[" + std::to_string(position) + "]";
}

std::string join_message(const std::string& path, const std::string& message) {
  return message.starts_with('[') ? path + message : path + ": " + message;
}

std::string missing(std::string_view key, std::string_view expected) {
  return "missing field '" + std::string(key) + "' (" + std::string(expected) + ")";
}

std::string format_number(double v, int precision) {
  std::ostringstream out;
  out << std::setprecision(precision) << v;
  return out.str();
}

std::string one_of(std::span<const char* const> names) {
  std::string out = "one of ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + std::string(names[i]);
  return out;
}

std::string in_quotes(std::string_view text) {
  // Built up rather than "'" + text + "'", which trips GCC 12's false
  // -Wrestrict at -O2.
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out.append(text);
  out += '\'';
  return out;
}

StackGuard::StackGuard(lua_State* L) : L_(L), top_(lua_gettop(L)) {}
StackGuard::~StackGuard() { lua_settop(L_, top_); }

int push_field(lua_State* L, int table, std::string_view key) {
  lua_pushlstring(L, key.data(), key.size());
  return lua_rawget(L, table);
}

KeyFilter any_of_names(std::span<const std::string_view> names) {
  return [names](std::string_view key) { return std::find(names.begin(), names.end(), key) != names.end(); };
}

KeyFilter any_of_names(std::span<const char* const> names) {
  return [names](std::string_view key) {
    return std::any_of(names.begin(), names.end(), [&](const char* name) { return key == name; });
  };
}

void check_keys(lua_State* L, int table, const std::string& path, const KeyFilter& known, std::string_view noun,
                std::string_view hint) {
  std::vector<std::string> problems;
  lua_pushnil(L);
  while (lua_next(L, table)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      problems.push_back("unexpected key " + describe_value(L, -2) + " (this table takes named fields)");
    } else {
      std::size_t length = 0;
      const char* key = lua_tolstring(L, -2, &length);
      const std::string_view name(key, length);
      if (!known(name)) problems.push_back("unknown " + std::string(noun) + " " + in_quotes(name) + std::string(hint));
    }
    lua_pop(L, 1);
  }
  if (!problems.empty()) fail(path, *std::min_element(problems.begin(), problems.end()));
}

NumberRule number_range(double min, double max) {
  return {min, max, false, "a number from " + format_number(min) + " to " + format_number(max)};
}

NumberRule any_finite_number() {
  return {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(), false, "a finite number"};
}

double judge_number(lua_State* L, const std::string& here, const NumberRule& rule) {
  const double v = lua_type(L, -1) == LUA_TNUMBER ? static_cast<double>(lua_tonumber(L, -1)) : std::nan("");
  const bool fits = std::isfinite(v) && v >= rule.min && v <= rule.max && (!rule.whole || v == std::floor(v));
  if (!fits) fail(here, "expected " + rule.expected + ", got " + describe_value(L, -1));
  return v;
}

std::optional<double> optional_number(lua_State* L, int table, const std::string& path, std::string_view key,
                                      const NumberRule& rule) {
  StackGuard guard(L);
  if (push_field(L, table, key) == LUA_TNIL) return std::nullopt;
  return judge_number(L, field_path(path, key), rule);
}

double required_number(lua_State* L, int table, const std::string& path, std::string_view key, const NumberRule& rule) {
  const std::optional<double> v = optional_number(L, table, path, key, rule);
  if (!v) fail(path, missing(key, rule.expected));
  return *v;
}

std::optional<std::string> optional_string(lua_State* L, int table, const std::string& path, std::string_view key,
                                           std::string_view expected) {
  StackGuard guard(L);
  const int type = push_field(L, table, key);
  if (type == LUA_TNIL) return std::nullopt;
  if (type != LUA_TSTRING) {
    fail(field_path(path, key), "expected " + std::string(expected) + ", got " + describe_value(L, -1));
  }
  std::size_t length = 0;
  const char* text = lua_tolstring(L, -1, &length);
  return std::string(text, length);
}

std::string required_string(lua_State* L, int table, const std::string& path, std::string_view key,
                            std::string_view expected) {
  std::optional<std::string> text = optional_string(L, table, path, key, expected);
  if (!text) fail(path, missing(key, expected));
  return std::move(*text);
}

std::optional<int> optional_choice(lua_State* L, int table, const std::string& path, std::string_view key,
                                   std::span<const char* const> names) {
  const std::string expected = one_of(names);
  const std::optional<std::string> text = optional_string(L, table, path, key, expected);
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (*text == names[i]) return static_cast<int>(i);
  }
  fail(field_path(path, key), "expected " + expected + ", got " + in_quotes(*text));
}

int required_choice(lua_State* L, int table, const std::string& path, std::string_view key,
                    std::span<const char* const> names) {
  const std::optional<int> choice = optional_choice(L, table, path, key, names);
  if (!choice) fail(path, missing(key, one_of(names)));
  return *choice;
}

std::optional<bool> optional_bool(lua_State* L, int table, const std::string& path, std::string_view key) {
  StackGuard guard(L);
  const int type = push_field(L, table, key);
  if (type == LUA_TNIL) return std::nullopt;
  if (type != LUA_TBOOLEAN) fail(field_path(path, key), "expected true or false, got " + describe_value(L, -1));
  return lua_toboolean(L, -1) != 0;
}

std::optional<Quarter> optional_quarter(lua_State* L, int table, const std::string& path, std::string_view key) {
  constexpr std::string_view kExpected = "a quarter like 2027Q1";
  const std::optional<std::string> text = optional_string(L, table, path, key, kExpected);
  if (!text) return std::nullopt;
  const std::optional<Quarter> quarter = Quarter::parse(*text);
  if (!quarter) fail(field_path(path, key), "expected " + std::string(kExpected) + ", got " + in_quotes(*text));
  return quarter;
}

int quarters_between(const Quarter& from, const Quarter& to) { return (to.year - from.year) * 4 + (to.q - from.q); }

std::optional<int> open_table(lua_State* L, int table, const std::string& path, std::string_view key,
                              std::string_view expected) {
  const int type = push_field(L, table, key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return std::nullopt;
  }
  if (type != LUA_TTABLE) {
    fail(field_path(path, key), "expected " + std::string(expected) + ", got " + describe_value(L, -1));
  }
  return lua_gettop(L);
}

std::optional<ListRef> open_list(lua_State* L, int table, const std::string& path, std::string_view key,
                                 std::string_view expected) {
  const std::optional<int> index = open_table(L, table, path, key, expected);
  if (!index) return std::nullopt;
  const std::optional<std::size_t> length = lua::list_length(L, *index);
  if (!length) {
    fail(field_path(path, key), "expected " + std::string(expected) + ", numbered 1, 2, 3, ... without gaps or names");
  }
  return ListRef{*index, *length};
}

int open_item(lua_State* L, const ListRef& list, std::size_t position, const std::string& here,
              std::string_view expected) {
  lua_rawgeti(L, list.index, static_cast<lua_Integer>(position));
  if (lua_type(L, -1) != LUA_TTABLE) fail(here, "expected " + std::string(expected) + ", got " + describe_value(L, -1));
  return lua_gettop(L);
}

ValidatedOrders validated(const State& state, int actor, const std::vector<OrderDraft>& drafts,
                          const std::string& path) {
  ValidatedOrders result = validate_orders(state, actor, drafts);
  if (!result.errors.empty()) {
    const OrderError& e = result.errors.front();
    fail(item_path(path, static_cast<std::size_t>(e.index) + 1), e.message);
  }
  return result;
}

std::optional<std::string> run_data_file(lua::Sandbox& sandbox, std::string_view source, const std::string& chunkname,
                                         std::string_view what) {
  sandbox.set_budget(kLoadBudget);
  if (const lua::CallResult error = sandbox.run_chunk(source, chunkname, 1)) {
    return with_path(chunkname, describe_run_error(*error));
  }
  lua_State* L = sandbox.L();
  if (lua_type(L, -1) != LUA_TTABLE) {
    return chunkname + ": the file must return " + std::string(what) + " table, got " + describe_value(L, -1);
  }
  if (!ready_for_reading(sandbox)) return chunkname + ": out of Lua stack space";
  return std::nullopt;
}

bool ready_for_reading(lua::Sandbox& sandbox) {
  // No finalizer of the script's may run (and change the table) mid-read,
  // and the host's own pushes must not meet the cap: outside protected mode
  // a refused allocation would abort the process.
  lua_gc(sandbox.L(), LUA_GCSTOP);
  sandbox.set_memory_cap(std::max(sandbox.memory_cap(), sandbox.memory_used() + kReadHeadroom));
  return lua_checkstack(sandbox.L(), kReadStackSlots) != 0;
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace leadtime::scenario_detail

#pragma once

// The scenario loader's strict readers of Lua tables (internal to
// engine/lua/scenario_*.cpp). A reader states a problem and the field path it
// is about ("actors[3].kind: expected ..."); the entry points add the file.
// Every reader uses raw accessors, so no metamethod of a script runs on the
// host's turn, and restores the stack it found.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lua/sandbox.h"
#include "engine/orders.h"
#include "engine/quarter.h"
#include "engine/state.h"

struct lua_State;

namespace leadtime::scenario_detail {

inline constexpr std::uint64_t kLoadBudget = 10'000'000;
inline constexpr std::size_t kLoadMemory = std::size_t{64} << 20U;

// Thrown and caught inside the loader only: a reader deep in the table just
// states the problem and its path, and the entry point adds the file name.
struct LoadFailure {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& message);

// Where the loader collects problems. By default the first one ends the load
// (as every game needs); when `collect` is set (leadtime-server check), each
// independent part (a coefficient, an actor, a market, an event ...) is tried
// on its own, so one run reports every broken part.
struct Problems {
  bool collect = false;
  std::vector<std::string> messages;

  // Runs `read`; true when it succeeded. Only in collect mode is a failure
  // caught and kept.
  template <typename Read>
  bool attempt(Read&& read) {
    if (!collect) {
      read();
      return true;
    }
    try {
      read();
      return true;
    } catch (const LoadFailure& failure) {
      messages.push_back(failure.message);
      return false;
    }
  }
};

std::string field_path(const std::string& parent, std::string_view key);
std::string item_path(const std::string& parent, std::size_t position);
// read_order_list starts an entry's message with its position, "[2]: ...".
std::string join_message(const std::string& path, const std::string& message);
std::string missing(std::string_view key, std::string_view expected);
std::string format_number(double v, int precision = 6);
std::string one_of(std::span<const char* const> names);
std::string in_quotes(std::string_view text);

// Restores the stack top on scope exit, so a reader can push freely and
// leave early (returning or failing) without counting pops.
class StackGuard {
 public:
  explicit StackGuard(lua_State* L);
  ~StackGuard();
  StackGuard(const StackGuard&) = delete;
  StackGuard& operator=(const StackGuard&) = delete;

 private:
  lua_State* L_;
  int top_;
};

// Pushes table[key] without running metamethods; returns the value's type.
int push_field(lua_State* L, int table, std::string_view key);

using KeyFilter = std::function<bool(std::string_view)>;
KeyFilter any_of_names(std::span<const std::string_view> names);
KeyFilter any_of_names(std::span<const char* const> names);

// Rejects keys the format does not know, so a misspelt field is an error
// instead of a default. All offenders are collected and the first by name
// reported, so the message does not depend on Lua's table order.
void check_keys(lua_State* L, int table, const std::string& path, const KeyFilter& known,
                std::string_view noun = "field", std::string_view hint = "");

struct NumberRule {
  double min;
  double max;
  bool whole = false;
  std::string expected;
};

NumberRule number_range(double min, double max);
NumberRule any_finite_number();

// Judges the value on top of the stack; `here` names it in the error.
double judge_number(lua_State* L, const std::string& here, const NumberRule& rule);
std::optional<double> optional_number(lua_State* L, int table, const std::string& path, std::string_view key,
                                      const NumberRule& rule);
double required_number(lua_State* L, int table, const std::string& path, std::string_view key, const NumberRule& rule);
std::optional<std::string> optional_string(lua_State* L, int table, const std::string& path, std::string_view key,
                                           std::string_view expected);
std::string required_string(lua_State* L, int table, const std::string& path, std::string_view key,
                            std::string_view expected);
std::optional<int> optional_choice(lua_State* L, int table, const std::string& path, std::string_view key,
                                   std::span<const char* const> names);
int required_choice(lua_State* L, int table, const std::string& path, std::string_view key,
                    std::span<const char* const> names);
std::optional<bool> optional_bool(lua_State* L, int table, const std::string& path, std::string_view key);
std::optional<Quarter> optional_quarter(lua_State* L, int table, const std::string& path, std::string_view key);
int quarters_between(const Quarter& from, const Quarter& to);

// Pushes the table at table[key] and returns its index; pushes nothing and
// returns nothing when the key is absent. The caller's guard pops it.
std::optional<int> open_table(lua_State* L, int table, const std::string& path, std::string_view key,
                              std::string_view expected);

struct ListRef {
  int index;
  std::size_t length;
};

// Like open_table for a list: entries 1..n and nothing else, read in order
// (never with pairs, whose order varies between runs).
std::optional<ListRef> open_list(lua_State* L, int table, const std::string& path, std::string_view key,
                                 std::string_view expected);

// Pushes list[position], which must be a table, and returns its index.
int open_item(lua_State* L, const ListRef& list, std::size_t position, const std::string& here,
              std::string_view expected);

// Reads every entry of an optional list of tables with `read_one(index, path)`.
template <typename T, typename ReadOne>
std::vector<T> read_table_list(lua_State* L, int table, const std::string& path, std::string_view key,
                               std::string_view expected_list, std::string_view expected_item, ReadOne read_one) {
  StackGuard guard(L);
  const std::optional<ListRef> list = open_list(L, table, path, key, expected_list);
  std::vector<T> out;
  if (!list) return out;
  const std::string base = field_path(path, key);
  for (std::size_t i = 1; i <= list->length; ++i) {
    StackGuard item_guard(L);
    const std::string here = item_path(base, i);
    out.push_back(read_one(open_item(L, *list, i, here, expected_item), here));
  }
  return out;
}

// The same validation a player's orders get, so a file cannot hold an order
// no seat could give. Fails on the first rejected order.
ValidatedOrders validated(const State& state, int actor, const std::vector<OrderDraft>& drafts,
                          const std::string& path);

// --- Running data files ---------------------------------------------------

// Runs the file and leaves the table it returned on top of the stack, ready
// for the host to read with raw accessors outside protected mode. `what`
// completes "the file must return ... table".
std::optional<std::string> run_data_file(lua::Sandbox& sandbox, std::string_view source, const std::string& chunkname,
                                         std::string_view what);
// Stops the collector and leaves room under the memory cap for the host's
// reads; false when the Lua stack cannot grow for them.
bool ready_for_reading(lua::Sandbox& sandbox);
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace leadtime::scenario_detail

// Scenario events (windows, conditions, effects, audiences) and the names
// and types of hooks.
#include <algorithm>
#include <array>
#include <lua.hpp>

#include "engine/events.h"
#include "engine/lua/lua_values.h"
#include "engine/lua/scenario_sections.h"

namespace leadtime::scenario_detail {
namespace {

using lua::describe_value;

constexpr std::array<const char*, 3> kVisibilityNames = {"public", "private", "facilitator"};  // Visibility order
constexpr std::array<const char*, 4> kCompareNames = {"<", "<=", ">", ">="};                   // CompareOp order
constexpr std::array<const char*, 3> kEffectNames = {"add", "mul", "set"};                     // EffectOp order

static_assert(static_cast<int>(Visibility::Private) == 1 && static_cast<int>(Visibility::Facilitator) == 2);
static_assert(static_cast<int>(CompareOp::Greater) == 2 && static_cast<int>(CompareOp::GreaterEqual) == 3);
static_assert(static_cast<int>(EffectOp::Mul) == 1 && static_cast<int>(EffectOp::Set) == 2);

constexpr std::string_view kTargetExpected = "an actor id, a market US/CN/EU/ROW, or SEA";

bool names_target(const State& state, const std::string& target) {
  const bool market = std::any_of(kMarketNames.begin(), kMarketNames.end(), [&](const char* m) { return target == m; });
  return target == "SEA" || market || state.find_actor(target) != kNoActor;
}

// Blames the target when it names nothing, else the field the target lacks.
void check_target(const State& state, const std::string& path, const std::string& target, const std::string& field) {
  const std::string problem = check_target_field(state, target, field);
  if (!problem.empty()) fail(field_path(path, names_target(state, target) ? "field" : "target"), problem);
}

constexpr std::array<std::string_view, 4> kChangeKeys = {"target", "field", "op", "value"};

Condition read_condition(lua_State* L, int table, const std::string& path, const State& state) {
  check_keys(L, table, path, any_of_names(kChangeKeys));
  Condition c;
  c.target = required_string(L, table, path, "target", kTargetExpected);
  c.field = required_string(L, table, path, "field", "the name of a field of the target");
  c.op = static_cast<CompareOp>(required_choice(L, table, path, "op", kCompareNames));
  c.value = required_number(L, table, path, "value", any_finite_number());
  check_target(state, path, c.target, c.field);
  return c;
}

Effect read_effect(lua_State* L, int table, const std::string& path, const State& state) {
  check_keys(L, table, path, any_of_names(kChangeKeys));
  Effect e;
  e.target = required_string(L, table, path, "target", kTargetExpected);
  e.field = required_string(L, table, path, "field", "the name of a field of the target");
  e.op = static_cast<EffectOp>(required_choice(L, table, path, "op", kEffectNames));
  e.value = required_number(L, table, path, "value", any_finite_number());
  check_target(state, path, e.target, e.field);
  return e;
}

std::vector<std::string> read_audience(lua_State* L, int table, const std::string& path, const State& state) {
  StackGuard guard(L);
  const std::optional<ListRef> list = open_list(L, table, path, "audience", "a list of actor ids");
  std::vector<std::string> ids;
  if (!list) return ids;
  for (std::size_t i = 1; i <= list->length; ++i) {
    StackGuard item_guard(L);
    const std::string here = item_path(field_path(path, "audience"), i);
    lua_rawgeti(L, list->index, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) != LUA_TSTRING) fail(here, "expected an actor id, got " + describe_value(L, -1));
    std::string id = lua_tostring(L, -1);
    if (state.find_actor(id) == kNoActor) fail(here, "unknown actor " + in_quotes(id));
    ids.push_back(std::move(id));
  }
  return ids;
}

// A quarter of the match as a 0-based round.
std::optional<int> read_round(lua_State* L, int table, const std::string& path, std::string_view key,
                              const Scenario& s) {
  const std::optional<Quarter> quarter = optional_quarter(L, table, path, key);
  if (!quarter) return std::nullopt;
  const int round = quarters_between(s.start, *quarter);
  const std::string here = field_path(path, key);
  if (round < 0) fail(here, quarter->str() + " is before the start, " + s.start.str());
  if (round >= s.rounds) fail(here, quarter->str() + " is after the last round, " + s.start.plus(s.rounds - 1).str());
  return round;
}

constexpr std::array<std::string_view, 10> kEventKeys = {"id",   "text",       "probability", "first",      "last",
                                                         "once", "visibility", "audience",    "conditions", "effects"};

ScenarioEvent read_event(lua_State* L, int table, const std::string& path, const Scenario& s) {
  check_keys(L, table, path, any_of_names(kEventKeys));
  ScenarioEvent e;
  e.id = required_string(L, table, path, "id", "an event id");
  if (e.id.empty()) fail(field_path(path, "id"), "expected a non-empty event id");
  e.text = optional_string(L, table, path, "text", "a string").value_or("");
  e.probability = optional_number(L, table, path, "probability", number_range(0, 1)).value_or(0);
  e.first_round = read_round(L, table, path, "first", s).value_or(0);
  e.last_round = read_round(L, table, path, "last", s).value_or(s.rounds - 1);
  if (e.first_round > e.last_round) fail(path, "first comes after last");
  e.once = optional_bool(L, table, path, "once").value_or(true);
  e.visibility = static_cast<Visibility>(optional_choice(L, table, path, "visibility", kVisibilityNames).value_or(0));
  e.audience = read_audience(L, table, path, s.initial);
  if (e.visibility == Visibility::Private && e.audience.empty()) {
    fail(path, "a private event needs an audience, a list of actor ids");
  }
  e.conditions = read_table_list<Condition>(
      L, table, path, "conditions", "a list of conditions", "a condition table { target, field, op, value }",
      [&](int item, const std::string& here) { return read_condition(L, item, here, s.initial); });
  e.effects = read_table_list<Effect>(
      L, table, path, "effects", "a list of effects", "an effect table { target, field, op, value }",
      [&](int item, const std::string& here) { return read_effect(L, item, here, s.initial); });
  return e;
}

}  // namespace

std::vector<ScenarioEvent> read_events(lua_State* L, int root, const Scenario& s, Problems& problems) {
  StackGuard guard(L);
  const std::optional<ListRef> list = open_list(L, root, "", "events", "a list of event tables");
  std::vector<ScenarioEvent> events;
  if (!list) return events;
  std::vector<std::size_t> positions;  // each event's place in the file's list
  for (std::size_t i = 1; i <= list->length; ++i) {
    problems.attempt([&] {
      StackGuard item_guard(L);
      const std::string here = item_path("events", i);
      events.push_back(read_event(L, open_item(L, *list, i, here, "an event table"), here, s));
      positions.push_back(i);
    });
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    problems.attempt([&] {
      const std::string path = item_path("events", positions[i]);
      for (std::size_t j = 0; j < i; ++j) {
        if (events[j].id == events[i].id) {
          fail(field_path(path, "id"), "duplicate event id " + in_quotes(events[i].id) + " (also events[" +
                                           std::to_string(positions[j]) + "])");
        }
      }
      // The engine's own check, in case it ever knows more than the readers.
      if (const std::string problem = check_event(s.initial, events[i]); !problem.empty()) fail(path, problem);
    });
  }
  return events;
}

bool check_hooks(lua_State* L, int root) {
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "hooks", "a table of functions");
  if (!table) return false;
  std::vector<std::string> problems;
  lua_pushnil(L);
  while (lua_next(L, *table)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      problems.push_back("hooks: unexpected key " + describe_value(L, -2) + " (hooks are named)");
    } else if (std::string_view(lua_tostring(L, -2)) != "on_round") {
      problems.push_back("hooks: unknown hook '" + std::string(lua_tostring(L, -2)) + "' (hooks are: on_round)");
    } else if (lua_type(L, -1) != LUA_TFUNCTION) {
      problems.push_back("hooks." + std::string(lua_tostring(L, -2)) + ": expected a function, got " +
                         describe_value(L, -1));
    }
    lua_pop(L, 1);
  }
  if (!problems.empty()) fail("", *std::min_element(problems.begin(), problems.end()));
  return true;
}

}  // namespace leadtime::scenario_detail

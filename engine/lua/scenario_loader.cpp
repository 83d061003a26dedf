#include "engine/lua/scenario_loader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <lua.hpp>
#include <span>
#include <sstream>

#include "engine/catalogue.h"
#include "engine/coefficients.h"
#include "engine/events.h"
#include "engine/fields.h"
#include "engine/lua/lua_orders.h"
#include "engine/lua/lua_values.h"
#include "engine/lua/sandbox.h"
#include "engine/metrics.h"

namespace leadtime {
namespace {

using lua::describe_value;

constexpr std::uint64_t kLoadBudget = 10'000'000;
constexpr std::size_t kLoadMemory = std::size_t{64} << 20U;
// Memory the host may use under the cap while it reads the returned table.
constexpr std::size_t kReadHeadroom = std::size_t{4} << 20U;
// Deepest the readers nest, with a margin: a few slots per table level.
constexpr int kReadStackSlots = 64;
constexpr int kMaxRounds = 200;
constexpr double kShareTolerance = 1e-6;
// Local preference adds to a stack's attractiveness; beyond this it would
// swamp every other term of the adoption model.
constexpr double kPreferenceLimit = 100;

constexpr std::array<const char*, 3> kVisibilityNames = {"public", "private", "facilitator"};  // Visibility order
constexpr std::array<const char*, 4> kCompareNames = {"<", "<=", ">", ">="};                   // CompareOp order
constexpr std::array<const char*, 3> kEffectNames = {"add", "mul", "set"};                     // EffectOp order

static_assert(static_cast<int>(Visibility::Private) == 1 && static_cast<int>(Visibility::Facilitator) == 2);
static_assert(static_cast<int>(CompareOp::Greater) == 2 && static_cast<int>(CompareOp::GreaterEqual) == 3);
static_assert(static_cast<int>(EffectOp::Mul) == 1 && static_cast<int>(EffectOp::Set) == 2);

constexpr std::string_view kTargetExpected = "an actor id, a market US/CN/EU/ROW, or SEA";

// Thrown and caught inside this file only: a reader deep in the table just
// states the problem and its path, and the entry point adds the file name.
struct LoadFailure {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw LoadFailure{path.empty() ? message : path + ": " + message};
}

std::string field_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t position) {
  return parent + "[" + std::to_string(position) + "]";
}

// read_order_list starts an entry's message with its position, "[2]: ...".
std::string join_message(const std::string& path, const std::string& message) {
  return message.starts_with('[') ? path + message : path + ": " + message;
}

std::string missing(std::string_view key, std::string_view expected) {
  return "missing field '" + std::string(key) + "' (" + std::string(expected) + ")";
}

std::string format_number(double v, int precision = 6) {
  std::ostringstream out;
  out << std::setprecision(precision) << v;
  return out.str();
}

std::string one_of(std::span<const char* const> names) {
  std::string out = "one of ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + std::string(names[i]);
  return out;
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

// Restores the stack top on scope exit, so a reader can push freely and
// leave early (returning or failing) without counting pops.
class StackGuard {
 public:
  explicit StackGuard(lua_State* L) : L_(L), top_(lua_gettop(L)) {}
  ~StackGuard() { lua_settop(L_, top_); }
  StackGuard(const StackGuard&) = delete;
  StackGuard& operator=(const StackGuard&) = delete;

 private:
  lua_State* L_;
  int top_;
};

// Pushes table[key] without running metamethods; returns the value's type.
int push_field(lua_State* L, int table, std::string_view key) {
  lua_pushlstring(L, key.data(), key.size());
  return lua_rawget(L, table);
}

using KeyFilter = std::function<bool(std::string_view)>;

KeyFilter any_of_names(std::span<const std::string_view> names) {
  return [names](std::string_view key) { return std::find(names.begin(), names.end(), key) != names.end(); };
}

KeyFilter any_of_names(std::span<const char* const> names) {
  return [names](std::string_view key) {
    return std::any_of(names.begin(), names.end(), [&](const char* name) { return key == name; });
  };
}

// Rejects keys the format does not know, so a misspelt field is an error
// instead of a default. All offenders are collected and the first by name
// reported, so the message does not depend on Lua's table order.
void check_keys(lua_State* L, int table, const std::string& path, const KeyFilter& known,
                std::string_view noun = "field", std::string_view hint = "") {
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

struct NumberRule {
  double min;
  double max;
  bool whole = false;
  std::string expected;
};

NumberRule number_range(double min, double max) {
  return {min, max, false, "a number from " + format_number(min) + " to " + format_number(max)};
}

NumberRule any_finite_number() {
  return {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(), false, "a finite number"};
}

// Judges the value on top of the stack; `here` names it in the error.
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

// Pushes the table at table[key] and returns its index; pushes nothing and
// returns nothing when the key is absent. The caller's guard pops it.
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

struct ListRef {
  int index;
  std::size_t length;
};

// Like open_table for a list: entries 1..n and nothing else, read in order
// (never with pairs, whose order varies between runs).
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

// Pushes list[position], which must be a table, and returns its index.
int open_item(lua_State* L, const ListRef& list, std::size_t position, const std::string& here,
              std::string_view expected) {
  lua_rawgeti(L, list.index, static_cast<lua_Integer>(position));
  if (lua_type(L, -1) != LUA_TTABLE) fail(here, "expected " + std::string(expected) + ", got " + describe_value(L, -1));
  return lua_gettop(L);
}

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

// --- Coefficients ---------------------------------------------------------

const CoefficientField* find_coefficient(std::string_view name) {
  const auto fields = coefficient_fields();
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const CoefficientField& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

void read_local_preference(lua_State* L, int coefficients, Coefficients& coef) {
  StackGuard guard(L);
  const std::string path = "coefficients.local_preference";
  const std::optional<int> table =
      open_table(L, coefficients, "coefficients", "local_preference", "a table of preferences per market");
  if (!table) return;
  check_keys(L, *table, path, any_of_names(kMarketNames));
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    StackGuard market_guard(L);
    const std::optional<int> market = open_table(L, *table, path, kMarketNames[m],
                                                 "a table of preferences per stack, { US = ..., CN = ..., EU = ... }");
    if (!market) continue;
    const std::string here = field_path(path, kMarketNames[m]);
    check_keys(L, *market, here, any_of_names(kStackNames));
    for (std::size_t s = 0; s < kStackCount; ++s) {
      coef.local_preference[m][s] =
          optional_number(L, *market, here, kStackNames[s], number_range(-kPreferenceLimit, kPreferenceLimit))
              .value_or(0);
    }
  }
}

Coefficients read_coefficients(lua_State* L, int root) {
  Coefficients coef;
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "coefficients", "a table of coefficients");
  if (!table) return coef;
  const std::string path = "coefficients";
  check_keys(L, *table, path,
             [](std::string_view key) { return key == "local_preference" || find_coefficient(key) != nullptr; });
  for (const CoefficientField& f : coefficient_fields()) {
    if (const auto v = optional_number(L, *table, path, f.name, number_range(f.min, f.max))) coef.*(f.member) = *v;
  }
  read_local_preference(L, *table, coef);
  return coef;
}

// --- Actors ---------------------------------------------------------------

constexpr std::array<std::string_view, 7> kActorKeys = {"id", "name", "kind", "bloc", "orders", "objectives", "bot"};

bool is_actor_key(std::string_view key) {
  return std::find(kActorKeys.begin(), kActorKeys.end(), key) != kActorKeys.end() || find_actor_field(key) != nullptr;
}

std::string kind_plural(unsigned kinds) {
  constexpr std::array<const char*, 3> kPlural = {"governments", "vendors", "labs"};
  std::string out;
  for (std::size_t k = 0; k < kPlural.size(); ++k) {
    if ((kinds & kind_bit(static_cast<ActorKind>(k))) == 0) continue;
    out += (out.empty() ? "" : " and ") + std::string(kPlural[k]);
  }
  return out;
}

bool is_region_name(std::string_view id) {
  return std::any_of(kBlocNames.begin(), kBlocNames.end(), [&](const char* name) { return id == name; });
}

bool is_id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Ids appear in orders, effects and audiences next to market and bloc names,
// so they must never be mistaken for one.
void check_actor_id(const std::string& id, const std::string& here, const State& so_far) {
  if (id.empty()) fail(here, "expected a non-empty id");
  if (is_region_name(id))
    fail(here, in_quotes(id) + " is a market or region name; actor ids are lower case, e.g. 'us'");
  if (!std::all_of(id.begin(), id.end(), is_id_char)) {
    fail(here, "expected an id of lower-case letters, digits and _, got " + in_quotes(id));
  }
  if (const int other = so_far.find_actor(id); other != kNoActor) {
    fail(here, "duplicate id " + in_quotes(id) + " (also actors[" + std::to_string(other + 1) + "])");
  }
}

void read_actor_numbers(lua_State* L, int table, const std::string& path, Actor& actor) {
  for (const ActorField& f : actor_fields()) {
    StackGuard guard(L);
    if (push_field(L, table, f.name) == LUA_TNIL) continue;
    const std::string here = field_path(path, f.name);
    if ((f.kinds & kind_bit(actor.kind)) == 0) {
      fail(here, "not a field of a " + std::string(kActorKindNames[static_cast<std::size_t>(actor.kind)]) +
                     " (it is for " + kind_plural(f.kinds) + ")");
    }
    f.ref(actor) = judge_number(L, here, number_range(f.min, f.max));
  }
}

std::string metric_names() {
  std::string out;
  for (const Metric& m : metrics()) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

Objective read_objective(lua_State* L, int table, const std::string& path) {
  static constexpr std::array<std::string_view, 2> kKeys = {"metric", "weight"};
  check_keys(L, table, path, any_of_names(kKeys));
  Objective objective;
  objective.metric = required_string(L, table, path, "metric", "the name of a metric");
  if (!find_metric(objective.metric)) {
    fail(field_path(path, "metric"),
         "unknown metric " + in_quotes(objective.metric) + " (one of " + metric_names() + ")");
  }
  objective.weight = optional_number(L, table, path, "weight", any_finite_number()).value_or(1);
  return objective;
}

void read_actor(lua_State* L, int table, const std::string& path, Scenario& s) {
  check_keys(L, table, path, is_actor_key);
  Actor actor;
  actor.id = required_string(L, table, path, "id", "an id of lower-case letters, digits and _");
  check_actor_id(actor.id, field_path(path, "id"), s.initial);
  actor.name = optional_string(L, table, path, "name", "a string").value_or(actor.id);
  actor.kind = static_cast<ActorKind>(required_choice(L, table, path, "kind", kActorKindNames));
  actor.bloc = static_cast<Bloc>(required_choice(L, table, path, "bloc", kBlocNames));
  read_actor_numbers(L, table, path, actor);
  s.objectives.push_back(
      read_table_list<Objective>(L, table, path, "objectives", "a list of objectives",
                                 "an objective table like { metric = \"lead_months\", weight = 1 }",
                                 [&](int item, const std::string& here) { return read_objective(L, item, here); }));
  s.default_bots.push_back(optional_string(L, table, path, "bot", "the path of a bot script").value_or(""));
  s.initial.actors.push_back(std::move(actor));
}

void read_actors(lua_State* L, int root, Scenario& s) {
  StackGuard guard(L);
  constexpr std::string_view kExpected = "a non-empty list of actor tables";
  const std::optional<ListRef> list = open_list(L, root, "", "actors", kExpected);
  if (!list) fail("", missing("actors", kExpected));
  if (list->length == 0) fail("actors", "expected " + std::string(kExpected) + ", got an empty list");
  for (std::size_t i = 1; i <= list->length; ++i) {
    StackGuard item_guard(L);
    const std::string path = item_path("actors", i);
    read_actor(L, open_item(L, *list, i, path, "an actor table"), path, s);
  }
}

// The same validation a player's orders get, so a scenario cannot start from
// a policy no seat could set. Fails on the first rejected order.
ValidatedOrders validated(const State& state, int actor, const std::vector<OrderDraft>& drafts,
                          const std::string& path) {
  ValidatedOrders result = validate_orders(state, actor, drafts);
  if (!result.errors.empty()) {
    const OrderError& e = result.errors.front();
    fail(item_path(path, static_cast<std::size_t>(e.index) + 1), e.message);
  }
  return result;
}

// Runs after every actor exists, so orders may name actors listed later.
void apply_standing_orders(lua_State* L, int root, Scenario& s) {
  StackGuard guard(L);
  push_field(L, root, "actors");  // read_actors checked it is a list of tables
  const int list = lua_gettop(L);
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    StackGuard item_guard(L);
    lua_rawgeti(L, list, static_cast<lua_Integer>(i) + 1);
    const int actor = lua_gettop(L);
    if (push_field(L, actor, "orders") == LUA_TNIL) continue;
    const std::string path = item_path("actors", i + 1) + ".orders";
    std::vector<OrderDraft> drafts;
    if (const auto problem = lua::read_order_list(L, -1, drafts)) fail("", join_message(path, *problem));
    const ValidatedOrders orders = validated(s.initial, static_cast<int>(i), drafts, path);
    Policy& policy = s.initial.actors[i].policy;
    for (const Order& order : orders.orders) catalogue()[static_cast<std::size_t>(order.action)].apply(policy, order);
  }
}

// --- Markets and hubs -----------------------------------------------------

std::array<double, kStackCount> read_shares(lua_State* L, int market, const std::string& path) {
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, market, path, "share", "a table of stack shares");
  if (!table) fail(path, missing("share", "stack shares { US = ..., CN = ..., EU = ... } summing to 1"));
  const std::string here = field_path(path, "share");
  check_keys(L, *table, here, any_of_names(kStackNames));
  NumberRule share_rule = number_range(0, 1);
  share_rule.expected = "a share from 0 to 1";
  std::array<double, kStackCount> shares{};
  double sum = 0;
  for (std::size_t s = 0; s < kStackCount; ++s) {
    shares[s] = optional_number(L, *table, here, kStackNames[s], share_rule).value_or(0);
    sum += shares[s];
  }
  if (std::abs(sum - 1) > kShareTolerance) fail(here, "shares must sum to 1, got " + format_number(sum, 12));
  return shares;
}

Market read_market(lua_State* L, int table, const std::string& path) {
  check_keys(L, table, path, [](std::string_view key) { return key == "share" || find_market_field(key) != nullptr; });
  Market market;
  for (const MarketField& f : market_fields()) {
    if (const auto v = optional_number(L, table, path, f.name, number_range(f.min, f.max))) f.ref(market) = *v;
  }
  market.share = read_shares(L, table, path);
  return market;
}

void read_markets(lua_State* L, int root, State& state) {
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "markets", "a table of markets");
  if (!table) fail("", missing("markets", "a table with the markets US, CN, EU and ROW"));
  check_keys(L, *table, "markets", any_of_names(kMarketNames));
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    StackGuard market_guard(L);
    constexpr std::string_view kExpected = "a market table { size_usd_b = ..., growth = ..., share = {...} }";
    const std::optional<int> market = open_table(L, *table, "markets", kMarketNames[m], kExpected);
    if (!market) fail("markets", missing(kMarketNames[m], kExpected));
    state.markets[m] = read_market(L, *market, field_path("markets", kMarketNames[m]));
  }
}

Hubs read_hubs(lua_State* L, int root) {
  Hubs hubs;
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "hubs", "a table of hub fields");
  if (!table) return hubs;
  check_keys(L, *table, "hubs", [](std::string_view key) { return find_hub_field(key) != nullptr; });
  for (const HubField& f : hub_fields()) {
    if (const auto v = optional_number(L, *table, "hubs", f.name, number_range(f.min, f.max))) f.ref(hubs) = *v;
  }
  return hubs;
}

// --- Events ---------------------------------------------------------------

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

std::vector<ScenarioEvent> read_events(lua_State* L, int root, const Scenario& s) {
  std::vector<ScenarioEvent> events =
      read_table_list<ScenarioEvent>(L, root, "", "events", "a list of event tables", "an event table",
                                     [&](int item, const std::string& here) { return read_event(L, item, here, s); });
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string path = item_path("events", i + 1);
    for (std::size_t j = 0; j < i; ++j) {
      if (events[j].id == events[i].id) {
        fail(field_path(path, "id"),
             "duplicate event id " + in_quotes(events[i].id) + " (also events[" + std::to_string(j + 1) + "])");
      }
    }
    // The engine's own check, in case it ever knows more than the readers.
    if (const std::string problem = check_event(s.initial, events[i]); !problem.empty()) fail(path, problem);
  }
  return events;
}

// Hooks run per match in engine/lua/scenario_hooks.cpp; here only their names
// and types are checked. Returns whether the scenario has any.
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

// --- Whole files ----------------------------------------------------------

constexpr std::array<std::string_view, 10> kScenarioKeys = {"name",   "description", "start", "rounds", "coefficients",
                                                            "actors", "markets",     "hubs",  "events", "hooks"};

Scenario read_scenario(lua_State* L, int root, const std::string& source) {
  check_keys(L, root, "", any_of_names(kScenarioKeys));
  Scenario s;
  s.source = source;
  s.name = required_string(L, root, "", "name", "a non-empty string");
  if (s.name.empty()) fail("name", "expected a non-empty string");
  s.description = optional_string(L, root, "", "description", "a string").value_or("");
  const std::optional<Quarter> start = optional_quarter(L, root, "", "start");
  if (!start) fail("", missing("start", "the first quarter, like 2026Q3"));
  s.start = *start;
  const NumberRule rounds_rule{1, kMaxRounds, true,
                               "a whole number of quarters from 1 to " + std::to_string(kMaxRounds)};
  s.rounds = static_cast<int>(required_number(L, root, "", "rounds", rounds_rule));
  s.coef = read_coefficients(L, root);
  read_actors(L, root, s);
  read_markets(L, root, s.initial);
  s.initial.hubs = read_hubs(L, root);
  apply_standing_orders(L, root, s);
  s.events = read_events(L, root, s);
  if (check_hooks(L, root)) s.hook_script = "hooks";  // marked here, the text is filled in by the caller
  s.initial.quarter = s.start;
  return s;
}

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

// Runs the file and leaves the table it returned on top of the stack, ready
// for the host to read with raw accessors outside protected mode.
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
  // No finalizer of the script's may run (and change the table) mid-read,
  // and the host's own pushes must not meet the cap: outside protected mode
  // a refused allocation would abort the process.
  lua_gc(L, LUA_GCSTOP);
  sandbox.set_memory_cap(std::max(sandbox.memory_cap(), sandbox.memory_used() + kReadHeadroom));
  if (!lua_checkstack(L, kReadStackSlots)) return chunkname + ": out of Lua stack space";
  return std::nullopt;
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

LoadResult load_scenario_source(std::string_view source, const std::string& chunkname) {
  lua::Sandbox sandbox(kLoadMemory);
  if (auto error = run_data_file(sandbox, source, chunkname, "the scenario")) return {std::nullopt, std::move(*error)};
  try {
    Scenario scenario = read_scenario(sandbox.L(), lua_gettop(sandbox.L()), chunkname);
    if (!scenario.hook_script.empty()) scenario.hook_script = std::string(source);
    return {std::move(scenario), {}};
  } catch (const LoadFailure& failure) {
    return {std::nullopt, chunkname + ": " + failure.message};
  }
}

LoadResult load_scenario_file(const std::string& path) {
  const std::optional<std::string> source = read_text_file(path);
  if (!source) return {std::nullopt, path + ": cannot read the file"};
  return load_scenario_source(*source, path);
}

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

// The actors of a scenario: ids, kinds and blocs, starting numbers,
// objectives, default bots, and the standing orders they start with.
#include <algorithm>
#include <array>
#include <lua.hpp>

#include "engine/catalogue.h"
#include "engine/fields.h"
#include "engine/lua/lua_orders.h"
#include "engine/lua/scenario_sections.h"
#include "engine/metrics.h"

namespace leadtime::scenario_detail {
namespace {

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

// Adds the actor, its objectives and its bot together, or nothing.
void read_actor(lua_State* L, int table, const std::string& path, Scenario& s) {
  check_keys(L, table, path, is_actor_key);
  Actor actor;
  actor.id = required_string(L, table, path, "id", "an id of lower-case letters, digits and _");
  check_actor_id(actor.id, field_path(path, "id"), s.initial);
  actor.name = optional_string(L, table, path, "name", "a string").value_or(actor.id);
  actor.kind = static_cast<ActorKind>(required_choice(L, table, path, "kind", kActorKindNames));
  actor.bloc = static_cast<Bloc>(required_choice(L, table, path, "bloc", kBlocNames));
  read_actor_numbers(L, table, path, actor);
  std::vector<Objective> objectives =
      read_table_list<Objective>(L, table, path, "objectives", "a list of objectives",
                                 "an objective table like { metric = \"lead_months\", weight = 1 }",
                                 [&](int item, const std::string& here) { return read_objective(L, item, here); });
  std::string bot = optional_string(L, table, path, "bot", "the path of a bot script").value_or("");
  s.objectives.push_back(std::move(objectives));
  s.default_bots.push_back(std::move(bot));
  s.initial.actors.push_back(std::move(actor));
}

}  // namespace

bool read_actors(lua_State* L, int root, Scenario& s, Problems& problems) {
  StackGuard guard(L);
  constexpr std::string_view kExpected = "a non-empty list of actor tables";
  const std::optional<ListRef> list = open_list(L, root, "", "actors", kExpected);
  if (!list) fail("", missing("actors", kExpected));
  if (list->length == 0) fail("actors", "expected " + std::string(kExpected) + ", got an empty list");
  bool all_read = true;
  for (std::size_t i = 1; i <= list->length; ++i) {
    all_read = problems.attempt([&] {
      StackGuard item_guard(L);
      const std::string path = item_path("actors", i);
      read_actor(L, open_item(L, *list, i, path, "an actor table"), path, s);
    }) && all_read;
  }
  return all_read;
}

void apply_standing_orders(lua_State* L, int root, Scenario& s, Problems& problems) {
  StackGuard guard(L);
  push_field(L, root, "actors");  // read_actors checked it is a list of tables
  const int list = lua_gettop(L);
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    problems.attempt([&] {
      StackGuard item_guard(L);
      lua_rawgeti(L, list, static_cast<lua_Integer>(i) + 1);
      const int actor = lua_gettop(L);
      if (push_field(L, actor, "orders") == LUA_TNIL) return;
      const std::string path = item_path("actors", i + 1) + ".orders";
      std::vector<OrderDraft> drafts;
      if (const auto problem = lua::read_order_list(L, -1, drafts)) fail("", join_message(path, *problem));
      const ValidatedOrders orders = validated(s.initial, static_cast<int>(i), drafts, path);
      Policy& policy = s.initial.actors[i].policy;
      for (const Order& order : orders.orders) catalogue()[static_cast<std::size_t>(order.action)].apply(policy, order);
    });
  }
}

}  // namespace leadtime::scenario_detail

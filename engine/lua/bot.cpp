#include "engine/lua/bot.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <lua.hpp>
#include <sstream>

#include "engine/events.h"
#include "engine/lua/lua_orders.h"
#include "engine/lua/lua_view.h"

namespace leadtime::lua {
namespace {

std::optional<std::string> read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read bot file '" + path + "'";
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return std::nullopt;
}

std::string describe(const LuaError& e) {
  switch (e.kind) {
    case ErrorKind::Budget:
      return "instruction budget exceeded";
    case ErrorKind::TimeLimit:
      return e.message;  // says the limit and that the result is not reproducible
    case ErrorKind::Memory:
      return "memory cap exceeded";
    case ErrorKind::Syntax:
      return "syntax error: " + e.message;
    case ErrorKind::Runtime:
      return "error: " + e.message;
  }
  return e.message;
}

// init(info): who the bot plays and who else is at the table.
void push_info(lua_State* L, const Scenario& scenario, int actor) {
  const State& s = scenario.initial;
  const Actor& self = s.actors[static_cast<std::size_t>(actor)];
  lua_createtable(L, 0, 8);
  lua_pushstring(L, self.id.c_str());
  lua_setfield(L, -2, "seat");
  lua_pushstring(L, kActorKindNames[static_cast<std::size_t>(self.kind)]);
  lua_setfield(L, -2, "kind");
  lua_pushstring(L, kBlocNames[static_cast<std::size_t>(self.bloc)]);
  lua_setfield(L, -2, "bloc");
  lua_pushstring(L, scenario.name.c_str());
  lua_setfield(L, -2, "scenario");
  lua_pushinteger(L, scenario.rounds);
  lua_setfield(L, -2, "rounds");
  lua_pushstring(L, scenario.start.str().c_str());
  lua_setfield(L, -2, "start");
  lua_createtable(L, static_cast<int>(s.actors.size()), 0);
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, s.actors[i].id.c_str());
    lua_setfield(L, -2, "id");
    lua_pushstring(L, kActorKindNames[static_cast<std::size_t>(s.actors[i].kind)]);
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, kBlocNames[static_cast<std::size_t>(s.actors[i].bloc)]);
    lua_setfield(L, -2, "bloc");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "actors");
}

// The registry key of the table of names the bot asked param() for.
constexpr const char* kParamsRead = "leadtime.params_read";

// param(name, default): upvalue 1 holds the values given to this seat (name
// -> number), upvalue 2 the names asked for. An integer default gets an
// integer back when the given value is whole, so a bot may use it as a tier
// or a count.
int lua_param(lua_State* L) {
  luaL_checktype(L, 1, LUA_TSTRING);
  luaL_checktype(L, 2, LUA_TNUMBER);
  lua_settop(L, 2);
  lua_pushvalue(L, 1);
  lua_pushboolean(L, 1);
  lua_rawset(L, lua_upvalueindex(2));
  lua_pushvalue(L, 1);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) {
    lua_pop(L, 1);
    return 1;  // the default
  }
  const double given = lua_tonumber(L, -1);
  if (lua_isinteger(L, 2) && given == std::floor(given) && std::fabs(given) < 0x1p62) {
    lua_pushinteger(L, static_cast<lua_Integer>(given));
  }
  return 1;
}

void push_param_function(lua_State* L, const BotParams& params) {
  lua_createtable(L, 0, static_cast<int>(params.size()));
  for (const BotParam& p : params) {
    lua_pushnumber(L, p.value);
    lua_setfield(L, -2, p.name.c_str());
  }
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kParamsRead);
  lua_pushcclosure(L, lua_param, 2);
  lua_setglobal(L, "param");
}

// The first given parameter the bot never read, named with what it does
// read (sorted: the table's order varies between runs).
std::optional<std::string> unread_param(lua_State* L, const BotParams& params) {
  lua_getfield(L, LUA_REGISTRYINDEX, kParamsRead);
  std::optional<std::string> problem;
  for (const BotParam& p : params) {
    if (lua_getfield(L, -1, p.name.c_str()) == LUA_TNIL) problem = p.name;
    lua_pop(L, 1);
    if (problem) break;
  }
  if (!problem) {
    lua_pop(L, 1);
    return std::nullopt;
  }
  std::vector<std::string> names;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) names.emplace_back(lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  std::sort(names.begin(), names.end());
  std::string known;
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  return "no parameter '" + *problem + "' (" +
         (known.empty() ? std::string("the bot reads none") : "the bot reads " + known) + ")";
}

const BotParams& params_of(const BotLimits& limits, int actor) {
  static const BotParams kNone;
  const auto seat = static_cast<std::size_t>(actor);
  return seat < limits.seat_params.size() ? limits.seat_params[seat] : kNone;
}

}  // namespace

Bot::Bot(Sandbox sandbox, std::string path, BotLimits limits)
    : sandbox_(std::move(sandbox)), path_(std::move(path)), limits_(limits) {}

std::variant<Bot, std::string> Bot::load(const std::string& path, const Scenario& scenario, int actor,
                                         std::uint64_t match_seed, BotLimits limits) {
  std::string source;
  if (auto error = read_file(path, source)) return *error;
  Sandbox sandbox(limits.memory_cap);
  sandbox.seed(derive_seed(match_seed, 0xB07, static_cast<std::uint64_t>(actor)));
  lua_State* L = sandbox.L();
  push_lazy_catalogue(L);
  lua_setglobal(L, "catalogue");
  const BotParams& params = params_of(limits, actor);
  push_param_function(L, params);
  sandbox.set_time_limit(limits.time_limit_per_call);
  sandbox.set_budget(limits.instructions_per_call * 10);  // loading may build tables once
  if (auto error = sandbox.run_chunk(source, path, 0)) return path + ": " + describe(*error);
  lua_getglobal(L, "decide");
  const bool has_decide = lua_isfunction(L, -1);
  lua_pop(L, 1);
  if (!has_decide) return path + ": a bot must define a function decide(view)";
  Bot bot(std::move(sandbox), path, limits);
  lua_getglobal(bot.sandbox_.L(), "init");
  if (lua_isfunction(bot.sandbox_.L(), -1)) {
    push_info(bot.sandbox_.L(), scenario, actor);
    if (auto error = bot.call_hook(1, 0)) return path + ": init failed: " + *error;
  } else {
    lua_pop(bot.sandbox_.L(), 1);
  }
  // Checked after init, where a bot may also read its parameters.
  if (auto problem = unread_param(bot.sandbox_.L(), params)) return path + ": " + *problem;
  lua_getglobal(bot.sandbox_.L(), "on_result");
  bot.has_on_result_ = lua_isfunction(bot.sandbox_.L(), -1);
  lua_pop(bot.sandbox_.L(), 1);
  return bot;
}

std::optional<std::string> Bot::call_hook(int nargs, int nresults) {
  sandbox_.set_budget(limits_.instructions_per_call);
  auto error = sandbox_.call(nargs, nresults);
  // Whatever view the call was given is gone after it: expire it.
  slot_->generation += 1;
  slot_->view = nullptr;
  slot_->state = nullptr;
  if (error) return describe(*error);
  return std::nullopt;
}

void Bot::push_view_arg(const View& view, const State& state) {
  slot_->view = &view;
  slot_->state = &state;
  push_lazy_view(sandbox_.L(), *slot_);
}

std::variant<std::vector<OrderDraft>, std::string> Bot::decide(const View& view, const State& state) {
  lua_State* L = sandbox_.L();
  const int top = lua_gettop(L);
  lua_getglobal(L, "decide");
  if (!lua_isfunction(L, -1)) {
    lua_settop(L, top);
    return std::string("decide is no longer a function");
  }
  push_view_arg(view, state);
  if (auto error = call_hook(1, 1)) {
    lua_settop(L, top);
    return *error;
  }
  std::vector<OrderDraft> drafts;
  std::optional<std::string> problem;
  if (lua_isnil(L, -1)) {
    // nil means "no new orders": standing orders stay.
  } else {
    problem = read_order_list(L, -1, drafts);
  }
  lua_settop(L, top);
  if (problem) return "decide returned " + *problem;
  return drafts;
}

std::optional<std::string> Bot::on_result(const View& view, const State& state) {
  lua_State* L = sandbox_.L();
  const int top = lua_gettop(L);
  lua_getglobal(L, "on_result");
  if (!lua_isfunction(L, -1)) {
    lua_settop(L, top);
    return std::nullopt;
  }
  push_view_arg(view, state);
  auto error = call_hook(1, 0);
  lua_settop(L, top);
  return error;
}

namespace {

std::string fault_text(const Bot& bot, const Actor& seat, int round, const std::string& reason) {
  return "bot " + bot.path() + " (seat " + seat.id + ") round " + std::to_string(round + 1) + ": " + reason;
}

}  // namespace

BotTurn take_turn(Bot& bot, const State& state, const Coefficients& coef, int seat) {
  BotTurn turn;
  const Actor& actor = state.actors[static_cast<std::size_t>(seat)];
  const auto note = [&](const std::string& reason) {
    turn.faults.push_back(fault_text(bot, actor, state.round, reason));
    turn.notes.push_back(private_note(state, seat, "bot_fault", turn.faults.back()));
  };
  auto decided = bot.decide(make_view(state, coef, seat), state);
  if (auto* reason = std::get_if<std::string>(&decided)) {
    note(*reason);
    return turn;
  }
  ValidatedOrders v = validate_orders(state, seat, std::get<std::vector<OrderDraft>>(decided));
  for (const OrderError& e : v.errors) note("rejected order: " + e.message);
  turn.orders = std::move(v.orders);
  return turn;
}

std::optional<Inject> tell_result(Bot& bot, const State& after, const Coefficients& coef, int seat) {
  if (!bot.wants_results()) return std::nullopt;
  auto error = bot.on_result(make_view(after, coef, seat), after);
  if (!error) return std::nullopt;
  const Actor& actor = after.actors[static_cast<std::size_t>(seat)];
  // The round the result is about is the one before `after.round`.
  return private_note(after, seat, "bot_fault", fault_text(bot, actor, after.round - 1, "on_result " + *error));
}

}  // namespace leadtime::lua

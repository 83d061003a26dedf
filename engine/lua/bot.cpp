#include "engine/lua/bot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <algorithm>
#include <bit>
#include <cmath>

#include <lua.hpp>

#include "engine/events.h"
#include "engine/lua/lua_orders.h"
#include "engine/lua/lua_view.h"

namespace leadtime::lua {
namespace {

// The file's identity and last change, enough to tell that a bot's file is
// the one it was compiled from without reading it again.
SourceStamp stamp_of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
}

// Whether a file's times are too close to when it was read to tell two
// writes apart: file times come from a coarse clock (a few milliseconds),
// so a file written twice within one tick keeps its stamp (git's "racy"
// entries). Two seconds cover any file system's granularity.
bool racy_stamp(const SourceStamp& stamp) {
  constexpr std::int64_t kTickNs = 2'000'000'000;
  return std::max(stamp.modified_ns, stamp.changed_ns) + kTickNs > stamp.read_ns;
}

std::optional<std::string> read_file(const std::string& path, std::string& out, SourceStamp& stamp) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    return "cannot read bot file '" + path + "'";
  }
  stamp = stamp_of(st);
  out.clear();
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      ::close(fd);
      return "cannot read bot file '" + path + "'";
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  stamp.read_ns = static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
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
void push_info(lua_State* L, const SeatInfo& info) {
  lua_createtable(L, 0, 8);
  const SeatInfo::Member& self = info.actors[static_cast<std::size_t>(info.seat)];
  lua_pushstring(L, self.id.c_str());
  lua_setfield(L, -2, "seat");
  lua_pushstring(L, self.kind);
  lua_setfield(L, -2, "kind");
  lua_pushstring(L, self.bloc);
  lua_setfield(L, -2, "bloc");
  lua_pushstring(L, info.scenario.c_str());
  lua_setfield(L, -2, "scenario");
  lua_pushinteger(L, info.rounds);
  lua_setfield(L, -2, "rounds");
  lua_pushstring(L, info.start.c_str());
  lua_setfield(L, -2, "start");
  lua_createtable(L, static_cast<int>(info.actors.size()), 0);
  for (std::size_t i = 0; i < info.actors.size(); ++i) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, info.actors[i].id.c_str());
    lua_setfield(L, -2, "id");
    lua_pushstring(L, info.actors[i].kind);
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, info.actors[i].bloc);
    lua_setfield(L, -2, "bloc");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "actors");
}

// The registry key of the table of names the bot asked param() for.
constexpr const char* kParamsRead = "leadtime.params_read";
// The registry key of the bot's compiled file, run at every start.
constexpr const char* kChunk = "leadtime.bot_chunk";

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

// The slots of a bot's two snapshots (Sandbox::snapshot).
constexpr int kCompiled = 0;
constexpr int kStarted = 1;

}  // namespace

SeatInfo SeatInfo::of(const Scenario& scenario, int actor) {
  SeatInfo info;
  info.seat = actor;
  info.scenario = scenario.name;
  info.rounds = scenario.rounds;
  info.start = scenario.start.str();
  info.actors.reserve(scenario.initial.actors.size());
  for (const Actor& a : scenario.initial.actors) {
    info.actors.push_back(
        {a.id, kActorKindNames[static_cast<std::size_t>(a.kind)], kBlocNames[static_cast<std::size_t>(a.bloc)]});
  }
  return info;
}

StartInputs StartInputs::of(const Scenario& scenario, int actor, const BotLimits& limits) {
  StartInputs in;
  in.info = SeatInfo::of(scenario, actor);
  for (const BotParam& p : params_of(limits, actor))
    in.params.emplace_back(p.name, std::bit_cast<std::uint64_t>(p.value));
  in.instructions_per_call = limits.instructions_per_call;
  in.time_limit_ms = limits.time_limit_per_call.count();
  return in;
}

Bot::Bot(Sandbox sandbox, std::string path, BotLimits limits)
    : sandbox_(std::move(sandbox)), path_(std::move(path)), limits_(std::move(limits)) {}

// Everything before the snapshot depends only on the file and the memory
// cap; everything seat- or match-specific (the seed, the parameters, the
// limits, running the file, init) comes after it, in start().
std::variant<Bot, std::string> Bot::load(const std::string& path, const Scenario& scenario, int actor,
                                         std::uint64_t match_seed, BotLimits limits, Restart restart) {
  std::string source;
  SourceStamp stamp;
  if (auto error = read_file(path, source, stamp)) return *error;
  Sandbox sandbox(limits.memory_cap);
  lua_State* L = sandbox.L();
  push_lazy_catalogue(L);
  lua_setglobal(L, "catalogue");
  if (auto error = sandbox.load(source, path)) return path + ": " + describe(*error);
  lua_setfield(L, LUA_REGISTRYINDEX, kChunk);
  Bot bot(std::move(sandbox), path, std::move(limits));
  // Before the snapshot, and with or without one, so every load of the file
  // leaves the same state.
  prepare_lazy_view(L, *bot.slot_);
  bot.stamp_ = stamp;
  bot.source_ = std::move(source);
  // Without a snapshot (a file too big for the arena) restart() is not offered.
  if (restart == Restart::Offer) bot.sandbox_.snapshot(kCompiled);
  StartInputs inputs = StartInputs::of(scenario, actor, bot.limits_);
  if (auto error = bot.start(inputs, match_seed)) return *error;
  bot.keep_started(std::move(inputs));
  return bot;
}

bool Bot::can_restart(const std::string& path, const BotLimits& limits) const {
  if (!sandbox_.has_snapshot() || path != path_ || limits.memory_cap != limits_.memory_cap) return false;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !(stamp_of(st) == stamp_)) return false;
  if (!racy_stamp(stamp_)) return true;
  // Written within a clock tick of being read: another write in that tick
  // would leave the same stamp, so only the text can tell.
  std::string text;
  SourceStamp again;
  return !read_file(path, text, again) && text == source_;
}

// The started snapshot stands in for restoring the compiled one and running
// start() again when start() would read the very same inputs and the seed
// did not matter to it. Lua is deterministic given its inputs, and the
// arena gives it the same addresses, so start() would leave the same state:
// the snapshot of it, with this match's generator, is that state.
std::optional<std::string> Bot::restart(const Scenario& scenario, int actor, std::uint64_t match_seed,
                                        BotLimits limits) {
  limits_ = std::move(limits);
  StartInputs inputs = StartInputs::of(scenario, actor, limits_);
  if (keeps_start(inputs)) {
    sandbox_.restore(kStarted);
    sandbox_.seed(bot_seed(match_seed, actor));
    has_on_result_ = started_has_on_result_;
    return std::nullopt;
  }
  sandbox_.restore(kCompiled);
  has_on_result_ = false;
  if (auto error = start(inputs, match_seed)) return error;
  keep_started(std::move(inputs));
  return std::nullopt;
}

bool Bot::keeps_start(const StartInputs& inputs) const {
  return sandbox_.has_snapshot(kStarted) && inputs == started_with_;
}

// Only a start that drew no random number can stand for the start of a
// match with another seed, and only a bot offering restarts keeps one.
void Bot::keep_started(StartInputs inputs) {
  sandbox_.drop_snapshot(kStarted);
  if (!sandbox_.has_snapshot(kCompiled) || sandbox_.drew_random() || !sandbox_.snapshot(kStarted)) return;
  started_with_ = std::move(inputs);
  started_has_on_result_ = has_on_result_;
}

std::uint64_t Bot::bot_seed(std::uint64_t match_seed, int actor) {
  return derive_seed(match_seed, 0xB07, static_cast<std::uint64_t>(actor));
}

std::optional<std::string> Bot::start(const StartInputs& inputs, std::uint64_t match_seed) {
  lua_State* L = sandbox_.L();
  const int actor = inputs.info.seat;
  sandbox_.seed(bot_seed(match_seed, actor));
  const BotParams& params = params_of(limits_, actor);
  push_param_function(L, params);
  sandbox_.set_time_limit(limits_.time_limit_per_call);
  sandbox_.set_budget(limits_.instructions_per_call * 10);  // loading may build tables once
  lua_getfield(L, LUA_REGISTRYINDEX, kChunk);
  if (auto error = sandbox_.call(0, 0)) return path_ + ": " + describe(*error);
  lua_getglobal(L, "decide");
  const bool has_decide = lua_isfunction(L, -1);
  lua_pop(L, 1);
  if (!has_decide) return path_ + ": a bot must define a function decide(view)";
  lua_getglobal(L, "init");
  if (lua_isfunction(L, -1)) {
    push_info(L, inputs.info);
    if (auto error = call_hook(1, 0)) return path_ + ": init failed: " + *error;
  } else {
    lua_pop(L, 1);
  }
  // Checked after init, where a bot may also read its parameters.
  if (auto problem = unread_param(L, params)) return path_ + ": " + *problem;
  lua_getglobal(L, "on_result");
  has_on_result_ = lua_isfunction(L, -1);
  lua_pop(L, 1);
  return std::nullopt;
}

std::optional<std::string> Bot::call_hook(int nargs, int nresults) {
  sandbox_.set_budget(limits_.instructions_per_call);
  auto error = sandbox_.call(nargs, nresults);
  // Whatever view the call was given is gone after it: expire it.
  slot_->generation += 1;
  slot_->parts = nullptr;
  if (error) return describe(*error);
  return std::nullopt;
}

void Bot::push_view_arg(ViewParts& view) {
  slot_->parts = &view;
  push_lazy_view(sandbox_.L(), *slot_);
}

std::variant<std::vector<OrderDraft>, std::string> Bot::decide(const View& view, const State& state) {
  ViewParts parts(view, state);
  return decide(parts);
}

std::variant<std::vector<OrderDraft>, std::string> Bot::decide(ViewParts& view) {
  lua_State* L = sandbox_.L();
  const int top = lua_gettop(L);
  lua_getglobal(L, "decide");
  if (!lua_isfunction(L, -1)) {
    lua_settop(L, top);
    return std::string("decide is no longer a function");
  }
  push_view_arg(view);
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
  ViewParts parts(view, state);
  return on_result(parts);
}

std::optional<std::string> Bot::on_result(ViewParts& view) {
  lua_State* L = sandbox_.L();
  const int top = lua_gettop(L);
  lua_getglobal(L, "on_result");
  if (!lua_isfunction(L, -1)) {
    lua_settop(L, top);
    return std::nullopt;
  }
  push_view_arg(view);
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
  ViewParts view(state, coef, seat);
  auto decided = bot.decide(view);
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
  ViewParts view(after, coef, seat);
  auto error = bot.on_result(view);
  if (!error) return std::nullopt;
  const Actor& actor = after.actors[static_cast<std::size_t>(seat)];
  // The round the result is about is the one before `after.round`.
  return private_note(after, seat, "bot_fault", fault_text(bot, actor, after.round - 1, "on_result " + *error));
}

}  // namespace leadtime::lua

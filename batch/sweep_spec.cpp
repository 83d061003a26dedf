#include "batch/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <lua.hpp>
#include <map>
#include <set>

#include "engine/lua/lua_values.h"
#include "engine/lua/sandbox.h"
#include "engine/lua/scenario_loader.h"
#include "engine/text.h"
#include "files/files.h"

namespace leadtime::sweep {
namespace {

using lua::describe_value;

constexpr std::uint64_t kLoadBudget = 10'000'000;
constexpr std::size_t kLoadMemory = std::size_t{64} << 20U;
constexpr std::size_t kReadHeadroom = std::size_t{4} << 20U;
constexpr int kReadStackSlots = 64;
// More runs than this is a typo, not a study (a million matches an hour on
// a thousand cores for a month is about 2^39).
constexpr double kMaxRuns = 0x1p40;
constexpr double kMaxSeeds = 1e9;
constexpr double kMaxLevels = 1e6;
constexpr double kMaxDesignPoints = 1e9;
constexpr double kMaxLhsPoints = 1e7;  // LHS keeps a permutation of its points per parameter

constexpr std::string_view kTopKeys[] = {"name", "scenario",   "rounds", "seed",     "seeds", "common_seeds",
                                         "bots", "parameters", "design", "outcomes", "series"};
constexpr std::string_view kParameterKeys[] = {"name", "min", "max", "levels", "values"};
constexpr std::string_view kDesignKeys[] = {"kind", "points"};
constexpr std::string_view kDesignNames[] = {"grid", "random", "lhs"};  // DesignKind order

// Thrown and caught inside this file: a reader states the problem at its
// field path and the entry point adds the file's name.
struct SpecError {
  std::string message;
};

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw SpecError{where.empty() ? message : where + ": " + message};
}

std::string sub(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}
std::string item(const std::string& parent, std::size_t i) { return parent + "[" + std::to_string(i) + "]"; }

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

// Reads the spec's table with raw accessors only, so no metamethod of the
// spec's runs on the host's turn.
class Reader {
 public:
  explicit Reader(lua_State* L) : L_(L) {}

  int push(int table, std::string_view key) {
    lua_pushlstring(L_, key.data(), key.size());
    return lua_rawget(L_, table);
  }

  // The string keys of a table, sorted (lua_next order varies between runs,
  // so of several keys that are not strings the smallest is named).
  std::vector<std::string> keys(int table, const std::string& where) {
    std::vector<std::string> out;
    std::vector<std::string> unexpected;
    lua_pushnil(L_);
    while (lua_next(L_, table)) {
      lua_pop(L_, 1);
      if (lua_type(L_, -1) == LUA_TSTRING) {
        out.emplace_back(lua_tostring(L_, -1));
      } else {
        unexpected.push_back(describe_value(L_, -1));
      }
    }
    if (!unexpected.empty()) fail(where, "unexpected key " + *std::min_element(unexpected.begin(), unexpected.end()));
    std::sort(out.begin(), out.end());
    return out;
  }

  void check_keys(int table, const std::string& where, std::span<const std::string_view> known) {
    for (const std::string& k : keys(table, where)) {
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        std::string list;
        for (std::string_view n : known) list += (list.empty() ? "" : ", ") + std::string(n);
        fail(where, "unknown field " + in_quotes(k) + " (fields: " + list + ")");
      }
    }
  }

  std::optional<double> number(int table, const std::string& where, std::string_view key) {
    StackGuard guard(L_);
    if (push(table, key) == LUA_TNIL) return std::nullopt;
    if (lua_type(L_, -1) != LUA_TNUMBER || !std::isfinite(lua_tonumber(L_, -1))) {
      fail(sub(where, key), "expected a number, got " + describe_value(L_, -1));
    }
    return lua_tonumber(L_, -1);
  }

  std::optional<double> whole(int table, const std::string& where, std::string_view key, double min, double max) {
    const std::optional<double> v = number(table, where, key);
    if (v && (*v != std::floor(*v) || *v < min || *v > max)) {
      fail(sub(where, key),
           "expected a whole number from " + number_text(min) + " to " + number_text(max) + ", got " + number_text(*v));
    }
    return v;
  }

  std::optional<std::string> text(int table, const std::string& where, std::string_view key) {
    StackGuard guard(L_);
    if (push(table, key) == LUA_TNIL) return std::nullopt;
    if (lua_type(L_, -1) != LUA_TSTRING) fail(sub(where, key), "expected a string, got " + describe_value(L_, -1));
    return std::string(lua_tostring(L_, -1));
  }

  std::optional<bool> boolean(int table, const std::string& where, std::string_view key) {
    StackGuard guard(L_);
    if (push(table, key) == LUA_TNIL) return std::nullopt;
    if (lua_type(L_, -1) != LUA_TBOOLEAN) {
      fail(sub(where, key), "expected true or false, got " + describe_value(L_, -1));
    }
    return lua_toboolean(L_, -1) != 0;
  }

  // The length of the list on top of the stack (entries 1..n and nothing else).
  std::size_t list_length(const std::string& where, std::string_view expected) {
    const std::optional<std::size_t> n = lua::list_length(L_, -1);
    if (!n) fail(where, "expected " + std::string(expected) + ", got " + describe_value(L_, -1));
    return *n;
  }

  lua_State* L() const { return L_; }

 private:
  lua_State* L_;
};

// The fields of a spec parameter as written, before the design judges them.
struct RawParameter {
  std::string where;
  std::string name;
  std::optional<double> min, max, levels;
  std::optional<std::vector<ParamValue>> values;
};

std::vector<ParamValue> read_values(Reader& r, int table, const std::string& where) {
  lua_State* L = r.L();
  StackGuard guard(L);
  r.push(table, "values");
  const std::size_t n = r.list_length(where, "a list of numbers or bot paths");
  std::vector<ParamValue> out;
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) == LUA_TNUMBER) {
      out.emplace_back(static_cast<double>(lua_tonumber(L, -1)));
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      out.emplace_back(std::string(lua_tostring(L, -1)));
    } else {
      fail(item(where, i), "expected a number or a bot path, got " + describe_value(L, -1));
    }
    lua_pop(L, 1);
  }
  return out;
}

std::vector<RawParameter> read_raw_parameters(Reader& r, int root) {
  lua_State* L = r.L();
  StackGuard guard(L);
  std::vector<RawParameter> out;
  if (r.push(root, "parameters") == LUA_TNIL) return out;
  const std::size_t n = r.list_length("parameters", "a list of { name = ..., min/max or values }");
  const int list = lua_gettop(L);
  for (std::size_t i = 1; i <= n; ++i) {
    StackGuard entry_guard(L);
    RawParameter p;
    p.where = item("parameters", i);
    lua_rawgeti(L, list, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) != LUA_TTABLE) fail(p.where, "expected { name = ..., ... }, got " + describe_value(L, -1));
    const int entry = lua_gettop(L);
    r.check_keys(entry, p.where, kParameterKeys);
    const std::optional<std::string> name = r.text(entry, p.where, "name");
    if (!name) fail(p.where, "missing field 'name'");
    p.name = *name;
    p.min = r.number(entry, p.where, "min");
    p.max = r.number(entry, p.where, "max");
    p.levels = r.whole(entry, p.where, "levels", 1, kMaxLevels);
    {
      StackGuard values_guard(L);
      if (r.push(entry, "values") != LUA_TNIL) p.values = read_values(r, entry, sub(p.where, "values"));
    }
    out.push_back(std::move(p));
  }
  return out;
}

// One seat's entry under `bots`: a path, "none", or a list of them to vary.
std::vector<std::string> read_seat_bots(Reader& r, int bots, const std::string& seat) {
  lua_State* L = r.L();
  StackGuard guard(L);
  const std::string where = sub("bots", seat);
  r.push(bots, seat);
  if (lua_type(L, -1) == LUA_TSTRING) return {lua_tostring(L, -1)};
  const std::size_t n = r.list_length(where, "a bot path, \"none\", or a list of them");
  if (n == 0) fail(where, "empty list of bots");
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) != LUA_TSTRING) fail(item(where, i), "expected a bot path, got " + describe_value(L, -1));
    out.emplace_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return out;
}

// Per seat, the bots the spec names (empty: the scenario's default).
std::vector<std::vector<std::string>> read_bots(Reader& r, int root, const Scenario& scenario) {
  lua_State* L = r.L();
  StackGuard guard(L);
  std::vector<std::vector<std::string>> out(scenario.initial.actors.size());
  const int type = r.push(root, "bots");
  if (type == LUA_TNIL) return out;
  if (type != LUA_TTABLE) fail("bots", "expected a table of bots by seat, got " + describe_value(L, -1));
  const int bots = lua_gettop(L);
  for (const std::string& seat : r.keys(bots, "bots")) {
    const int actor = scenario.initial.find_actor(seat);
    if (actor == kNoActor) {
      std::string seats;
      for (const Actor& a : scenario.initial.actors) seats += (seats.empty() ? "" : ", ") + a.id;
      fail("bots", "unknown seat " + in_quotes(seat) + " (seats: " + seats + ")");
    }
    out[static_cast<std::size_t>(actor)] = read_seat_bots(r, bots, seat);
  }
  return out;
}

struct Design {
  DesignKind kind = DesignKind::Grid;
  std::uint64_t points = 0;
};

Design read_design(Reader& r, int root) {
  lua_State* L = r.L();
  StackGuard guard(L);
  Design d;
  const std::string expected = "\"grid\", { kind = \"random\", points = N } or { kind = \"lhs\", points = N }";
  const int type = r.push(root, "design");
  if (type == LUA_TNIL) return d;
  std::string kind;
  if (type == LUA_TSTRING) {
    kind = lua_tostring(L, -1);
  } else if (type == LUA_TTABLE) {
    const int table = lua_gettop(L);
    r.check_keys(table, "design", kDesignKeys);
    const std::optional<std::string> k = r.text(table, "design", "kind");
    if (!k) fail("design", "missing field 'kind' (grid, random or lhs)");
    kind = *k;
    d.points = static_cast<std::uint64_t>(r.whole(table, "design", "points", 1, kMaxDesignPoints).value_or(0));
  } else {
    fail("design", "expected " + expected + ", got " + describe_value(L, -1));
  }
  const auto it = std::find(std::begin(kDesignNames), std::end(kDesignNames), kind);
  if (it == std::end(kDesignNames)) fail("design", "unknown design " + in_quotes(kind) + " (grid, random or lhs)");
  d.kind = static_cast<DesignKind>(it - std::begin(kDesignNames));
  if (d.kind == DesignKind::Grid && d.points != 0) {
    fail("design.points", "a grid has one point per combination of levels; points is for random and lhs");
  }
  if (d.kind != DesignKind::Grid && d.points == 0) {
    fail("design", "missing field 'points' (how many points the " + kind + " design draws)");
  }
  if (d.kind == DesignKind::Lhs && static_cast<double>(d.points) > kMaxLhsPoints) {
    fail("design.points", "at most " + number_text(kMaxLhsPoints) + " for lhs (use random, or more seeds)");
  }
  return d;
}

std::vector<Outcome> read_outcomes(Reader& r, int root) {
  lua_State* L = r.L();
  StackGuard guard(L);
  std::vector<std::string> names;
  if (r.push(root, "outcomes") == LUA_TNIL) {
    names = default_outcomes();
  } else {
    const std::size_t n = r.list_length("outcomes", "a list of outcome names");
    if (n == 0) fail("outcomes", "empty list (leave it out for the default outcomes)");
    for (std::size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, -1, static_cast<lua_Integer>(i));
      if (lua_type(L, -1) != LUA_TSTRING) fail(item("outcomes", i), "expected a name, got " + describe_value(L, -1));
      names.emplace_back(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  std::vector<Outcome> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto resolved = resolve_outcome(names[i]);
    if (auto* error = std::get_if<std::string>(&resolved)) fail(item("outcomes", i + 1), *error);
    if (std::count(names.begin(), names.end(), names[i]) > 1) {
      fail(item("outcomes", i + 1), "outcome " + in_quotes(names[i]) + " is listed twice");
    }
    out.push_back(std::get<Outcome>(std::move(resolved)));
  }
  return out;
}

// Judges a parameter's range or values against its target and the design.
SpecParameter judge_parameter(const RawParameter& raw, const Scenario& scenario, DesignKind design) {
  auto resolved = resolve_parameter(raw.name, scenario);
  if (auto* error = std::get_if<std::string>(&resolved)) fail(sub(raw.where, "name"), *error);
  SpecParameter p;
  p.target = std::get<ParamTarget>(std::move(resolved));
  const bool has_range = raw.min || raw.max;
  if (has_range && raw.values) fail(raw.where, "give either min and max or values, not both");
  if (!has_range && !raw.values) fail(raw.where, "missing a range (min and max) or values");
  if (raw.values) {
    if (raw.levels) fail(sub(raw.where, "levels"), "levels divides a range; listed values are the levels");
    if (raw.values->empty()) fail(sub(raw.where, "values"), "empty range: no values listed");
    for (std::size_t i = 0; i < raw.values->size(); ++i) {
      if (auto problem = check_value(p.target, (*raw.values)[i])) fail(item(sub(raw.where, "values"), i + 1), *problem);
    }
    p.values = *raw.values;
    return p;
  }
  if (p.target.kind == TargetKind::BotChoice) fail(raw.where, raw.name + " takes values (bot paths), not a range");
  if (!raw.min || !raw.max) fail(raw.where, std::string("missing field '") + (raw.min ? "max" : "min") + "'");
  if (*raw.min > *raw.max) {
    fail(raw.where, "empty range: min " + number_text(*raw.min) + " is above max " + number_text(*raw.max));
  }
  if (auto problem = check_value(p.target, *raw.min)) fail(sub(raw.where, "min"), *problem);
  if (auto problem = check_value(p.target, *raw.max)) fail(sub(raw.where, "max"), *problem);
  p.is_range = true;
  p.min = *raw.min;
  p.max = *raw.max;
  if (design == DesignKind::Grid) {
    if (!raw.levels) fail(raw.where, "a grid needs levels = N for a range (or listed values)");
    if (*raw.levels < 2 && p.min != p.max) fail(sub(raw.where, "levels"), "a range needs at least 2 levels");
    p.levels = static_cast<int>(*raw.levels);
  } else if (raw.levels) {
    fail(sub(raw.where, "levels"), "levels is for grid designs; random and lhs draw from the whole range");
  }
  return p;
}

// Bots a seat may get: the spec's list, or the scenario's default bot.
std::vector<std::string> seat_choices(const std::vector<std::string>& named, const Scenario& scenario,
                                      std::size_t seat) {
  if (!named.empty()) return named;
  return {seat < scenario.default_bots.size() ? scenario.default_bots[seat] : std::string()};
}

std::string path_of(std::string p) { return p == "none" ? std::string() : p; }

// Turns a seat's list of bots into a bot.SEAT parameter ahead of the rest.
void add_bot_choices(SweepSpec& spec, const std::vector<std::vector<std::string>>& named,
                     const std::vector<RawParameter>& raw) {
  const Scenario& scenario = *spec.scenario;
  std::vector<SpecParameter> choices;
  spec.bots.assign(scenario.initial.actors.size(), "");
  for (std::size_t seat = 0; seat < named.size(); ++seat) {
    const std::vector<std::string> bots = seat_choices(named[seat], scenario, seat);
    spec.bots[seat] = path_of(bots.front());
    if (bots.size() < 2) continue;
    const std::string name = "bot." + scenario.initial.actors[seat].id;
    for (const RawParameter& p : raw) {
      if (p.name == name) fail(p.where, name + " is already varied by bots." + scenario.initial.actors[seat].id);
    }
    SpecParameter p;
    p.target = std::get<ParamTarget>(resolve_parameter(name, scenario));
    for (const std::string& b : bots) p.values.emplace_back(b);
    choices.push_back(std::move(p));
  }
  spec.parameters.insert(spec.parameters.begin(), choices.begin(), choices.end());
}

// Loads every bot each seat may get, then once more with each of its
// parameters, so the error names the spec entry at fault.
void check_bots(const SweepSpec& spec, const std::vector<std::vector<std::string>>& named,
                const std::vector<std::size_t>& where) {
  const Scenario& scenario = *spec.scenario;
  const std::size_t seats = scenario.initial.actors.size();
  std::vector<std::vector<std::string>> possible(seats);
  for (std::size_t seat = 0; seat < seats; ++seat) possible[seat] = seat_choices(named[seat], scenario, seat);
  for (const SpecParameter& p : spec.parameters) {
    if (p.target.kind != TargetKind::BotChoice) continue;
    auto& list = possible[static_cast<std::size_t>(p.target.index)];
    list.clear();
    for (const ParamValue& v : p.values) list.push_back(std::get<std::string>(v));
  }
  for (std::size_t seat = 0; seat < seats; ++seat) {
    if (auto error = check_seat_bots(scenario, static_cast<int>(seat), possible[seat], {})) {
      const std::string field = named[seat].empty() ? "scenario bot" : "bots." + scenario.initial.actors[seat].id;
      fail(field, *error);
    }
  }
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SpecParameter& p = spec.parameters[i];
    if (p.target.kind != TargetKind::BotParam) continue;
    const double sample = p.is_range ? p.min : std::get<double>(p.values.front());
    const auto seat = static_cast<std::size_t>(p.target.index);
    if (auto error = check_seat_bots(scenario, p.target.index, possible[seat], {{p.target.bot_param, sample}})) {
      fail(item("parameters", where[i]), *error);
    }
  }
}

double grid_points(const SweepSpec& spec) {
  double n = 1;
  for (const SpecParameter& p : spec.parameters) {
    n *= p.is_range ? std::max(1, p.levels) : static_cast<double>(p.values.size());
  }
  return n;
}

std::shared_ptr<const Scenario> read_scenario(Reader& r, int root, std::string& path,
                                              std::vector<std::pair<std::string, std::string>>& inputs) {
  path = r.text(root, "", "scenario").value_or("scenarios/2028.lua");
  auto loaded = load_scenario_file(path);
  if (!loaded.scenario) fail("scenario", loaded.error);
  const std::optional<double> rounds = r.whole(root, "", "rounds", 1, loaded.scenario->rounds);
  if (rounds) loaded.scenario->rounds = static_cast<int>(*rounds);
  // A variant's bases are inputs too: a changed base changes the sweep.
  for (const std::string& f : loaded.files) inputs.emplace_back(f, files::read_file(f).value_or(""));
  return std::make_shared<const Scenario>(std::move(*loaded.scenario));
}

void read_seeds(Reader& r, int root, SweepSpec& spec) {
  const std::optional<double> seeds = r.whole(root, "", "seeds", 1, kMaxSeeds);
  if (!seeds) fail("", "missing field 'seeds' (runs per point)");
  spec.seeds = static_cast<std::uint64_t>(*seeds);
  StackGuard guard(r.L());
  if (r.push(root, "seed") != LUA_TNIL) {
    if (!lua_isinteger(r.L(), -1) || lua_tointeger(r.L(), -1) < 0) {
      fail("seed", "expected a whole number from 0 to 2^63-1, got " + describe_value(r.L(), -1));
    }
    spec.master_seed = static_cast<std::uint64_t>(lua_tointeger(r.L(), -1));
  }
  spec.common_seeds = r.boolean(root, "", "common_seeds").value_or(false);
}

std::string stem_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  std::string stem = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::size_t dot = stem.rfind('.');
  return dot == std::string::npos || dot == 0 ? stem : stem.substr(0, dot);
}

SweepSpec read_spec(Reader& r, int root, const std::string& chunkname) {
  r.check_keys(root, "", kTopKeys);
  SweepSpec spec;
  spec.path = chunkname;
  spec.name = r.text(root, "", "name").value_or(stem_of(chunkname));
  spec.scenario = read_scenario(r, root, spec.scenario_path, spec.inputs);
  read_seeds(r, root, spec);
  const Design design = read_design(r, root);
  spec.design = design.kind;
  spec.design_points = design.points;
  const std::vector<std::vector<std::string>> named = read_bots(r, root, *spec.scenario);
  const std::vector<RawParameter> raw = read_raw_parameters(r, root);
  add_bot_choices(spec, named, raw);
  std::vector<std::size_t> where(spec.parameters.size(), 0);  // spec positions, for messages
  std::set<std::string> seen;
  for (const SpecParameter& p : spec.parameters) seen.insert(p.target.name);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!seen.insert(raw[i].name).second)
      fail(raw[i].where, "parameter " + in_quotes(raw[i].name) + " is listed twice");
    spec.parameters.push_back(judge_parameter(raw[i], *spec.scenario, spec.design));
    where.push_back(i + 1);
  }
  spec.outcomes = read_outcomes(r, root);
  spec.series = r.boolean(root, "", "series").value_or(false);
  const double points = spec.design == DesignKind::Grid ? grid_points(spec) : static_cast<double>(spec.design_points);
  if (points * static_cast<double>(spec.seeds) > kMaxRuns) {
    fail("", "the sweep has " + number_text(points * static_cast<double>(spec.seeds)) + " runs (at most 2^40)");
  }
  check_bots(spec, named, where);
  std::set<std::string> bot_files;
  for (std::size_t seat = 0; seat < named.size(); ++seat) {
    for (const std::string& b : seat_choices(named[seat], *spec.scenario, seat)) bot_files.insert(path_of(b));
  }
  bot_files.erase("");
  for (const std::string& b : bot_files) spec.inputs.emplace_back(b, files::read_file(b).value_or(""));
  return spec;
}

}  // namespace

std::vector<ParamTarget> targets_of(const SweepSpec& spec) {
  std::vector<ParamTarget> out;
  for (const SpecParameter& p : spec.parameters) out.push_back(p.target);
  return out;
}

std::variant<SweepSpec, std::string> load_sweep_spec_source(std::string_view source, const std::string& chunkname) {
  lua::Sandbox sandbox(kLoadMemory);
  sandbox.set_budget(kLoadBudget);
  if (const lua::CallResult error = sandbox.run_chunk(source, chunkname, 1)) {
    return error->message.starts_with(chunkname + ":") ? error->message : chunkname + ": " + error->message;
  }
  lua_State* L = sandbox.L();
  if (lua_type(L, -1) != LUA_TTABLE) {
    return chunkname + ": the file must return the sweep table, got " + describe_value(L, -1);
  }
  // As the scenario loader does: no finalizer may run mid-read, and the
  // host's own pushes must not meet the cap outside protected mode.
  lua_gc(L, LUA_GCSTOP);
  sandbox.set_memory_cap(std::max(sandbox.memory_cap(), sandbox.memory_used() + kReadHeadroom));
  if (!lua_checkstack(L, kReadStackSlots)) return chunkname + ": out of Lua stack space";
  try {
    Reader reader(L);
    return read_spec(reader, lua_gettop(L), chunkname);
  } catch (const SpecError& e) {
    return chunkname + ": " + e.message;
  }
}

std::variant<SweepSpec, std::string> load_sweep_spec(const std::string& path) {
  const std::optional<std::string> source = files::read_file(path);
  if (!source) return path + ": cannot read the file";
  return load_sweep_spec_source(*source, path);
}

}  // namespace leadtime::sweep

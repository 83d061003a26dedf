#include "engine/lua/scenario_extends.h"

#include <algorithm>
#include <filesystem>
#include <lua.hpp>

#include "engine/lua/lua_values.h"
#include "engine/lua/scenario_read.h"

namespace leadtime::scenario_detail {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxSourceBytes = std::uintmax_t{8} << 20U;

// The merge, in Lua so it runs in protected mode under the sandbox's budget
// and memory cap. It is compiled before any scenario file runs, so the
// builtins it keeps are the real ones whatever a file does to its globals,
// and it only reads and writes raw. It never changes the files' own tables
// (one may share a table between fields); it copies what it changes.
// merge(base, over) returns the merged table and three maps of paths
// (ChainFile's whole, touched, base_path), or nil, a path in `over` and what
// is wrong there.
constexpr std::string_view kMergeScript = R"lua(
local type, next, rawget, rawset, rawlen, tostring, mtype = type, next, rawget, rawset, rawlen, tostring, math.type

local function join(path, key) if path == "" then return key end return path .. "." .. key end
local function at(path, i) return path .. "[" .. i .. "]" end

local function describe(v)
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  return "a " .. type(v)
end

local function copy(t)
  local c = {}
  local k, v = next(t)
  while k ~= nil do rawset(c, k, v); k, v = next(t, k) end
  return c
end

-- n for a table with keys 1..n and nothing else, else nil.
local function list_length(t)
  local n, count = rawlen(t), 0
  local k = next(t)
  while k ~= nil do
    if mtype(k) ~= "integer" or k < 1 or k > n then return nil end
    count = count + 1
    k = next(t, k)
  end
  if count ~= n then return nil end
  return n
end

local function keyed(fields, any) return { kind = "keyed", fields = fields or {}, any = any } end
local function by_key(key, item) return { kind = "by_key", key = key, item = item } end
local FIELDS = keyed() -- every value replaced
local RULES = keyed({
  coefficients = keyed({ local_preference = keyed(nil, FIELDS) }),
  actors = by_key("id", keyed({ orders = { kind = "append" }, objectives = by_key("metric", FIELDS) })),
  markets = keyed(nil, FIELDS),
  hubs = FIELDS,
  events = by_key("id", FIELDS),
})

local ctx
local merge

local function merge_keyed(base, over, mpath, bpath, opath, rule)
  local out = copy(base)
  ctx.touched[mpath] = opath
  local k, v = next(over)
  while k ~= nil do
    if type(k) ~= "string" then
      rawset(out, k, v) -- not a field name: the reader says so
    elseif not (mpath == "" and k == "extends") then
      local sub = rawget(rule.fields, k)
      if sub == nil then sub = rule.any end
      local value, where, problem = merge(rawget(base, k), v, join(mpath, k), join(bpath, k), join(opath, k), sub)
      if value == nil then return nil, where, problem end
      rawset(out, k, value)
    end
    k, v = next(over, k)
  end
  return out
end

local function merge_append(base, over, mpath, bpath, opath, nb, no)
  local out = {}
  for i = 1, nb do
    out[i] = rawget(base, i)
    ctx.base_path[at(mpath, i)] = at(bpath, i)
  end
  for i = 1, no do
    out[nb + i] = rawget(over, i)
    ctx.whole[at(mpath, nb + i)] = at(opath, i)
  end
  ctx.touched[mpath] = opath
  return out
end

local function merge_by_key(base, over, mpath, bpath, opath, rule, nb, no)
  local key = rule.key
  local index = {} -- key value -> position in base
  for j = 1, nb do
    local b = rawget(base, j)
    if type(b) == "table" and type(rawget(b, key)) == "string" and index[rawget(b, key)] == nil then
      index[rawget(b, key)] = j
    end
  end
  local removed, changed, added, seen = {}, {}, {}, {}
  for k = 1, no do
    local o, here = rawget(over, k), at(opath, k)
    if type(o) ~= "table" then return nil, here, "expected a table with a " .. key .. ", got " .. describe(o) end
    local id = rawget(o, key)
    if type(id) ~= "string" then
      return nil, here, "missing field '" .. key .. "' (the " .. key .. " of the entry to change, add or remove)"
    end
    if seen[id] then
      return nil, join(here, key), "'" .. id .. "' appears twice (also " .. at(opath, seen[id]) .. ")"
    end
    seen[id] = k
    local remove = rawget(o, "remove")
    if remove ~= nil then
      if remove ~= true then return nil, join(here, "remove"), "expected true, got " .. describe(remove) end
      if index[id] == nil then return nil, join(here, key), "no '" .. id .. "' in the base to remove" end
      local f = next(o)
      while f ~= nil do
        if f ~= key and f ~= "remove" then
          return nil, here, "an entry that removes takes only " .. key .. " and remove, got " .. describe(f)
        end
        f = next(o, f)
      end
      removed[index[id]] = true
    elseif index[id] then
      changed[index[id]] = k
    else
      added[#added + 1] = k
    end
  end
  local out, n = {}, 0
  for j = 1, nb do
    if not removed[j] then
      n = n + 1
      local mp = at(mpath, n)
      ctx.base_path[mp] = at(bpath, j)
      local k = changed[j]
      if k then
        local item, where, problem = merge(rawget(base, j), rawget(over, k), mp, at(bpath, j), at(opath, k), rule.item)
        if item == nil then return nil, where, problem end
        out[n] = item
      else
        out[n] = rawget(base, j)
      end
    end
  end
  for i = 1, #added do
    n = n + 1
    out[n] = rawget(over, added[i])
    ctx.whole[at(mpath, n)] = at(opath, added[i])
  end
  ctx.touched[mpath] = opath
  return out
end

merge = function(base, over, mpath, bpath, opath, rule)
  if rule == nil or type(base) ~= "table" or type(over) ~= "table" then
    ctx.whole[mpath] = opath
    return over
  end
  if rule.kind == "keyed" then return merge_keyed(base, over, mpath, bpath, opath, rule) end
  local nb, no = list_length(base), list_length(over)
  if nb == nil or no == nil then -- not lists: the reader says which
    ctx.whole[mpath] = opath
    return over
  end
  if rule.kind == "append" then return merge_append(base, over, mpath, bpath, opath, nb, no) end
  return merge_by_key(base, over, mpath, bpath, opath, rule, nb, no)
end

return function(base, over)
  ctx = { whole = {}, touched = {}, base_path = {} }
  local merged, where, problem = merge(base, over, "", "", "", RULES)
  if merged == nil then return nil, where, problem end
  return merged, ctx.whole, ctx.touched, ctx.base_path
end
)lua";

std::map<std::string, std::string> read_path_map(lua_State* L, int index) {
  std::map<std::string, std::string> out;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
      out.emplace(lua_tostring(L, -2), lua_tostring(L, -1));
    }
    lua_pop(L, 1);
  }
  return out;
}

// The paths a problem at `path` may belong to, longest first: the path
// itself, then each enclosing table ("a[2].b", "a[2]", "a").
std::vector<std::string> prefixes(const std::string& path) {
  std::vector<std::string> out = {path};
  for (std::size_t i = path.size(); i-- > 1;) {
    if (path[i] == '.' || path[i] == '[') out.push_back(path.substr(0, i));
  }
  return out;
}

struct Runner {
  lua::Sandbox& sandbox;
  Chain& chain;
  int merge_ref;
  std::vector<std::string> seen;  // absolute paths of the chain so far, to refuse a cycle

  // Runs one file and, through its bases, leaves the merged table on top.
  std::optional<LoadError> run(std::string_view source, const std::string& chunkname, std::vector<std::string>& names) {
    if (auto error = run_data_file(sandbox, source, chunkname, "the scenario")) return run_error(chunkname, *error);
    const auto problem = [&](const std::string& field, const std::string& message) {
      return make_error(chunkname, source, field, message);
    };
    lua_State* L = sandbox.L();
    const int own = lua_gettop(L);
    lua_pushliteral(L, "extends");
    const int type = lua_rawget(L, own);
    if (type == LUA_TNIL) {
      lua_pop(L, 1);
      chain.files.push_back({chunkname, std::string(source), {}, {}, {}});
      return std::nullopt;
    }
    if (type != LUA_TSTRING) {
      return problem("extends",
                     "expected the path of the scenario this one changes, got " + lua::describe_value(L, -1));
    }
    const std::string named = lua_tostring(L, -1);
    lua_pop(L, 1);
    names.push_back(chunkname);
    if (names.size() > static_cast<std::size_t>(kMaxExtends)) {
      return problem("extends", "more than " + std::to_string(kMaxExtends) + " scenarios extend one another");
    }
    const fs::path base = (fs::path(chunkname).parent_path() / named).lexically_normal();
    const std::string key = fs::absolute(base).lexically_normal().string();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      std::string cycle;
      for (const std::string& n : names) cycle += n + " -> ";
      return problem("extends", base.string() + " is already in the chain (" + cycle + base.string() +
                                    "): a scenario cannot extend itself");
    }
    seen.push_back(key);
    // Only files: a path such as /dev/zero would never end.
    std::error_code ec;
    if (!fs::is_regular_file(base, ec)) return problem("extends", "cannot read " + base.string());
    if (fs::file_size(base, ec) > kMaxSourceBytes) {
      return problem("extends", base.string() + " is larger than a scenario can be (" +
                                    std::to_string(kMaxSourceBytes >> 20U) + " MiB)");
    }
    const std::optional<std::string> text = read_text_file(base.string());
    if (!text) return problem("extends", "cannot read " + base.string());
    if (auto error = run(*text, base.string(), names)) return error;

    lua_rawgeti(L, LUA_REGISTRYINDEX, merge_ref);
    lua_pushvalue(L, own + 1);  // the base, merged with its own bases
    lua_pushvalue(L, own);
    sandbox.set_budget(kLoadBudget);
    if (const lua::CallResult error = sandbox.call(2, 4)) {
      return problem("extends", "merging with " + base.string() + " failed: " + error->message);
    }
    const int results = lua_gettop(L) - 3;
    if (lua_isnil(L, results)) {
      return problem(lua_tostring(L, results + 1), lua_tostring(L, results + 2));
    }
    chain.files.push_back({chunkname, std::string(source), read_path_map(L, results + 1), read_path_map(L, results + 2),
                           read_path_map(L, results + 3)});
    lua_settop(L, results);
    lua_replace(L, own);  // the merged table takes the file's place; the base goes
    lua_settop(L, own);
    if (!ready_for_reading(sandbox)) return problem("", "out of Lua stack space");
    return std::nullopt;
  }
};

}  // namespace

Blame blame(const Chain& chain, const std::string& merged_path) {
  std::size_t level = chain.files.size() - 1;
  if (merged_path.empty()) return {level, ""};
  std::string path = merged_path;
  for (; level > 0; --level) {
    const ChainFile& file = chain.files[level];
    const std::vector<std::string> candidates = prefixes(path);
    for (const std::string& q : candidates) {
      if (const auto it = file.whole.find(q); it != file.whole.end())
        return {level, it->second + path.substr(q.size())};
    }
    if (const auto it = file.touched.find(path); it != file.touched.end()) return {level, it->second};
    for (const std::string& q : candidates) {
      if (const auto it = file.base_path.find(q); it != file.base_path.end()) {
        path = it->second + path.substr(q.size());
        break;
      }
    }
  }
  return {0, path};
}

LoadError make_error(const std::string& file, std::string_view source, const std::string& field,
                     const std::string& message, int line) {
  LoadError e;
  e.file = file;
  e.line = line > 0 ? line : locate_field(source, field);
  e.field = field;
  e.message = message;
  e.text = file + ": " + (field.empty() ? "" : field + ": ") + message;
  return e;
}

LoadError run_error(const std::string& file, const std::string& text) {
  LoadError e;
  e.file = file;
  e.text = text;
  e.message = text;
  if (!text.starts_with(file + ":")) return e;
  std::string_view rest = std::string_view(text).substr(file.size() + 1);
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (digits > 0 && digits < 9 && digits < rest.size() && rest[digits] == ':') {
    e.line = std::stoi(std::string(rest.substr(0, digits)));
    rest = rest.substr(digits + 1);
  }
  if (rest.starts_with(' ')) rest.remove_prefix(1);
  e.message = std::string(rest);
  return e;
}

std::optional<LoadError> run_scenario_chain(lua::Sandbox& sandbox, std::string_view source,
                                            const std::string& chunkname, Chain& chain) {
  sandbox.set_budget(kLoadBudget);
  if (const lua::CallResult error = sandbox.run_chunk(kMergeScript, "=scenario merge", 1)) {
    return make_error(chunkname, source, "", "cannot prepare the scenario merge: " + error->message);
  }
  Runner runner{sandbox, chain, luaL_ref(sandbox.L(), LUA_REGISTRYINDEX), {}};
  runner.seen.push_back(fs::absolute(fs::path(chunkname)).lexically_normal().string());
  std::vector<std::string> names;
  return runner.run(source, chunkname, names);
}

}  // namespace leadtime::scenario_detail

#include "engine/lua/lua_view.h"

#include <lua.hpp>

#include <string>
#include <type_traits>
#include <vector>

#include "engine/catalogue.h"
#include "engine/state_fields.h"

namespace leadtime::lua {
namespace {

void set_number(lua_State* L, const char* key, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, key);
}

void set_integer(lua_State* L, const char* key, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

void set_string(lua_State* L, const char* key, std::string_view v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, key);
}

using fields::Keys;

// An actor's id, or "" for kNoActor and indices the state does not have.
const char* actor_id(const State& s, int index) {
  return index < 0 || static_cast<std::size_t>(index) >= s.actors.size()
             ? ""
             : s.actors[static_cast<std::size_t>(index)].id.c_str();
}

template <typename T>
inline constexpr bool kIsArray = false;
template <typename T, std::size_t N>
inline constexpr bool kIsArray<std::array<T, N>> = true;
template <typename T>
inline constexpr bool kIsVector = false;
template <typename T>
inline constexpr bool kIsVector<std::vector<T>> = true;

// How self's struct-valued fields (policy, spent) are built: at once, or on
// first read (the lazy view).
enum class Nested : std::uint8_t { Eager, Deferred };

template <fields::HasTable S>
void set_fields(lua_State* L, const State& names, const S& s, Nested nested);

// Pushes one value as the Lua view shows it (engine/state_fields.h): keyed
// arrays as tables by name, actor references and per-actor vectors by id,
// enums by name, structs as tables of their fields.
template <typename T>
void push_value(lua_State* L, const State& names, const T& v, Keys keys) {
  if constexpr (std::is_same_v<T, double>) {
    lua_pushnumber(L, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    lua_pushboolean(L, v ? 1 : 0);
  } else if constexpr (std::is_same_v<T, int>) {
    if (keys == Keys::Actor) {
      lua_pushstring(L, actor_id(names, v));
    } else {
      lua_pushinteger(L, v);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    lua_pushlstring(L, v.data(), v.size());
  } else if constexpr (std::is_enum_v<T>) {
    lua_pushstring(L, fields::name_of(v));
  } else if constexpr (kIsArray<T>) {
    const auto key_names = fields::key_names(keys);
    lua_createtable(L, key_names.empty() ? static_cast<int>(v.size()) : 0,
                    key_names.empty() ? 0 : static_cast<int>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      push_value(L, names, v[i], fields::inner_keys(keys));
      if (i < key_names.size()) {
        lua_setfield(L, -2, key_names[i]);
      } else {
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
    }
  } else if constexpr (kIsVector<T>) {
    // Per-actor values by actor id ({ us_vendor = 2, ... }), else a list.
    const bool by_actor = keys == Keys::Actor;
    lua_createtable(L, by_actor ? 0 : static_cast<int>(v.size()), by_actor ? static_cast<int>(v.size()) : 0);
    for (std::size_t i = 0; i < v.size(); ++i) {
      push_value(L, names, v[i], Keys::None);
      if (by_actor) {
        const char* id = actor_id(names, static_cast<int>(i));
        lua_setfield(L, -2, *id != '\0' ? id : std::to_string(i).c_str());
      } else {
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
    }
  } else {
    static_assert(fields::HasTable<T>, "a field type the Lua view cannot show");
    lua_createtable(L, 0, static_cast<int>(fields::count<T>));
    set_fields(L, names, v, Nested::Eager);
  }
}

// Sets S's fields on the table on top of the stack. Fields of other actor
// kinds are left out (see fields::Options::kinds), flat structs spill their
// fields onto this table, and with Nested::Deferred struct-valued fields
// wait for push_deferred.
template <fields::HasTable S>
void set_fields(lua_State* L, const State& names, const S& s, Nested nested) {
  const unsigned kind = fields::owner_kind_bit(s);
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kLua) != 0) {
      if ((f.options.kinds & kind) == 0) return;
      if constexpr (fields::HasTable<T> && f.options.flat) {
        set_fields(L, names, s.*f.member, nested);
      } else {
        if constexpr (fields::HasTable<T>) {
          if (nested == Nested::Deferred) return;
        }
        push_value(L, names, s.*f.member, f.options.keys);
        lua_setfield(L, -2, f.name);
      }
    }
  });
}

// Pushes the field of `a` that set_fields deferred under `key`; false when
// `key` names none.
bool push_deferred(lua_State* L, const State& names, const Actor& a, std::string_view key) {
  bool found = false;
  fields::for_each<Actor>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr (fields::HasTable<T> && !f.options.flat && (f.options.shown & fields::kLua) != 0) {
      if (!found && key == f.name) {
        push_value(L, names, a.*f.member, f.options.keys);
        found = true;
      }
    }
  });
  return found;
}

// self: the actor's fields with its kind's state flat on it
// (self.compute_h100e), and spending_scale, kept for bots written before
// `spent` was in the view.
void push_self(lua_State* L, const Actor& a, const State& s, Nested nested) {
  lua_createtable(L, 0, 32);
  set_fields(L, s, a, nested);
  set_number(L, "spending_scale", a.spent.scale);
}

int lazy_self_index(lua_State* L);

// A list of structs (estimates, events) as a Lua array of tables.
template <typename T>
void push_list(lua_State* L, const State& names, const std::vector<T>& items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    push_value(L, names, items[i], Keys::None);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

// self without its policy and spending (50 fields), built only when read.
void push_lazy_self(lua_State* L, const Actor& a, const State& state) {
  push_self(L, a, state, Nested::Deferred);
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushcclosure(L, lazy_self_index, 2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

bool push_part(lua_State* L, ViewParts& v, std::string_view key) {
  const State& state = v.state();
  if (key == "self") {
    if (!v.self()) return false;
    push_lazy_self(L, *v.self(), state);
  } else if (key == "others") {
    push_list(L, state, v.others());
  } else if (key == "indicators") {
    push_value(L, state, v.indicators(), Keys::None);
  } else if (key == "events") {
    push_list(L, state, v.events());
  } else {
    return false;
  }
  return true;
}

// __index(view, key): builds the part, caches it in the view table.
int lazy_view_index(lua_State* L) {
  auto* slot = static_cast<ViewSlot*>(lua_touserdata(L, lua_upvalueindex(1)));
  const auto generation = static_cast<std::uint64_t>(lua_tointeger(L, lua_upvalueindex(2)));
  std::size_t len = 0;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
  if (!key || slot->generation != generation || !slot->parts) {
    lua_pushnil(L);
    return 1;
  }
  if (!push_part(L, *slot->parts, std::string_view(key, len))) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

// __index(self, key): builds a deferred part of self (policy, spent) and
// caches it in self.
int lazy_self_index(lua_State* L) {
  auto* slot = static_cast<ViewSlot*>(lua_touserdata(L, lua_upvalueindex(1)));
  const auto generation = static_cast<std::uint64_t>(lua_tointeger(L, lua_upvalueindex(2)));
  std::size_t len = 0;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
  if (!key || slot->generation != generation || !slot->parts || !slot->parts->self() ||
      !push_deferred(L, slot->parts->state(), *slot->parts->self(), std::string_view(key, len))) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

int lazy_catalogue_real(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, "leadtime.catalogue") != LUA_TTABLE) {
    lua_pop(L, 1);
    push_catalogue(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "leadtime.catalogue");
  }
  return 1;
}

int lazy_catalogue_index(lua_State* L) {
  lazy_catalogue_real(L);
  lua_pushvalue(L, 2);
  lua_gettable(L, -2);
  return 1;
}

int lazy_catalogue_len(lua_State* L) {
  lazy_catalogue_real(L);
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
  return 1;
}

}  // namespace

void push_lazy_view(lua_State* L, ViewSlot& slot) {
  const ViewParts& v = *slot.parts;
  lua_createtable(L, 0, 8);
  set_integer(L, "round", v.round() + 1);
  set_string(L, "quarter", v.quarter().str());
  set_number(L, "score", v.own_score());
  lua_createtable(L, 0, 1);
  lua_pushlightuserdata(L, &slot);
  lua_pushinteger(L, static_cast<lua_Integer>(slot.generation));
  lua_pushcclosure(L, lazy_view_index, 2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

void push_lazy_catalogue(lua_State* L) {
  lua_createtable(L, 0, 0);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, lazy_catalogue_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, lazy_catalogue_len);
  lua_setfield(L, -2, "__len");
  lua_setmetatable(L, -2);
}

void push_view(lua_State* L, const View& v, const State& state) {
  lua_createtable(L, 0, 8);
  set_integer(L, "round", v.round + 1);
  set_string(L, "quarter", v.quarter.str());
  set_number(L, "score", v.own_score);
  if (v.self) {
    push_self(L, *v.self, state, Nested::Eager);
    lua_setfield(L, -2, "self");
  }
  push_list(L, state, v.others);
  lua_setfield(L, -2, "others");
  push_value(L, state, v.indicators, Keys::None);
  lua_setfield(L, -2, "indicators");
  push_list(L, state, v.events);
  lua_setfield(L, -2, "events");
}

void push_catalogue(lua_State* L) {
  const auto actions = catalogue();
  lua_createtable(L, static_cast<int>(actions.size()), 0);  // array
  lua_createtable(L, 0, static_cast<int>(actions.size()));  // by name
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const ActionSpec& a = actions[i];
    lua_createtable(L, 0, 5);
    set_string(L, "name", a.name);
    set_string(L, "help", a.help);
    set_string(L, "bloc", a.bloc < 0 ? "any" : kBlocNames[static_cast<std::size_t>(a.bloc)]);
    lua_createtable(L, 3, 0);
    int k = 0;
    for (std::size_t kind = 0; kind < kActorKindNames.size(); ++kind) {
      if ((a.kinds & (1U << kind)) == 0) continue;
      lua_pushstring(L, kActorKindNames[kind]);
      lua_rawseti(L, -2, ++k);
    }
    lua_setfield(L, -2, "kinds");
    lua_createtable(L, static_cast<int>(a.params.size()), 0);
    for (std::size_t p = 0; p < a.params.size(); ++p) {
      const ParamSpec& spec = a.params[p];
      lua_createtable(L, 0, 6);
      set_string(L, "name", spec.name);
      set_string(L, "type", kParamTypeNames[static_cast<std::size_t>(spec.type)]);
      if (spec.type == ParamType::Int || spec.type == ParamType::Real) {
        set_number(L, "min", spec.min);
        set_number(L, "max", spec.max);
      }
      set_string(L, "unit", spec.unit);
      set_string(L, "help", spec.help);
      lua_rawseti(L, -2, static_cast<lua_Integer>(p + 1));
    }
    lua_setfield(L, -2, "params");
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, std::string(a.name).c_str());  // by-name map shares the entry
    lua_rawseti(L, -3, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "by_name");
}

}  // namespace leadtime::lua

#include "engine/lua/lua_view.h"

#include <lua.hpp>

#include <array>
#include <charconv>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/catalogue.h"
#include "engine/container_traits.h"
#include "engine/lua/lua_names.h"
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

// How self's struct-valued fields (policy, spent) are built: at once, or on
// first read (the lazy view).
enum class Nested : std::uint8_t { Eager, Deferred };

template <fields::HasTable S>
void set_fields(lua_State* L, int table, const State& names, const S& s, Nested nested);

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
    const int table = lua_gettop(L);
    if (!key_names.empty()) push_names(L, key_names);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i < key_names.size()) {
        lua_rawgeti(L, table + 1, static_cast<lua_Integer>(i + 1));
        push_value(L, names, v[i], fields::inner_keys(keys));
        lua_rawset(L, table);
      } else {
        push_value(L, names, v[i], fields::inner_keys(keys));
        lua_rawseti(L, table, static_cast<lua_Integer>(i + 1));
      }
    }
    lua_settop(L, table);
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
    set_fields(L, lua_gettop(L), names, v, Nested::Eager);
  }
}

// Sets S's fields on the table at `table`. Fields of other actor kinds are
// left out (see fields::Options::kinds), flat structs spill their fields
// onto this table, and with Nested::Deferred struct-valued fields wait for
// push_deferred. Keys come from S's names (lua_names.h), set raw: the table
// is new and has no metatable yet.
template <fields::HasTable S>
void set_fields(lua_State* L, int table, const State& names, const S& s, Nested nested) {
  const unsigned kind = fields::owner_kind_bit(s);
  push_names(L, kFieldNames<S>);
  const int keys = lua_gettop(L);
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kLua) != 0) {
      if ((f.options.kinds & kind) == 0) return;
      if constexpr (fields::HasTable<T> && f.options.flat) {
        set_fields(L, table, names, s.*f.member, nested);
      } else {
        if constexpr (fields::HasTable<T>) {
          if (nested == Nested::Deferred) return;
        }
        lua_rawgeti(L, keys, static_cast<lua_Integer>(decltype(at)::index + 1));
        push_value(L, names, s.*f.member, f.options.keys);
        lua_rawset(L, table);
      }
    }
  });
  lua_settop(L, keys - 1);
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
  set_fields(L, lua_gettop(L), s, a, nested);
  set_number(L, "spending_scale", a.spent.scale);
}

// A list of structs (estimates, events) as a Lua array of tables.
template <typename T>
void push_list(lua_State* L, const State& names, const std::vector<T>& items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    push_value(L, names, items[i], Keys::None);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

int lazy_view_index(lua_State* L);
int lazy_self_index(lua_State* L);

// The metatable of a slot's lazy views (or of their self tables): its
// __index is `index` with the slot as its upvalue. Made once per Lua state
// and slot, and kept in the registry under `key`, so a bot's snapshot holds
// it and a decision does not build it again.
void push_slot_metatable(lua_State* L, ViewSlot& slot, const void* key, lua_CFunction index) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushlightuserdata(L, &slot);
  lua_pushcclosure(L, index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}

const void* view_key(const ViewSlot& slot) { return &slot.view; }
const void* self_key(const ViewSlot& slot) { return &slot.self; }

// self without its policy and spending (50 fields), built only when read.
void push_lazy_self(lua_State* L, ViewSlot& slot) {
  push_self(L, *slot.parts->self(), slot.parts->state(), Nested::Deferred);
  push_slot_metatable(L, slot, self_key(slot), lazy_self_index);
  lua_setmetatable(L, -2);
  slot.self = lua_topointer(L, -1);
}

bool push_part(lua_State* L, ViewSlot& slot, std::string_view key) {
  ViewParts& v = *slot.parts;
  const State& state = v.state();
  if (key == "self") {
    if (!v.self()) return false;
    push_lazy_self(L, slot);
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

// The slot of a lazy view's __index, and the key it is asked for, when the
// table indexed (argument 1) is the slot's current view table or self table
// (`table`) and the key a string; else null. A view kept from an earlier
// call, or any other table, reads nil; so does a call of __index by hand
// on something else.
ViewSlot* live_slot(lua_State* L, const void* ViewSlot::*table, std::string_view& key) {
  auto* slot = static_cast<ViewSlot*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (lua_type(L, 1) != LUA_TTABLE || lua_type(L, 2) != LUA_TSTRING) return nullptr;
  if (slot->parts == nullptr || slot->view_generation != slot->generation || lua_topointer(L, 1) != slot->*table) {
    return nullptr;
  }
  std::size_t len = 0;
  const char* text = lua_tolstring(L, 2, &len);
  key = std::string_view(text, len);
  return slot;
}

// __index(view, key): builds the part, caches it in the view table.
int lazy_view_index(lua_State* L) {
  std::string_view key;
  ViewSlot* slot = live_slot(L, &ViewSlot::view, key);
  if (slot == nullptr || !push_part(L, *slot, key)) {
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
  std::string_view key;
  ViewSlot* slot = live_slot(L, &ViewSlot::self, key);
  if (slot == nullptr || slot->parts->self() == nullptr ||
      !push_deferred(L, slot->parts->state(), *slot->parts->self(), key)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

void push_quarter(lua_State* L, Quarter quarter) {
  char text[32];
  char* end = std::to_chars(text, text + 12, quarter.year).ptr;
  *end++ = 'Q';
  end = std::to_chars(end, text + sizeof text, quarter.q).ptr;
  lua_pushlstring(L, text, static_cast<std::size_t>(end - text));
}

// The names of a view's own fields, in the order push_lazy_view sets them.
constexpr std::array<const char*, 3> kViewNames = {"round", "quarter", "score"};

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
  const int view = lua_gettop(L);
  push_names(L, kViewNames);
  lua_rawgeti(L, view + 1, 1);
  lua_pushinteger(L, v.round() + 1);
  lua_rawset(L, view);
  lua_rawgeti(L, view + 1, 2);
  push_quarter(L, v.quarter());
  lua_rawset(L, view);
  lua_rawgeti(L, view + 1, 3);
  lua_pushnumber(L, v.own_score());
  lua_rawset(L, view);
  lua_settop(L, view);
  push_slot_metatable(L, slot, view_key(slot), lazy_view_index);
  lua_setmetatable(L, view);
  slot.view = lua_topointer(L, view);
  slot.self = nullptr;
  slot.view_generation = slot.generation;
}

void prepare_lazy_view(lua_State* L, ViewSlot& slot) {
  const std::array<std::span<const char* const>, 13> names = {kViewNames,
                                                              kFieldNames<Actor>,
                                                              kFieldNames<GovernmentState>,
                                                              kFieldNames<VendorState>,
                                                              kFieldNames<LabState>,
                                                              kFieldNames<Policy>,
                                                              kFieldNames<Spending>,
                                                              kFieldNames<Estimate>,
                                                              kFieldNames<PublicIndicators>,
                                                              kFieldNames<Event>,
                                                              kBlocNames,
                                                              kMarketNames,
                                                              kStackNames};
  for (const auto& list : names) {
    push_names(L, list);
    lua_pop(L, 1);
  }
  push_slot_metatable(L, slot, view_key(slot), lazy_view_index);
  push_slot_metatable(L, slot, self_key(slot), lazy_self_index);
  lua_pop(L, 2);
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
  push_quarter(L, v.quarter);
  lua_setfield(L, -2, "quarter");
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

#pragma once

#include <cstdint>

#include "engine/state.h"
#include "engine/views.h"

struct lua_State;

namespace leadtime::lua {

// Pushes what a bot may read, as plain Lua tables. Lists are arrays in a
// fixed order (actors by scenario order, markets US, CN, EU, ROW): the
// sandbox's pairs() would visit string keys in byte order, not game order,
// and next() order over string keys is seeded per Lua state.

// The seat's fog-of-war view: { round, quarter, self = {...}, others = {...},
// indicators = {...}, events = {...}, score }. Every table holds the fields
// engine/state_fields.h shows to Lua: self has the actor's fields with its
// kind's state flat on it (self.compute_h100e), its policy and spent.
void push_view(lua_State* L, const View& view, const State& state);

// The view a lazy view table reads from: its parts are built as the bot
// reads them (ViewParts). The host bumps `generation` after every call, so a
// view table a bot kept from an earlier call reads nil instead of state that
// no longer exists.
struct ViewSlot {
  ViewParts* parts = nullptr;
  std::uint64_t generation = 0;
  // The view table push_lazy_view made last, its self table, and the
  // generation it was made in: only those tables build parts, by address
  // (alive while the bot can index them, so no other table has it).
  const void* view = nullptr;
  const void* self = nullptr;
  std::uint64_t view_generation = 0;
};

// Same contents as push_view, but `self`, `others`, `indicators` and
// `events` are built on first access: a bot pays only for what it reads.
// The view's metatable (and self's) is made once per Lua state and slot.
void push_lazy_view(lua_State* L, ViewSlot& slot);

// Makes what every lazy view of this slot uses (the metatables and the
// field names, engine/lua/lua_names.h) ahead of the first view, so that a
// snapshot taken after holds them; the slot must outlive the Lua state.
void prepare_lazy_view(lua_State* L, ViewSlot& slot);

// A proxy for the catalogue that builds the real table on first use (most
// bots never read it, and building it costs about half of loading a bot).
void push_lazy_catalogue(lua_State* L);

// The action catalogue: an array of { name, help, kinds = {...}, bloc,
// params = { { name, type, min, max, unit, help }, ... } }, plus a map by name.
void push_catalogue(lua_State* L);

}  // namespace leadtime::lua

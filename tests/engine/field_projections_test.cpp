// Every projection of the field tables (engine/state_fields.h) shows exactly
// the fields its table says: change one leaf of a seat's view at a time and
// the Lua view (eager and lazy), the client's JSON and a wire round trip
// change with it, or stay as they were for a leaf the table keeps out of
// that projection. The state hash has its test in state_fields_test.cpp.
// One test for every projection, so it links every layer that has one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <lua.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client-cli/render_json.h"
#include "engine/lua/lua_view.h"
#include "engine/state_fields.h"
#include "engine/views.h"
#include "protocol/convert.h"
#include "protocol/view_from_wire.h"
#include "tests/engine/fixture.h"
#include "tests/engine/leaves.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

struct LuaCloser {
  void operator()(lua_State* L) const { lua_close(L); }
};
using LuaPtr = std::unique_ptr<lua_State, LuaCloser>;

// Keys a lazy table builds on first read; read before dumping so the dump
// holds them.
constexpr const char* kLazyKeys[] = {"self", "others", "indicators", "events", "policy", "spent"};

// The table at `index` as text with its keys sorted, so two dumps compare
// equal exactly when the tables hold the same keys and values.
std::string dump(lua_State* L, int index) {
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNUMBER: {
      char buf[40];
      if (lua_isinteger(L, index)) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(lua_tointeger(L, index)));
      } else {
        std::snprintf(buf, sizeof buf, "%.17g", lua_tonumber(L, index));
      }
      return buf;
    }
    case LUA_TSTRING:
      return std::string("\"") + lua_tostring(L, index) + "\"";
    case LUA_TBOOLEAN:
      return lua_toboolean(L, index) ? "true" : "false";
    case LUA_TTABLE:
      break;
    default:
      return luaL_typename(L, index);
  }
  for (const char* key : kLazyKeys) {
    lua_getfield(L, index, key);
    lua_pop(L, 1);
  }
  std::vector<std::pair<std::string, std::string>> entries;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    const std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : dump(L, -2);
    entries.emplace_back(key, dump(L, -1));
    lua_pop(L, 1);
  }
  std::sort(entries.begin(), entries.end());
  std::string out = "{";
  for (const auto& [key, value] : entries) out += key + "=" + value + ",";
  return out + "}";
}

std::string lua_eager(const View& view, const State& state) {
  LuaPtr L(luaL_newstate());
  lua::push_view(L.get(), view, state);
  return dump(L.get(), -1);
}

std::string lua_lazy(const View& view, const State& state) {
  LuaPtr L(luaL_newstate());
  ViewParts parts(view, state);
  lua::ViewSlot slot{&parts, 1};
  lua::push_lazy_view(L.get(), slot);
  return dump(L.get(), -1);
}

std::string json_of(const View& view, const State& state) { return cli::view_json(view, state).dump(); }

View wire_round_trip(const View& view) {
  flatbuffers::FlatBufferBuilder fbb;
  protocol::finish_envelope(fbb, 0, protocol::build_view(fbb, view));
  flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
  REQUIRE(wire::VerifyEnvelopeBuffer(verifier));
  const wire::Envelope* envelope = wire::GetEnvelope(fbb.GetBufferPointer());
  REQUIRE(envelope->message_as_ViewMsg() != nullptr);
  return protocol::view_from_wire(*envelope->message_as_ViewMsg());
}

std::vector<std::string> shown_on_wire(const View& view) {
  leaves::Describer describer(fields::kWire);
  leaves::walk_view(view, describer);
  return describer.lines();
}

// The view of `viewer` with two events, one of them private to the viewer.
View base_view(const State& state, int viewer) {
  View v = make_view(state, make_coef(), viewer);
  v.events = {{"smuggling_case", "a case", Visibility::Public, {}},
              {"weight_theft", "stolen", Visibility::Private, {viewer}}};
  return v;
}

// A state whose policies name actors and whose allocation list is set, so
// those leaves show non-default values too.
State names_state() {
  State s = make_state();
  actor(s, kCn).policy.cyber_target = kUsLab;
  actor(s, kUsVendor).policy.allocation_priority = {1, 0, 0, 0, 0, 2, 0, 0};
  return s;
}

void check_projections(const State& state, int viewer) {
  const View base = base_view(state, viewer);
  const std::string lua_base = lua_eager(base, state);
  const std::string lazy_base = lua_lazy(base, state);
  const std::string json_base = json_of(base, state);
  CHECK(lua_base == lazy_base);  // a lazy view read whole is the eager view
  CHECK(shown_on_wire(wire_round_trip(base)) == shown_on_wire(base));

  const auto walk = [](View& v, leaves::Changer& c) { leaves::walk_view(v, c); };
  const std::size_t n = leaves::count_leaves(base, kActorCount, walk);
  CHECK(n > 150);
  for (std::size_t i = 0; i < n; ++i) {
    View probe = base;
    leaves::Changer changer(i, kActorCount);
    leaves::walk_view(probe, changer);
    const leaves::Leaf& leaf = changer.changed();
    CAPTURE(leaf.path);
    const bool in_lua = (leaf.shown & fields::kLua) != 0;
    CHECK((lua_eager(probe, state) != lua_base) == in_lua);
    CHECK((lua_lazy(probe, state) != lazy_base) == in_lua);
    CHECK((json_of(probe, state) != json_base) == ((leaf.shown & fields::kJson) != 0));
    const std::vector<std::string> sent = shown_on_wire(probe);
    CHECK(shown_on_wire(wire_round_trip(probe)) == sent);
    CHECK((sent != shown_on_wire(base)) == ((leaf.shown & fields::kWire) != 0));
  }
}

}  // namespace

TEST_CASE("projections: a government's view shows each field its table shows, in Lua, JSON and on the wire") {
  check_projections(names_state(), kUs);
}

TEST_CASE("projections: a vendor's view shows each field its table shows, in Lua, JSON and on the wire") {
  check_projections(names_state(), kUsVendor);
}

TEST_CASE("projections: a lab's view shows each field its table shows, in Lua, JSON and on the wire") {
  check_projections(names_state(), kCnLab);
}

TEST_CASE("projections: an observer's view has no self and no estimates, and round-trips") {
  const State state = names_state();
  const View base = base_view(state, kNoActor);
  CHECK_FALSE(base.self.has_value());
  CHECK(base.others.empty());
  CHECK(lua_eager(base, state) == lua_lazy(base, state));
  CHECK(shown_on_wire(wire_round_trip(base)) == shown_on_wire(base));
}

TEST_CASE("projections: a lab's Lua self has the fields the hand-written view missed") {
  State state = names_state();
  actor(state, kUsLab).lab.alg_growth_oom = 0.375;
  actor(state, kUsLab).lab.cum_safety_usd_b = 2.5;
  actor(state, kUsLab).lab.funding_usd_b = 4.25;
  const View view = base_view(state, kUsLab);
  LuaPtr L(luaL_newstate());
  lua::push_view(L.get(), view, state);
  lua_getfield(L.get(), -1, "self");
  const auto number = [&](const char* key) {
    lua_getfield(L.get(), -1, key);
    const double v = lua_tonumber(L.get(), -1);
    lua_pop(L.get(), 1);
    return v;
  };
  CHECK(number("alg_growth_oom") == 0.375);
  CHECK(number("cum_safety_usd_b") == 2.5);
  CHECK(number("funding_usd_b") == 4.25);
  CHECK(number("spending_scale") == 1);  // kept for bots written before `spent`
  lua_getfield(L.get(), -1, "name");
  CHECK(std::string(lua_tostring(L.get(), -1)) == "us_lab");
}

TEST_CASE("projections: the view's own fields in Lua, JSON and on the wire") {
  const State state = names_state();
  View view = base_view(state, kEu);
  view.round = 3;
  view.quarter = Quarter{2027, 2};
  view.own_score = 1.25;
  const View back = wire_round_trip(view);
  CHECK(back.round == 3);
  CHECK(back.quarter == Quarter{2027, 2});
  CHECK(back.viewer == kEu);
  CHECK(back.own_score == 1.25);
  const auto json = cli::view_json(view, state);
  CHECK(json["round"] == 3);
  CHECK(json["quarter"] == "2027Q2");
  CHECK(json["seat"] == "eu");
  CHECK(json["score"] == 1.25);
  const std::string lua = lua_eager(view, state);
  CHECK(lua.find("round=4,") != std::string::npos);  // the round being decided
  CHECK(lua.find("quarter=\"2027Q2\"") != std::string::npos);
  CHECK(lua.find("score=1.25,") != std::string::npos);
}

#include "engine/lua/lua_view.h"

#include <lua.hpp>

#include "engine/catalogue.h"
#include "engine/visibility.h"

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

void set_bool(lua_State* L, const char* key, bool v) {
  lua_pushboolean(L, v ? 1 : 0);
  lua_setfield(L, -2, key);
}

const char* actor_id(const State& s, int index) {
  return index < 0 || static_cast<std::size_t>(index) >= s.actors.size()
             ? ""
             : s.actors[static_cast<std::size_t>(index)].id.c_str();
}

// Per-market numbers as { US = x, CN = y, EU = z, ROW = w }.
template <typename Array>
void set_per_market(lua_State* L, const char* key, const Array& values) {
  lua_createtable(L, 0, kMarketCount);
  for (std::size_t m = 0; m < kMarketCount; ++m) set_number(L, kMarketNames[m], values[m]);
  lua_setfield(L, -2, key);
}

void push_policy(lua_State* L, const Policy& p, const State& s) {
  lua_createtable(L, 0, 32);
  lua_createtable(L, 0, kBlocCount);
  for (std::size_t b = 0; b < kBlocCount; ++b) set_integer(L, kBlocNames[b], p.export_tier[b]);
  lua_setfield(L, -2, "export_tier");
  set_integer(L, "licensed_firms", p.licensed_firms);
  set_number(L, "enforcement_usd_b", p.enforcement_usd_b);
  set_number(L, "cloud_kyc", p.cloud_kyc);
  set_bool(L, "anti_distillation_law", p.anti_distillation_law);
  set_bool(L, "threat_intel_sharing", p.threat_intel_sharing);
  set_per_market(L, "export_promotion_usd_b", p.export_promotion_usd_b);
  set_number(L, "lab_subsidy_usd_b", p.lab_subsidy_usd_b);
  set_number(L, "fab_investment_usd_b", p.fab_investment_usd_b);
  set_number(L, "smuggling_usd_b", p.smuggling_usd_b);
  set_number(L, "offshore_rental_usd_b", p.offshore_rental_usd_b);
  set_bool(L, "foreign_chip_ban", p.foreign_chip_ban);
  set_number(L, "cyber_usd_b", p.cyber_usd_b);
  set_string(L, "cyber_target", actor_id(s, p.cyber_target));
  set_bool(L, "tool_alignment", p.tool_alignment);
  set_number(L, "sovereignty_usd_b", p.sovereignty_usd_b);
  set_number(L, "regulation", p.regulation);
  set_bool(L, "chip_control_alignment", p.chip_control_alignment);
  set_number(L, "chip_price_usd", p.chip_price_usd);
  set_bool(L, "compliant_chip", p.compliant_chip);
  set_number(L, "capacity_investment_usd_b", p.capacity_investment_usd_b);
  set_number(L, "lobbying_usd_b", p.lobbying_usd_b);
  set_number(L, "chip_spend_share", p.chip_spend_share);
  set_number(L, "training_share", p.training_share);
  set_number(L, "api_defence_usd_b", p.api_defence_usd_b);
  set_number(L, "weight_security_usd_b", p.weight_security_usd_b);
  set_bool(L, "open_weights", p.open_weights);
  set_number(L, "model_price_usd_per_mtok", p.model_price_usd_per_mtok);
  set_number(L, "safety_usd_b", p.safety_usd_b);
  set_string(L, "distill_target", actor_id(s, p.distill_target));
  set_number(L, "distill_intensity", p.distill_intensity);
  set_number(L, "intelligence_usd_b", p.intelligence_usd_b);
}

void push_self(lua_State* L, const Actor& a, const State& s, bool with_policy) {
  lua_createtable(L, 0, 32);
  set_string(L, "id", a.id);
  set_string(L, "kind", kActorKindNames[static_cast<std::size_t>(a.kind)]);
  set_string(L, "bloc", kBlocNames[static_cast<std::size_t>(a.bloc)]);
  set_number(L, "cash_usd_b", a.cash_usd_b);
  set_number(L, "spending_scale", a.spent.scale);
  if (with_policy) {
    push_policy(L, a.policy, s);
    lua_setfield(L, -2, "policy");
  }
  switch (a.kind) {
    case ActorKind::Government:
      set_number(L, "budget_usd_b", a.gov.budget_usd_b);
      set_number(L, "political_capital", a.gov.political_capital);
      set_number(L, "cum_fab_investment_usd_b", a.gov.cum_fab_investment_usd_b);
      set_number(L, "cum_sovereignty_usd_b", a.gov.cum_sovereignty_usd_b);
      break;
    case ActorKind::Vendor:
      set_number(L, "capacity_h100e", a.vendor.capacity_h100e);
      set_number(L, "output_h100e", a.vendor.output_h100e);
      set_number(L, "sold_h100e", a.vendor.sold_h100e);
      set_number(L, "revenue_usd_b", a.vendor.revenue_usd_b);
      set_number(L, "euv_multiplier", a.vendor.euv_multiplier);
      break;
    case ActorKind::Lab:
      set_number(L, "compute_h100e", a.lab.compute_h100e);
      set_number(L, "offshore_h100e", a.lab.offshore_h100e);
      set_number(L, "capability_oom", a.lab.capability_oom);
      set_number(L, "alg_efficiency_oom", a.lab.alg_efficiency_oom);
      set_number(L, "api_defence", a.lab.api_defence);
      set_number(L, "weight_security", a.lab.weight_security);
      set_number(L, "revenue_usd_b", a.lab.revenue_usd_b);
      set_number(L, "bought_h100e", a.lab.bought_h100e);
      set_number(L, "open_weights_oom", a.lab.open_weights_oom);
      set_bool(L, "accelerated", a.lab.accelerated);
      break;
  }
}

void push_estimate(lua_State* L, const Estimate& e) {
  lua_createtable(L, 0, 9);
  set_string(L, "id", e.id);
  set_string(L, "kind", kActorKindNames[static_cast<std::size_t>(e.kind)]);
  set_string(L, "bloc", kBlocNames[static_cast<std::size_t>(e.bloc)]);
  set_number(L, "cash_usd_b", e.cash_usd_b);
  set_number(L, "noise_sd", e.noise_sd);
  if (e.kind == ActorKind::Lab) {
    set_number(L, "compute_h100e", e.compute_h100e);
    set_number(L, "capability_oom", e.capability_oom);
  }
  if (e.kind == ActorKind::Vendor) set_number(L, "capacity_h100e", e.capacity_h100e);
}

void push_indicators(lua_State* L, const PublicIndicators& p) {
  lua_createtable(L, 0, 8);
  set_number(L, "lead_months", p.lead_months);
  set_number(L, "compute_ratio_us_cn", p.compute_ratio_us_cn);
  set_number(L, "norm_index", p.norm_index);
  set_number(L, "surveillance_exports", p.surveillance_exports);
  set_integer(L, "thefts_public", p.thefts_public);
  set_number(L, "seized_h100e", p.seized_h100e);
  set_per_market(L, "market_size_usd_b", p.market_size_usd_b);
  // shares.ROW.CN: market first, then stack.
  lua_createtable(L, 0, kMarketCount);
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    lua_createtable(L, 0, kStackCount);
    for (std::size_t k = 0; k < kStackCount; ++k) set_number(L, kStackNames[k], p.shares[m][k]);
    lua_setfield(L, -2, kMarketNames[m]);
  }
  lua_setfield(L, -2, "shares");
}

int lazy_policy_index(lua_State* L);

void push_others(lua_State* L, const View& v) {
  lua_createtable(L, static_cast<int>(v.others.size()), 0);
  for (std::size_t i = 0; i < v.others.size(); ++i) {
    push_estimate(L, v.others[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

void push_events(lua_State* L, const View& v) {
  lua_createtable(L, static_cast<int>(v.events.size()), 0);
  for (std::size_t i = 0; i < v.events.size(); ++i) {
    lua_createtable(L, 0, 3);
    set_string(L, "kind", v.events[i].kind);
    set_string(L, "text", v.events[i].text);
    set_string(L, "visibility", visibility_name(v.events[i].visibility));
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

// self without its 30-field policy, which is built only when read.
void push_lazy_self(lua_State* L, const Actor& a, const State& state) {
  push_self(L, a, state, false);
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushcclosure(L, lazy_policy_index, 2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

bool push_part(lua_State* L, const View& v, const State& state, std::string_view key) {
  if (key == "self") {
    if (!v.self) return false;
    push_lazy_self(L, *v.self, state);
  } else if (key == "others") {
    push_others(L, v);
  } else if (key == "indicators") {
    push_indicators(L, v.indicators);
  } else if (key == "events") {
    push_events(L, v);
  } else {
    return false;
  }
  return true;
}

// __index(view, key): builds the part, caches it in the view table.
int lazy_view_index(lua_State* L) {
  const auto* slot = static_cast<const ViewSlot*>(lua_touserdata(L, lua_upvalueindex(1)));
  const auto generation = static_cast<std::uint64_t>(lua_tointeger(L, lua_upvalueindex(2)));
  std::size_t len = 0;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
  if (!key || slot->generation != generation || !slot->view) {
    lua_pushnil(L);
    return 1;
  }
  if (!push_part(L, *slot->view, *slot->state, std::string_view(key, len))) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

int lazy_policy_index(lua_State* L) {
  const auto* slot = static_cast<const ViewSlot*>(lua_touserdata(L, lua_upvalueindex(1)));
  const auto generation = static_cast<std::uint64_t>(lua_tointeger(L, lua_upvalueindex(2)));
  const bool wanted = lua_type(L, 2) == LUA_TSTRING && std::string_view(lua_tostring(L, 2)) == "policy";
  if (!wanted || slot->generation != generation || !slot->view || !slot->view->self) {
    lua_pushnil(L);
    return 1;
  }
  push_policy(L, slot->view->self->policy, *slot->state);
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
  const View& v = *slot.view;
  lua_createtable(L, 0, 8);
  set_integer(L, "round", v.round + 1);
  set_string(L, "quarter", v.quarter.str());
  set_number(L, "score", v.own_score);
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
    push_self(L, *v.self, state, true);
    lua_setfield(L, -2, "self");
  }
  push_others(L, v);
  lua_setfield(L, -2, "others");
  push_indicators(L, v.indicators);
  lua_setfield(L, -2, "indicators");
  push_events(L, v);
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

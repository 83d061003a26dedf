#include "client-cli/render_json.h"

#include <algorithm>

#include <array>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/container_traits.h"
#include "engine/state_fields.h"

namespace leadtime::cli {

namespace {

using fields::Keys;

// For values that name no actor (indicators, estimates, events).
const State& no_names() {
  static const State none;
  return none;
}

json actor_ref(const State& names, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= names.actors.size()) return nullptr;
  return names.actors[static_cast<std::size_t>(index)].id;
}

template <fields::HasTable S>
json struct_json(const S& s, const State& names);

// One value as the JSON shows it (engine/state_fields.h): keyed arrays as
// objects by name, actor references by id (null for none), per-actor
// vectors as objects by actor id, enums by name.
template <typename T>
json value_json(const T& v, Keys keys, const State& names) {
  if constexpr (std::is_same_v<T, int>) {
    return keys == Keys::Actor ? actor_ref(names, v) : json(v);
  } else if constexpr (std::is_enum_v<T>) {
    return fields::name_of(v);
  } else if constexpr (kIsArray<T>) {
    const auto key_names = fields::key_names(keys);
    json out = key_names.empty() ? json::array() : json::object();
    for (std::size_t i = 0; i < v.size(); ++i) {
      json item = value_json(v[i], fields::inner_keys(keys), names);
      if (key_names.empty()) {
        out.push_back(std::move(item));
      } else if (i < key_names.size()) {
        out[key_names[i]] = std::move(item);
      }
    }
    return out;
  } else if constexpr (kIsVector<T>) {
    if (keys != Keys::Actor) return v;
    json out = json::object();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json id = actor_ref(names, static_cast<int>(i));
      out[id.is_string() ? id.get<std::string>() : std::to_string(i)] = v[i];
    }
    return out;
  } else if constexpr (fields::HasTable<T>) {
    return struct_json(v, names);
  } else {
    return v;  // numbers, booleans, strings
  }
}

// Every field the JSON shows. A struct of another actor kind is left out
// (an actor's "lab" appears only for a lab); per-market fields with a group
// go under "markets", one object per market.
template <fields::HasTable S>
json struct_json(const S& s, const State& names) {
  json out = json::object();
  json markets = json::object();
  const unsigned kind = fields::owner_kind_bit(s);
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kJson) != 0) {
      if constexpr (fields::HasTable<T>) {
        if ((f.options.kinds & kind) == 0) return;
      }
      const T& v = s.*f.member;
      if constexpr (f.options.group != nullptr) {
        static_assert(kIsArray<T> && std::tuple_size_v<T> == kMarketCount, "a group holds one value per market");
        for (std::size_t m = 0; m < kMarketCount; ++m) {
          markets[kMarketNames[m]][f.options.group] = value_json(v[m], fields::inner_keys(f.options.keys), names);
        }
      } else {
        out[f.name] = value_json(v, f.options.keys, names);
      }
    }
  });
  if (!markets.empty()) out["markets"] = std::move(markets);
  return out;
}

}  // namespace

json typed(std::string type, json body) {
  json out = json::object();
  out["type"] = std::move(type);
  for (auto& [key, value] : body.items()) out[key] = value;
  return out;
}

json order_json(const OrderDraft& order) {
  json out = json::object();
  out["action"] = order.action;
  for (const auto& [name, value] : order.args) {
    if (const auto* d = std::get_if<double>(&value)) {
      out[name] = *d;
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out[name] = *b;
    } else {
      out[name] = std::get<std::string>(value);
    }
  }
  return out;
}

std::variant<OrderDraft, std::string> order_from_json(const json& j) {
  if (!j.is_object()) return "an order must be an object like {\"action\": \"set_export_tier\", ...}, got " + j.dump();
  const auto action = j.find("action");
  if (action == j.end() || !action->is_string()) return "an order needs \"action\" (a string), got " + j.dump();
  OrderDraft draft{action->get<std::string>(), {}};
  const auto args_it = j.find("args");
  const json& args = args_it != j.end() && args_it->is_object() ? *args_it : j;
  for (const auto& [name, value] : args.items()) {
    if (&args == &j && (name == "action" || name == "args")) continue;
    if (value.is_boolean()) {
      draft.args.emplace_back(name, ArgValue{value.get<bool>()});
    } else if (value.is_number()) {
      draft.args.emplace_back(name, ArgValue{value.get<double>()});
    } else if (value.is_string()) {
      draft.args.emplace_back(name, ArgValue{value.get<std::string>()});
    } else {
      return draft.action + ": '" + name + "' must be a number, true/false or a string, got " + value.dump();
    }
  }
  // JSON objects have no order; show arguments in the catalogue's.
  if (const ActionSpec* spec = find_action(draft.action)) {
    auto rank = [&](const std::string& name) {
      for (std::size_t i = 0; i < spec->params.size(); ++i) {
        if (spec->params[i].name == name) return i;
      }
      return spec->params.size();
    };
    std::stable_sort(draft.args.begin(), draft.args.end(),
                     [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  }
  return draft;
}

json indicators_json(const PublicIndicators& ind) { return struct_json(ind, no_names()); }

json events_json(const std::vector<Event>& events) {
  json out = json::array();
  for (const Event& e : events) out.push_back(struct_json(e, no_names()));
  return out;
}

json policy_json(const Policy& p, const State& names) { return struct_json(p, names); }

json actor_json(const Actor& a, const State& names) { return struct_json(a, names); }

json estimate_json(const Estimate& e) { return struct_json(e, no_names()); }

json view_json(const View& v, const State& names) {
  json others = json::array();
  for (const Estimate& e : v.others) others.push_back(estimate_json(e));
  return {{"round", v.round},
          {"quarter", v.quarter.str()},
          {"seat", v.self ? json(v.self->id) : json(nullptr)},
          {"score", v.own_score},
          {"self", v.self ? actor_json(*v.self, names) : json(nullptr)},
          {"others", others},
          {"indicators", indicators_json(v.indicators)},
          {"events", events_json(v.events)}};
}

json round_json(const RoundInfo& r) {
  return {{"round", r.round},
          {"quarter", r.quarter},
          {"hash", r.hash},
          {"indicators", indicators_json(r.indicators)},
          {"events", events_json(r.events)}};
}

json press_json(const PressItem& p) {
  return {{"seq", p.seq}, {"from", p.from.empty() ? json(nullptr) : json(p.from)}, {"to", p.to}, {"text", p.text}};
}

json game_json(const GameInfo& g, SteadyTime now) {
  json seats = json::array();
  for (const SeatInfo& s : g.seats) {
    seats.push_back({{"seat", s.seat},
                     {"bot", s.bot},
                     {"bot_path", s.bot_path},
                     {"connected", s.connected},
                     {"submitted", s.submitted},
                     {"ready", s.ready}});
  }
  return {{"game_id", g.game_id},
          {"scenario", g.scenario},
          {"round", g.round},
          {"rounds", g.rounds},
          {"phase", g.phase},
          {"quarter", g.quarter},
          {"seconds_left", g.has_deadline() ? json(g.seconds_left_at(now)) : json(nullptr)},
          {"seed", g.seed},
          {"open_seats", g.open_seats},
          {"seats", seats}};
}

json facilitator_json(const FacilitatorInfo& f) {
  State names;
  names.actors = f.actors;
  json actors = json::array();
  for (const Actor& a : f.actors) actors.push_back(actor_json(a, names));
  json orders = json::array();
  for (const SeatOrdersInfo& so : f.orders) {
    json list = json::array();
    for (const OrderDraft& o : so.orders) list.push_back(order_json(o));
    orders.push_back({{"seat", so.seat}, {"bot", so.bot}, {"member", so.member}, {"orders", list}});
  }
  json scores = json::object();
  for (std::size_t i = 0; i < f.scores.size() && i < f.actors.size(); ++i) scores[f.actors[i].id] = f.scores[i];
  return {{"round", f.round},
          {"quarter", f.quarter},
          {"actors", actors},
          {"indicators", indicators_json(f.indicators)},
          {"events", events_json(f.events)},
          {"orders", orders},
          {"scores", scores}};
}

json game_end_json(const GameEndInfo& e) {
  json scores = json::object();
  for (const SeatScore& s : e.scores) scores[s.seat] = s.score;
  return {{"reason", e.reason}, {"scores", scores}};
}

json submit_json(const SubmitResult& r) {
  json rejected = json::array();
  for (const auto& x : r.rejected) {
    rejected.push_back({{"index", x.index}, {"action", x.action}, {"param", x.param}, {"message", x.message}});
  }
  return {{"accepted", r.accepted}, {"rejected", rejected}};
}

json draft_json(const Draft& d) {
  json orders = json::array();
  for (const DraftEntry& e : d.entries()) {
    const char* status = e.status == DraftStatus::New         ? "new"
                         : e.status == DraftStatus::Submitted ? "submitted"
                                                              : "rejected";
    json item = {{"order", order_json(e.order)}, {"status", status}};
    if (!e.error.empty()) item["error"] = e.error;
    orders.push_back(std::move(item));
  }
  return {{"orders", orders}, {"changed_since_submit", d.dirty()}};
}

json param_json(const ParamSpec& p) {
  json out = {{"name", p.name}, {"type", kParamTypeNames[static_cast<std::size_t>(p.type)]}, {"help", p.help}};
  if (p.type == ParamType::Int || p.type == ParamType::Real) {
    out["min"] = p.min;
    out["max"] = p.max;
    out["unit"] = p.unit;
  }
  return out;
}

json action_json(const ActionSpec& a) {
  json params = json::array();
  for (const ParamSpec& p : a.params) params.push_back(param_json(p));
  return {{"action", a.name}, {"help", a.help}, {"params", params}};
}

json catalogue_json(const protocol::ActionDetails& a) {
  json params = json::array();
  for (const protocol::ParamDetails& p : a.params) {
    json item = {{"name", p.name}, {"type", p.type}, {"help", p.help}};
    if (p.type == "integer" || p.type == "number") {
      item["min"] = p.min;
      item["max"] = p.max;
      item["unit"] = p.unit;
    }
    item["default"] = p.default_value ? json(*p.default_value) : json(nullptr);
    if (!p.choices.empty()) item["choices"] = p.choices;
    item["allowed"] = p.allowed;
    params.push_back(std::move(item));
  }
  json kinds = json::array();
  for (const ActorKind k : a.kinds) kinds.push_back(kActorKindNames[static_cast<std::size_t>(k)]);
  return {{"action", a.name}, {"help", a.help},
          {"kinds", kinds},   {"bloc", a.bloc.empty() ? json(nullptr) : json(a.bloc)},
          {"seats", a.seats}, {"params", params}};
}

}  // namespace leadtime::cli

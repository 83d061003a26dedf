#include "protocol/catalogue_info.h"

#include <algorithm>
#include <type_traits>

#include "engine/injects.h"
#include "engine/orders.h"
#include "engine/state_fields.h"
#include "protocol/wire_strings.h"

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

// Room for a per-actor list (allocation priorities) in a flattened policy;
// scenarios have a handful of actors.
constexpr std::size_t kActorSlots = 64;

// Every number of a policy in field-table order, so two policies can be
// compared leaf by leaf. A per-actor list reads 0 where it has no entry, as
// the engine reads it ("empty = all 0").
std::vector<double> flatten(const Policy& policy) {
  std::vector<double> out;
  fields::for_each<Policy>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    const auto& v = policy.*f.member;
    using T = std::remove_cvref_t<decltype(v)>;
    if constexpr (std::is_arithmetic_v<T>) {
      out.push_back(static_cast<double>(v));
    } else if constexpr (std::is_same_v<T, std::vector<int>>) {
      for (std::size_t i = 0; i < kActorSlots; ++i) out.push_back(i < v.size() ? static_cast<double>(v[i]) : 0.0);
    } else {
      for (const auto x : v) out.push_back(static_cast<double>(x));
    }
  });
  return out;
}

bool picks_target(ParamType type) {
  return type == ParamType::Actor || type == ParamType::Market || type == ParamType::Bloc;
}

std::string kinds_words(unsigned kinds) {
  std::string out;
  for (std::size_t k = 0; k < kActorKindNames.size(); ++k) {
    if ((kinds & kind_bit(static_cast<ActorKind>(k))) == 0) continue;
    out += (out.empty() ? "" : " or ") + std::string(kActorKindNames[k]);
  }
  return out;
}

ParamDetails describe_param(const ActionSpec& action, std::size_t index, const State* state) {
  const ParamSpec& p = action.params[index];
  ParamDetails d;
  d.name = std::string(p.name);
  d.type = kParamTypeNames[static_cast<std::size_t>(p.type)];
  if (p.type == ParamType::Int || p.type == ParamType::Real) {
    d.min = p.min;
    d.max = p.max;
  }
  d.unit = std::string(p.unit);
  d.help = std::string(p.help);
  d.default_value = param_default(action, index);
  switch (p.type) {
    case ParamType::Market:
      d.choices.assign(kMarketNames.begin(), kMarketNames.end());
      break;
    case ParamType::Bloc:
      d.choices.assign(kBlocNames.begin(), kBlocNames.end());
      break;
    case ParamType::Actor:
      if (state != nullptr) {
        for (const Actor& a : state->actors) {
          if ((p.actor_kinds & kind_bit(a.kind)) != 0) d.choices.push_back(a.id);
        }
      }
      break;
    default:
      break;
  }
  static const State kNoActors;
  d.allowed = p.type == ParamType::Actor && state == nullptr ? "the id of a " + kinds_words(p.actor_kinds)
                                                             : describe_allowed(state ? *state : kNoActors, p);
  return d;
}

}  // namespace

std::optional<double> param_default(const ActionSpec& action, std::size_t param) {
  if (param >= action.params.size() || action.apply == nullptr) return std::nullopt;
  const ParamSpec& target = action.params[param];
  if (picks_target(target.type)) return std::nullopt;
  // Apply the action twice to the default policy, the parameter at each end
  // of its range and every other one fixed: the one number that moves is the
  // parameter's, and the default policy holds its default.
  Order order;
  order.action = action_index(action.name);
  for (const ParamSpec& p : action.params) order.args.push_back(picks_target(p.type) ? 1.0 : p.min);
  const Policy base;
  Policy low = base;
  Policy high = base;
  order.args[param] = target.type == ParamType::Bool ? 0.0 : target.min;
  action.apply(low, order);
  order.args[param] = target.type == ParamType::Bool ? 1.0 : target.max;
  action.apply(high, order);
  const std::vector<double> b = flatten(base);
  const std::vector<double> l = flatten(low);
  const std::vector<double> h = flatten(high);
  std::optional<std::size_t> moved;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (l[i] == h[i]) continue;
    if (moved) return std::nullopt;  // more than one number: not a plain setting
    moved = i;
  }
  if (!moved) return std::nullopt;
  const double value = b[*moved];
  const double min = target.type == ParamType::Bool ? 0.0 : target.min;
  const double max = target.type == ParamType::Bool ? 1.0 : target.max;
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::vector<ActionDetails> describe_catalogue(const State* state) {
  std::vector<ActionDetails> out;
  for (const ActionSpec& a : catalogue()) {
    ActionDetails d;
    d.name = std::string(a.name);
    d.help = std::string(a.help);
    for (std::size_t k = 0; k < kActorKindNames.size(); ++k) {
      if ((a.kinds & kind_bit(static_cast<ActorKind>(k))) != 0) d.kinds.push_back(static_cast<ActorKind>(k));
    }
    d.bloc = a.bloc < 0 ? "" : kBlocNames[static_cast<std::size_t>(a.bloc)];
    if (state != nullptr) {
      for (const Actor& actor : state->actors) {
        if (action_allowed(a, actor)) d.seats.push_back(actor.id);
      }
    }
    for (std::size_t i = 0; i < a.params.size(); ++i) d.params.push_back(describe_param(a, i, state));
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ActionDetails> describe_injects(const State* state) {
  std::vector<ActionDetails> out;
  for (const InjectSpec& inject : inject_catalogue()) {
    const ActionSpec a = as_action(inject);
    ActionDetails d;
    d.name = std::string(a.name);
    d.help = std::string(a.help);
    for (std::size_t i = 0; i < a.params.size(); ++i) d.params.push_back(describe_param(a, i, state));
    out.push_back(std::move(d));
  }
  return out;
}

fb::Offset<wire::ActionInfo> to_wire(fb::FlatBufferBuilder& fbb, const ActionDetails& action) {
  std::vector<fb::Offset<wire::ParamInfo>> params;
  for (const ParamDetails& p : action.params) {
    const auto choices = string_offsets(fbb, p.choices);
    params.push_back(wire::CreateParamInfoDirect(fbb, p.name.c_str(), p.type.c_str(), p.min, p.max, p.unit.c_str(),
                                                 p.help.c_str(), p.default_value.has_value(),
                                                 p.default_value.value_or(0.0), &choices, p.allowed.c_str()));
  }
  std::vector<wire::ActorKind> kinds;
  for (const ActorKind k : action.kinds) kinds.push_back(static_cast<wire::ActorKind>(k));
  const auto seats = string_offsets(fbb, action.seats);
  return wire::CreateActionInfoDirect(fbb, action.name.c_str(), action.help.c_str(), &kinds, action.bloc.c_str(),
                                      &seats, &params);
}

fb::Offset<wire::Catalogue> build_catalogue(fb::FlatBufferBuilder& fbb, const State* state,
                                            std::string_view scenario_name) {
  std::vector<fb::Offset<wire::ActionInfo>> actions;
  for (const ActionDetails& a : describe_catalogue(state)) actions.push_back(to_wire(fbb, a));
  const auto name = fbb.CreateString(scenario_name.data(), scenario_name.size());
  return wire::CreateCatalogue(fbb, name, fbb.CreateVector(actions));
}

std::vector<ActionDetails> catalogue_from_wire(const wire::Catalogue& catalogue) {
  return actions_from_wire(catalogue.actions());
}

std::vector<ActionDetails> actions_from_wire(const fb::Vector<fb::Offset<wire::ActionInfo>>* actions) {
  std::vector<ActionDetails> out;
  if (actions == nullptr) return out;
  for (const wire::ActionInfo* a : *actions) {
    ActionDetails d;
    d.name = str_of(a->name());
    d.help = str_of(a->help());
    if (a->kinds() != nullptr) {
      for (const auto k : *a->kinds()) {
        // A kind from a newer sender clamps to the last this build knows.
        const auto raw = std::min<std::size_t>(static_cast<std::size_t>(k), kActorKindNames.size() - 1);
        d.kinds.push_back(static_cast<ActorKind>(raw));
      }
    }
    d.bloc = str_of(a->bloc());
    d.seats = strings_of(a->seats());
    if (a->params() != nullptr) {
      for (const wire::ParamInfo* p : *a->params()) {
        ParamDetails pd;
        pd.name = str_of(p->name());
        pd.type = str_of(p->type());
        pd.min = p->min();
        pd.max = p->max();
        pd.unit = str_of(p->unit());
        pd.help = str_of(p->help());
        if (p->has_default()) pd.default_value = p->default_value();
        pd.choices = strings_of(p->choices());
        pd.allowed = str_of(p->allowed());
        d.params.push_back(std::move(pd));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace leadtime::protocol

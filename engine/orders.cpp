#include "engine/orders.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "engine/text.h"

namespace leadtime {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string show(const ArgValue& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    std::ostringstream out;
    out << *d;
    return out.str();
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "'" + std::get<std::string>(v) + "'";
}

int find_name(std::span<const char* const> names, std::string_view text) {
  const std::string key = upper(text);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (key == names[i]) return static_cast<int>(i);
  }
  return -1;
}

// Converts one loose argument to the number the engine stores, or explains
// why it cannot.
std::optional<double> convert(const State& state, const ParamSpec& p, const ArgValue& v) {
  const auto* number = std::get_if<double>(&v);
  const auto* flag = std::get_if<bool>(&v);
  const auto* text = std::get_if<std::string>(&v);
  switch (p.type) {
    case ParamType::Int:
      if (number && std::isfinite(*number) && *number == std::floor(*number) && *number >= p.min && *number <= p.max)
        return *number;
      return std::nullopt;
    case ParamType::Real:
      if (number && std::isfinite(*number) && *number >= p.min && *number <= p.max) return *number;
      return std::nullopt;
    case ParamType::Bool:
      if (flag) return *flag ? 1.0 : 0.0;
      if (number && (*number == 0 || *number == 1)) return *number;
      // The one list of flag words, which the client reads too.
      if (const auto flag = text ? bool_word(*text) : std::nullopt) return *flag ? 1.0 : 0.0;
      return std::nullopt;
    case ParamType::Actor: {
      if (!text) return std::nullopt;
      const int i = state.find_actor(*text);
      if (i == kNoActor || (p.actor_kinds & kind_bit(state.actors[static_cast<std::size_t>(i)].kind)) == 0)
        return std::nullopt;
      return i;
    }
    case ParamType::Market: {
      if (!text) return std::nullopt;
      const int i = find_name(kMarketNames, *text);
      return i < 0 ? std::nullopt : std::optional<double>(i);
    }
    case ParamType::Bloc: {
      if (!text) return std::nullopt;
      int i = find_name(kBlocNames, *text);
      if (i < 0) {
        // A government's id names its bloc: { target = "cn" }.
        const int actor = state.find_actor(*text);
        if (actor != kNoActor && state.actors[static_cast<std::size_t>(actor)].kind == ActorKind::Government) {
          i = bloc_index(state.actors[static_cast<std::size_t>(actor)].bloc);
        }
      }
      return i < 0 ? std::nullopt : std::optional<double>(i);
    }
  }
  return std::nullopt;
}

std::optional<OrderError> validate_one(const State& state, int actor, int index, const OrderDraft& draft, Order& out) {
  auto fail = [&](std::string param, std::string message) {
    return OrderError{index, draft.action, std::move(param), std::move(message)};
  };
  const int action = action_index(draft.action);
  if (action < 0) return fail("", "unknown action '" + draft.action + "' (see 'help' for the catalogue)");
  const ActionSpec& spec = catalogue()[static_cast<std::size_t>(action)];
  const Actor& self = state.actors[static_cast<std::size_t>(actor)];
  if (!action_allowed(spec, self)) {
    return fail("", draft.action + " is not available to " + self.id + " (a " +
                        kActorKindNames[static_cast<std::size_t>(self.kind)] + " of " +
                        kBlocNames[static_cast<std::size_t>(self.bloc)] + ")");
  }
  auto args = convert_args(state, spec.params, draft.args, draft.action);
  if (auto* error = std::get_if<ArgError>(&args)) return fail(std::move(error->param), std::move(error->message));
  out.action = action;
  out.args = std::get<std::vector<double>>(std::move(args));
  if (spec.check) {
    std::string problem = spec.check(state, actor, out);
    if (!problem.empty()) return fail("", draft.action + ": " + problem);
  }
  return std::nullopt;
}

}  // namespace

std::variant<std::vector<double>, ArgError> convert_args(const State& state, std::span<const ParamSpec> params,
                                                         const NamedArgs& args, std::string_view what) {
  const std::string name_of_it(what);
  for (const auto& arg : args) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& name = arg.first;
    const bool known = std::any_of(params.begin(), params.end(), [&](const ParamSpec& p) { return p.name == name; });
    if (!known) return ArgError{name, name_of_it + ": unknown parameter '" + name + "'"};
  }
  std::vector<double> out;
  for (const ParamSpec& p : params) {
    const auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == p.name; });
    if (it == args.end()) {
      return ArgError{std::string(p.name),
                      name_of_it + ": missing parameter '" + std::string(p.name) + "', " + describe_allowed(state, p)};
    }
    const auto value = convert(state, p, it->second);
    if (!value) {
      return ArgError{std::string(p.name), name_of_it + ": parameter '" + std::string(p.name) + "' is " +
                                               show(it->second) + ", allowed " + describe_allowed(state, p)};
    }
    out.push_back(*value);
  }
  return out;
}

ValidatedOrders validate_orders(const State& state, int actor, const std::vector<OrderDraft>& drafts) {
  ValidatedOrders result;
  if (actor < 0 || static_cast<std::size_t>(actor) >= state.actors.size()) {
    result.errors.push_back({-1, "", "", "no such seat"});
    return result;
  }
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    Order order;
    if (auto error = validate_one(state, actor, static_cast<int>(i), drafts[i], order)) {
      result.errors.push_back(std::move(*error));
    } else {
      result.orders.push_back(std::move(order));
    }
  }
  return result;
}

OrderDraft to_draft(const State& state, const Order& order) {
  const ActionSpec& spec = catalogue()[static_cast<std::size_t>(order.action)];
  OrderDraft draft{std::string(spec.name), {}};
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    const ParamSpec& p = spec.params[i];
    const double v = order.args[i];
    const auto index = static_cast<std::size_t>(std::lround(v));
    ArgValue value;
    switch (p.type) {
      case ParamType::Int:
      case ParamType::Real:
        value = v;
        break;
      case ParamType::Bool:
        value = v != 0;
        break;
      case ParamType::Actor:
        value = state.actors[index].id;
        break;
      case ParamType::Market:
        value = std::string(kMarketNames[index]);
        break;
      case ParamType::Bloc:
        value = std::string(kBlocNames[index]);
        break;
    }
    draft.args.emplace_back(std::string(p.name), std::move(value));
  }
  return draft;
}

std::string format_value(const ArgValue& value) {
  if (const auto* d = std::get_if<double>(&value)) return format_number(*d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "on" : "off";
  return quote_word(std::get<std::string>(value));
}

std::string format_order(const OrderDraft& order) {
  std::string out = order.action;
  for (const auto& [name, value] : order.args) out += " " + name + "=" + format_value(value);
  return out;
}

std::string describe(const State& state, const Order& order) {
  const OrderDraft draft = to_draft(state, order);
  std::string out = draft.action;
  for (const auto& [name, value] : draft.args) {
    std::string shown = show(value);
    if (std::holds_alternative<std::string>(value)) shown = std::get<std::string>(value);
    out += " " + name + "=" + shown;
  }
  return out;
}

}  // namespace leadtime

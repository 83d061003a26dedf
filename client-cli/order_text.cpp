#include "client-cli/order_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "client-cli/suggest.h"
#include "client-cli/words.h"
#include "engine/fields.h"
#include "engine/text.h"

namespace leadtime::cli {

namespace {

std::optional<double> read_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<std::string> param_names(const ActionSpec& action) {
  std::vector<std::string> names;
  for (const ParamSpec& p : action.params) names.emplace_back(p.name);
  return names;
}

std::string kinds_text(unsigned kinds) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < kActorKindNames.size(); ++k) {
    if ((kinds & kind_bit(static_cast<ActorKind>(k))) != 0) names.push_back(kActorKindNames[k]);
  }
  return join(names, " or ");
}

const ParamSpec* find_param(const ActionSpec& action, std::string_view name) {
  for (const ParamSpec& p : action.params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// A value that lies inside the range, round enough to read well in an example.
double example_number(const ParamSpec& p) {
  if (p.type == ParamType::Int) return std::round((p.min + p.max) / 2);
  if (p.max <= 1) return std::max(p.min, 0.5);
  return std::max(p.min, p.max / 10);
}

}  // namespace

std::variant<ArgValue, std::string> parse_value(const ActionSpec& action, const ParamSpec& param,
                                                std::string_view text) {
  const std::string where = "'" + std::string(param.name) + "' of " + std::string(action.name);
  switch (param.type) {
    case ParamType::Int:
    case ParamType::Real: {
      if (auto v = read_number(text)) return ArgValue{*v};
      return "expected " + std::string(param.type == ParamType::Int ? "a whole number" : "a number") + " for " + where +
             " (" + param_range(param, nullptr) + "), got '" + std::string(text) + "'";
    }
    case ParamType::Bool: {
      if (const auto b = bool_word(text)) return ArgValue{*b};
      return "expected on or off (or true or false) for " + where + ", got '" + std::string(text) + "'";
    }
    case ParamType::Market:
    case ParamType::Bloc: {
      if (text.empty()) return "expected " + param_range(param, nullptr) + " for " + where;
      // Blocs and markets are upper case; a government's id (lower case,
      // "cn") also names its bloc, and the engine resolves that.
      const std::string up = upper(text);
      const bool named = std::find(kBlocNames.begin(), kBlocNames.end(), up) != kBlocNames.end();
      return ArgValue{named ? up : lower(text)};
    }
    case ParamType::Actor:
      if (text.empty()) return "expected an actor id for " + where;
      return ArgValue{lower(text)};
  }
  return std::string("unknown parameter type");
}

const ParamSpec* TypedValues::next(const ActionSpec& action) const {
  for (std::size_t i = 0; i < action.params.size() && i < values.size(); ++i) {
    if (!values[i]) return &action.params[i];
  }
  return nullptr;
}

std::variant<TypedValues, std::string> match_values(const ActionSpec& action, std::span<const std::string> words) {
  TypedValues out;
  out.values.resize(action.params.size());
  std::vector<bool> named(action.params.size(), false);
  std::vector<std::string> unnamed;
  for (const std::string& w : words) {
    const std::size_t eq = w.find('=');
    if (eq == std::string::npos) {
      unnamed.push_back(w);
      continue;
    }
    const std::string name = w.substr(0, eq);
    const ParamSpec* p = find_param(action, name);
    if (p == nullptr) {
      return std::string(action.name) + " has no parameter '" + name + "'" + did_you_mean(name, param_names(action)) +
             " (parameters: " + join(param_names(action), ", ") + ")";
    }
    const auto i = static_cast<std::size_t>(p - action.params.data());
    if (named[i]) return "'" + name + "' is given twice";
    named[i] = true;
    out.values[i] = w.substr(eq + 1);
  }
  // Values without a name fill the parameters not named, in catalogue order.
  std::size_t next = 0;
  for (std::string& value : unnamed) {
    while (next < named.size() && named[next]) ++next;
    if (next == named.size()) {
      out.extra.push_back(std::move(value));
    } else {
      out.values[next++] = std::move(value);
    }
  }
  return out;
}

std::string too_many_values(const ActionSpec& action, std::string_view extra) {
  return std::string(action.name) + " takes " + std::to_string(action.params.size()) + " value" +
         (action.params.size() == 1 ? "" : "s") + " (" + join(param_names(action), ", ") + "); '" + std::string(extra) +
         "' is one too many. Usage: " + usage(action);
}

std::variant<OrderDraft, std::string> parse_order(std::span<const std::string> words) {
  if (words.empty()) return std::string("expected an action, e.g. 'set_export_tier CN 1' (see 'help actions')");
  const ActionSpec* action = find_action(words[0]);
  if (action == nullptr) return unknown_action(words[0], nullptr);
  return parse_arguments(*action, words.subspan(1));
}

std::variant<OrderDraft, std::string> parse_arguments(const ActionSpec& action_spec,
                                                      std::span<const std::string> words) {
  const ActionSpec* action = &action_spec;
  auto matched = match_values(*action, words);
  if (auto* why = std::get_if<std::string>(&matched)) return *why;
  const TypedValues& given = std::get<TypedValues>(matched);
  if (!given.extra.empty()) return too_many_values(*action, given.extra.front());
  OrderDraft draft{std::string(action->name), {}};
  for (std::size_t i = 0; i < action->params.size(); ++i) {
    const ParamSpec& p = action->params[i];
    if (!given.values[i]) {
      return std::string(action->name) + " needs '" + std::string(p.name) + "' (" + param_range(p, nullptr) +
             "). Usage: " + usage(*action);
    }
    auto value = parse_value(*action, p, *given.values[i]);
    if (auto* error = std::get_if<std::string>(&value)) return *error;
    draft.args.emplace_back(std::string(p.name), std::get<ArgValue>(value));
  }
  return draft;
}

std::vector<std::string> action_names(const Actor* self) {
  std::vector<std::string> names;
  for (const ActionSpec& a : catalogue()) {
    if (self == nullptr || action_allowed(a, *self)) names.emplace_back(a.name);
  }
  return names;
}

std::string unknown_action(std::string_view name, const Actor* self) {
  // Suggest from the whole catalogue: a typo of an action the seat may not
  // order is still better answered by its name.
  std::string hint = did_you_mean(name, action_names(nullptr));
  return "unknown action '" + std::string(name) + "'" + hint +
         (hint.empty() ? " (type 'help actions' for " + std::string(self ? "yours" : "the list") + ")" : "");
}

std::string param_range(const ParamSpec& p, const State* state) {
  const std::string unit = p.unit.empty() ? "" : " " + std::string(p.unit);
  switch (p.type) {
    case ParamType::Int:
    case ParamType::Real:
      return format_number(p.min) + ".." + format_number(p.max) + unit;
    case ParamType::Bool:
      return "on or off";
    case ParamType::Market:
      return "US, CN, EU or ROW";
    case ParamType::Bloc:
      return "US, CN, EU, SEA or ROW";
    case ParamType::Actor: {
      std::string text = "a " + kinds_text(p.actor_kinds);
      if (state == nullptr) return text + " id";
      std::vector<std::string> ids;
      for (const Actor& a : state->actors) {
        if ((p.actor_kinds & kind_bit(a.kind)) != 0) ids.push_back(a.id);
      }
      return text + ": " + join(ids, ", ");
    }
  }
  return {};
}

std::string usage(const ActionSpec& action) {
  std::string out(action.name);
  for (const ParamSpec& p : action.params) out += " " + upper(p.name);
  return out;
}

std::string who_may(const ActionSpec& action) {
  if (action.kinds == (kind_bit(ActorKind::Government) | kind_bit(ActorKind::Vendor) | kind_bit(ActorKind::Lab))) {
    return action.bloc < 0 ? "everyone"
                           : std::string("everyone in ") + kBlocNames[static_cast<std::size_t>(action.bloc)];
  }
  std::string kinds = kinds_text(action.kinds) + "s";
  if (action.bloc < 0) return kinds;
  return std::string("the ") + kBlocNames[static_cast<std::size_t>(action.bloc)] + " " + kinds_text(action.kinds);
}

std::string example(const ActionSpec& action, const State* state, const Actor* self) {
  std::string out(action.name);
  for (const ParamSpec& p : action.params) {
    std::string value;
    switch (p.type) {
      case ParamType::Int:
      case ParamType::Real:
        value = format_number(example_number(p));
        break;
      case ParamType::Bool:
        value = "on";
        break;
      case ParamType::Market:
        value = "ROW";
        break;
      case ParamType::Bloc:
        value = (self != nullptr && self->bloc == Bloc::CN) ? "US" : "CN";
        break;
      case ParamType::Actor: {
        // Without the seats, guess a lab of the other side.
        const bool chinese = (self != nullptr && self->bloc == Bloc::CN) || action.bloc == bloc_index(Bloc::CN);
        value = chinese ? "us_lab" : "cn_lab";
        if (state != nullptr) {
          // Prefer an actor of another bloc: several checks forbid your own.
          for (const Actor& a : state->actors) {
            if ((p.actor_kinds & kind_bit(a.kind)) == 0) continue;
            value = a.id;
            if (self == nullptr || a.bloc != self->bloc) break;
          }
        }
        break;
      }
    }
    out += " " + value;
  }
  return out;
}

std::string action_help(const ActionSpec& action, const State* state, const Actor* self) {
  std::ostringstream out;
  out << action.name << ": " << action.help << "\n";
  out << "  who:     " << who_may(action);
  if (self != nullptr && !action_allowed(action, *self)) out << " (not you: " << self->id << ")";
  out << "\n  usage:   " << usage(action) << "   or by name: " << action.name;
  for (const ParamSpec& p : action.params) out << " " << p.name << "=...";
  out << "\n";
  std::size_t name_width = 0;
  for (const ParamSpec& p : action.params) name_width = std::max(name_width, p.name.size());
  for (const ParamSpec& p : action.params) {
    std::string name(p.name);
    name.resize(name_width, ' ');
    std::string type = kParamTypeNames[static_cast<std::size_t>(p.type)];
    type.resize(8, ' ');
    out << "  " << name << "  " << type << "  " << param_range(p, state) << "  - " << p.help << "\n";
  }
  out << "  example: " << example(action, state, self);
  return out.str();
}

std::string actions_overview(const Actor* self) {
  std::ostringstream out;
  std::size_t width = 0;
  for (const ActionSpec& a : catalogue()) width = std::max(width, a.name.size());
  out << (self ? "Actions for " + self->id + " (help ACTION for its parameters):"
               : "Actions (help ACTION for its parameters):");
  for (const ActionSpec& a : catalogue()) {
    if (self != nullptr && !action_allowed(a, *self)) continue;
    std::string name(a.name);
    name.resize(width, ' ');
    out << "\n  " << name << "  " << a.help;
    if (self == nullptr) out << " [" << who_may(a) << "]";
  }
  return out.str();
}

}  // namespace leadtime::cli

#include "batch/sweep_params.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine/text.h"

namespace leadtime::sweep {
namespace {

constexpr std::string_view kBotPrefix = "bot.";
constexpr std::string_view kNamingHint = "a parameter is a coefficient, TARGET.FIELD, bot.SEAT or bot.SEAT.NAME";

// " (did you mean 'x'?)" for the closest of `names` within a few typos.
template <typename Names>
std::string suggestion(std::string_view name, const Names& names) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 4) + 1;
  for (const auto& candidate : names) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best.empty() ? "" : " (did you mean " + in_quotes(best) + "?)";
}

bool is_identifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string seat_list(const Scenario& scenario) {
  std::string out;
  for (const Actor& a : scenario.initial.actors) out += (out.empty() ? "" : ", ") + a.id;
  return out;
}

std::variant<ParamTarget, std::string> resolve_bot(std::string_view name, const Scenario& scenario) {
  const std::string_view rest = name.substr(kBotPrefix.size());
  const std::size_t dot = rest.find('.');
  const std::string_view seat = rest.substr(0, dot);
  const int actor = scenario.initial.find_actor(seat);
  if (actor == kNoActor) {
    return "unknown seat " + in_quotes(seat) + " in parameter " + in_quotes(name) + " (seats: " + seat_list(scenario) +
           ")";
  }
  ParamTarget target;
  target.name = std::string(name);
  target.index = actor;
  if (dot == std::string_view::npos) {
    target.kind = TargetKind::BotChoice;
    return target;
  }
  const std::string_view param = rest.substr(dot + 1);
  if (!is_identifier(param)) {
    return "bad bot parameter name " + in_quotes(param) + " in " + in_quotes(name) + " (letters, digits and _)";
  }
  target.kind = TargetKind::BotParam;
  target.bot_param = std::string(param);
  target.min = std::numeric_limits<double>::lowest();
  target.max = std::numeric_limits<double>::max();
  return target;
}

template <typename Table>
std::vector<std::string_view> names_of(const Table& table) {
  std::vector<std::string_view> out;
  for (const auto& f : table) out.push_back(f.name);
  return out;
}

std::variant<ParamTarget, std::string> resolve_field(std::string_view name, std::string_view owner,
                                                     std::string_view field, const Scenario& scenario) {
  ParamTarget target;
  target.name = std::string(name);
  const auto market = std::find(kMarketNames.begin(), kMarketNames.end(), owner);
  if (owner == "SEA") {
    target.kind = TargetKind::HubField;
    target.hub_field = find_hub_field(field);
    if (!target.hub_field) {
      return "unknown SEA hub field " + in_quotes(field) + suggestion(field, names_of(hub_fields())) + " in " +
             in_quotes(name);
    }
    target.min = target.hub_field->min;
    target.max = target.hub_field->max;
    return target;
  }
  if (market != kMarketNames.end()) {
    target.kind = TargetKind::MarketField;
    target.index = static_cast<int>(market - kMarketNames.begin());
    target.market_field = find_market_field(field);
    if (!target.market_field) {
      return "unknown market field " + in_quotes(field) + suggestion(field, names_of(market_fields())) + " in " +
             in_quotes(name);
    }
    target.min = target.market_field->min;
    target.max = target.market_field->max;
    return target;
  }
  const int actor = scenario.initial.find_actor(owner);
  if (actor == kNoActor) {
    return "unknown parameter " + in_quotes(name) + ": " + in_quotes(owner) +
           " is not an actor, a market (US, CN, EU, ROW) or SEA (actors: " + seat_list(scenario) + ")";
  }
  target.kind = TargetKind::ActorField;
  target.index = actor;
  target.actor_field = find_actor_field(field);
  if (!target.actor_field) {
    return "unknown actor field " + in_quotes(field) + suggestion(field, names_of(actor_fields())) + " in " +
           in_quotes(name);
  }
  const ActorKind kind = scenario.initial.actors[static_cast<std::size_t>(actor)].kind;
  if ((target.actor_field->kinds & kind_bit(kind)) == 0) {
    return "parameter " + in_quotes(name) + ": a " + kActorKindNames[static_cast<std::size_t>(kind)] +
           " has no field " + in_quotes(field);
  }
  target.min = target.actor_field->min;
  target.max = target.actor_field->max;
  return target;
}

std::variant<ParamTarget, std::string> resolve_coefficient(std::string_view name) {
  const auto fields = coefficient_fields();
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const CoefficientField& f) { return f.name == name; });
  if (it == fields.end()) {
    return "unknown parameter " + in_quotes(name) + suggestion(name, names_of(fields)) + "; " +
           std::string(kNamingHint);
  }
  ParamTarget target;
  target.name = std::string(name);
  target.kind = TargetKind::Coefficient;
  target.coefficient = &*it;
  target.min = it->min;
  target.max = it->max;
  return target;
}

double number_of(const ParamValue& v) { return std::get<double>(v); }

}  // namespace

std::variant<ParamTarget, std::string> resolve_parameter(std::string_view name, const Scenario& scenario) {
  if (name.starts_with(kBotPrefix)) return resolve_bot(name, scenario);
  const std::size_t dot = name.find('.');
  if (dot != std::string_view::npos) return resolve_field(name, name.substr(0, dot), name.substr(dot + 1), scenario);
  return resolve_coefficient(name);
}

std::string number_text(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

std::string value_text(const ParamValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return number_text(std::get<double>(value));
}

std::optional<std::string> check_value(const ParamTarget& target, const ParamValue& value) {
  if (target.kind == TargetKind::BotChoice) {
    const auto* path = std::get_if<std::string>(&value);
    if (!path || path->empty()) return "expected a bot file path or \"none\", got " + in_quotes(value_text(value));
    return std::nullopt;
  }
  const auto* number = std::get_if<double>(&value);
  if (!number || !std::isfinite(*number) || *number < target.min || *number > target.max) {
    const std::string expected = target.kind == TargetKind::BotParam
                                     ? std::string("a finite number")
                                     : "a number from " + number_text(target.min) + " to " + number_text(target.max);
    return "expected " + expected + ", got " + (number ? number_text(*number) : in_quotes(value_text(value)));
  }
  return std::nullopt;
}

RunSetup make_setup(const std::shared_ptr<const Scenario>& base, const std::vector<std::string>& base_bots,
                    std::span<const ParamTarget> targets, std::span<const ParamValue> values) {
  RunSetup setup;
  setup.bots = base_bots;
  const bool changes_scenario = std::any_of(targets.begin(), targets.end(), [](const ParamTarget& t) {
    return t.kind != TargetKind::BotParam && t.kind != TargetKind::BotChoice;
  });
  std::shared_ptr<Scenario> edited = changes_scenario ? std::make_shared<Scenario>(*base) : nullptr;
  for (std::size_t i = 0; i < targets.size() && i < values.size(); ++i) {
    const ParamTarget& t = targets[i];
    const auto index = static_cast<std::size_t>(t.index);
    switch (t.kind) {
      case TargetKind::Coefficient:
        edited->coef.*(t.coefficient->member) = number_of(values[i]);
        break;
      case TargetKind::ActorField:
        t.actor_field->ref(edited->initial.actors[index]) = number_of(values[i]);
        break;
      case TargetKind::MarketField:
        t.market_field->ref(edited->initial.markets[index]) = number_of(values[i]);
        break;
      case TargetKind::HubField:
        t.hub_field->ref(edited->initial.hubs) = number_of(values[i]);
        break;
      case TargetKind::BotChoice: {
        const std::string& path = std::get<std::string>(values[i]);
        setup.bots[index] = path == "none" ? "" : path;
        break;
      }
      case TargetKind::BotParam:
        if (setup.limits.seat_params.size() <= index) setup.limits.seat_params.resize(index + 1);
        setup.limits.seat_params[index].push_back({t.bot_param, number_of(values[i])});
        break;
    }
  }
  setup.scenario = edited ? std::shared_ptr<const Scenario>(std::move(edited)) : base;
  return setup;
}

std::optional<std::string> check_seat_bots(const Scenario& scenario, int seat, const std::vector<std::string>& paths,
                                           const lua::BotParams& params) {
  lua::BotLimits limits;
  limits.seat_params.resize(static_cast<std::size_t>(seat) + 1);
  limits.seat_params[static_cast<std::size_t>(seat)] = params;
  const std::string& id = scenario.initial.actors[static_cast<std::size_t>(seat)].id;
  for (const std::string& path : paths) {
    if (path.empty() || path == "none") {
      if (!params.empty())
        return "seat " + id + " may play without a bot, but bot." + id + "." + params[0].name + " is set";
      continue;
    }
    auto loaded = lua::Bot::load(path, scenario, seat, 1, limits);
    if (auto* error = std::get_if<std::string>(&loaded)) return "seat " + id + ": " + *error;
  }
  return std::nullopt;
}

}  // namespace leadtime::sweep

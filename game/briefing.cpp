#include "game/briefing.h"

#include <cmath>
#include <sstream>
#include <type_traits>

#include "engine/catalogue.h"
#include "engine/match.h"
#include "engine/metrics.h"
#include "engine/resolve.h"
#include "engine/state_fields.h"
#include "engine/text.h"

namespace leadtime::game {

namespace {

const char* kind_name(ActorKind k) { return kActorKindNames[static_cast<std::size_t>(k)]; }
const char* bloc_name(Bloc b) { return kBlocNames[static_cast<std::size_t>(b)]; }

// Big counts as people say them: 15M, 120k.
std::string count_words(double v) {
  const double a = std::abs(v);
  if (a >= 1e6) return format_number(v / 1e6, 3) + "M";
  if (a >= 1e4) return format_number(v / 1e3, 3) + "k";
  return format_number(v, 3);
}

std::string usd_b(double v) { return "$" + format_number(v, 3) + "B"; }
std::string percent(double share) { return format_number(share * 100, 3) + "%"; }

// The outcomes of the starting state, which objectives score against.
State scored_start(const Scenario& scenario) {
  State s = initial_state(scenario, 1);
  compute_outcomes(s, scenario);
  return s;
}

std::string starting_figures(const Actor& a) {
  std::ostringstream out;
  out << "- Cash: " << usd_b(a.cash_usd_b) << "\n";
  switch (a.kind) {
    case ActorKind::Government:
      out << "- Budget: " << usd_b(a.gov.budget_usd_b) << " a quarter\n";
      if (a.gov.political_capital != 0)
        out << "- Political capital: " << format_number(a.gov.political_capital) << "\n";
      break;
    case ActorKind::Vendor:
      out << "- Production capacity: " << count_words(a.vendor.capacity_h100e) << " H100e a quarter, growing "
          << percent(a.vendor.capacity_growth) << " a quarter\n";
      break;
    case ActorKind::Lab:
      out << "- Compute: " << count_words(a.lab.compute_h100e) << " H100e installed\n"
          << "- Best model: " << format_number(a.lab.capability_oom, 4) << " OOM of effective training compute\n"
          << "- Outside funding: " << usd_b(a.lab.funding_usd_b) << " a quarter, growing "
          << percent(a.lab.funding_growth) << " a quarter\n"
          << "- API defence " << percent(a.lab.api_defence) << ", weight security " << percent(a.lab.weight_security)
          << "\n";
      break;
  }
  return out.str();
}

// A value of the policy table as the briefing prints it.
template <typename T>
std::string value_words(const T& v, fields::Keys keys, const State& state) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "on" : "off";
  } else if constexpr (std::is_arithmetic_v<T>) {
    if (keys == fields::Keys::Actor) {
      const auto i = static_cast<std::size_t>(v);
      return v >= 0 && i < state.actors.size() ? state.actors[i].id : "none";
    }
    return format_number(static_cast<double>(v));
  } else {
    return {};
  }
}

// The standing policy's settings that differ from the engine's defaults:
// what the seat starts with in force.
std::vector<std::string> standing_policy(const Actor& a, const State& state) {
  const Policy defaults;
  std::vector<std::string> out;
  fields::for_each<Policy>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    const auto& mine = a.policy.*f.member;
    const auto& base = defaults.*f.member;
    using T = std::remove_cvref_t<decltype(mine)>;
    if constexpr (std::is_arithmetic_v<T>) {
      if (mine != base) out.push_back(std::string(f.name) + " " + value_words(mine, f.options.keys, state));
    } else {
      std::vector<std::string> items;
      const auto names = fields::key_names(f.options.keys);
      for (std::size_t i = 0; i < mine.size(); ++i) {
        const auto b = i < base.size() ? base[i] : decltype(mine[i]){};
        if (mine[i] == b) continue;
        const std::string key = i < names.size()                                                   ? names[i]
                                : f.options.keys == fields::Keys::Actor && i < state.actors.size() ? state.actors[i].id
                                                                                                   : std::to_string(i);
        items.push_back(key + " " + format_number(static_cast<double>(mine[i])));
      }
      if (!items.empty()) out.push_back(std::string(f.name) + ": " + join(items, ", "));
    }
  });
  return out;
}

std::string actions_text(const Actor& a, const State& state) {
  std::ostringstream out;
  for (const ActionSpec& spec : catalogue()) {
    if (!action_allowed(spec, a)) continue;
    out << "- `" << spec.name;
    for (const ParamSpec& p : spec.params) out << " " << upper(p.name);
    out << "`: " << spec.help << "\n";
    for (const ParamSpec& p : spec.params) {
      out << "  - " << upper(p.name) << ": " << p.help << "; " << describe_allowed(state, p);
      if (!p.unit.empty() && (p.type == ParamType::Int || p.type == ParamType::Real)) out << " (" << p.unit << ")";
      out << "\n";
    }
  }
  return out.str();
}

std::string sight_text(const Actor& a, const Coefficients& coef) {
  std::ostringstream out;
  out << "- **Exactly:** your own cash, state, standing policy and last round's spending, and your score.\n"
      << "- **Estimated:** every other actor's cash";
  out << ", a lab's compute and capability, a vendor's capacity. Estimates carry random error (a log-normal "
      << "spread of " << percent(coef.view_noise) << " with no intelligence spending); spending "
      << usd_b(coef.intel_half_usd_b) << " a quarter on intelligence (`set_intelligence`) halves it.\n"
      << "- **Public, as everyone sees it:** the lead of the best US lab over the best Chinese lab (a noisy "
      << "public estimate, in months), the US:China compute ratio (also noisy), every market's size and each AI "
      << "stack's share in it (exact), the norm-setting index, surveillance exports, public weight thefts and "
      << "announced chip seizures, and public events.\n"
      << "- **Private events** about " << a.id << " reach you and the facilitator only.\n"
      << "- **You cannot see:** other actors' policies, orders or spending, their exact figures, private events "
      << "of others, events only the facilitator sees, nor other teams' press unless it is addressed to you.\n";
  return out.str();
}

// "cn's", and the hubs, which are not an actor, by name.
std::string possessive(const std::string& target) { return target == "SEA" ? "the SEA hubs'" : target + "'s"; }

std::string condition_words(const Condition& c) {
  static const char* kOps[] = {"<", "<=", ">", ">="};
  return possessive(c.target) + " " + c.field + " " + kOps[static_cast<std::size_t>(c.op)] + " " +
         format_number(c.value);
}

std::string effect_words(const Effect& e) {
  const std::string what = possessive(e.target) + " " + e.field;
  switch (e.op) {
    case EffectOp::Add:
      return (e.value < 0 ? "takes " + format_number(-e.value) + " from " : "adds " + format_number(e.value) + " to ") +
             what;
    case EffectOp::Mul:
      return "multiplies " + what + " by " + format_number(e.value);
    case EffectOp::Set:
      return "sets " + what + " to " + format_number(e.value);
  }
  return {};
}

}  // namespace

std::string objectives_text(const Scenario& scenario, int seat) {
  if (seat < 0 || static_cast<std::size_t>(seat) >= scenario.initial.actors.size()) return {};
  const std::vector<Objective> none;
  const std::vector<Objective>& objectives = static_cast<std::size_t>(seat) < scenario.objectives.size()
                                                 ? scenario.objectives[static_cast<std::size_t>(seat)]
                                                 : none;
  if (objectives.empty()) return "This seat has no objectives: its score stays 0.\n";
  const State start = scored_start(scenario);
  std::ostringstream out;
  out << "Your score after each round is the sum of these terms (weight x metric):\n";
  double total = 0;
  bool negative = false;
  for (const Objective& o : objectives) {
    const Metric* m = find_metric(o.metric);
    const double value = m != nullptr ? m->value(start, seat) : 0;
    total += o.weight * value;
    negative = negative || o.weight < 0;
    out << "- " << format_number(o.weight) << " x " << o.metric << ": "
        << (m != nullptr ? std::string(m->help) : std::string("unknown metric")) << " (now " << format_number(value, 4)
        << ", so " << format_number(o.weight * value, 4) << ")\n";
  }
  if (negative) out << "A negative weight rewards less of that metric.\n";
  out << "At the start your score would be " << format_number(total, 4)
      << "; it is recomputed from the state after every round, and the last round's score is your result.\n";
  return out.str();
}

std::string seat_briefing(const Scenario& scenario, int seat) {
  const State& state = scenario.initial;
  if (seat < 0 || static_cast<std::size_t>(seat) >= state.actors.size()) return {};
  const Actor& a = state.actors[static_cast<std::size_t>(seat)];
  std::ostringstream out;
  out << "# Briefing: " << a.name << " (" << a.id << ")\n\n";
  out << "## Your role\n\n"
      << "You play " << a.name << ", a " << kind_name(a.kind) << " of the " << bloc_name(a.bloc) << " bloc, in the "
      << "scenario \"" << scenario.name << "\"";
  if (!scenario.description.empty()) out << ": " << scenario.description;
  out << ". The game has " << count_noun(static_cast<std::size_t>(scenario.rounds), "round")
      << ", one quarter each, from " << scenario.start.str() << " to " << scenario.start.plus(scenario.rounds - 1).str()
      << ". Each round your team sets its orders; an order stays in force until you change it.\n";
  std::vector<std::string> others;
  for (const Actor& o : state.actors) {
    if (o.id != a.id) others.push_back(o.id + " (" + o.name + ")");
  }
  out << "The other seats: " << join(others, ", ") << ".\n\n";
  out << "## Starting situation\n\n" << starting_figures(a);
  const std::vector<std::string> policy = standing_policy(a, state);
  out << "- Standing policy: " << (policy.empty() ? "the defaults" : join(policy, "; ")) << "\n\n";
  out << "## Your actions\n\n" << actions_text(a, state) << "\n";
  out << "## Objectives and score\n\n" << objectives_text(scenario, seat) << "\n";
  out << "## What you can and cannot see\n\n" << sight_text(a, scenario.coef);
  return out.str();
}

std::string event_description(const Scenario& scenario, const ScenarioEvent& e) {
  std::ostringstream out;
  if (e.probability > 0) {
    out << "May fire each round with probability " << percent(e.probability);
  } else {
    out << "Fires only when the facilitator injects it";
  }
  if (e.first_round > 0 || e.last_round < scenario.rounds - 1) {
    out << ", from " << scenario.start.plus(e.first_round).str();
    if (e.last_round < scenario.rounds - 1) out << " to " << scenario.start.plus(e.last_round).str();
  }
  out << (e.once ? ", at most once" : ", any number of times");
  if (!e.conditions.empty()) {
    std::vector<std::string> when;
    for (const Condition& c : e.conditions) when.push_back(condition_words(c));
    out << ", while " << join(when, " and ");
  }
  out << ".";
  if (!e.effects.empty()) {
    std::vector<std::string> what;
    for (const Effect& x : e.effects) what.push_back(effect_words(x));
    out << " It " << join(what, ", ") << ".";
  }
  switch (e.visibility) {
    case Visibility::Public:
      out << " Everyone sees it.";
      break;
    case Visibility::Private:
      out << " Only " << (e.audience.empty() ? std::string("the facilitator") : join(e.audience, ", ")) << " see"
          << (e.audience.size() == 1 ? "s" : "") << " it.";
      break;
    case Visibility::Facilitator:
      out << " Only the facilitator sees it.";
      break;
  }
  return out.str();
}

protocol::ScenarioTexts scenario_texts(const Scenario& scenario) {
  protocol::ScenarioTexts texts;
  for (std::size_t i = 0; i < scenario.initial.actors.size(); ++i) {
    texts.briefings.push_back(seat_briefing(scenario, static_cast<int>(i)));
  }
  for (const ScenarioEvent& e : scenario.events) texts.event_descriptions.push_back(event_description(scenario, e));
  return texts;
}

}  // namespace leadtime::game

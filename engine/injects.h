#pragma once

// Events the facilitator may inject with parameters of their choosing, beside
// the scenario's own event table (issue #19): a smuggling case of a given
// size, a model theft, a chip supply shock. Each builds an ordinary custom
// event (effects on named fields, a text, a kind), so resolution, views,
// indicators and reports treat it as any other event of that kind. Defined
// once here; the server, the clients and the journal name them by id.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/catalogue.h"
#include "engine/orders.h"
#include "engine/scenario.h"

namespace leadtime {

struct InjectSpec {
  std::string_view id;  // also the event's kind
  std::string_view help;
  std::vector<ParamSpec> params;
  // The event these arguments (one per parameter, as convert_args gives
  // them) make in `state`; values that depend on the state (a capability
  // gap) are taken as it is when the facilitator injects.
  ScenarioEvent (*build)(const State& state, const Coefficients& coef, const std::vector<double>& args);
  // Rules a range cannot express; "" when the arguments are fine.
  std::string (*check)(const State& state, const std::vector<double>& args) = nullptr;
};

std::span<const InjectSpec> inject_catalogue();
// An inject seen as an action no seat may order, so what reads and shows the
// action catalogue (order lines, forms, the wire's ActionInfo) serves it too.
ActionSpec as_action(const InjectSpec& inject);
const InjectSpec* find_inject(std::string_view id);
// "smuggling_case, model_theft, supply_shock": what a refusal lists.
std::string inject_ids();

// The event an engine inject makes, or a sentence naming what is wrong (an
// unknown id, with the ids there are; a missing or out-of-range parameter).
std::variant<ScenarioEvent, std::string> build_inject(const State& state, const Coefficients& coef,
                                                      const std::string& id, const NamedArgs& args);

}  // namespace leadtime

#pragma once

#include <string>
#include <vector>

#include "engine/coefficients.h"
#include "engine/state.h"

namespace leadtime {

struct ActorField;
struct MarketField;
struct HubField;
struct Metric;

enum class EffectOp : std::uint8_t { Add, Mul, Set };

// Where an effect's or condition's field lives (see events.h bind_field).
// Unbound falls back to looking the target and field up by name.
struct FieldSlot {
  enum class Place : std::uint8_t { Unbound, Missing, Hubs, Market, Actor };
  Place place = Place::Unbound;
  std::size_t index = 0;  // the market's or the actor's
  const HubField* hub_field = nullptr;
  const MarketField* market_field = nullptr;
  const ActorField* actor_field = nullptr;
};

// Changes one named field (see fields.h) of an actor, a market or the SEA hubs.
struct Effect {
  std::string target;  // actor id, market name (US, CN, EU, ROW) or "SEA"
  std::string field;
  EffectOp op = EffectOp::Add;
  double value = 0;
};

enum class CompareOp : std::uint8_t { Less, LessEqual, Greater, GreaterEqual };

// An event fires only when every condition holds; conditions read the same
// named fields as effects.
struct Condition {
  std::string target;
  std::string field;
  CompareOp op = CompareOp::GreaterEqual;
  double value = 0;
};

struct ScenarioEvent {
  std::string id;
  std::string text;
  double probability = 0;  // per round while eligible
  int first_round = 0;     // 0-based, inclusive
  int last_round = 1 << 20;
  bool once = true;
  Visibility visibility = Visibility::Public;
  std::vector<std::string> audience;  // actor ids for Private events
  std::vector<Condition> conditions;
  std::vector<Effect> effects;
};

// A facilitator's inject: either a scenario event by id (fires now, ignoring
// probability and conditions) or a custom event with its own effects.
struct Inject {
  std::string event_id;  // non-empty: take the scenario event
  ScenarioEvent custom;
};

struct Objective {
  std::string metric;  // see metrics.h
  double weight = 1;
};

// One scenario event's effects and conditions, bound in table order.
struct EventSlots {
  std::vector<FieldSlot> effects;
  std::vector<FieldSlot> conditions;
};

// The names a scenario's objectives and events use, found once when the
// scenario is loaded (bind_lookups) instead of every round: comparing metric,
// target and field names was about a tenth of a round. Each list runs
// parallel to what it binds; one that does not match it in length (a scenario
// built or changed by hand) is ignored and the names are looked up.
struct ScenarioLookups {
  std::vector<std::vector<const Metric*>> objective_metrics;  // per actor, per objective; null if unknown
  std::vector<EventSlots> events;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  // file it came from
  // The scenario's Lua text when it defines hooks (functions cannot live in
  // the engine: engine/lua/scenario_hooks.h runs them in a sandbox per match).
  std::string hook_script;
  Quarter start;
  int rounds = 10;
  State initial;  // actors with their starting state and standing policies
  Coefficients coef;
  std::vector<ScenarioEvent> events;
  std::vector<std::vector<Objective>> objectives;  // per actor
  std::vector<std::string> default_bots;           // per actor, path or empty
  ScenarioLookups lookups;                         // filled by bind_lookups
};

// Fills scenario.lookups: every objective's metric and every scenario event's
// targets and fields, found in scenario.initial once the scenario is read.
// Matches start from scenario.initial and never add, remove or reorder actors,
// so the actor indices hold for every state of the scenario.
void bind_lookups(Scenario& scenario);

}  // namespace leadtime

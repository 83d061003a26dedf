#pragma once

#include <string>
#include <vector>

#include "engine/coefficients.h"
#include "engine/state.h"

namespace leadtime {

enum class EffectOp : std::uint8_t { Add, Mul, Set };

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
};

}  // namespace leadtime

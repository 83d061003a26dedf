#pragma once

#include <string>

#include "engine/scenario.h"

namespace leadtime {

// Empty when the effect or condition names a real target and a field that
// target has; otherwise a sentence naming what is wrong. Scenario loading and
// facilitator injects check with these before anything fires.
std::string check_target_field(const State& state, const std::string& target, const std::string& field);
std::string check_event(const State& state, const ScenarioEvent& event);

// Where the named target's field lives in `state` (Place::Missing when
// check_target_field would complain): bind_lookups keeps it in the effect.
FieldSlot bind_field(const State& state, const std::string& target, const std::string& field);

void apply_effect(State& state, const Effect& effect);

// An inject with no effects that logs a private event for one actor (and the
// facilitator): how front ends record a bot's fault in the round's events.
Inject private_note(const State& state, int actor, std::string kind, std::string text);
bool condition_holds(State& state, const Condition& condition);

}  // namespace leadtime

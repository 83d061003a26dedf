#include "engine/events.h"

#include <algorithm>

#include "engine/fields.h"
#include "engine/resolve.h"

namespace leadtime {
namespace {

int market_named(const std::string& name) {
  for (std::size_t i = 0; i < kMarketNames.size(); ++i) {
    if (name == kMarketNames[i]) return static_cast<int>(i);
  }
  return -1;
}

// Every field an effect or condition can touch, resolved to a reference.
double* field_ref(State& state, const std::string& target, const std::string& field) {
  if (target == "SEA") {
    const HubField* f = find_hub_field(field);
    return f ? &f->ref(state.hubs) : nullptr;
  }
  if (const int m = market_named(target); m >= 0) {
    const MarketField* f = find_market_field(field);
    return f ? &f->ref(state.markets[static_cast<std::size_t>(m)]) : nullptr;
  }
  const int a = state.find_actor(target);
  if (a == kNoActor) return nullptr;
  Actor& actor = state.actors[static_cast<std::size_t>(a)];
  const ActorField* f = find_actor_field(field);
  if (!f || (f->kinds & kind_bit(actor.kind)) == 0) return nullptr;
  return &f->ref(actor);
}

// Whether field_ref would find the field, without touching the state.
bool field_exists(const State& state, const std::string& target, const std::string& field) {
  if (target == "SEA") return find_hub_field(field) != nullptr;
  if (market_named(target) >= 0) return find_market_field(field) != nullptr;
  const int a = state.find_actor(target);
  const ActorField* f = find_actor_field(field);
  return a != kNoActor && f && (f->kinds & kind_bit(state.actors[static_cast<std::size_t>(a)].kind)) != 0;
}

bool fire_chance(State& state, const ScenarioEvent& e) {
  if (state.round < e.first_round || state.round > e.last_round) return false;
  if (e.once && std::binary_search(state.fired_once.begin(), state.fired_once.end(), e.id)) return false;
  for (const Condition& c : e.conditions) {
    if (!condition_holds(state, c)) return false;
  }
  return state.rng.bernoulli(e.probability);
}

void fire(State& state, const ScenarioEvent& e) {
  for (const Effect& effect : e.effects) apply_effect(state, effect);
  Event out{e.id, e.text, e.visibility, {}};
  for (const std::string& id : e.audience) {
    const int a = state.find_actor(id);
    if (a != kNoActor) out.audience.push_back(a);
  }
  state.events.push_back(std::move(out));
  if (e.once) {
    const auto it = std::lower_bound(state.fired_once.begin(), state.fired_once.end(), e.id);
    if (it == state.fired_once.end() || *it != e.id) state.fired_once.insert(it, e.id);
  }
}

}  // namespace

std::string check_target_field(const State& state, const std::string& target, const std::string& field) {
  if (field_exists(state, target, field)) return {};
  if (target != "SEA" && market_named(target) < 0 && state.find_actor(target) == kNoActor) {
    return "unknown target '" + target + "' (an actor id, a market US/CN/EU/ROW, or SEA)";
  }
  return "'" + target + "' has no field '" + field + "'";
}

std::string check_event(const State& state, const ScenarioEvent& event) {
  for (const Effect& e : event.effects) {
    if (std::string problem = check_target_field(state, e.target, e.field); !problem.empty()) return problem;
  }
  for (const Condition& c : event.conditions) {
    if (std::string problem = check_target_field(state, c.target, c.field); !problem.empty()) return problem;
  }
  for (const std::string& id : event.audience) {
    if (state.find_actor(id) == kNoActor) return "unknown actor '" + id + "' in audience";
  }
  return {};
}

Inject private_note(const State& state, int actor, std::string kind, std::string text) {
  Inject note;
  note.custom.id = std::move(kind);
  note.custom.text = std::move(text);
  note.custom.visibility = Visibility::Private;
  note.custom.audience = {state.actors[static_cast<std::size_t>(actor)].id};
  note.custom.once = false;
  return note;
}

void apply_effect(State& state, const Effect& effect) {
  double* v = field_ref(state, effect.target, effect.field);
  if (!v) return;
  switch (effect.op) {
    case EffectOp::Add:
      *v += effect.value;
      break;
    case EffectOp::Mul:
      *v *= effect.value;
      break;
    case EffectOp::Set:
      *v = effect.value;
      break;
  }
}

bool condition_holds(State& state, const Condition& c) {
  const double* v = field_ref(state, c.target, c.field);
  if (!v) return false;
  switch (c.op) {
    case CompareOp::Less:
      return *v < c.value;
    case CompareOp::LessEqual:
      return *v <= c.value;
    case CompareOp::Greater:
      return *v > c.value;
    case CompareOp::GreaterEqual:
      return *v >= c.value;
  }
  return false;
}

// Scenario events in table order, then injects in the order given.
void fire_events(State& state, const Scenario& scenario, const std::vector<Inject>& injects) {
  for (const ScenarioEvent& e : scenario.events) {
    if (fire_chance(state, e)) fire(state, e);
  }
  for (const Inject& inject : injects) {
    if (inject.event_id.empty()) {
      fire(state, inject.custom);
      continue;
    }
    const auto it = std::find_if(scenario.events.begin(), scenario.events.end(),
                                 [&](const ScenarioEvent& e) { return e.id == inject.event_id; });
    if (it != scenario.events.end()) fire(state, *it);
  }
}

}  // namespace leadtime

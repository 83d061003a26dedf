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

double* slot_ref(State& state, const FieldSlot& slot) {
  switch (slot.place) {
    case FieldSlot::Place::Hubs:
      return &slot.hub_field->ref(state.hubs);
    case FieldSlot::Place::Market:
      return &slot.market_field->ref(state.markets[slot.index]);
    case FieldSlot::Place::Actor:
      return &slot.actor_field->ref(state.actors[slot.index]);
    case FieldSlot::Place::Unbound:
    case FieldSlot::Place::Missing:
      break;
  }
  return nullptr;
}

// Every field an effect or condition can touch, resolved to a reference: by
// its bound slot when it has one that fits the state, else by name.
double* field_ref(State& state, const std::string& target, const std::string& field, const FieldSlot& slot) {
  const bool fits = slot.place != FieldSlot::Place::Unbound &&
                    (slot.place != FieldSlot::Place::Actor || slot.index < state.actors.size());
  return slot_ref(state, fits ? slot : bind_field(state, target, field));
}

constexpr FieldSlot kUnbound{};

// The bound slots of scenario event i, or null when the lookups do not match
// the scenario's events (then every field is looked up by name).
const EventSlots* slots_of(const Scenario& scenario, std::size_t i) {
  const std::vector<EventSlots>& bound = scenario.lookups.events;
  if (bound.size() != scenario.events.size()) return nullptr;
  const ScenarioEvent& e = scenario.events[i];
  const EventSlots& slots = bound[i];
  const bool fits = slots.effects.size() == e.effects.size() && slots.conditions.size() == e.conditions.size();
  return fits ? &slots : nullptr;
}

void apply_effect_at(State& state, const Effect& effect, const FieldSlot& slot) {
  double* v = field_ref(state, effect.target, effect.field, slot);
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

bool holds_at(State& state, const Condition& c, const FieldSlot& slot) {
  const double* v = field_ref(state, c.target, c.field, slot);
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

bool fire_chance(State& state, const ScenarioEvent& e, const EventSlots* slots) {
  if (state.round < e.first_round || state.round > e.last_round) return false;
  if (e.once && std::binary_search(state.fired_once.begin(), state.fired_once.end(), e.id)) return false;
  for (std::size_t k = 0; k < e.conditions.size(); ++k) {
    if (!holds_at(state, e.conditions[k], slots ? slots->conditions[k] : kUnbound)) return false;
  }
  return state.rng.bernoulli(e.probability);
}

void fire(State& state, const ScenarioEvent& e, const EventSlots* slots) {
  for (std::size_t k = 0; k < e.effects.size(); ++k) {
    apply_effect_at(state, e.effects[k], slots ? slots->effects[k] : kUnbound);
  }
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

FieldSlot bind_field(const State& state, const std::string& target, const std::string& field) {
  FieldSlot slot;
  slot.place = FieldSlot::Place::Missing;
  if (target == "SEA") {
    slot.hub_field = find_hub_field(field);
    if (slot.hub_field) slot.place = FieldSlot::Place::Hubs;
    return slot;
  }
  if (const int m = market_named(target); m >= 0) {
    slot.market_field = find_market_field(field);
    slot.index = static_cast<std::size_t>(m);
    if (slot.market_field) slot.place = FieldSlot::Place::Market;
    return slot;
  }
  const int a = state.find_actor(target);
  if (a == kNoActor) return slot;
  const ActorField* f = find_actor_field(field);
  if (!f || (f->kinds & kind_bit(state.actors[static_cast<std::size_t>(a)].kind)) == 0) return slot;
  slot.place = FieldSlot::Place::Actor;
  slot.index = static_cast<std::size_t>(a);
  slot.actor_field = f;
  return slot;
}

std::string check_target_field(const State& state, const std::string& target, const std::string& field) {
  if (bind_field(state, target, field).place != FieldSlot::Place::Missing) return {};
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

void apply_effect(State& state, const Effect& effect) { apply_effect_at(state, effect, kUnbound); }

bool condition_holds(State& state, const Condition& c) { return holds_at(state, c, kUnbound); }

// Scenario events in table order, then injects in the order given.
void fire_events(State& state, const Scenario& scenario, const std::vector<Inject>& injects) {
  for (std::size_t i = 0; i < scenario.events.size(); ++i) {
    const EventSlots* slots = slots_of(scenario, i);
    if (fire_chance(state, scenario.events[i], slots)) fire(state, scenario.events[i], slots);
  }
  for (const Inject& inject : injects) {
    if (inject.event_id.empty()) {
      fire(state, inject.custom, nullptr);
      continue;
    }
    const auto it = std::find_if(scenario.events.begin(), scenario.events.end(),
                                 [&](const ScenarioEvent& e) { return e.id == inject.event_id; });
    if (it != scenario.events.end()) {
      const auto i = static_cast<std::size_t>(it - scenario.events.begin());
      fire(state, *it, slots_of(scenario, i));
    }
  }
}

}  // namespace leadtime

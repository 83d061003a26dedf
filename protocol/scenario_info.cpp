#include "protocol/scenario_info.h"

#include <algorithm>

#include "engine/metrics.h"
#include "protocol/convert.h"
#include "protocol/wire_strings.h"

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

// What an asker may learn of a scenario event: the facilitator all; a seat
// the public ones and the private ones it is the audience of; an observer
// the public ones.
bool may_know(const ScenarioEvent& event, const Scenario& scenario, int asker) {
  if (asker == kFullScenario) return true;
  switch (event.visibility) {
    case Visibility::Public:
      return true;
    case Visibility::Private:
      if (asker < 0 || static_cast<std::size_t>(asker) >= scenario.initial.actors.size()) return false;
      return std::find(event.audience.begin(), event.audience.end(),
                       scenario.initial.actors[static_cast<std::size_t>(asker)].id) != event.audience.end();
    case Visibility::Facilitator:
      return false;
  }
  return false;
}

const std::string& at_or_empty(const std::vector<std::string>& v, std::size_t i) {
  static const std::string none;
  return i < v.size() ? v[i] : none;
}

}  // namespace

std::vector<ObjectiveDetails> describe_objectives(const Scenario& scenario, int seat) {
  std::vector<ObjectiveDetails> out;
  if (seat < 0 || static_cast<std::size_t>(seat) >= scenario.objectives.size()) return out;
  for (const Objective& o : scenario.objectives[static_cast<std::size_t>(seat)]) {
    const Metric* m = find_metric(o.metric);
    out.push_back({o.metric, o.weight, m != nullptr ? std::string(m->help) : std::string()});
  }
  return out;
}

ScenarioDetails describe_scenario(const Scenario& scenario, const ScenarioTexts& texts, int asker) {
  ScenarioDetails d;
  d.name = scenario.name;
  d.description = scenario.description;
  d.start = scenario.start.str();
  d.rounds = scenario.rounds;
  const State& state = scenario.initial;
  d.catalogue = describe_catalogue(&state);
  d.injects = describe_injects(&state);
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const Actor& a = state.actors[i];
    SeatDetails s;
    s.id = a.id;
    s.name = a.name;
    s.kind = a.kind;
    s.bloc = a.bloc;
    for (const ActionDetails& action : d.catalogue) {
      if (std::find(action.seats.begin(), action.seats.end(), a.id) != action.seats.end())
        s.actions.push_back(action.name);
    }
    const bool own = asker == kFullScenario || asker == static_cast<int>(i);
    if (own) {
      s.objectives = describe_objectives(scenario, static_cast<int>(i));
      s.briefing = at_or_empty(texts.briefings, i);
    }
    if (asker == kFullScenario) s.default_bot = at_or_empty(scenario.default_bots, i);
    d.seats.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < scenario.events.size(); ++i) {
    const ScenarioEvent& e = scenario.events[i];
    if (!may_know(e, scenario, asker)) continue;
    d.events.push_back(
        {e.id, e.text, at_or_empty(texts.event_descriptions, i), e.visibility, e.audience, e.probability, e.once});
  }
  return d;
}

namespace {

std::vector<fb::Offset<wire::ObjectiveInfo>> objective_offsets(fb::FlatBufferBuilder& fbb,
                                                               const std::vector<ObjectiveDetails>& objectives) {
  std::vector<fb::Offset<wire::ObjectiveInfo>> items;
  items.reserve(objectives.size());
  for (const ObjectiveDetails& o : objectives) {
    items.push_back(wire::CreateObjectiveInfoDirect(fbb, o.metric.c_str(), o.weight, o.help.c_str()));
  }
  return items;
}

}  // namespace

fb::Offset<fb::Vector<fb::Offset<wire::ObjectiveInfo>>> to_wire(fb::FlatBufferBuilder& fbb,
                                                                const std::vector<ObjectiveDetails>& objectives) {
  return fbb.CreateVector(objective_offsets(fbb, objectives));
}

fb::Offset<wire::ScenarioInfo> to_wire(fb::FlatBufferBuilder& fbb, const ScenarioDetails& d) {
  std::vector<fb::Offset<wire::ScenarioSeat>> seats;
  for (const SeatDetails& s : d.seats) {
    const auto actions = string_offsets(fbb, s.actions);
    const auto objectives = objective_offsets(fbb, s.objectives);
    seats.push_back(wire::CreateScenarioSeatDirect(fbb, s.id.c_str(), s.name.c_str(), to_wire(s.kind), to_wire(s.bloc),
                                                   s.default_bot.c_str(), &actions, &objectives, s.briefing.c_str()));
  }
  std::vector<fb::Offset<wire::EventInfo>> events;
  for (const EventDetails& e : d.events) {
    const auto audience = string_offsets(fbb, e.audience);
    events.push_back(wire::CreateEventInfoDirect(fbb, e.id.c_str(), e.title.c_str(), e.description.c_str(),
                                                 to_wire(e.visibility), &audience, e.probability, e.once));
  }
  std::vector<fb::Offset<wire::ActionInfo>> actions;
  for (const ActionDetails& a : d.catalogue) actions.push_back(to_wire(fbb, a));
  const auto catalogue = wire::CreateCatalogue(fbb, fbb.CreateString(d.name), fbb.CreateVector(actions));
  std::vector<fb::Offset<wire::ActionInfo>> injects;
  for (const ActionDetails& a : d.injects) injects.push_back(to_wire(fbb, a));
  return wire::CreateScenarioInfoDirect(fbb, d.name.c_str(), d.description.c_str(), d.start.c_str(), d.rounds, &seats,
                                        &events, catalogue, &injects);
}

fb::Offset<wire::ScenarioInfo> build_scenario_info(fb::FlatBufferBuilder& fbb, const Scenario& scenario,
                                                   const ScenarioTexts& texts, int asker) {
  return to_wire(fbb, describe_scenario(scenario, texts, asker));
}

std::vector<ObjectiveDetails> objectives_from_wire(const fb::Vector<fb::Offset<wire::ObjectiveInfo>>* objectives) {
  std::vector<ObjectiveDetails> out;
  if (objectives == nullptr) return out;
  for (const wire::ObjectiveInfo* o : *objectives) {
    out.push_back({str_of(o->metric()), o->weight(), str_of(o->help())});
  }
  return out;
}

ScenarioDetails scenario_info_from_wire(const wire::ScenarioInfo& info) {
  ScenarioDetails d;
  d.name = str_of(info.name());
  d.description = str_of(info.description());
  d.start = str_of(info.start());
  d.rounds = info.rounds();
  if (info.seats() != nullptr) {
    for (const wire::ScenarioSeat* s : *info.seats()) {
      SeatDetails seat;
      seat.id = str_of(s->id());
      seat.name = str_of(s->name());
      // Enums from a newer sender clamp to the last value this build knows.
      seat.kind = static_cast<ActorKind>(std::min<int>(static_cast<int>(s->kind()), kActorKindNames.size() - 1));
      seat.bloc = static_cast<Bloc>(std::min<int>(static_cast<int>(s->bloc()), kBlocCount - 1));
      seat.default_bot = str_of(s->default_bot());
      seat.actions = strings_of(s->actions());
      seat.objectives = objectives_from_wire(s->objectives());
      seat.briefing = str_of(s->briefing());
      d.seats.push_back(std::move(seat));
    }
  }
  if (info.events() != nullptr) {
    for (const wire::EventInfo* e : *info.events()) {
      EventDetails event;
      event.id = str_of(e->id());
      event.title = str_of(e->title());
      event.description = str_of(e->description());
      event.visibility = static_cast<Visibility>(
          std::min<int>(static_cast<int>(e->visibility()), static_cast<int>(Visibility::Facilitator)));
      event.audience = strings_of(e->audience());
      event.probability = e->probability();
      event.once = e->once();
      d.events.push_back(std::move(event));
    }
  }
  if (info.catalogue() != nullptr) d.catalogue = catalogue_from_wire(*info.catalogue());
  d.injects = actions_from_wire(info.injects());
  return d;
}

}  // namespace leadtime::protocol

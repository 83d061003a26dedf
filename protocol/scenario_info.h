#pragma once

// A scenario as the wire carries it (ScenarioInfo in leadtime.fbs): its
// seats with their roles, objectives and briefings, its event table and the
// action catalogue, told as the asker may know it. Plain values in between,
// so a test (or a client) compares what went in with what came out.
#include <flatbuffers/flatbuffers.h>

#include <string>
#include <vector>

#include "engine/scenario.h"
#include "protocol/catalogue_info.h"
#include "protocol/leadtime_generated.h"

namespace leadtime::protocol {

// Text written from the scenario by game/briefing.h (game::scenario_texts):
// one briefing per seat and one description per event, in scenario order.
struct ScenarioTexts {
  std::vector<std::string> briefings;
  std::vector<std::string> event_descriptions;
};

struct ObjectiveDetails {
  std::string metric;
  double weight = 0;
  std::string help;  // engine/metrics.h: what the metric measures
  bool operator==(const ObjectiveDetails&) const = default;
};

struct SeatDetails {
  std::string id;
  std::string name;
  ActorKind kind = ActorKind::Government;
  Bloc bloc = Bloc::US;
  std::string default_bot;
  std::vector<std::string> actions;
  std::vector<ObjectiveDetails> objectives;  // empty when the asker may not see them
  std::string briefing;                      // idem
  bool operator==(const SeatDetails&) const = default;
};

struct EventDetails {
  std::string id;
  std::string title;
  std::string description;
  Visibility visibility = Visibility::Public;
  std::vector<std::string> audience;
  double probability = 0;
  bool once = true;
  bool operator==(const EventDetails&) const = default;
};

struct ScenarioDetails {
  std::string name;
  std::string description;
  std::string start;
  int rounds = 0;
  std::vector<SeatDetails> seats;
  std::vector<EventDetails> events;
  std::vector<ActionDetails> catalogue;
  std::vector<ActionDetails> injects;  // the engine's, with their parameters
  bool operator==(const ScenarioDetails&) const = default;
};

// Who asks, as ScenarioInfoRequest's comment in leadtime.fbs says: the
// facilitator (or a key holder, before a game exists) learns everything; a
// seat (its actor index) its own objectives and briefing and the public
// events; an observer (kNoActor) neither objectives nor briefings nor
// private events.
inline constexpr int kFullScenario = -2;

// The objectives of one seat, each with its metric's help.
std::vector<ObjectiveDetails> describe_objectives(const Scenario& scenario, int seat);
ScenarioDetails describe_scenario(const Scenario& scenario, const ScenarioTexts& texts, int asker);

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::ObjectiveInfo>>> to_wire(
    flatbuffers::FlatBufferBuilder& fbb, const std::vector<ObjectiveDetails>& objectives);
flatbuffers::Offset<wire::ScenarioInfo> to_wire(flatbuffers::FlatBufferBuilder& fbb, const ScenarioDetails& details);
// The answer to a ScenarioInfoRequest in one call:
//   build_scenario_info(fbb, scenario, game::scenario_texts(scenario), asker)
flatbuffers::Offset<wire::ScenarioInfo> build_scenario_info(flatbuffers::FlatBufferBuilder& fbb,
                                                            const Scenario& scenario, const ScenarioTexts& texts,
                                                            int asker);

std::vector<ObjectiveDetails> objectives_from_wire(
    const flatbuffers::Vector<flatbuffers::Offset<wire::ObjectiveInfo>>* objectives);
ScenarioDetails scenario_info_from_wire(const wire::ScenarioInfo& info);

}  // namespace leadtime::protocol

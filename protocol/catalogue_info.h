#pragma once

// The engine's action catalogue as the wire carries it (Catalogue,
// ActionInfo, ParamInfo in leadtime.fbs): each action once, with who may use
// it, its parameters' types, ranges, units, defaults and help, so a client
// in any language hard-codes no action. Plain values in between, so the
// terminal client's JSON and the wire say the same.
#include <flatbuffers/flatbuffers.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalogue.h"
#include "engine/state.h"
#include "protocol/leadtime_generated.h"

namespace leadtime::protocol {

struct ParamDetails {
  std::string name;
  std::string type;  // kParamTypeNames: "integer", "number", "boolean", "actor", "market", "bloc"
  double min = 0;
  double max = 0;
  std::string unit;
  std::string help;
  std::optional<double> default_value;
  std::vector<std::string> choices;  // ids an actor, market or bloc value may name
  std::string allowed;               // describe_allowed(): the words a rejection uses
  bool operator==(const ParamDetails&) const = default;
};

struct ActionDetails {
  std::string name;
  std::string help;
  std::vector<ActorKind> kinds;
  std::string bloc;                // "" any
  std::vector<std::string> seats;  // actors of the scenario that may use it
  std::vector<ParamDetails> params;
  bool operator==(const ActionDetails&) const = default;
};

// The value a seat holds before any order sets the parameter: the engine's
// default policy read through the action's own `apply`, when that is one
// value inside the parameter's range. nullopt for a parameter that picks a
// target (actor, market, bloc), or whose default lies outside its range
// (a vendor's chip price is unset until it is ordered).
std::optional<double> param_default(const ActionSpec& action, std::size_t param);

// Every action of the catalogue, in catalogue order. With `state` (a
// scenario's actors), each says which of its actors may use it and actor
// parameters list the actor ids they may name; without, those stay empty.
std::vector<ActionDetails> describe_catalogue(const State* state);
// The engine's injects (engine/injects.h) in the same form, for the
// facilitator's forms: no kinds, no seats.
std::vector<ActionDetails> describe_injects(const State* state);

flatbuffers::Offset<wire::ActionInfo> to_wire(flatbuffers::FlatBufferBuilder& fbb, const ActionDetails& action);
// A Catalogue message: describe_catalogue(state) under the scenario's name.
flatbuffers::Offset<wire::Catalogue> build_catalogue(flatbuffers::FlatBufferBuilder& fbb, const State* state,
                                                     std::string_view scenario_name);

std::vector<ActionDetails> catalogue_from_wire(const wire::Catalogue& catalogue);
std::vector<ActionDetails> actions_from_wire(const flatbuffers::Vector<flatbuffers::Offset<wire::ActionInfo>>* actions);

}  // namespace leadtime::protocol

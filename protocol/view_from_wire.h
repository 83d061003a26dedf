#pragma once

// The inverse of build_view() and friends: wire views back into engine
// values, for clients that want to reuse engine code on what the server sent
// (a Lua bot playing over the network, local order checks, status screens).
// Reads only verified buffers; a field the sender left out reads as the
// engine's default.
#include <vector>

#include "engine/state.h"
#include "engine/views.h"
#include "protocol/leadtime_generated.h"

namespace leadtime::protocol {

Bloc from_wire(wire::Bloc bloc);
ActorKind from_wire(wire::ActorKind kind);
Visibility from_wire(wire::Visibility visibility);

PublicIndicators from_wire(const wire::PublicIndicators& indicators);
std::vector<Event> events_from_wire(const flatbuffers::Vector<flatbuffers::Offset<wire::EventMsg>>* events);
Actor from_wire(const wire::SelfState& self);
Estimate from_wire(const wire::Estimate& estimate);
// Events keep their kind, text and visibility; the audience of a private
// event is not on the wire, so it reads as empty.
View view_from_wire(const wire::ViewMsg& view);

}  // namespace leadtime::protocol

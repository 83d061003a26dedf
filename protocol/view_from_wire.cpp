#include "protocol/view_from_wire.h"

#include <algorithm>

#include "protocol/wire_fields.h"

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

std::string str_of(const fb::String* s) { return s == nullptr ? std::string() : s->str(); }

}  // namespace

// Out-of-range enum values (a newer server) clamp to the last known one
// rather than indexing past the engine's name tables.
Bloc from_wire(wire::Bloc bloc) {
  return static_cast<Bloc>(std::min<int>(static_cast<int>(bloc), static_cast<int>(wire::Bloc::MAX)));
}
ActorKind from_wire(wire::ActorKind kind) {
  return static_cast<ActorKind>(std::min<int>(static_cast<int>(kind), static_cast<int>(wire::ActorKind::MAX)));
}
Visibility from_wire(wire::Visibility visibility) {
  return static_cast<Visibility>(std::min<int>(static_cast<int>(visibility), static_cast<int>(wire::Visibility::MAX)));
}

PublicIndicators from_wire(const wire::PublicIndicators& w) {
  PublicIndicators ind;
  wire_fields::read(wire_fields::table_of(w), ind);
  return ind;
}

std::vector<Event> events_from_wire(const fb::Vector<fb::Offset<wire::EventMsg>>* events) {
  std::vector<Event> out;
  if (events == nullptr) return out;
  out.reserve(events->size());
  for (const wire::EventMsg* e : *events) wire_fields::read(wire_fields::table_of(*e), out.emplace_back());
  return out;
}

Actor from_wire(const wire::SelfState& w) {
  Actor a;
  wire_fields::read(wire_fields::table_of(w), a);
  return a;
}

Estimate from_wire(const wire::Estimate& w) {
  Estimate e;
  wire_fields::read(wire_fields::table_of(w), e);
  return e;
}

View view_from_wire(const wire::ViewMsg& w) {
  View v;
  v.round = w.round();
  if (auto q = Quarter::parse(str_of(w.quarter()))) v.quarter = *q;
  v.viewer = w.viewer();
  if (const auto* self = w.self()) v.self = from_wire(*self);
  v.own_score = w.own_score();
  if (const auto* others = w.others()) {
    v.others.reserve(others->size());
    for (const wire::Estimate* e : *others) v.others.push_back(from_wire(*e));
  }
  if (const auto* ind = w.indicators()) v.indicators = from_wire(*ind);
  v.events = events_from_wire(w.events());
  return v;
}

}  // namespace leadtime::protocol

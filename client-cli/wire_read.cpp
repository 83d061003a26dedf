#include "client-cli/wire_read.h"

#include "protocol/convert.h"
#include "protocol/scalar_vectors.h"
#include "protocol/view_from_wire.h"

namespace leadtime::cli {

namespace {

std::string str_of(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::vector<std::string> strings_of(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  for (const auto* s : *v) out.push_back(s->str());
  return out;
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::Seat:
      return "seat";
    case Role::Observer:
      return "observer";
    case Role::Facilitator:
      return "facilitator";
    case Role::None:
      break;
  }
  return "none";
}

std::int64_t GameInfo::seconds_left_at(SteadyTime now) const {
  if (phase != "orders") return seconds_left;  // frozen while paused, meaningless otherwise
  const auto gone = std::chrono::duration_cast<std::chrono::seconds>(now - received).count();
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(seconds_left) - gone);
}

GameInfo read_game(const wire::GameSummary& s, SteadyTime now) {
  GameInfo g;
  g.game_id = str_of(s.game_id());
  g.scenario = str_of(s.scenario());
  g.round = s.round();
  g.rounds = s.rounds();
  g.phase = str_of(s.phase());
  g.open_seats = strings_of(s.open_seats());
  if (const auto* seats = s.seats()) {
    for (const wire::SeatSummary* seat : *seats) {
      g.seats.push_back(SeatInfo{str_of(seat->seat()), seat->bot(), str_of(seat->bot_path()), seat->connected(),
                                 seat->submitted(), seat->ready()});
    }
  }
  g.seconds_left = s.seconds_left();
  g.quarter = str_of(s.quarter());
  g.seed = s.seed();
  g.received = now;
  return g;
}

PressItem read_press(const wire::Press& p) {
  PressItem item;
  item.seq = p.seq();
  item.from = str_of(p.from());
  item.to = strings_of(p.to());
  item.text = str_of(p.text());
  return item;
}

RoundInfo read_round_result(const wire::RoundResult& r) {
  RoundInfo info;
  info.round = r.round();
  info.quarter = str_of(r.quarter());
  info.hash = r.hash();
  if (r.indicators() != nullptr) info.indicators = protocol::from_wire(*r.indicators());
  info.events = protocol::events_from_wire(r.events());
  info.from_result = true;
  return info;
}

std::vector<OrderDraft> read_orders(const flatbuffers::Vector<flatbuffers::Offset<wire::Order>>* orders) {
  std::vector<OrderDraft> out;
  if (orders == nullptr) return out;
  for (const wire::Order* o : *orders) out.push_back(protocol::from_wire(*o));
  return out;
}

FacilitatorInfo read_facilitator_view(const wire::FacilitatorView& v) {
  FacilitatorInfo info;
  info.round = v.round();
  info.quarter = str_of(v.quarter());
  if (const auto* actors = v.actors()) {
    for (const wire::SelfState* a : *actors) info.actors.push_back(protocol::from_wire(*a));
  }
  if (v.indicators() != nullptr) info.indicators = protocol::from_wire(*v.indicators());
  info.events = protocol::events_from_wire(v.events());
  if (const auto* orders = v.orders()) {
    for (const wire::SeatOrders* so : *orders) {
      info.orders.push_back(
          SeatOrdersInfo{str_of(so->seat()), so->bot(), str_of(so->member()), read_orders(so->orders())});
    }
  }
  if (const auto* scores = v.scores()) info.scores = protocol::scalars_of(*scores);
  if (const auto* submitted = v.submitted()) {
    for (const wire::SeatOrders* so : *submitted) {
      info.submitted.push_back(
          SeatOrdersInfo{str_of(so->seat()), so->bot(), str_of(so->member()), read_orders(so->orders())});
    }
  }
  return info;
}

GameEndInfo read_game_ended(const wire::GameEnded& e) {
  GameEndInfo info;
  info.reason = str_of(e.reason());
  if (const auto* scores = e.scores()) {
    for (const wire::SeatScore* s : *scores) info.scores.push_back(SeatScore{str_of(s->seat()), s->score()});
  }
  return info;
}

SubmitResult read_orders_accepted(const wire::OrdersAccepted& a) {
  SubmitResult r;
  r.accepted = a.accepted();
  if (const auto* rejected = a.rejected()) {
    for (const wire::OrderRejection* x : *rejected) {
      r.rejected.push_back({x->index(), str_of(x->action()), str_of(x->param()), str_of(x->message())});
    }
  }
  return r;
}

Role read_role(wire::Role role) {
  switch (role) {
    case wire::Role::Seat:
      return Role::Seat;
    case wire::Role::Facilitator:
      return Role::Facilitator;
    case wire::Role::Observer:
      break;
  }
  return Role::Observer;
}

}  // namespace leadtime::cli

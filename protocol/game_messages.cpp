#include "protocol/game_messages.h"

#include <algorithm>

#include "protocol/convert.h"
#include "protocol/wire_strings.h"

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

std::string seats_list(const State& state) {
  std::string seats;
  for (const Actor& a : state.actors) seats += (seats.empty() ? "" : ", ") + a.id;
  return seats;
}

SeatPlanError unknown_seat(const State& state, const std::string& seat, std::string_view where) {
  return {wire::ErrorCode::NotFound,
          "unknown seat '" + seat + "' in " + std::string(where) + " (seats: " + seats_list(state) + ")"};
}

bool no_bot(const std::string& path) { return path.empty() || path == "none"; }

fb::Offset<fb::Vector<fb::Offset<wire::Order>>> orders_to_wire(fb::FlatBufferBuilder& fbb,
                                                               const std::vector<OrderDraft>& orders) {
  std::vector<fb::Offset<wire::Order>> out;
  out.reserve(orders.size());
  for (const OrderDraft& o : orders) out.push_back(to_wire(fbb, o));
  return fbb.CreateVector(out);
}

fb::Offset<fb::Vector<fb::Offset<wire::SeatOrders>>> seat_orders_to_wire(fb::FlatBufferBuilder& fbb,
                                                                         std::span<const SeatOrdersDetails> seats) {
  std::vector<fb::Offset<wire::SeatOrders>> out;
  out.reserve(seats.size());
  for (const SeatOrdersDetails& s : seats) {
    const auto seat = fbb.CreateString(s.seat);
    const auto member = fbb.CreateString(s.member);
    const auto orders = orders_to_wire(fbb, s.orders);
    out.push_back(wire::CreateSeatOrders(fbb, seat, s.bot, member, orders));
  }
  return fbb.CreateVector(out);
}

}  // namespace

std::variant<SeatPlan, SeatPlanError> seat_plan(std::span<const std::string> people,
                                                std::span<const SeatBotChoice> bots, const Scenario& scenario) {
  const State& state = scenario.initial;
  SeatPlan plan;
  plan.bot_paths = scenario.default_bots;
  plan.bot_paths.resize(state.actors.size());
  std::vector<bool> person(state.actors.size(), false);
  for (const std::string& seat : people) {
    const int actor = state.find_actor(seat);
    if (actor == kNoActor) return unknown_seat(state, seat, "people");
    person[static_cast<std::size_t>(actor)] = true;
  }
  const bool explicit_people = !people.empty();
  for (const SeatBotChoice& b : bots) {
    const int actor = state.find_actor(b.seat);
    if (actor == kNoActor) return unknown_seat(state, b.seat, "bots");
    const auto i = static_cast<std::size_t>(actor);
    if (!no_bot(b.bot_path)) {
      if (person[i]) {
        return SeatPlanError{
            wire::ErrorCode::BadMessage,
            "seat '" + b.seat + "' is listed in people and given the bot " + b.bot_path + "; choose one"};
      }
      plan.bot_paths[i] = b.bot_path;
    } else if (!explicit_people) {
      plan.bot_paths[i].clear();  // the old form: no bot means people
    }
  }
  for (std::size_t i = 0; i < person.size(); ++i) {
    if (person[i]) plan.bot_paths[i].clear();
  }
  return plan;
}

std::vector<SeatBotChoice> seat_bots(const wire::CreateGame& message) {
  std::vector<SeatBotChoice> bots;
  if (message.bots() == nullptr) return bots;
  for (const wire::SeatBot* b : *message.bots()) bots.push_back({str_of(b->seat()), str_of(b->bot_path())});
  return bots;
}

std::variant<SeatPlan, SeatPlanError> seat_plan(const wire::CreateGame& message, const Scenario& scenario) {
  return seat_plan(strings_of(message.people()), seat_bots(message), scenario);
}

std::vector<OrderDraft> drafts_of(const State& state, std::span<const Order> orders) {
  std::vector<OrderDraft> out;
  out.reserve(orders.size());
  for (const Order& o : orders) out.push_back(to_draft(state, o));
  return out;
}

fb::Offset<wire::Joined> build_joined(fb::FlatBufferBuilder& fbb, const JoinedDetails& j) {
  const auto game_id = fbb.CreateString(j.game_id);
  const auto seat = fbb.CreateString(j.seat);
  const auto orders = orders_to_wire(fbb, j.orders);
  const auto member = fbb.CreateString(j.orders_member);
  const auto briefing = fbb.CreateString(j.briefing);
  const auto objectives = to_wire(fbb, j.objectives);
  const auto scenario = fbb.CreateString(j.scenario);
  wire::JoinedBuilder b(fbb);
  b.add_game_id(game_id);
  b.add_seat(seat);
  b.add_role(j.role);
  b.add_orders(orders);
  b.add_orders_member(member);
  b.add_ready(j.ready);
  b.add_round(j.round);
  b.add_briefing(briefing);
  b.add_objectives(objectives);
  b.add_scenario(scenario);
  return b.Finish();
}

fb::Offset<wire::FacilitatorView> build_facilitator_view(fb::FlatBufferBuilder& fbb, const State& state,
                                                         const PublicIndicators& indicators,
                                                         std::span<const Event> events,
                                                         std::span<const SeatOrdersDetails> played,
                                                         std::span<const SeatOrdersDetails> submitted) {
  std::vector<fb::Offset<wire::SelfState>> actors;
  actors.reserve(state.actors.size());
  for (const Actor& a : state.actors) actors.push_back(to_wire(fbb, a));
  const auto actors_vec = fbb.CreateVector(actors);
  const auto quarter = fbb.CreateString(state.quarter.str());
  const auto indicators_off = to_wire(fbb, indicators);
  const auto events_vec = build_events(fbb, events, actor_ids(state));
  const auto played_vec = seat_orders_to_wire(fbb, played);
  const auto submitted_vec = seat_orders_to_wire(fbb, submitted);
  const auto scores = fbb.CreateVector(state.outcomes.scores);
  return wire::CreateFacilitatorView(fbb, state.round, quarter, actors_vec, indicators_off, events_vec, played_vec,
                                     scores, submitted_vec);
}

}  // namespace leadtime::protocol

#include "server/net/frames.h"

#include "protocol/convert.h"

namespace leadtime::server::net {

namespace fb = flatbuffers;
namespace proto = leadtime::protocol;

namespace {

const std::string& actor_id(const State& state, int actor) {
  static const std::string none;
  if (actor < 0 || static_cast<std::size_t>(actor) >= state.actors.size()) return none;
  return state.actors[static_cast<std::size_t>(actor)].id;
}

fb::Offset<fb::Vector<fb::Offset<wire::Order>>> orders_to_wire(fb::FlatBufferBuilder& fbb, const State& state,
                                                               std::span<const Order> orders) {
  std::vector<fb::Offset<wire::Order>> out;
  out.reserve(orders.size());
  for (const Order& o : orders) out.push_back(proto::to_wire(fbb, to_draft(state, o)));
  return fbb.CreateVector(out);
}

}  // namespace

std::string unknown_seat_text(const State& state, std::string_view seat) {
  std::string seats;
  for (const Actor& a : state.actors) seats += (seats.empty() ? "" : ", ") + a.id;
  return "unknown seat '" + std::string(seat) + "' (seats: " + seats + ")";
}

wire::ErrorCode error_code(RefusalCode code) {
  switch (code) {
    case RefusalCode::WrongPhase:
      return wire::ErrorCode::WrongPhase;
    case RefusalCode::NotFound:
      return wire::ErrorCode::NotFound;
    case RefusalCode::NotAuthorised:
      return wire::ErrorCode::NotAuthorised;
    case RefusalCode::Invalid:
      break;
  }
  return wire::ErrorCode::BadMessage;
}

Frame refusal_frame(std::uint32_t request_id, const Refusal& refusal, std::string_view prefix) {
  return error_frame(request_id, error_code(refusal.code), std::string(prefix) + refusal.text);
}

Frame error_frame(std::uint32_t request_id, wire::ErrorCode code, std::string_view text) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_error(fbb, request_id, code, text));
}

Frame ack_frame(std::uint32_t request_id) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, wire::CreateAck(fbb, request_id));
}

Frame view_frame(const View& view) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, 0, proto::build_view(fbb, view));
}

Frame press_frame(const Message& message, const State& state) {
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<fb::String>> to;
  for (int t : message.to) to.push_back(fbb.CreateString(actor_id(state, t)));
  return proto::frame_message(
      fbb, 0,
      wire::CreatePressDirect(fbb, &to, message.text.c_str(), actor_id(state, message.from).c_str(), message.seq));
}

Frame round_result_frame(const RoundRecord& record, const Identity& who) {
  const int viewer = who.role == Role::Seat ? who.seat : kNoActor;
  std::vector<Event> events;
  for (const Event& e : record.events) {
    if (who.role == Role::Facilitator || may_see(e, viewer)) events.push_back(e);
  }
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(
      fbb, 0, proto::build_round_result(fbb, record.round + 1, record.quarter, record.hash, record.indicators, events));
}

Frame current_view_frame(const Game& game, const Identity& who) {
  return who.role == Role::Facilitator ? facilitator_view_frame(game) : view_frame(game.view_for(who));
}

Frame joined_frame(std::uint32_t request_id, const Game& game, const Identity& who) {
  const State& state = game.match().state();
  fb::FlatBufferBuilder fbb;
  const auto game_id = fbb.CreateString(game.id());
  const auto seat = fbb.CreateString(who.role == Role::Seat ? actor_id(state, who.seat) : std::string());
  fb::Offset<fb::Vector<fb::Offset<wire::Order>>> orders;
  fb::Offset<fb::String> member;
  bool ready = false;
  if (who.role == Role::Seat) {
    if (const auto& sub = game.submission(who.seat)) {
      orders = orders_to_wire(fbb, state, sub->orders);
      member = fbb.CreateString(sub->member);
    }
    ready = game.is_ready(who.seat);
  }
  wire::JoinedBuilder b(fbb);
  b.add_game_id(game_id);
  b.add_seat(seat);
  b.add_role(who.role == Role::Seat          ? wire::Role::Seat
             : who.role == Role::Facilitator ? wire::Role::Facilitator
                                             : wire::Role::Observer);
  b.add_orders(orders);
  b.add_orders_member(member);
  b.add_ready(ready);
  return proto::frame_message(fbb, request_id, b.Finish());
}

fb::Offset<wire::GameSummary> build_summary(fb::FlatBufferBuilder& fbb, const Game& game, const Attendance& attendance,
                                            TimePoint now) {
  const State& state = game.match().state();
  const GameStatus st = game.status(now);
  std::vector<fb::Offset<fb::String>> open;
  std::vector<fb::Offset<wire::SeatSummary>> seats;
  for (std::size_t i = 0; i < st.seats.size(); ++i) {
    const SeatStatus& s = st.seats[i];
    const int connected = i < attendance.connected.size() ? attendance.connected[i] : 0;
    if (!s.bot && connected == 0) open.push_back(fbb.CreateString(state.actors[i].id));
    seats.push_back(wire::CreateSeatSummaryDirect(fbb, state.actors[i].id.c_str(), s.bot, s.bot_path.c_str(), connected,
                                                  s.submitted, s.ready));
  }
  return wire::CreateGameSummaryDirect(fbb, game.id().c_str(), game.match().scenario().name.c_str(), st.round,
                                       st.rounds, std::string(phase_name(st.phase, st.paused)).c_str(), &open, &seats,
                                       static_cast<std::uint32_t>(st.time_left.count()), state.quarter.str().c_str(),
                                       game.match().seed());
}

Frame summary_frame(const Game& game, const Attendance& attendance, TimePoint now) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, 0, build_summary(fbb, game, attendance, now));
}

// Everything, exactly: every actor's state, every event of the last round,
// and what every seat (bots too) played in it.
Frame facilitator_view_frame(const Game& game) {
  const Match& match = game.match();
  const State& state = match.state();
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<wire::SelfState>> actors;
  for (const Actor& a : state.actors) actors.push_back(proto::to_wire(fbb, a));
  std::vector<fb::Offset<wire::SeatOrders>> played;
  fb::Offset<fb::Vector<fb::Offset<wire::EventMsg>>> events;
  if (!match.history().empty()) {
    const RoundRecord& last = match.history().back();
    events = proto::build_events(fbb, last.events);
    for (std::size_t i = 0; i < last.orders.size(); ++i) {
      const PlayedBy by = i < game.last_played().size() ? game.last_played()[i] : PlayedBy{};
      const auto orders = orders_to_wire(fbb, state, last.orders[i]);
      played.push_back(wire::CreateSeatOrders(fbb, fbb.CreateString(state.actors[i].id), by.bot,
                                              fbb.CreateString(by.member), orders));
    }
  }
  const auto indicators = proto::to_wire(fbb, public_indicators(state, match.scenario().coef));
  const auto quarter = fbb.CreateString(state.quarter.str());
  const auto actors_vec = fbb.CreateVector(actors);
  const auto played_vec = fbb.CreateVector(played);
  const auto scores = fbb.CreateVector(state.outcomes.scores);
  return proto::frame_message(
      fbb, 0,
      wire::CreateFacilitatorView(fbb, state.round, quarter, actors_vec, indicators, events, played_vec, scores));
}

Frame game_ended_frame(const Game& game, std::string_view reason) {
  const State& state = game.match().state();
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<wire::SeatScore>> scores;
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const double score = i < state.outcomes.scores.size() ? state.outcomes.scores[i] : 0.0;
    scores.push_back(wire::CreateSeatScoreDirect(fbb, state.actors[i].id.c_str(), score));
  }
  return proto::frame_message(fbb, 0, wire::CreateGameEndedDirect(fbb, std::string(reason).c_str(), &scores));
}

}  // namespace leadtime::server::net

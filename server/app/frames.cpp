#include "server/app/frames.h"

#include "game/briefing.h"
#include "protocol/convert.h"
#include "protocol/game_messages.h"

namespace leadtime::server::app {

namespace fb = flatbuffers;
namespace proto = leadtime::protocol;

namespace {

const std::string& actor_id(const State& state, int actor) {
  static const std::string none;
  if (actor < 0 || static_cast<std::size_t>(actor) >= state.actors.size()) return none;
  return state.actors[static_cast<std::size_t>(actor)].id;
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

Frame round_result_frame(const RoundRecord& record, const Identity& who, std::span<const std::string> ids) {
  const int viewer = who.role == Role::Seat ? who.seat : kNoActor;
  std::vector<Event> events;
  for (const Event& e : record.events) {
    if (who.role == Role::Facilitator || may_see(e, viewer)) events.push_back(e);
  }
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(
      fbb, 0,
      proto::build_round_result(fbb, record.round + 1, record.quarter, record.hash, record.indicators, events, ids));
}

Frame current_view_frame(const Game& game, const Identity& who) {
  return who.role == Role::Facilitator ? facilitator_view_frame(game) : view_frame(game.view_for(who));
}

wire::Role wire_role(Role role) {
  switch (role) {
    case Role::Seat:
      return wire::Role::Seat;
    case Role::Facilitator:
      return wire::Role::Facilitator;
    case Role::Observer:
      break;
  }
  return wire::Role::Observer;
}

// A seat gets its orders in hand for the open round (after a reconnect these
// are the round's orders, whatever the client remembers), its briefing and
// its objectives.
Frame joined_frame(std::uint32_t request_id, const Game& game, const Identity& who) {
  const Scenario& scenario = game.match().scenario();
  const State& state = game.match().state();
  proto::JoinedDetails joined;
  joined.game_id = game.id();
  joined.role = wire_role(who.role);
  joined.round = state.round;
  joined.scenario = scenario.name;
  if (who.role == Role::Seat) {
    joined.seat = actor_id(state, who.seat);
    if (const auto& sub = game.submission(who.seat)) {
      joined.orders = proto::drafts_of(state, sub->orders);
      joined.orders_member = sub->member;
    }
    joined.ready = game.is_ready(who.seat);
    joined.briefing = game::seat_briefing(scenario, who.seat);
    joined.objectives = proto::describe_objectives(scenario, who.seat);
  }
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_joined(fbb, joined));
}

Summary summarize(const Game& game, const Attendance& attendance, TimePoint now) {
  const State& state = game.match().state();
  Summary out{game.id(),           game.match().scenario().name, {}, game.status(now), attendance,
              state.quarter.str(), game.match().seed()};
  for (const Actor& a : state.actors) out.seat_ids.push_back(a.id);
  return out;
}

fb::Offset<wire::GameSummary> build_summary(fb::FlatBufferBuilder& fbb, const Summary& summary) {
  const GameStatus& st = summary.status;
  std::vector<fb::Offset<fb::String>> open;
  std::vector<fb::Offset<wire::SeatSummary>> seats;
  for (std::size_t i = 0; i < st.seats.size() && i < summary.seat_ids.size(); ++i) {
    const SeatStatus& s = st.seats[i];
    const auto& connected_per_seat = summary.attendance.connected;
    const int connected = i < connected_per_seat.size() ? connected_per_seat[i] : 0;
    // A game that is over waits for nobody.
    const bool waiting = st.phase != Phase::Finished && !s.bot && connected == 0;
    if (waiting) open.push_back(fbb.CreateString(summary.seat_ids[i]));
    seats.push_back(wire::CreateSeatSummaryDirect(fbb, summary.seat_ids[i].c_str(), s.bot, s.bot_path.c_str(),
                                                  connected, s.submitted, s.ready));
  }
  return wire::CreateGameSummaryDirect(fbb, summary.game_id.c_str(), summary.scenario.c_str(), st.round, st.rounds,
                                       std::string(phase_name(st.phase, st.paused)).c_str(), &open, &seats,
                                       static_cast<std::uint32_t>(st.time_left.count()), summary.quarter.c_str(),
                                       summary.seed);
}

Frame summary_frame(const Game& game, const Attendance& attendance, TimePoint now) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, 0, build_summary(fbb, summarize(game, attendance, now)));
}

namespace {

// What each seat played in the last round, bots' too.
std::vector<proto::SeatOrdersDetails> last_round_orders(const Game& game) {
  const Match& match = game.match();
  const State& state = match.state();
  std::vector<proto::SeatOrdersDetails> played;
  if (match.history().empty()) return played;
  const RoundRecord& last = match.history().back();
  for (std::size_t i = 0; i < last.orders.size(); ++i) {
    const PlayedBy by = i < game.last_played().size() ? game.last_played()[i] : PlayedBy{};
    played.push_back({state.actors[i].id, by.bot, by.member, proto::drafts_of(state, last.orders[i])});
  }
  return played;
}

// What people have submitted for the open round so far.
std::vector<proto::SeatOrdersDetails> submitted_orders(const Game& game) {
  const State& state = game.match().state();
  std::vector<proto::SeatOrdersDetails> submitted;
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const auto& sub = game.submission(static_cast<int>(i));
    if (sub) submitted.push_back({state.actors[i].id, false, sub->member, proto::drafts_of(state, sub->orders)});
  }
  return submitted;
}

}  // namespace

Frame facilitator_view_frame(const Game& game) {
  const Match& match = game.match();
  const State& state = match.state();
  const std::span<const Event> events =
      match.history().empty() ? std::span<const Event>() : std::span<const Event>(match.history().back().events);
  fb::FlatBufferBuilder fbb;
  const auto view = proto::build_facilitator_view(fbb, state, public_indicators(state, match.scenario().coef), events,
                                                  last_round_orders(game), submitted_orders(game));
  return proto::frame_message(fbb, 0, view);
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

}  // namespace leadtime::server::app

#include "server/net/codec.h"

#include "game/briefing.h"
#include "protocol/catalogue_info.h"
#include "protocol/convert.h"
#include "protocol/scenario_info.h"
#include "protocol/wire_strings.h"

namespace leadtime::server::net {

namespace proto = leadtime::protocol;
namespace fb = flatbuffers;

namespace {

std::string text_of(const fb::String* s) { return s ? s->str() : std::string(); }

}  // namespace

app::CreateGame decode(const wire::CreateGame& msg) {
  app::CreateGame out;
  out.facilitator_key = text_of(msg.facilitator_key());
  out.scenario_path = text_of(msg.scenario_path());
  out.people = proto::strings_of(msg.people());
  out.bots = proto::seat_bots(msg);
  out.seed = msg.seed();
  out.deadline_seconds = msg.deadline_seconds();
  return out;
}

app::ListGames decode(const wire::ListGames& msg) { return {text_of(msg.facilitator_key())}; }

app::Join decode(std::uint32_t request_id, const wire::Join& msg) {
  return {text_of(msg.token()), text_of(msg.member_name()), msg.last_press_seq(), msg.last_round(), request_id};
}

app::Press decode(const wire::Press& msg) {
  app::Press out;
  if (msg.to() != nullptr) {
    for (const auto* s : *msg.to()) out.to.push_back(s->str());
  }
  out.text = text_of(msg.text());
  return out;
}

app::Command decode(const wire::FacilitatorCommand& msg) {
  return {msg.command(),
          Seconds{msg.seconds()},
          text_of(msg.seat()),
          text_of(msg.event_id()),
          text_of(msg.bot_path()),
          msg.round(),
          proto::args_from_wire(msg.args())};
}

app::ScenarioQuestion decode(const wire::CatalogueRequest& msg) {
  return {text_of(msg.scenario_path()), text_of(msg.facilitator_key())};
}

app::ScenarioQuestion decode(const wire::ScenarioInfoRequest& msg) {
  return {text_of(msg.scenario_path()), text_of(msg.facilitator_key())};
}

Frame encode(std::uint32_t request_id, const app::Failure& failure) {
  return app::error_frame(request_id, failure.code, failure.text);
}

Frame encode(std::uint32_t request_id, const app::GameCreated& created) {
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<wire::SeatToken>> seats;
  for (const app::SeatToken& s : created.seats) {
    seats.push_back(wire::CreateSeatTokenDirect(fbb, s.seat.c_str(), s.token.c_str()));
  }
  return proto::frame_message(
      fbb, request_id,
      wire::CreateGameCreatedDirect(fbb, created.game_id.c_str(), created.facilitator_token.c_str(),
                                    created.observer_token.c_str(), &seats));
}

Frame encode(std::uint32_t request_id, const app::GameList& list) {
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<wire::GameSummary>> games;
  for (const app::Summary& s : list) games.push_back(app::build_summary(fbb, s));
  return proto::frame_message(fbb, request_id, wire::CreateGameListDirect(fbb, &games));
}

Frame encode(std::uint32_t request_id, const app::OrdersTaken& taken) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_orders_accepted(fbb, taken.accepted, taken.errors));
}

Frame encode(std::uint32_t request_id, const app::Done& /*done*/) { return app::ack_frame(request_id); }

Frame encode(std::uint32_t request_id, const app::SaveFile& file) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, wire::CreateSaveFileDirect(fbb, file.game_id.c_str(), &file.bytes));
}

Frame encode(std::uint32_t request_id, const app::ScenarioOf& of) {
  fb::FlatBufferBuilder fbb;
  const Scenario& scenario = *of.scenario;
  return proto::frame_message(fbb, request_id,
                              proto::build_scenario_info(fbb, scenario, game::scenario_texts(scenario), of.asker));
}

Frame encode(std::uint32_t request_id, const app::CatalogueOf& of) {
  fb::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_catalogue(fbb, &of.scenario->initial, of.scenario->name));
}

}  // namespace leadtime::server::net

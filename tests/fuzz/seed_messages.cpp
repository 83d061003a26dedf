#include "tests/fuzz/seed_messages.h"

#include <cmath>

#include "engine/catalogue.h"
#include "engine/match.h"
#include "protocol/convert.h"
#include "protocol/framing.h"

namespace leadtime::fuzz::seeds {

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using flatbuffers::FlatBufferBuilder;

namespace {

template <typename T>
Bytes envelope(FlatBufferBuilder& fbb, std::uint32_t rid, flatbuffers::Offset<T> msg) {
  proto::finish_envelope(fbb, rid, msg);
  return Bytes(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

// A plausible value for every parameter: the middle of a range, a seat of
// the right kind, a market or bloc.
lt::ArgValue plausible(const lt::State& state, const lt::ParamSpec& p, int self) {
  switch (p.type) {
    case lt::ParamType::Int:
      return std::floor((p.min + p.max) / 2);
    case lt::ParamType::Real:
      return p.min + (p.max - p.min) / 4;
    case lt::ParamType::Bool:
      return true;
    case lt::ParamType::Actor:
      for (std::size_t i = 0; i < state.actors.size(); ++i) {
        if (static_cast<int>(i) != self && (p.actor_kinds & lt::kind_bit(state.actors[i].kind)) != 0) {
          return state.actors[i].id;
        }
      }
      return state.actors[0].id;
    case lt::ParamType::Market:
      return std::string("ROW");
    case lt::ParamType::Bloc:
      return std::string("CN");
  }
  return 0.0;
}

// Every action `seat` may give, with plausible arguments.
std::vector<lt::OrderDraft> all_orders(const lt::State& state, int seat) {
  std::vector<lt::OrderDraft> out;
  for (const lt::ActionSpec& spec : lt::catalogue()) {
    if (!lt::action_allowed(spec, state.actors[static_cast<std::size_t>(seat)])) continue;
    lt::OrderDraft d{std::string(spec.name), {}};
    for (const lt::ParamSpec& p : spec.params) d.args.emplace_back(std::string(p.name), plausible(state, p, seat));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Messages messages(const lt::Scenario& scenario) {
  Messages m;
  const lt::State& initial = scenario.initial;
  auto client = [&m](const std::string& name, Bytes b) { m.client.emplace_back(name, std::move(b)); };
  auto server = [&m](const std::string& name, Bytes b) { m.server.emplace_back(name, std::move(b)); };
  {
    FlatBufferBuilder f;
    client("hello", envelope(f, 1, wire::CreateHelloDirect(f, proto::kProtocolVersion, "leadtime-cli 0.1")));
  }
  {
    FlatBufferBuilder f;
    client("hello_v2", envelope(f, 1, wire::CreateHelloDirect(f, 2, "future")));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<wire::SeatBot>> bots = {
        wire::CreateSeatBotDirect(f, "us", "none"), wire::CreateSeatBotDirect(f, "cn", "scripts/bots/cn_shortcut.lua")};
    client("create_game", envelope(f, 10, wire::CreateCreateGameDirect(f, "", 7, 60, &bots, kKey)));
  }
  {
    FlatBufferBuilder f;
    client("create_game_path",
           envelope(f, 11, wire::CreateCreateGameDirect(f, "tests/lua/data/minimal.lua", 3, 0, nullptr, kKey)));
  }
  {
    FlatBufferBuilder f;
    client("create_game_escape",
           envelope(f, 12, wire::CreateCreateGameDirect(f, "../../etc/passwd", 0, 1, nullptr, "wrong key")));
  }
  {
    FlatBufferBuilder f;
    client("list_games", envelope(f, 13, wire::CreateListGamesDirect(f, kKey)));
  }
  {
    FlatBufferBuilder f;
    client("join", envelope(f, 14, wire::CreateJoinDirect(f, "00112233445566778899aabbccddeeff", "ann", 3, 2)));
  }
  for (std::size_t seat = 0; seat < initial.actors.size(); ++seat) {
    FlatBufferBuilder f;
    const auto drafts = all_orders(initial, static_cast<int>(seat));
    m.orders_per_seat.push_back(envelope(f, 20, proto::build_submit_orders(f, drafts)));
  }
  client("submit_orders", m.orders_per_seat[0]);
  {
    // Every argument kind, a wrong kind and an unknown action.
    FlatBufferBuilder f;
    const std::vector<lt::OrderDraft> drafts = {{"set_export_tier", {{"target", std::string("CN")}, {"tier", 1.0}}},
                                                {"set_anti_distillation_law", {{"on", true}}},
                                                {"set_enforcement", {{"usd_b", std::string("lots")}}},
                                                {"launch_rockets", {{"count", 3.0}}}};
    client("submit_mixed", envelope(f, 21, proto::build_submit_orders(f, drafts)));
  }
  {
    FlatBufferBuilder f;
    client("ready", envelope(f, 22, wire::CreateReady(f, true)));
  }
  {
    FlatBufferBuilder f;
    client("not_ready", envelope(f, 23, wire::CreateReady(f, false)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to = {f.CreateString("cn"), f.CreateString("eu_lab")};
    client("press", envelope(f, 24, wire::CreatePressDirect(f, &to, "shall we talk?", "spoofed", 99)));
  }
  {
    FlatBufferBuilder f;
    client("press_public", envelope(f, 25, wire::CreatePressDirect(f, nullptr, "to everyone")));
  }
  {
    FlatBufferBuilder f;
    client("ping", envelope(f, 26, wire::CreatePing(f, 0x0123456789abcdefULL)));
  }
  const std::string event = scenario.events.empty() ? "none" : scenario.events.front().id;
  struct Cmd {
    const char* name;
    wire::Command command;
    std::uint32_t seconds;
    const char* seat;
    const char* event_id;
    const char* bot;
    int round;
  };
  const Cmd cmds[] = {
      {"start", wire::Command::Start, 0, "", "", "", 0},
      {"pause", wire::Command::Pause, 0, "", "", "", 0},
      {"resume", wire::Command::Resume, 0, "", "", "", 0},
      {"extend", wire::Command::Extend, 120, "", "", "", 0},
      {"shorten", wire::Command::Shorten, 30, "", "", "", 0},
      {"force", wire::Command::Force, 0, "", "", "", 0},
      {"inject", wire::Command::Inject, 0, "", event.c_str(), "", 0},
      {"swap_to_bot", wire::Command::SwapToBot, 0, "cn", "", "", 0},
      {"swap_to_bot_path", wire::Command::SwapToBot, 0, "us_lab", "", "scripts/bots/lab_racer.lua", 0},
      {"swap_to_person", wire::Command::SwapToPerson, 0, "cn", "", "", 0},
      {"kick", wire::Command::Kick, 0, "eu", "", "", 0},
      {"end", wire::Command::End, 0, "", "", "", 0},
      {"rollback", wire::Command::Rollback, 0, "", "", "", 0},
      {"branch", wire::Command::Branch, 0, "", "", "", 1},
      {"export", wire::Command::Export, 0, "", "", "", 0},
  };
  std::uint32_t rid = 30;
  for (const Cmd& c : cmds) {
    FlatBufferBuilder f;
    client(std::string("command_") + c.name,
           envelope(f, rid++,
                    wire::CreateFacilitatorCommandDirect(f, c.command, "g1", c.seconds, c.seat, c.event_id, c.bot,
                                                         c.round)));
  }

  // What the server sends (a client must never send these).
  lt::Match match(std::make_shared<const lt::Scenario>(scenario), 5);
  match.play_round({});
  const lt::State& s = match.state();
  {
    FlatBufferBuilder f;
    server("welcome", envelope(f, 1, wire::CreateWelcomeDirect(f, "0.1.0", proto::kProtocolVersion, 1800)));
  }
  {
    FlatBufferBuilder f;
    server("pong", envelope(f, 26, wire::CreatePong(f, 0x0123456789abcdefULL)));
  }
  {
    FlatBufferBuilder f;
    server("error", envelope(f, 2, proto::build_error(f, 2, wire::ErrorCode::NotFound, "no such game")));
  }
  {
    FlatBufferBuilder f;
    server("ack", envelope(f, 3, wire::CreateAck(f, 3)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(f, "us", "tok-us")};
    server("game_created", envelope(f, 4, wire::CreateGameCreatedDirect(f, "g1", "tok-f", "tok-o", &seats)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<flatbuffers::String>> open = {f.CreateString("cn")};
    std::vector<flatbuffers::Offset<wire::SeatSummary>> seats = {
        wire::CreateSeatSummaryDirect(f, "us", true, "scripts/bots/us_hawk.lua", 1, true, false)};
    auto summary = wire::CreateGameSummaryDirect(f, "g1", "2028", 1, 10, "orders", &open, &seats, 50, "2026Q4", 5);
    std::vector<flatbuffers::Offset<wire::GameSummary>> games = {summary};
    server("game_list", envelope(f, 5, wire::CreateGameListDirect(f, &games)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<flatbuffers::String>> open = {f.CreateString("cn")};
    server("game_summary", envelope(f, 0, wire::CreateGameSummaryDirect(f, "g1", "2028", 1, 10, "paused", &open)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<wire::Order>> orders = {
        proto::to_wire(f, lt::OrderDraft{"set_export_tier", {{"target", std::string("CN")}, {"tier", 0.0}}})};
    server("joined", envelope(f, 6, wire::CreateJoinedDirect(f, "g1", "us", wire::Role::Seat, &orders, "ann", true)));
  }
  {
    FlatBufferBuilder f;
    const std::vector<lt::OrderError> errors = {{1, "set_enforcement", "usd_b", "usd_b is 'lots', allowed 0 to 50"}};
    server("orders_accepted", envelope(f, 7, proto::build_orders_accepted(f, 1, errors)));
  }
  {
    FlatBufferBuilder f;
    server("view", envelope(f, 0, proto::build_view(f, lt::make_view(s, scenario.coef, 1))));
  }
  {
    FlatBufferBuilder f;
    const auto& rec = match.history().back();
    server("round_result",
           envelope(f, 0, proto::build_round_result(f, 1, rec.quarter, rec.hash, rec.indicators, s.events)));
  }
  {
    FlatBufferBuilder f;
    const Bytes data = {1, 2, 3, 4};
    server("save_file", envelope(f, 8, wire::CreateSaveFileDirect(f, "g1", &data)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<wire::SelfState>> actors;
    for (const lt::Actor& a : s.actors) actors.push_back(proto::to_wire(f, a));
    const std::vector<double> scores(s.actors.size(), 0.5);
    server("facilitator_view",
           envelope(f, 0,
                    wire::CreateFacilitatorViewDirect(f, 1, "2026Q4", &actors,
                                                      proto::to_wire(f, lt::public_indicators(s, scenario.coef)),
                                                      nullptr, nullptr, &scores)));
  }
  {
    FlatBufferBuilder f;
    std::vector<flatbuffers::Offset<wire::SeatScore>> scores = {wire::CreateSeatScoreDirect(f, "us", 1.5)};
    server("game_ended", envelope(f, 0, wire::CreateGameEndedDirect(f, "the facilitator ended the game", &scores)));
  }
  return m;
}

Bytes framed(const Bytes& payload) {
  Bytes out = proto::encode_frame(payload);
  return out;
}

}  // namespace leadtime::fuzz::seeds

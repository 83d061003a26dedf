#pragma once

// What the client's core tests share: the default scenario, views, wire
// payloads as the transport hands them on, and a model fed with them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "client-cli/session.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "protocol/convert.h"

namespace client_testing {

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using leadtime::cli::ClientModel;
using leadtime::cli::Role;

inline const lt::Scenario& scenario() {
  static const lt::Scenario s = [] {
    auto loaded = lt::load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

inline lt::View view_of(const std::string& seat) {
  const lt::State state = lt::initial_state(scenario(), 5);
  return lt::make_view(state, scenario().coef, state.find_actor(seat));
}

// A finished envelope without its length prefix, as the transport hands it on.
template <typename T>
std::vector<std::uint8_t> payload(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t request_id,
                                  flatbuffers::Offset<T> message) {
  auto framed = proto::frame_message(fbb, request_id, message);
  return {framed.begin() + proto::kLengthPrefixBytes, framed.end()};
}

inline std::vector<std::uint8_t> view_payload(const lt::View& view) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, 0, proto::build_view(fbb, view));
}

inline std::vector<std::uint8_t> press_payload(const std::string& from, const std::string& text, std::uint64_t seq) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> to = {fbb.CreateString("us")};
  return payload(fbb, 0, wire::CreatePressDirect(fbb, &to, text.c_str(), from.c_str(), seq));
}

inline std::vector<std::uint8_t> summary_payload(bool cn_bot) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatSummary>> seats = {
      wire::CreateSeatSummaryDirect(fbb, "us", false, "", 1),
      wire::CreateSeatSummaryDirect(fbb, "cn", cn_bot, cn_bot ? "scripts/bots/cn_shortcut.lua" : "", 1)};
  return payload(fbb, 0,
                 wire::CreateGameSummaryDirect(fbb, "g1", "2028", 1, 10, "orders", nullptr, &seats, 300, "2026Q4", 7));
}

inline void feed(ClientModel& model, const std::vector<std::uint8_t>& bytes) {
  const auto verified = proto::verify_envelope(bytes);
  REQUIRE(verified);
  model.apply_push(*verified.envelope, std::chrono::steady_clock::now());
}

inline ClientModel seat_model(const std::string& seat) {
  ClientModel m;
  m.role = Role::Seat;
  m.seat = seat;
  m.game_id = "g1";
  feed(m, view_payload(view_of(seat)));
  return m;
}

}  // namespace client_testing

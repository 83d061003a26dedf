#pragma once

// A fake server for the client's session tests (facilitator_kit_test.cpp,
// handouts_test.cpp): a transport that answers each request with frames of
// the test's choosing and can drop the line, a sink that keeps what was
// shown, and a game after round 1 as its facilitator sees it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <deque>
#include <filesystem>
#include <functional>

#include "client-cli/session.h"
#include "engine/text.h"
#include "game/briefing.h"
#include "protocol/game_messages.h"
#include "tests/client/core_fixture.h"

namespace kit_testing {

using namespace client_testing;
using namespace leadtime::cli;

using Frames = std::vector<std::vector<std::uint8_t>>;

// A server in a test: answers each request with frames of its choosing, and
// can drop the line and take it back.
class ScriptedTransport final : public Transport {
 public:
  using Responder = std::function<Frames(const wire::Envelope&)>;
  // `web_url`: what the server's Welcome says of its browser pages.
  explicit ScriptedTransport(Responder respond, std::string web_url = {})
      : respond_(std::move(respond)), web_url_(std::move(web_url)) {
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}, web_url_});
  }
  bool send(std::vector<std::uint8_t> frame) override {
    std::vector<std::uint8_t> body(frame.begin() + proto::kLengthPrefixBytes, frame.end());
    const auto verified = proto::verify_envelope(body);
    REQUIRE(verified);
    sent.push_back(verified.envelope->message_type());
    sent_frames.push_back(body);
    for (auto& reply : respond_(*verified.envelope)) events_.push_back({NetEvent::Kind::Frame, {}, false, reply, {}});
    return true;
  }
  std::optional<NetEvent> next_event(std::chrono::milliseconds) override {
    if (events_.empty()) return std::nullopt;
    NetEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }
  void reconnect() override {}
  [[nodiscard]] int wake_fd() const override { return -1; }
  [[nodiscard]] std::string address() const override { return "fake:1"; }
  // The line drops and comes back (the server restarted).
  void drop_and_return() {
    events_.push_back({NetEvent::Kind::Disconnected, "connection reset", false, {}, {}});
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}, web_url_});
  }
  std::vector<wire::Message> sent;
  std::vector<std::vector<std::uint8_t>> sent_frames;

 private:
  Responder respond_;
  std::string web_url_;
  std::deque<NetEvent> events_;
};

struct Collect final : Sink {
  void emit(const Output& o) override {
    text += o.text + "\n";
    if (o.error) errors += o.text + "\n";
    if (!o.json.is_null()) json.push_back(o.json);
  }
  std::string text;
  std::string errors;
  std::vector<nlohmann::json> json;
  // The last JSON output of a type.
  nlohmann::json last(const std::string& type) const {
    for (auto it = json.rbegin(); it != json.rend(); ++it) {
      if ((*it)["type"] == type) return *it;
    }
    return nullptr;
  }
};

struct TempDir {
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("leadtime-client-kit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

inline SessionOptions options_in(const TempDir& dir, std::string token = "t") {
  SessionOptions o;
  o.token = std::move(token);
  o.tokens_file = (dir.path / "tokens.json").string();
  o.facilitator_key = "key";
  return o;
}

inline lt::OrderDraft order(std::string action, std::string param, double value) {
  return lt::OrderDraft{std::move(action), {{std::move(param), lt::ArgValue{value}}}};
}

inline std::vector<std::uint8_t> joined_payload(std::uint32_t rid, const proto::JoinedDetails& details) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_joined(fbb, details));
}

inline std::vector<std::uint8_t> scenario_payload(std::uint32_t rid, int asker) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_scenario_info(fbb, scenario(), lt::game::scenario_texts(scenario()), asker));
}

inline std::vector<std::uint8_t> error_payload(std::uint32_t rid, const char* text) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_error(fbb, rid, wire::ErrorCode::BadMessage, text));
}

// A game after round 1 as its facilitator sees it: us played by people,
// cn by a bot; us has sent orders for round 2, cn's bot decides later.
struct FacilitatorServer {
  lt::State state = lt::initial_state(scenario(), 5);
  std::vector<std::string> injected;

  Frames answer(const wire::Envelope& env) {
    Frames out;
    const std::uint32_t rid = env.request_id();
    flatbuffers::FlatBufferBuilder fbb;
    switch (env.message_type()) {
      case wire::Message::Join: {
        proto::JoinedDetails j;
        j.game_id = "g1";
        j.role = wire::Role::Facilitator;
        j.round = 1;
        out.push_back(joined_payload(rid, j));
        out.push_back(view());
        out.push_back(summary());
        break;
      }
      case wire::Message::ScenarioInfoRequest:
        out.push_back(scenario_payload(rid, proto::kFullScenario));
        break;
      case wire::Message::FacilitatorCommand: {
        // "id name=value ...": the event and its arguments as they came.
        const auto* command = env.message_as_FacilitatorCommand();
        std::string line = command->event_id()->str();
        for (const auto& [name, value] : proto::args_from_wire(command->args())) {
          line += " " + name + "=";
          if (const auto* number = std::get_if<double>(&value)) line += lt::format_number(*number);
          if (const auto* text = std::get_if<std::string>(&value)) line += *text;
        }
        injected.push_back(line);
        out.push_back(payload(fbb, rid, wire::CreateAck(fbb, rid)));
        break;
      }
      default:
        out.push_back(error_payload(rid, "unexpected"));
    }
    return out;
  }

  std::vector<std::uint8_t> view() {
    state.round = 1;
    const std::vector<proto::SeatOrdersDetails> played = {{"us", false, "ana", {order("set_enforcement", "usd_b", 2)}},
                                                          {"cn", true, "", {order("set_smuggling", "usd_b", 1)}},
                                                          {"eu", false, "", {}}};
    const std::vector<proto::SeatOrdersDetails> submitted = {
        {"us", false, "bo", {order("set_cloud_kyc", "strength", 0.8)}}};
    flatbuffers::FlatBufferBuilder fbb;
    return payload(fbb, 0,
                   proto::build_facilitator_view(fbb, state, lt::public_indicators(state, scenario().coef), {}, played,
                                                 submitted));
  }

  static std::vector<std::uint8_t> summary() {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatSummary>> seats = {
        wire::CreateSeatSummaryDirect(fbb, "us", false, "", 1, true, false),
        wire::CreateSeatSummaryDirect(fbb, "cn", true, "scripts/bots/cn_shortcut.lua", 0),
        wire::CreateSeatSummaryDirect(fbb, "eu", false, "", 0, true, false)};
    return payload(
        fbb, 0, wire::CreateGameSummaryDirect(fbb, "g1", "2028", 1, 10, "orders", nullptr, &seats, 300, "2026Q4", 5));
  }
};

}  // namespace kit_testing

#pragma once

// A test server on a free port and a blocking test client, shared by the
// loopback tests.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "protocol/asio.h"

#include "protocol/convert.h"
#include "server/net/server.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace net_testing {

// A server on a free port, run by a background thread.
struct TestServer {
  asio::io_context io;
  std::optional<lt::server::net::Server> server;
  std::thread thread;

  // `prepare`: what the server is given before it starts (the web listener).
  explicit TestServer(lt::server::net::ServerOptions o = {},
                      const std::function<void(lt::server::net::Server&)>& prepare = {}) {
    o.port = 0;
    server.emplace(io, o);
    if (prepare) prepare(*server);
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  ~TestServer() {
    server->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    io.stop();
    thread.join();
  }
};

// A blocking client; every read gives up after a few seconds.
struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  proto::FrameDecoder decoder;
  std::vector<std::uint8_t> current;  // the frame the last envelope points into
  std::uint32_t next_id = 1;

  // `from`: the local address to connect from (any of 127.0.0.0/8 reaches
  // the server as another client address).
  explicit Client(std::uint16_t port, const std::string& from = "") { connect(port, from); }

 protected:
  Client() = default;
  void connect(std::uint16_t port, const std::string& from = "") {
    if (!from.empty()) {
      socket.open(tcp::v4());
      socket.bind(tcp::endpoint(asio::ip::make_address(from), 0));
    }
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{};
    tv.tv_sec = 5;
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

 public:
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  virtual ~Client() = default;

  // A whole frame, length prefix included (the WebSocket client sends it as
  // one message without the prefix).
  virtual void send_raw(const std::vector<std::uint8_t>& bytes) { asio::write(socket, asio::buffer(bytes)); }

  template <typename T>
  std::uint32_t send(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<T> msg) {
    const std::uint32_t id = next_id++;
    send_raw(proto::frame_message(fbb, id, msg));
    return id;
  }

  void hello(std::uint16_t version = proto::kProtocolVersion) {
    flatbuffers::FlatBufferBuilder fbb;
    send(fbb, wire::CreateHelloDirect(fbb, version, "net_test"));
  }

  // The next message's bytes (no prefix), or nothing on close or timeout.
  virtual std::optional<std::vector<std::uint8_t>> next_message() {
    for (;;) {
      if (auto frame = decoder.next()) return frame;
      std::uint8_t buf[4096];
      const ssize_t n = ::recv(socket.native_handle(), buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      decoder.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
    }
  }

  // The next envelope, or null on close or timeout.
  const wire::Envelope* read() {
    auto message = next_message();
    if (!message) return nullptr;
    current = std::move(*message);
    auto v = proto::verify_envelope(current);
    REQUIRE_MESSAGE(v, v.error);
    return v.envelope;
  }

  // Reads until a message of `type` arrives (skipping pushes), or null.
  const wire::Envelope* read_until(wire::Message type) {
    for (int i = 0; i < 100; ++i) {
      const wire::Envelope* e = read();
      if (e == nullptr || e->message_type() == type) return e;
      if (e->message_type() == wire::Message::Error) {
        MESSAGE("unexpected error: " << e->message_as_Error()->text()->str());
      }
    }
    return nullptr;
  }

  void welcome() {
    hello();
    const wire::Envelope* e = read();
    REQUIRE(e != nullptr);
    REQUIRE(e->message_type() == wire::Message::Welcome);
  }

  bool closed() { return read() == nullptr; }
};

struct Created {
  std::string game_id;
  std::string facilitator_token;
  std::string observer_token;
  std::vector<std::string> seat_ids;  // seats with a token, in GameCreated order
  std::vector<std::string> tokens;
};

// Creates a game (bots: seat -> path, "none" for a person), joins `fac` as
// its facilitator and starts it.
inline Created create_and_start(Client& fac, const std::vector<std::pair<std::string, std::string>>& bots,
                                std::uint32_t deadline_seconds, std::uint64_t seed = 11, const std::string& key = "") {
  Created out;
  std::string fac_token;
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatBot>> sb;
    for (const auto& [seat, path] : bots) sb.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
    fac.send(fbb, wire::CreateCreateGameDirect(fbb, "", seed, deadline_seconds, &sb, key.c_str()));
    const wire::Envelope* e = fac.read_until(wire::Message::GameCreated);
    REQUIRE(e != nullptr);
    const auto* created = e->message_as_GameCreated();
    out.game_id = created->game_id()->str();
    fac_token = created->facilitator_token()->str();
    out.facilitator_token = fac_token;
    out.observer_token = created->observer_token()->str();
    for (const auto* s : *created->seats()) {
      out.seat_ids.push_back(s->seat()->str());
      out.tokens.push_back(s->token()->str());
    }
  }
  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateJoinDirect(fbb, fac_token.c_str(), "facilitator"));
  REQUIRE(fac.read_until(wire::Message::Joined) != nullptr);
  flatbuffers::FlatBufferBuilder fbb2;
  fac.send(fbb2, wire::CreateFacilitatorCommandDirect(fbb2, wire::Command::Start, out.game_id.c_str()));
  REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  return out;
}

inline std::string token_of(const Created& game, const std::string& seat) {
  for (std::size_t i = 0; i < game.seat_ids.size(); ++i) {
    if (game.seat_ids[i] == seat) return game.tokens[i];
  }
  FAIL("no token for " << seat);
  return {};
}

// Every seat of the default scenario a person's, except those named.
inline std::vector<std::pair<std::string, std::string>> people_except(
    const std::vector<std::pair<std::string, std::string>>& bots = {}) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* id : {"us", "cn", "eu", "us_vendor", "cn_vendor", "us_lab", "cn_lab", "eu_lab"}) {
    std::string path = "none";
    for (const auto& [seat, p] : bots) {
      if (seat == id) path = p;
    }
    out.emplace_back(id, path);
  }
  return out;
}

// Connects, says Hello and joins with `token`; returns after Joined.
inline std::unique_ptr<Client> join(std::uint16_t port, const std::string& token, const std::string& member,
                                    std::uint64_t last_press = 0, int last_round = 0) {
  auto c = std::make_unique<Client>(port);
  c->welcome();
  flatbuffers::FlatBufferBuilder fbb;
  c->send(fbb, wire::CreateJoinDirect(fbb, token.c_str(), member.c_str(), last_press, last_round));
  const wire::Envelope* e = c->read_until(wire::Message::Joined);
  REQUIRE(e != nullptr);
  return c;
}

inline void command(Client& fac, wire::Command cmd, const std::string& seat = "", std::uint32_t seconds = 0,
                    const std::string& event = "", const std::string& bot = "") {
  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, cmd, "", seconds, seat.c_str(), event.c_str(), bot.c_str()));
}

inline lt::OrderDraft tier(double t) { return {"set_export_tier", {{"target", std::string("CN")}, {"tier", t}}}; }

}  // namespace net_testing

// The client's keepalive: a quiet client (an observer, a facilitator
// watching) stays connected past the server's idle limit by pinging within
// it, a Pong shows the player nothing, and a server that stops answering is
// taken as lost and connected to again.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>

#include "client-cli/connection.h"
#include "client-cli/model.h"
#include "tests/server/net_client.h"

using namespace net_testing;
using namespace std::chrono_literals;
using leadtime::cli::Connection;
using leadtime::cli::ConnectionOptions;
using leadtime::cli::NetEvent;

namespace {

struct Seen {
  int connected = 0;
  int disconnected = 0;
  int frames = 0;
  std::string why;
};

// Every event the connection reports within `span`.
Seen watch(Connection& c, std::chrono::milliseconds span) {
  Seen seen;
  const auto until = Clock::now() + span;
  while (Clock::now() < until) {
    const auto event = c.next_event(50ms);
    if (!event) continue;
    switch (event->kind) {
      case NetEvent::Kind::Connected:
        ++seen.connected;
        break;
      case NetEvent::Kind::Disconnected:
        ++seen.disconnected;
        seen.why = event->text;
        break;
      case NetEvent::Kind::Frame:
        ++seen.frames;
        break;
    }
  }
  return seen;
}

ConnectionOptions to(std::uint16_t port, std::chrono::milliseconds keepalive) {
  ConnectionOptions o;
  o.port = port;
  o.keepalive = keepalive;
  return o;
}

// A server that says Welcome (announcing a 1 s idle limit) and then never
// answers again, like one behind a link that went dead; counts the Pings.
class SilentServer {
 public:
  SilentServer() {
    acceptor_.open(tcp::v4());
    acceptor_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~SilentServer() {
    stop_ = true;
    // A blocking accept or read wakes on shutdown, not on close.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
    const std::lock_guard lock(mutex_);
    for (auto& s : sockets_) ::shutdown(s->native_handle(), SHUT_RDWR);
    for (auto& t : readers_) t.join();
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] int pings() const { return pings_; }
  [[nodiscard]] int connections() const { return connections_; }

 private:
  void serve() {
    while (!stop_) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      ++connections_;
      const std::lock_guard lock(mutex_);
      sockets_.push_back(std::make_shared<tcp::socket>(std::move(socket)));
      readers_.emplace_back([this, s = sockets_.back()] { silent(*s); });
    }
  }

  void silent(tcp::socket& socket) {
    proto::FrameDecoder decoder;
    bool welcomed = false;
    std::array<std::uint8_t, 4096> buffer{};
    for (;;) {
      boost::system::error_code ec;
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (ec) return;
      decoder.feed(std::span<const std::uint8_t>(buffer.data(), n));
      while (auto frame = decoder.next()) {
        const auto verified = proto::verify_envelope(*frame);
        if (!verified) return;
        if (verified.envelope->message_type() == wire::Message::Ping) ++pings_;
        if (!welcomed) {
          welcomed = true;
          flatbuffers::FlatBufferBuilder fbb;
          const auto welcome =
              proto::frame_message(fbb, 1, wire::CreateWelcomeDirect(fbb, "silent", proto::kProtocolVersion, 1));
          asio::write(socket, asio::buffer(welcome), ec);
        }
      }
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::thread thread_;
  std::mutex mutex_;  // guards sockets_ and readers_
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> readers_;
  std::atomic<bool> stop_{false};
  std::atomic<int> pings_{0};
  std::atomic<int> connections_{0};
};

}  // namespace

TEST_CASE("keepalive: a quiet client stays connected past the server's idle limit, and sees no Pong") {
  lt::server::net::ServerOptions o;
  o.idle_timeout = 1000ms;  // announced as 1 s: the client pings every 333 ms
  TestServer ts(o);
  Connection c(to(ts.server->port(), 60'000ms));
  c.start();
  const Seen seen = watch(c, 4000ms);
  CHECK(seen.connected == 1);
  CHECK_MESSAGE(seen.disconnected == 0, seen.why);
  CHECK(seen.frames >= 3);  // the Pongs
  c.stop();
}

TEST_CASE("keepalive: a Pong shows nothing to the player") {
  leadtime::cli::ClientModel model;
  flatbuffers::FlatBufferBuilder fbb;
  const auto frame = proto::frame_message(fbb, 0, wire::CreatePong(fbb, 7));
  const std::vector<std::uint8_t> payload(frame.begin() + 4, frame.end());  // without the length prefix
  const auto verified = proto::verify_envelope(payload);
  REQUIRE(verified);
  CHECK(model.apply_push(*verified.envelope, Clock::now()).empty());
}

TEST_CASE("keepalive: without pings the same client is closed as idle (what the pings prevent)") {
  lt::server::net::ServerOptions o;
  o.idle_timeout = 1000ms;
  TestServer ts(o);
  Connection c(to(ts.server->port(), 0ms));
  c.start();
  const Seen seen = watch(c, 4000ms);
  CHECK(seen.connected >= 1);
  CHECK(seen.disconnected >= 1);
  c.stop();
}

TEST_CASE("keepalive: a server that stops answering is taken as lost and connected to again") {
  SilentServer server;
  Connection c(to(server.port(), 60'000ms));
  c.start();
  Seen seen;
  for (int i = 0; i < 100 && seen.disconnected == 0; ++i) {
    const Seen more = watch(c, 100ms);
    seen.connected += more.connected;
    seen.disconnected += more.disconnected;
  }
  CHECK(seen.connected >= 1);
  CHECK(seen.disconnected == 1);
  CHECK(server.pings() >= 2);  // two unanswered before giving up
  for (int i = 0; i < 100 && server.connections() < 2; ++i) std::this_thread::sleep_for(50ms);
  CHECK(server.connections() >= 2);
  c.stop();
}

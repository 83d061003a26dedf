#pragma once

// The bare echo baseline: the game server's session shape (a strand per
// connection, one reader and one writer coroutine, a queue the writer waits
// on with a timer) over the game server's own transports (server/net's
// StreamLink for TCP, server/web's WsLink for WebSocket, so framing and
// message reading cost the same), with no game behind it: every envelope
// goes straight back. What the game server costs beyond this is the game:
// verification, the room strand, validation, resolution, views and fan-out.
#include "protocol/asio.h"

#include <cstdint>
#include <string>

#include "bench/load/link.h"

namespace leadtime::bench {

class EchoServer {
 public:
  // Binds `host` on a free port; throws boost::system::system_error when it
  // cannot. A WebSocket echo takes the upgrade on any target and origin.
  EchoServer(asio::io_context& io, const std::string& host, Transport transport);

  void start();
  // Closes the listener (thread-safe); sessions end when their clients close.
  void stop();
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  asio::awaitable<void> listen();

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  Transport transport_;
  std::uint16_t port_ = 0;
};

}  // namespace leadtime::bench

#pragma once

// The bare echo baseline: the game server's session shape (a strand per
// connection, one reader and one writer coroutine, a queue the writer waits
// on with a timer) and its framing (protocol::FrameDecoder, encode_frame),
// with no game behind it: every frame goes straight back. What the game
// server costs beyond this is the game: verification, the room strand,
// validation, resolution, views and fan-out.
#include "protocol/asio.h"

#include <cstdint>
#include <string>

namespace leadtime::bench {

class EchoServer {
 public:
  // Binds `host` on a free port; throws boost::system::system_error when it cannot.
  EchoServer(asio::io_context& io, const std::string& host);

  void start();
  // Closes the listener (thread-safe); sessions end when their clients close.
  void stop();
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  asio::awaitable<void> listen();

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
};

}  // namespace leadtime::bench

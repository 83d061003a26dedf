#pragma once

// What a transport gives a connection: whole messages in, frames out. A
// connection's protocol (handshake, limits, requests) is the same over every
// link; only how bytes are carried differs: a length-prefixed byte stream
// (raw TCP, or TLS), or one WebSocket binary message per envelope.
#include "protocol/asio.h"

#include <optional>
#include <span>
#include <string>

#include "server/app/participant.h"

namespace leadtime::server::net {

using app::Frame;

// One message read: an envelope's bytes (no length prefix, starting on an
// 8-byte boundary), or why the link cannot carry on (a broken stream: the
// connection is told and closed).
struct Received {
  std::optional<Frame> message;
  std::string error;
};

class Link {
 public:
  Link() = default;
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  virtual ~Link() = default;

  // Throws boost::system::system_error when the peer has gone.
  virtual asio::awaitable<Received> read() = 0;
  // Sends whole frames (each with its length prefix, as the game side makes
  // them), in order. Throws when the peer has gone.
  virtual asio::awaitable<void> write(std::span<const Frame> frames) = 0;
  virtual void close() = 0;
  // The TCP socket underneath, for its executor and to watch a peer that
  // hangs up while its reading is held.
  virtual asio::ip::tcp::socket& socket() = 0;
};

}  // namespace leadtime::server::net

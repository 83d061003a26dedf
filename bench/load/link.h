#pragma once

// One client connection of the load generator: verified envelopes over TCP
// (length-prefixed frames) or over the web listener's WebSocket (one binary
// message per envelope), counting every frame it sends and receives. The
// game clients and the echo clients use this same class, and both
// transports share everything but moving the bytes, so the client-side cost
// per message (framing, verification) is the same in every measurement and
// the ratios compare servers and transports, not clients.
#include "protocol/asio.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "protocol/framing.h"

namespace leadtime::bench {

using Frame = std::vector<std::uint8_t>;

enum class Transport { Tcp, WebSocket };

std::string_view transport_name(Transport transport);

// A received frame whose envelope has passed the verifier.
struct Received {
  Frame bytes;
  [[nodiscard]] const wire::Envelope& envelope() const { return *wire::GetEnvelope(bytes.data()); }
};

using ReceivedByType = std::array<std::uint64_t, static_cast<std::size_t>(wire::Message::MAX) + 1>;

// Connections open now and the most open at once, across every link of a run.
struct ConnectionGauge {
  std::atomic<int> open{0};
  std::atomic<int> peak{0};
  void opened();
  void closed() { open.fetch_sub(1); }
};

class Link {
 public:
  // The socket gets its own strand, like a server session, so links can be
  // driven from several client threads. `quick_ack` (a diagnosis, off in a
  // real measurement) acknowledges every read at once, which takes the
  // delayed-ACK half out of a Nagle stall on the server's side.
  static std::unique_ptr<Link> make(Transport transport, asio::io_context& io, ConnectionGauge& gauge,
                                    bool quick_ack = false);
  virtual ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // `to` is the server's TCP port, or its web listener's for WebSocket.
  asio::awaitable<void> connect(const asio::ip::tcp::endpoint& to);
  // `frame` as the protocol builds it, with its length prefix (a WebSocket
  // link sends the envelope without it).
  asio::awaitable<void> send(const Frame& frame);
  // The next frame, verified; throws on a close, a bad frame or a refused
  // buffer.
  asio::awaitable<Received> receive();

  // Closes the socket on its own strand (safe from any thread): pending
  // reads end with an error, which is how a phase past its time limit stops.
  void close_soon();
  void close();

  [[nodiscard]] asio::strand<asio::io_context::executor_type> executor() const { return strand_; }
  [[nodiscard]] bool is_open() const { return counted_open_; }
  [[nodiscard]] std::uint64_t frames() const { return sent_ + received_; }
  // Frames received of each message type (indexed by wire::Message), to see
  // what the server's fan-out is made of.
  [[nodiscard]] const ReceivedByType& received_by_type() const { return by_type_; }
  // Only the play phase counts toward messages per second.
  void reset_counts() {
    sent_ = received_ = 0;
    by_type_.fill(0);
  }
  // Request ids need only be unique per connection; 0 marks server pushes.
  std::uint32_t next_request_id() { return next_request_id_++; }

 protected:
  Link(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack);

  // What a transport does on its connected socket: its own opening (none
  // for TCP, the HTTP upgrade for WebSocket), one frame out, and the next
  // envelope's bytes in (no prefix, on the allocator's alignment, not yet
  // verified). Each throws through fail() when the connection breaks.
  virtual asio::awaitable<void> open(const asio::ip::tcp::endpoint& to) = 0;
  virtual asio::awaitable<void> write(const Frame& frame) = 0;
  virtual asio::awaitable<Frame> read() = 0;

  asio::ip::tcp::socket& socket() { return socket_; }
  // Call after every read from the socket.
  void after_read();
  [[noreturn]] void fail(const char* what, const boost::system::error_code& ec);

 private:
  asio::strand<asio::io_context::executor_type> strand_;
  asio::ip::tcp::socket socket_;
  ConnectionGauge& gauge_;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
  ReceivedByType by_type_{};
  std::uint32_t next_request_id_ = 1;
  bool counted_open_ = false;
  bool quick_ack_ = false;
};

}  // namespace leadtime::bench

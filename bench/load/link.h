#pragma once

// One client connection of the load generator: framed, verified envelopes
// over TCP, counting every frame it sends and receives. The game clients and
// the echo clients use this same class, so the client-side cost per message
// (framing, verification) is the same in both measurements and the ratio
// compares servers, not clients.
#include "protocol/asio.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "protocol/framing.h"

namespace leadtime::bench {

using Frame = std::vector<std::uint8_t>;

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
  Link(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack = false);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  asio::awaitable<void> connect(const asio::ip::tcp::endpoint& to);
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

 private:
  [[noreturn]] void fail(const char* what, const boost::system::error_code& ec);
  void acknowledge_at_once();

  asio::strand<asio::io_context::executor_type> strand_;
  asio::ip::tcp::socket socket_;
  ConnectionGauge& gauge_;
  protocol::FrameDecoder decoder_;
  std::array<std::uint8_t, 16384> buffer_{};
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
  ReceivedByType by_type_{};
  std::uint32_t next_request_id_ = 1;
  bool counted_open_ = false;
  bool quick_ack_ = false;
};

}  // namespace leadtime::bench

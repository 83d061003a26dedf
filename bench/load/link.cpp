#include "bench/load/link.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>
#include <string>

namespace leadtime::bench {

namespace {

namespace websocket = boost::beast::websocket;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using asio::ip::tcp;

// The native protocol: length-prefixed frames on the byte stream.
class TcpLink final : public Link {
 public:
  TcpLink(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack) : Link(io, gauge, quick_ack) {}

 private:
  awaitable<void> open(const tcp::endpoint& /*to*/) override { co_return; }

  awaitable<void> write(const Frame& frame) override {
    boost::system::error_code ec;
    co_await asio::async_write(socket(), asio::buffer(frame), redirect_error(use_awaitable, ec));
    if (ec) fail("send", ec);
  }

  awaitable<Frame> read() override {
    for (;;) {
      if (auto frame = decoder_.next()) co_return std::move(*frame);
      if (decoder_.failed()) throw std::runtime_error("bad frame: " + decoder_.error().message);
      boost::system::error_code ec;
      const std::size_t n = co_await socket().async_read_some(asio::buffer(buffer_), redirect_error(use_awaitable, ec));
      if (ec) fail("receive", ec);
      after_read();
      decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
  }

  protocol::FrameDecoder decoder_;
  std::array<std::uint8_t, 16384> buffer_{};
};

// The browsers' transport: an upgrade on the web listener's /ws, then each
// envelope one binary message. No Origin header, as a client that is no
// browser sends none (the server accepts that, like its own pages' origin).
class WebSocketLink final : public Link {
 public:
  WebSocketLink(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack)
      : Link(io, gauge, quick_ack), ws_(socket()) {
    // Masks guard browsers' peers against cache poisoning by hostile pages;
    // a benchmark client needs no unpredictable ones, and a cheaper mask
    // leaves the shared cores to the server.
    ws_.secure_prng(false);
    ws_.auto_fragment(false);
  }

 private:
  awaitable<void> open(const tcp::endpoint& to) override {
    boost::system::error_code ec;
    const std::string host = to.address().to_string() + ":" + std::to_string(to.port());
    co_await ws_.async_handshake(host, "/ws", redirect_error(use_awaitable, ec));
    if (ec) fail("WebSocket handshake", ec);
    ws_.binary(true);
  }

  awaitable<void> write(const Frame& frame) override {
    boost::system::error_code ec;
    co_await ws_.async_write(
        asio::buffer(frame.data() + protocol::kLengthPrefixBytes, frame.size() - protocol::kLengthPrefixBytes),
        redirect_error(use_awaitable, ec));
    if (ec) fail("send", ec);
  }

  awaitable<Frame> read() override {
    boost::system::error_code ec;
    const std::size_t n = co_await ws_.async_read(buffer_, redirect_error(use_awaitable, ec));
    if (ec) fail("receive", ec);
    after_read();
    if (!ws_.got_binary()) throw std::runtime_error("bad frame: a text WebSocket message");
    const auto* data = static_cast<const std::uint8_t*>(buffer_.data().data());
    Frame envelope(data, data + n);
    buffer_.consume(n);
    co_return envelope;
  }

  websocket::stream<tcp::socket&> ws_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace

std::string_view transport_name(Transport transport) { return transport == Transport::Tcp ? "TCP" : "WebSocket"; }

void ConnectionGauge::opened() {
  const int now = open.fetch_add(1) + 1;
  int seen = peak.load();
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
}

std::unique_ptr<Link> Link::make(Transport transport, asio::io_context& io, ConnectionGauge& gauge, bool quick_ack) {
  if (transport == Transport::WebSocket) return std::make_unique<WebSocketLink>(io, gauge, quick_ack);
  return std::make_unique<TcpLink>(io, gauge, quick_ack);
}

Link::Link(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack)
    : strand_(asio::make_strand(io)), socket_(strand_), gauge_(gauge), quick_ack_(quick_ack) {}

Link::~Link() { close(); }

awaitable<void> Link::connect(const tcp::endpoint& to) {
  boost::system::error_code ec;
  co_await socket_.async_connect(to, redirect_error(use_awaitable, ec));
  if (ec) throw std::runtime_error("connect to port " + std::to_string(to.port()) + ": " + ec.message());
  // Each request waits for its answer, so there is nothing to batch; Nagle
  // would only add delay to the frame after a multi-frame reply.
  socket_.set_option(tcp::no_delay(true));
  counted_open_ = true;
  gauge_.opened();
  co_await open(to);
}

awaitable<void> Link::send(const Frame& frame) {
  co_await write(frame);
  ++sent_;
}

awaitable<Received> Link::receive() {
  Frame frame = co_await read();
  const auto verified = protocol::verify_envelope(frame);
  if (!verified) throw std::runtime_error("refused buffer: " + verified.error);
  ++received_;
  ++by_type_[static_cast<std::size_t>(verified.envelope->message_type())];
  co_return Received{std::move(frame)};
}

void Link::fail(const char* what, const boost::system::error_code& ec) {
  // A connection the server dropped no longer counts as held.
  close();
  throw std::runtime_error(std::string(what) + ": " + ec.message());
}

// Linux turns quick acknowledgement off again by itself, so it is re-armed
// after every read.
void Link::after_read() {
  if (!quick_ack_) return;
#ifdef TCP_QUICKACK
  const int on = 1;
  ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#endif
}

void Link::close_soon() {
  asio::post(strand_, [this] { close(); });
}

void Link::close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (counted_open_) gauge_.closed();
  counted_open_ = false;
}

}  // namespace leadtime::bench

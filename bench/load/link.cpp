#include "bench/load/link.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdexcept>
#include <string>

namespace leadtime::bench {

void ConnectionGauge::opened() {
  const int now = open.fetch_add(1) + 1;
  int seen = peak.load();
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
}

Link::Link(asio::io_context& io, ConnectionGauge& gauge, bool quick_ack)
    : strand_(asio::make_strand(io)), socket_(strand_), gauge_(gauge), quick_ack_(quick_ack) {}

Link::~Link() { close(); }

asio::awaitable<void> Link::connect(const asio::ip::tcp::endpoint& to) {
  boost::system::error_code ec;
  co_await socket_.async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) throw std::runtime_error("connect to port " + std::to_string(to.port()) + ": " + ec.message());
  // Each request waits for its answer, so there is nothing to batch; Nagle
  // would only add delay to the frame after a multi-frame reply.
  socket_.set_option(asio::ip::tcp::no_delay(true));
  counted_open_ = true;
  gauge_.opened();
}

asio::awaitable<void> Link::send(const Frame& frame) {
  boost::system::error_code ec;
  co_await asio::async_write(socket_, asio::buffer(frame), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) fail("send", ec);
  ++sent_;
}

asio::awaitable<Received> Link::receive() {
  for (;;) {
    if (auto frame = decoder_.next()) {
      const auto verified = protocol::verify_envelope(*frame);
      if (!verified) throw std::runtime_error("refused buffer: " + verified.error);
      ++received_;
      ++by_type_[static_cast<std::size_t>(verified.envelope->message_type())];
      co_return Received{std::move(*frame)};
    }
    if (decoder_.failed()) throw std::runtime_error("bad frame: " + decoder_.error().message);
    boost::system::error_code ec;
    const std::size_t n =
        co_await socket_.async_read_some(asio::buffer(buffer_), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) fail("receive", ec);
    if (quick_ack_) acknowledge_at_once();
    decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
  }
}

void Link::fail(const char* what, const boost::system::error_code& ec) {
  // A connection the server dropped no longer counts as held.
  close();
  throw std::runtime_error(std::string(what) + ": " + ec.message());
}

// Linux turns quick acknowledgement off again by itself, so it is re-armed
// after every read.
void Link::acknowledge_at_once() {
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
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (counted_open_) gauge_.closed();
  counted_open_ = false;
}

}  // namespace leadtime::bench

#pragma once

#include "protocol/asio.h"

#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <type_traits>

#include "protocol/framing.h"
#include "server/net/link.h"
#include "server/web/cork_stream.h"

namespace leadtime::server::web {

// The protocol over WebSocket: each binary message is exactly one Envelope
// (no length prefix: WebSocket frames carry the length). The message cap is
// the TCP frame cap; a text message or a larger one ends the connection
// with a reason, as a lying length prefix does on TCP. The WebSocket runs
// over a CorkStream, so the frames of one write() leave in one write to the
// socket, as over TCP.
template <class NextLayer>
class WsLink final : public net::Link {
 public:
  using Stream = boost::beast::websocket::stream<CorkStream<NextLayer>>;

  WsLink(Stream ws, std::size_t max_message) : ws_(std::move(ws)), max_message_(max_message) {}

  // Reads a message piece by piece, at most one byte past the cap: a larger
  // one is refused having cost the server no more than that.
  asio::awaitable<net::Received> read() override {
    // One buffer per connection, kept between messages: no allocation per
    // message once the connection has seen its largest.
    boost::beast::flat_buffer& buffer = buffer_;
    buffer.clear();
    do {
      co_await ws_.async_read_some(buffer, max_message_ + 1 - buffer.size(), asio::use_awaitable);
      if (buffer.size() > max_message_) {
        co_return net::Received{
            std::nullopt, "a WebSocket message over the server's limit of " + std::to_string(max_message_) + " bytes"};
      }
    } while (!ws_.is_message_done());
    if (!ws_.got_binary()) {
      co_return net::Received{std::nullopt, "a text WebSocket message; each message must be one binary Envelope"};
    }
    // A vector's storage starts on the allocator's alignment (16 bytes), as
    // the verifier needs.
    const auto data = static_cast<const std::uint8_t*>(buffer.data().data());
    co_return net::Received{net::Frame(data, data + buffer.size()), {}};
  }

  asio::awaitable<void> write(std::span<const net::Frame> frames) override {
    ws_.binary(true);
    // A lone frame has nothing to gather: corking it would only add a copy
    // and a posted completion.
    const bool gather = frames.size() > 1;
    if (gather) ws_.next_layer().cork();
    for (const net::Frame& f : frames) {
      co_await ws_.async_write(
          asio::buffer(f.data() + protocol::kLengthPrefixBytes, f.size() - protocol::kLengthPrefixBytes),
          asio::use_awaitable);
    }
    if (gather) co_await ws_.next_layer().flush();
  }

  void close() override {
    boost::system::error_code ec;
    socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket().close(ec);
  }

  asio::ip::tcp::socket& socket() override {
    auto& lowest = boost::beast::get_lowest_layer(ws_);
    if constexpr (std::is_same_v<std::remove_reference_t<decltype(lowest)>, asio::ip::tcp::socket>) {
      return lowest;
    } else {
      return lowest.socket();  // Beast's timed stream, under TLS
    }
  }

 private:
  Stream ws_;
  boost::beast::flat_buffer buffer_;
  std::size_t max_message_;
};

}  // namespace leadtime::server::web

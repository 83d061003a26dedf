#pragma once

#include "protocol/asio.h"

#include <boost/asio/ssl.hpp>

#include <array>
#include <type_traits>
#include <vector>

#include "protocol/framing.h"
#include "server/net/link.h"

namespace leadtime::server::net {

// The native protocol: frames with a 4-byte length prefix on a byte stream,
// plain TCP or TLS over it.
template <class Stream>
class StreamLink final : public Link {
 public:
  StreamLink(Stream stream, std::uint32_t max_frame) : stream_(std::move(stream)), decoder_(max_frame) {}

  asio::awaitable<Received> read() override {
    for (;;) {
      if (auto frame = decoder_.next()) co_return Received{std::move(*frame), {}};
      if (decoder_.failed()) co_return Received{std::nullopt, decoder_.error().message};
      const std::size_t n = co_await stream_.async_read_some(asio::buffer(buffer_), asio::use_awaitable);
      decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
  }

  asio::awaitable<void> write(std::span<const Frame> frames) override {
    // Kept between writes: no allocation per write once the connection has
    // seen its largest batch.
    buffers_.clear();
    for (const Frame& f : frames) buffers_.push_back(asio::buffer(f));
    co_await asio::async_write(stream_, buffers_, asio::use_awaitable);
  }

  void close() override {
    boost::system::error_code ec;
    socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket().close(ec);
  }

  asio::ip::tcp::socket& socket() override {
    if constexpr (std::is_same_v<Stream, asio::ip::tcp::socket>) {
      return stream_;
    } else {
      return stream_.next_layer();
    }
  }

 private:
  Stream stream_;
  protocol::FrameDecoder decoder_;
  std::array<std::uint8_t, 16384> buffer_{};
  std::vector<asio::const_buffer> buffers_;
};

using TcpLink = StreamLink<asio::ip::tcp::socket>;
using TlsLink = StreamLink<asio::ssl::stream<asio::ip::tcp::socket>>;

}  // namespace leadtime::server::net

#pragma once

// The layer under a WebSocket stream that lets a connection's writer send
// several messages in one write: Beast writes each message with its own
// write, so a burst of pushes (a round's result, views and status to one
// member) would cost a syscall apiece, where the TCP link gathers them into
// one. While corked, whatever Beast writes (messages, and any control frame
// its reader answers with, such as a pong) is appended to a buffer in order
// and reported written at once; flush() then sends the buffer in one write,
// keeping the layer corked while that write is in flight so that nothing
// Beast writes meanwhile can land in the middle of it.
#include "protocol/asio.h"

#include <boost/beast/core/role.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstdint>
#include <utility>
#include <vector>

namespace leadtime::server::web {

template <class NextLayer>
class CorkStream {
 public:
  using next_layer_type = NextLayer;
  using executor_type = typename NextLayer::executor_type;

  explicit CorkStream(NextLayer next) : next_(std::move(next)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return next_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& data) {
          if (!corked_) {
            next_.async_write_some(data, std::move(handler));
            return;
          }
          const std::size_t n = asio::buffer_size(data);
          const std::size_t at = pending_.size();
          pending_.resize(at + n);
          asio::buffer_copy(asio::buffer(pending_.data() + at, n), data);
          // Completed, but never inside the initiating call, as Asio's
          // contract for an asynchronous operation asks.
          const auto ex = asio::get_associated_executor(handler, next_.get_executor());
          asio::post(
              ex, [handler = std::move(handler), n]() mutable { std::move(handler)(boost::system::error_code{}, n); });
        },
        token, buffers);
  }

  // From here until flush() ends, writes go to the buffer.
  void cork() { corked_ = true; }

  // Sends everything buffered, in one write where the socket takes it,
  // then lets writes through again. Throws when the peer has gone.
  asio::awaitable<void> flush() {
    while (!pending_.empty()) {
      // Two buffers that swap keep their storage: no allocation per burst
      // once a connection's bursts have been seen.
      sending_.swap(pending_);
      co_await asio::async_write(next_, asio::buffer(sending_), asio::use_awaitable);
      sending_.clear();
    }
    corked_ = false;
  }

 private:
  NextLayer next_;
  bool corked_ = false;
  std::vector<std::uint8_t> pending_;
  std::vector<std::uint8_t> sending_;
};

// A WebSocket close tears the layer under the cork down.
template <class NextLayer, class TeardownHandler>
void async_teardown(boost::beast::role_type role, CorkStream<NextLayer>& stream, TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

template <class NextLayer>
void teardown(boost::beast::role_type role, CorkStream<NextLayer>& stream, boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

}  // namespace leadtime::server::web

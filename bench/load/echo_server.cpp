#include "bench/load/echo_server.h"

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "protocol/framing.h"

namespace leadtime::bench {

namespace {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Frame = std::vector<std::uint8_t>;

// Mirrors server/net/server.cpp's Session, minus everything the game adds.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(tcp::socket socket) : socket_(std::move(socket)), timer_(socket_.get_executor()) {
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
  }

  void start() {
    asio::co_spawn(
        socket_.get_executor(), [self = shared_from_this()] { return self->reader(); }, asio::detached);
    asio::co_spawn(
        socket_.get_executor(), [self = shared_from_this()] { return self->writer(); }, asio::detached);
  }

 private:
  awaitable<void> reader() {
    std::array<std::uint8_t, 16384> buffer{};
    try {
      while (!stopped_) {
        const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer), use_awaitable);
        decoder_.feed(std::span<const std::uint8_t>(buffer.data(), n));
        while (auto frame = decoder_.next()) deliver(protocol::encode_frame(*frame));
        if (decoder_.failed()) break;
      }
    } catch (const std::exception&) {
      // The client went away, or the socket was closed.
    }
    stop();
  }

  awaitable<void> writer() {
    try {
      while (!stopped_) {
        if (queue_.empty()) {
          boost::system::error_code ec;
          co_await timer_.async_wait(asio::redirect_error(use_awaitable, ec));
        } else {
          co_await asio::async_write(socket_, asio::buffer(queue_.front()), use_awaitable);
          queue_.pop_front();
        }
      }
    } catch (const std::exception&) {
    }
    stop();
  }

  void deliver(Frame frame) {
    queue_.push_back(std::move(frame));
    timer_.cancel();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    timer_.cancel();
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::deque<Frame> queue_;
  protocol::FrameDecoder decoder_{protocol::kDefaultMaxFrame};
  bool stopped_ = false;
};

}  // namespace

// The acceptor has a strand of its own so stop() may close it from any thread.
EchoServer::EchoServer(asio::io_context& io, const std::string& host) : io_(io), acceptor_(asio::make_strand(io)) {
  const tcp::endpoint endpoint(asio::ip::make_address(host), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

void EchoServer::start() { asio::co_spawn(acceptor_.get_executor(), listen(), asio::detached); }

void EchoServer::stop() {
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

awaitable<void> EchoServer::listen() {
  while (acceptor_.is_open()) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::make_strand(io_), asio::redirect_error(use_awaitable, ec));
    if (ec) continue;
    std::make_shared<EchoSession>(std::move(socket))->start();
  }
}

}  // namespace leadtime::bench

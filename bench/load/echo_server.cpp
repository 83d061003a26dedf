#include "bench/load/echo_server.h"

#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <span>

#include "protocol/framing.h"
#include "server/net/stream_link.h"
#include "server/web/ws_link.h"

namespace leadtime::bench {

namespace {

namespace beast = boost::beast;
namespace net = leadtime::server::net;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

// Mirrors server/net/session.cpp's Session, minus everything the game adds.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(std::unique_ptr<net::Link> link)
      : link_(std::move(link)), timer_(link_->socket().get_executor()) {
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
  }

  void start() {
    const auto ex = link_->socket().get_executor();
    asio::co_spawn(
        ex, [self = shared_from_this()] { return self->reader(); }, asio::detached);
    asio::co_spawn(
        ex, [self = shared_from_this()] { return self->writer(); }, asio::detached);
  }

 private:
  awaitable<void> reader() {
    try {
      while (!stopped_) {
        net::Received got = co_await link_->read();
        if (!got.message) break;
        deliver(protocol::encode_frame(*got.message));
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
          co_await link_->write(std::span<const Frame>(&queue_.front(), 1));
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
    link_->close();
    timer_.cancel();
  }

  std::unique_ptr<net::Link> link_;
  asio::steady_timer timer_;
  std::deque<Frame> queue_;
  bool stopped_ = false;
};

// The web listener's upgrade, without its HTTP rules; on the bare socket
// afterwards, as the web listener's sessions are.
awaitable<void> accept_websocket(tcp::socket socket) {
  try {
    server::web::WsLink<tcp::socket>::Stream ws(std::move(socket));
    ws.read_message_max(0);
    ws.auto_fragment(false);
    co_await ws.async_accept(use_awaitable);
    std::make_shared<EchoSession>(
        std::make_unique<server::web::WsLink<tcp::socket>>(std::move(ws), protocol::kDefaultMaxFrame))
        ->start();
  } catch (const std::exception&) {
    // The client went away during the upgrade.
  }
}

}  // namespace

// The acceptor has a strand of its own so stop() may close it from any thread.
EchoServer::EchoServer(asio::io_context& io, const std::string& host, Transport transport)
    : io_(io), acceptor_(asio::make_strand(io)), transport_(transport) {
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
    // As the game server's sessions: replies go out at once (Nagle off).
    socket.set_option(tcp::no_delay(true), ec);
    if (transport_ == Transport::WebSocket) {
      const auto ex = socket.get_executor();
      asio::co_spawn(ex, accept_websocket(std::move(socket)), asio::detached);
    } else {
      std::make_shared<EchoSession>(std::make_unique<net::TcpLink>(std::move(socket), protocol::kDefaultMaxFrame))
          ->start();
    }
  }
}

}  // namespace leadtime::bench

#include "server/web/web_listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "server/net/server.h"
#include "server/web/serve.h"

namespace leadtime::server::web {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

WebListener::WebListener(net::Server& server)
    : io_(server.io()),
      server_(server),
      options_(server.options()),
      tls_(server.tls()),
      acceptor_(io_),
      http_connections_(std::make_shared<std::atomic<std::size_t>>(0)) {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.web_host), options_.web_port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

WebListener::~WebListener() = default;

void WebListener::start() {
  spdlog::info("web: {}://{}:{}/ (files from {})", tls_ ? "https" : "http", options_.web_host, port_,
               options_.web_root);
  asio::co_spawn(acceptor_.get_executor(), listen(), asio::detached);
}

void WebListener::stop() {
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
}

awaitable<void> WebListener::listen() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket(asio::make_strand(io_));
    co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      spdlog::debug("web accept: {}", ec.message());
      // Out of descriptors: the backlog would fail again at once.
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    if (http_connections_->load() >= options_.max_connections) {
      spdlog::warn("web: connection refused: {} HTTP connections open", http_connections_->load());
      socket.close(ec);
      continue;
    }
    const auto ex = socket.get_executor();
    asio::co_spawn(ex, serve(std::move(socket)), asio::detached);
  }
}

awaitable<void> WebListener::serve(tcp::socket socket) {
  ++*http_connections_;
  struct Release {
    std::shared_ptr<std::atomic<std::size_t>> count;
    ~Release() { --*count; }
  } release{http_connections_};
  try {
    boost::beast::tcp_stream stream(std::move(socket));
    if (tls_ == nullptr) {
      co_await serve_plain(std::move(stream), server_);
      co_return;
    }
    asio::ssl::stream<boost::beast::tcp_stream> secure(std::move(stream), *tls_);
    boost::beast::get_lowest_layer(secure).expires_after(options_.handshake_timeout);
    co_await secure.async_handshake(asio::ssl::stream_base::server, use_awaitable);
    co_await serve_tls(std::move(secure), server_);
  } catch (const std::exception& e) {
    spdlog::debug("web: connection ended: {}", e.what());
  }
}

void attach_web_listener(net::Server& server) {
  if (server.options().web_enabled) server.attach_web(std::make_unique<WebListener>(server));
}

}  // namespace leadtime::server::web

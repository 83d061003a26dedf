#pragma once

#include "protocol/asio.h"

#include <boost/asio/ssl.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

#include "server/app/options.h"
#include "server/net/listener.h"

namespace leadtime::server::net {
class Server;
}

namespace leadtime::server::web {

// The browsers' door, on the game server's own event loop: static files of
// the web app from --web-root, and /ws, where a WebSocket upgrade becomes a
// session like any TCP one (same handshake, limits and requests; each
// binary message one Envelope). TLS when the server has a certificate.
class WebListener final : public net::Listener {
 public:
  // Binds options.web_host:options.web_port; throws when it cannot.
  explicit WebListener(net::Server& server);
  ~WebListener() override;

  void start() override;
  void stop() override;
  [[nodiscard]] std::uint16_t port() const override { return port_; }

 private:
  asio::awaitable<void> listen();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);

  asio::io_context& io_;
  net::Server& server_;
  const ServerOptions& options_;
  asio::ssl::context* tls_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  // Connections still speaking HTTP (a WebSocket counts as a session once
  // upgraded), held to the server's connection limit too.
  std::shared_ptr<std::atomic<std::size_t>> http_connections_;
};

// Gives `server` its web listener when its options ask for one
// (web_enabled); call before server.start(). Throws when it cannot bind.
void attach_web_listener(net::Server& server);

}  // namespace leadtime::server::web

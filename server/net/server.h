#pragma once

// The network side of the game server, in the style of Asio's C++20
// coroutine chat server: a lobby of games (each a "room" that knows no
// sockets, driven on its own strand) and sessions with one reader and one
// writer coroutine each. Sessions never touch a game directly: they post
// work to the game's strand, and the game hands finished frames back to the
// sessions, whose writers send them in order.
#include "protocol/asio.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "server/app/lobby.h"
#include "server/app/options.h"
#include "server/app/service.h"
#include "server/net/listener.h"

namespace boost::asio::ssl {
class context;
}
namespace leadtime::server::net {

using leadtime::server::ServerOptions;

class Session;
class Link;

class Server {
 public:
  // Loads the default scenario, opens the store and rebuilds every unfinished
  // game in it, and binds the listening socket; throws std::runtime_error
  // (or boost::system::system_error) when any of that fails.
  Server(asio::io_context& io, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts accepting connections (a listener coroutine on the io_context).
  void start();
  // Closes the listener, every session and every game's deadline timer, so
  // io_context::run() returns once the last handlers have run.
  void stop();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // The browsers' door (server/web), bound by its maker and given here
  // before start(): the server starts and stops it with its own listener.
  // Apart so that what needs no browser (the fuzz target, most tests) is
  // built without HTTP and WebSocket.
  void attach_web(std::unique_ptr<Listener> web);
  // The TLS context both listeners use; null without --tls-cert.
  [[nodiscard]] asio::ssl::context* tls() const { return tls_.get(); }
  // The web listener's port (0: no web listener).
  [[nodiscard]] std::uint16_t web_port() const;
  // Where the pages are, as a client that reached this server at
  // `local_host` opens them: --public-url, else the web listener's address
  // (`local_host` when it listens on every address). "" without pages.
  [[nodiscard]] std::string web_url(const std::string& local_host) const;

  [[nodiscard]] asio::io_context& io() { return io_; }
  [[nodiscard]] const ServerOptions& options() const { return options_; }
  [[nodiscard]] app::GameService& service() { return service_; }
  [[nodiscard]] app::Lobby& lobby() { return lobby_; }
  // How many games were rebuilt from the store at start.
  [[nodiscard]] std::size_t recovered() const { return lobby_.recovered(); }

  // A connection accepted by any transport: counted against the limits
  // (in total and per address), then served by a session, which takes
  // `link`. A refusal names the limit and leaves `link` to the caller, to
  // tell the peer and close.
  std::optional<std::string> admit(std::unique_ptr<Link>& link, const std::string& address, const std::string& peer);
  void forget(const Session* session);

 private:
  asio::awaitable<void> listen();
  asio::awaitable<void> pause_accepting(std::string error, int failures);
  // TLS on the native protocol: the handshake (within the handshake
  // timeout), then a session like any other.
  asio::awaitable<void> secure(asio::ip::tcp::socket socket, std::string address, std::string peer);
  void warn_if_clear(const std::string& host, const char* what) const;

  asio::io_context& io_;
  ServerOptions options_;
  app::Lobby lobby_;
  app::GameService service_;
  std::unique_ptr<asio::ssl::context> tls_;  // null: no TLS
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Listener> web_;  // null: no web listener
  std::mutex mutex_;               // guards sessions_, per_address_, address_of_, stopped_
  std::map<const Session*, std::weak_ptr<Session>> sessions_;
  std::map<std::string, std::size_t> per_address_;
  std::map<const Session*, std::string> address_of_;
  bool stopped_ = false;
};

}  // namespace leadtime::server::net

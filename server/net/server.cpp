#include "server/net/server.h"

#include <spdlog/spdlog.h>

#include "server/app/frames.h"
#include "server/net/session.h"
#include "server/net/stream_link.h"

namespace leadtime::server::net {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

std::string address_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : remote.address().to_string();
}

std::string peer_of(const tcp::socket& socket, const std::string& address) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? address : address + ":" + std::to_string(remote.port());
}

bool out_of_resources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
         ec == boost::system::errc::too_many_files_open_in_system;
}

// Refuses a connection over a limit with a frame that says which, then
// closes it; the error frame is small enough to go out in one write.
void turn_away(tcp::socket socket, const std::string& why) {
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  auto frame = std::make_shared<Frame>(app::error_frame(0, wire::ErrorCode::RateLimited, why));
  asio::async_write(*s, asio::buffer(*frame), [s, frame](const boost::system::error_code&, std::size_t) {
    boost::system::error_code ec;
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  });
}

// A TLS context from a PEM certificate (chain) and key; throws naming the
// file that did not load.
std::unique_ptr<asio::ssl::context> tls_context(const std::string& cert_file, const std::string& key_file) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("TLS certificate " + cert_file + ": " + ec.message());
  ctx->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("TLS key " + key_file + ": " + ec.message());
  return ctx;
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options)
    : io_(io), options_(std::move(options)), lobby_(io, options_), service_(lobby_), acceptor_(io) {
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    throw std::runtime_error("TLS needs both a certificate and a key (--tls-cert and --tls-key)");
  }
  if (!options_.tls_cert.empty()) tls_ = tls_context(options_.tls_cert, options_.tls_key);
  const tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

Server::~Server() = default;

void Server::attach_web(std::unique_ptr<Listener> web) { web_ = std::move(web); }

std::uint16_t Server::web_port() const { return web_ ? web_->port() : 0; }

std::string Server::web_url(const std::string& local_host) const {
  if (!web_) return {};
  if (!options_.public_url.empty()) return options_.public_url;
  boost::system::error_code ec;
  const auto listen = asio::ip::make_address(options_.web_host, ec);
  std::string host = (!ec && listen.is_unspecified() && !local_host.empty()) ? local_host : options_.web_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return fmt::format("{}://{}:{}/", tls_ ? "https" : "http", host, web_port());
}

// Tokens travel in every Join: over a network without TLS anyone on the path
// can read them.
void Server::warn_if_clear(const std::string& host, const char* what) const {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (tls_ || (!ec && address.is_loopback())) return;
  spdlog::warn("{} on {} without TLS: join tokens travel in clear (give --tls-cert and --tls-key)", what, host);
}

void Server::start() {
  spdlog::info("listening on {}:{}{} (scenario '{}')", options_.host, port_, tls_ ? " with TLS" : "",
               lobby_.default_scenario()->name);
  warn_if_clear(options_.host, "the game protocol listens");
  lobby_.start();
  asio::co_spawn(acceptor_.get_executor(), listen(), asio::detached);
  if (web_) {
    warn_if_clear(options_.web_host, "the web listener listens");
    web_->start();
  }
}

awaitable<void> Server::secure(tcp::socket socket, std::string address, std::string peer) {
  auto stream = std::make_shared<asio::ssl::stream<tcp::socket>>(std::move(socket), *tls_);
  auto done = std::make_shared<bool>(false);
  // A peer that never finishes the handshake must not hold the socket.
  asio::steady_timer limit(stream->get_executor(), options_.handshake_timeout);
  limit.async_wait([stream, done](const boost::system::error_code& ec) {
    if (ec || *done) return;
    boost::system::error_code ignored;
    stream->next_layer().close(ignored);
  });
  boost::system::error_code ec;
  co_await stream->async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
  *done = true;
  limit.cancel();
  if (ec) {
    spdlog::info("{}: TLS handshake failed: {}", peer, ec.message());
    co_return;
  }
  std::unique_ptr<Link> link =
      std::make_unique<TlsLink>(std::move(*stream), static_cast<std::uint32_t>(options_.max_frame));
  if (auto refusal = admit(link, address, peer)) {
    const Frame frames[] = {app::error_frame(0, wire::ErrorCode::RateLimited, *refusal)};
    try {
      co_await link->write(frames);
    } catch (const std::exception&) {
    }
    link->close();
  }
}

// A failed accept (out of descriptors, or memory) leaves the connection
// waiting in the backlog, so accepting again at once fails again at once:
// the listener pauses, doubling up to a second, and logs once per spell
// rather than once per try.
awaitable<void> Server::pause_accepting(std::string error, int failures) {
  const auto pause = std::chrono::milliseconds(std::min(1000, 10 << std::min(failures, 7)));
  if (failures == 0) {
    spdlog::error("accept: {}; pausing new connections (the open-file limit is `ulimit -n`; --max-connections {})",
                  error, options_.max_connections);
  }
  asio::steady_timer timer(acceptor_.get_executor(), pause);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

awaitable<void> Server::listen() {
  int failures = 0;
  for (;;) {
    boost::system::error_code ec;
    // Accepting into a socket made beforehand: the form that returns a new
    // socket trips UBSan's vptr check in Asio's error path (a failed accept).
    tcp::socket socket(asio::make_strand(io_));
    co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      if (out_of_resources(ec)) {
        // By value: a coroutine's reference parameters are easy to leave dangling.
        co_await pause_accepting(ec.message(), failures++);
      } else {
        spdlog::debug("accept: {}", ec.message());  // e.g. a peer that gave up in the backlog
      }
      continue;
    }
    if (failures > 0) {
      spdlog::info("accepting connections again after {} failed tries", failures);
      failures = 0;
    }
    const std::string address = address_of(socket);
    const std::string peer = peer_of(socket, address);
    if (tls_) {
      const auto ex = socket.get_executor();
      asio::co_spawn(ex, secure(std::move(socket), address, peer), asio::detached);
      continue;
    }
    std::unique_ptr<Link> link =
        std::make_unique<TcpLink>(std::move(socket), static_cast<std::uint32_t>(options_.max_frame));
    if (auto refusal = admit(link, address, peer)) turn_away(std::move(link->socket()), *refusal);
  }
}

std::optional<std::string> Server::admit(std::unique_ptr<Link>& link, const std::string& address,
                                         const std::string& peer) {
  std::string refusal;
  std::shared_ptr<Session> session;
  {
    const std::lock_guard lock(mutex_);
    if (stopped_) {
      refusal = "the server is shutting down";
    } else if (sessions_.size() >= options_.max_connections) {
      refusal = fmt::format("the server holds {} connections, its limit; try again later", sessions_.size());
    } else if (per_address_[address] >= options_.max_connections_per_address) {
      refusal = fmt::format("{} connections from {} already, the limit per address", per_address_[address], address);
    } else {
      session = std::make_shared<Session>(std::move(link), *this, address, peer);
      sessions_[session.get()] = session;
      address_of_[session.get()] = address;
      ++per_address_[address];
    }
  }
  if (!session) {
    spdlog::warn("{}: connection refused: {}", address, refusal);
    return refusal;
  }
  spdlog::info("{}: connected", session->peer());
  session->start();
  return std::nullopt;
}

void Server::stop() {
  std::vector<std::shared_ptr<Session>> sessions;
  {
    const std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [_, weak] : sessions_) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  spdlog::info("shutting down: {} connections, {} games", sessions.size(), lobby_.rooms().size());
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  if (web_) web_->stop();
  for (auto& s : sessions) s->stop_soon();
  lobby_.stop();
}

void Server::forget(const Session* session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (auto it = address_of_.find(session); it != address_of_.end()) {
    if (--per_address_[it->second] == 0) per_address_.erase(it->second);
    address_of_.erase(it);
  }
}

}  // namespace leadtime::server::net

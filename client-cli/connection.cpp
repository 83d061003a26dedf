#include "client-cli/connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/ssl.hpp>
#include <charconv>

#include "protocol/asio.h"

#include "protocol/convert.h"
#include "protocol/framing.h"

namespace leadtime::cli {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
namespace proto = leadtime::protocol;

namespace {

// Waits after the n-th failed attempt in a row: quick at first, so a
// restarted server is found at once, then every few seconds.
std::chrono::milliseconds backoff(int failures) {
  static constexpr int kSteps[] = {200, 500, 1000, 2000, 3000};
  return std::chrono::milliseconds(kSteps[std::min<int>(failures, std::size(kSteps) - 1)]);
}

// TLS over the connection's socket, which the Impl keeps owning (so closing
// it works the same with and without TLS).
using TlsStream = asio::ssl::stream<tcp::socket&>;

// The client's TLS settings: TLS 1.2 or newer, the peer's certificate
// verified against the system's store or the given file alone.
std::unique_ptr<asio::ssl::context> tls_context(const TlsOptions& tls, std::string& error) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  context->set_verify_mode(asio::ssl::verify_peer);
  boost::system::error_code ec;
  if (tls.ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) error = "cannot load the system's trusted certificates: " + ec.message();
  } else {
    context->load_verify_file(tls.ca_file, ec);
    if (ec) error = "--tls-ca " + tls.ca_file + ": not a readable PEM certificate file (" + ec.message() + ")";
  }
  return error.empty() ? std::move(context) : nullptr;
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct Connection::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  std::unique_ptr<asio::ssl::context> tls;  // null: plain TCP
  std::shared_ptr<TlsStream> stream;        // this connection's TLS over `socket`, null before the handshake
  asio::steady_timer writer_wake{io};
  asio::steady_timer pause{io};
  std::deque<std::vector<std::uint8_t>> out;
  std::atomic<bool> connected{false};
  std::atomic<bool> stopping{false};
  asio::steady_timer keepalive_wake{io};
  bool restart = false;                              // reconnect() asked for a fresh connection
  std::uint64_t generation = 0;                      // bumped per connection; a stale writer stops
  std::chrono::steady_clock::time_point last_heard;  // the last frame from the server
};

Connection::Connection(ConnectionOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  if (options_.tls.enabled) impl_->tls = tls_context(options_.tls, setup_error_);
}

Connection::~Connection() {
  stop();
  if (wake_read_ >= 0) ::close(wake_read_);
  if (wake_write_ >= 0) ::close(wake_write_);
}

std::string Connection::address() const { return options_.host + ":" + std::to_string(options_.port); }

void Connection::push(NetEvent event) {
  {
    const std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(event));
  }
  if (wake_write_ >= 0) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(wake_write_, &byte, 1);
  }
  cv_.notify_one();
}

std::optional<NetEvent> Connection::next_event(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!cv_.wait_for(lock, wait, [this] { return !inbox_.empty(); })) return std::nullopt;
  NetEvent event = std::move(inbox_.front());
  inbox_.pop_front();
  lock.unlock();
  if (wake_read_ >= 0) {
    char byte;
    [[maybe_unused]] const auto n = ::read(wake_read_, &byte, 1);
  }
  return event;
}

bool Connection::send(std::vector<std::uint8_t> frame) {
  if (!impl_->connected) return false;
  asio::post(impl_->io, [impl = impl_.get(), frame = std::move(frame)]() mutable {
    if (!impl->connected) return;
    impl->out.push_back(std::move(frame));
    impl->writer_wake.cancel();
  });
  return true;
}

void Connection::reconnect() {
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->restart = true;
    boost::system::error_code ec;
    impl->socket.shutdown(tcp::socket::shutdown_both, ec);
    impl->socket.close(ec);
    impl->pause.cancel();
  });
}

namespace {

// Reads and writes go through TLS when the connection has it.
awaitable<std::size_t> read_some(Connection::Impl* impl, asio::mutable_buffer buffer, boost::system::error_code& ec) {
  if (impl->stream) co_return co_await impl->stream->async_read_some(buffer, asio::redirect_error(use_awaitable, ec));
  co_return co_await impl->socket.async_read_some(buffer, asio::redirect_error(use_awaitable, ec));
}

awaitable<void> write_all(Connection::Impl* impl, const std::shared_ptr<TlsStream>& stream, asio::const_buffer bytes,
                          boost::system::error_code& ec) {
  if (stream) {
    co_await asio::async_write(*stream, bytes, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(impl->socket, bytes, asio::redirect_error(use_awaitable, ec));
  }
}

awaitable<void> writer(Connection::Impl* impl, std::uint64_t generation) {
  // Its own hold on this connection's TLS stream, which outlives a reconnect
  // until this writer has seen its write fail.
  const std::shared_ptr<TlsStream> stream = impl->stream;
  boost::system::error_code ec;
  while (impl->connected && impl->generation == generation) {
    if (impl->out.empty()) {
      impl->writer_wake.expires_at(asio::steady_timer::time_point::max());
      co_await impl->writer_wake.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    co_await write_all(impl, stream, asio::buffer(impl->out.front()), ec);
    if (ec) co_return;  // the reader sees the loss and reports it
    if (!impl->out.empty()) impl->out.pop_front();
  }
}

std::vector<std::uint8_t> ping_frame(std::uint64_t nonce) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, 0, wire::CreatePing(fbb, nonce));
}

// How often to ping: the configured interval, or a third of the server's
// idle limit if that is shorter.
std::chrono::milliseconds ping_interval(std::chrono::milliseconds configured, std::uint32_t idle_timeout_seconds) {
  if (idle_timeout_seconds == 0) return configured;
  const auto third = std::chrono::milliseconds(std::int64_t{idle_timeout_seconds} * 1000 / 3);
  return std::max(std::chrono::milliseconds(100), std::min(configured, third));
}

// Pings while this connection lasts; closes it when the server has been
// silent for three intervals, two pings unanswered (the reader then reports
// the loss and the connection is made again).
awaitable<void> keepalive(Connection::Impl* impl, std::uint64_t generation, std::chrono::milliseconds interval) {
  boost::system::error_code ec;
  std::uint64_t nonce = 0;
  while (impl->connected && impl->generation == generation) {
    impl->keepalive_wake.expires_after(interval);
    co_await impl->keepalive_wake.async_wait(asio::redirect_error(use_awaitable, ec));
    if (!impl->connected || impl->generation != generation) co_return;
    if (std::chrono::steady_clock::now() - impl->last_heard > 3 * interval) {
      impl->socket.shutdown(tcp::socket::shutdown_both, ec);
      impl->socket.close(ec);
      co_return;
    }
    impl->out.push_back(ping_frame(++nonce));
    impl->writer_wake.cancel();
  }
}

// A TLS record (handshake or alert, version 3.x) where a frame should be:
// a plain client talking to a TLS server.
bool looks_like_tls(const std::uint8_t* bytes, std::size_t n) {
  return n >= 3 && (bytes[0] == 0x15 || bytes[0] == 0x16) && bytes[1] == 0x03 && bytes[2] <= 0x04;
}

// Why a TLS handshake failed, in words a user can act on.
std::string tls_failure(TlsStream& stream, const ConnectionOptions& options, const boost::system::error_code& ec,
                        bool& fatal) {
  const std::string where = options.host + ":" + std::to_string(options.port);
  const long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) {
    // A certificate that does not verify will not verify on the next try.
    fatal = true;
    std::string text = "TLS with " + where + ": certificate verify failed: " + X509_verify_cert_error_string(verify);
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      return text + " (the server's certificate is not for '" + options.host +
             "'; connect with a name or address it lists)";
    }
    if (options.tls.ca_file.empty()) {
      return text + "; if the server's certificate is its own (self-signed), pass it with --tls-ca FILE";
    }
    return text + " (checked against --tls-ca " + options.tls.ca_file + " only)";
  }
  std::string text = "TLS handshake with " + where + " failed: ";
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
    text += "the server closed the connection";
  } else {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    text += ec.category() == asio::error::get_ssl_category() && reason != nullptr ? reason : ec.message();
  }
  return text + "; is it a TLS server? (leadtime-server speaks TLS only with --tls-cert and --tls-key)";
}

// The TLS handshake on the connected socket: SNI and the host name the
// certificate must carry, then the handshake; impl->stream is set when it
// succeeded, `why` says why not.
awaitable<void> tls_handshake(Connection::Impl* impl, const ConnectionOptions& options, std::string& why, bool& fatal) {
  auto stream = std::make_shared<TlsStream>(impl->socket, *impl->tls);
  SSL* ssl = stream->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (is_ip_address(options.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, options.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, options.host.c_str());
    X509_VERIFY_PARAM_set1_host(param, options.host.c_str(), 0);
  }
  boost::system::error_code ec;
  co_await stream->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    why = tls_failure(*stream, options, ec, fatal);
    co_return;
  }
  impl->stream = std::move(stream);
}

// One connection from connect to loss; says why it ended in `why`.
awaitable<void> run_once(Connection::Impl* impl, const ConnectionOptions& options,
                         const std::function<void(NetEvent)>& push, std::string& why, bool& fatal, bool& handshaken) {
  boost::system::error_code ec;
  tcp::resolver resolver(impl->io);
  const auto endpoints = co_await resolver.async_resolve(options.host, std::to_string(options.port),
                                                         asio::redirect_error(use_awaitable, ec));
  if (ec) {
    why = "cannot find host '" + options.host + "': " + ec.message();
    fatal = true;
    co_return;
  }
  impl->socket = tcp::socket(impl->io);
  co_await asio::async_connect(impl->socket, endpoints, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    why = "cannot connect to " + options.host + ":" + std::to_string(options.port) + ": " + ec.message();
    co_return;
  }
  impl->socket.set_option(tcp::no_delay(true), ec);
  impl->stream.reset();
  if (impl->tls) {
    co_await tls_handshake(impl, options, why, fatal);
    if (!impl->stream) co_return;
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    const auto hello = proto::frame_message(
        fbb, 1, wire::CreateHelloDirect(fbb, proto::kProtocolVersion, options.client_name.c_str()));
    co_await write_all(impl, impl->stream, asio::buffer(hello), ec);
    if (ec) {
      why = "connection lost during the handshake: " + ec.message();
      co_return;
    }
  }
  proto::FrameDecoder decoder;
  std::array<std::uint8_t, 16384> buffer{};
  bool heard = false;  // any byte from the server yet
  for (;;) {
    const std::size_t n = co_await read_some(impl, asio::buffer(buffer), ec);
    if (ec) {
      why = ec == asio::error::eof ? "the server closed the connection" : ec.message();
      if (!heard && !impl->stream) why += "; if it speaks TLS, connect with --tls (or tls://HOST:PORT)";
      co_return;
    }
    if (!heard && !impl->stream && looks_like_tls(buffer.data(), n)) {
      why = "the server at " + options.host + ":" + std::to_string(options.port) +
            " speaks TLS: connect with --tls (or tls://HOST:PORT), and --tls-ca FILE if its certificate is its own";
      fatal = true;
      co_return;
    }
    heard = true;
    decoder.feed(std::span<const std::uint8_t>(buffer.data(), n));
    while (auto frame = decoder.next()) {
      impl->last_heard = std::chrono::steady_clock::now();
      if (handshaken) {
        push(NetEvent{NetEvent::Kind::Frame, {}, false, std::move(*frame), {}});
        continue;
      }
      const auto verified = proto::verify_envelope(*frame);
      if (!verified) {
        why = "the server sent a bad first message: " + verified.error;
        fatal = true;
        co_return;
      }
      if (const auto* welcome = verified.envelope->message_as_Welcome()) {
        handshaken = true;
        impl->connected = true;
        impl->generation += 1;
        asio::co_spawn(impl->io, writer(impl, impl->generation), asio::detached);
        if (options.keepalive.count() > 0) {
          asio::co_spawn(
              impl->io,
              keepalive(impl, impl->generation, ping_interval(options.keepalive, welcome->idle_timeout_seconds())),
              asio::detached);
        }
        push(NetEvent{NetEvent::Kind::Connected,
                      welcome->server_version() ? welcome->server_version()->str() : "",
                      false,
                      {},
                      welcome->web_url() ? welcome->web_url()->str() : ""});
      } else if (const auto* error = verified.envelope->message_as_Error()) {
        why = error->text() ? error->text()->str() : "refused";
        fatal = error->code() == wire::ErrorCode::VersionMismatch;
        co_return;
      }
    }
    if (decoder.failed()) {
      why = "bad frame from the server: " + decoder.error().message;
      co_return;
    }
  }
}

awaitable<void> run_all(Connection::Impl* impl, ConnectionOptions options, std::function<void(NetEvent)> push) {
  int failures = 0;
  bool ever_connected = false;
  bool loss_reported = false;
  while (!impl->stopping) {
    std::string why;
    bool fatal = false;
    bool handshaken = false;
    co_await run_once(impl, options, push, why, fatal, handshaken);
    impl->connected = false;
    impl->out.clear();
    impl->writer_wake.cancel();
    impl->keepalive_wake.cancel();
    boost::system::error_code ec;
    impl->socket.close(ec);
    if (impl->stopping) co_return;
    const bool restart = std::exchange(impl->restart, false);
    if (handshaken) {
      ever_connected = true;
      failures = 0;
      loss_reported = false;
    }
    // The first attempt decides: a wrong address or a server that is not
    // there fails at once instead of retrying forever.
    if (!ever_connected || fatal || !options.reconnect) {
      push(NetEvent{NetEvent::Kind::Disconnected, why, true, {}, {}});
      co_return;
    }
    if (!loss_reported) {
      push(NetEvent{NetEvent::Kind::Disconnected, restart ? "reconnecting" : why, false, {}, {}});
      loss_reported = true;
    }
    if (restart) continue;
    impl->pause.expires_after(backoff(failures++));
    co_await impl->pause.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

}  // namespace

void Connection::start() {
  auto pusher = [this](NetEvent e) { push(std::move(e)); };
  asio::co_spawn(impl_->io, run_all(impl_.get(), options_, pusher), asio::detached);
  thread_ = std::thread([this] { impl_->io.run(); });
}

void Connection::stop() {
  if (!thread_.joinable()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->stopping = true;
    impl->connected = false;
    boost::system::error_code ec;
    impl->socket.close(ec);
    impl->writer_wake.cancel();
    impl->keepalive_wake.cancel();
    impl->pause.cancel();
  });
  // The coroutines finish once the socket is closed and run() runs out of
  // work; a resolver still busy is not worth waiting for past a moment.
  for (int i = 0; i < 200 && !impl_->io.stopped(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  impl_->io.stop();
  thread_.join();
}

std::optional<HostPort> parse_host_port(const std::string& address, std::string& error) {
  static constexpr std::string_view kTls = "tls://";
  const bool tls = address.starts_with(kTls);
  if (!tls && address.find("://") != std::string::npos) {
    error = "expected HOST:PORT or tls://HOST:PORT, got '" + address + "'";
    return std::nullopt;
  }
  const std::string text = tls ? address.substr(kTls.size()) : address;
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    error = "expected HOST:PORT, e.g. 127.0.0.1:7700, got '" + address + "'";
    return std::nullopt;
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const std::string digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    error = "expected a port number from 1 to 65535 after ':', got '" + digits + "'";
    return std::nullopt;
  }
  return HostPort{host, static_cast<std::uint16_t>(port), tls};
}

}  // namespace leadtime::cli

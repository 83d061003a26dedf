#include "server/web/web_listener.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server/app/frames.h"
#include "server/app/service.h"
#include "server/net/server.h"
#include "server/web/http_rules.h"
#include "server/web/ws_link.h"

namespace leadtime::server::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

constexpr std::string_view kServerName = "leadtime";

template <class Body>
void add_common_headers(http::response<Body>& res) {
  res.set(http::field::server, kServerName);
  res.set("Content-Security-Policy", content_security_policy());
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
}

http::response<http::string_body> text_response(const http::request<http::string_body>& req, http::status status,
                                                std::string text) {
  http::response<http::string_body> res{status, req.version()};
  add_common_headers(res);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(text);
  res.prepare_payload();
  return res;
}

// A response to a plain HTTP request: a file of the web app, or why not.
template <class Stream>
awaitable<bool> answer(Stream& stream, const http::request<http::string_body>& req, const std::string& root) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = text_response(req, http::status::method_not_allowed, "only GET and HEAD\n");
    res.set(http::field::allow, "GET, HEAD");
    co_await http::async_write(stream, res, use_awaitable);
    co_return res.keep_alive();
  }
  const auto path = file_for_target(root, req.target());
  if (!path) {
    auto res = text_response(req, http::status::bad_request, "not a path inside the web app\n");
    co_await http::async_write(stream, res, use_awaitable);
    co_return res.keep_alive();
  }
  http::file_body::value_type file;
  beast::error_code ec;
  file.open(path->c_str(), beast::file_mode::scan, ec);
  if (ec) {
    auto res = text_response(req, http::status::not_found, "no such page\n");
    co_await http::async_write(stream, res, use_awaitable);
    co_return res.keep_alive();
  }
  const FileHeaders headers = headers_for(*path);
  const auto size = file.size();
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    add_common_headers(res);
    res.set(http::field::content_type, headers.content_type);
    res.set(http::field::cache_control, headers.cache_control);
    res.content_length(size);
    res.keep_alive(req.keep_alive());
    co_await http::async_write(stream, res, use_awaitable);
    co_return res.keep_alive();
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(file)),
                                      std::make_tuple(http::status::ok, req.version())};
  add_common_headers(res);
  res.set(http::field::content_type, headers.content_type);
  res.set(http::field::cache_control, headers.cache_control);
  res.content_length(size);
  res.keep_alive(req.keep_alive());
  co_await http::async_write(stream, res, use_awaitable);
  co_return res.keep_alive();
}

// Waits for a service reply (called on any thread) on this coroutine's
// executor.
template <class T, class Call>
awaitable<app::Result<T>> service_reply(Call call) {
  return asio::async_initiate<decltype(use_awaitable), void(app::Result<T>)>(
      [call = std::move(call)](auto handler) mutable {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        call([shared](app::Result<T> result) {
          const auto ex = asio::get_associated_executor(*shared);
          asio::post(ex, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        });
      },
      use_awaitable);
}

http::status status_of(wire::ErrorCode code) {
  switch (code) {
    case wire::ErrorCode::NotAuthorised:
      return http::status::forbidden;
    case wire::ErrorCode::UnknownToken:
    case wire::ErrorCode::NotFound:
      return http::status::not_found;
    case wire::ErrorCode::RateLimited:
      return http::status::too_many_requests;
    case wire::ErrorCode::BadMessage:
      return http::status::bad_request;
    default:
      break;
  }
  return http::status::internal_server_error;
}

std::string remote_address(const tcp::socket& socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : remote.address().to_string();
}

std::string remote_port(const tcp::socket& socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : std::to_string(remote.port());
}

// Takes a WebSocket upgrade on /ws and hands the connection to the server
// as a session; false when the request is refused (answered already).
template <class Stream>
awaitable<void> upgrade(Stream stream, http::request<http::string_body> req, net::Server& server, bool tls) {
  const ServerOptions& opt = server.options();
  tcp::socket& socket = beast::get_lowest_layer(stream).socket();
  const std::string peer_address = remote_address(socket);
  const std::string address = client_address(peer_address, req["X-Forwarded-For"], opt.trusted_proxies);
  const std::string peer = address + ":" + remote_port(socket) + " (web)";
  if (req.target() != "/ws") {
    auto res = text_response(req, http::status::not_found, "WebSocket connections are taken on /ws only\n");
    co_await http::async_write(stream, res, use_awaitable);
    co_return;
  }
  const std::string origin(req[http::field::origin]);
  if (!origin_allowed(origin, req[http::field::host], tls, opt.allowed_origins)) {
    spdlog::warn("{}: WebSocket refused: origin '{}' is not this server's", peer, origin);
    auto res = text_response(req, http::status::forbidden,
                             "origin " + origin + " may not open this server's WebSocket (see --allowed-origin)\n");
    res.keep_alive(false);
    co_await http::async_write(stream, res, use_awaitable);
    co_return;
  }
  beast::get_lowest_layer(stream).expires_never();  // the session's watchdog keeps time from here
  websocket::stream<Stream> ws(std::move(stream));
  // WsLink enforces the cap itself, so an oversized message is answered
  // in the protocol's words before the close (Beast would only close).
  ws.read_message_max(0);
  ws.auto_fragment(false);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, kServerName); }));
  co_await ws.async_accept(req, use_awaitable);
  std::unique_ptr<net::Link> link = std::make_unique<WsLink<Stream>>(std::move(ws), opt.max_frame);
  if (auto refusal = server.admit(link, address, peer)) {
    // Over a connection limit: told in the protocol's own words, then closed.
    const app::Frame frames[] = {app::error_frame(0, wire::ErrorCode::RateLimited, *refusal)};
    try {
      co_await link->write(frames);
    } catch (const std::exception&) {
    }
    link->close();
  }
}

// What a /report request lacks, as the response that says so; nothing when
// it may go on to the service.
std::optional<http::response<http::string_body>> report_refusal(const http::request<http::string_body>& req,
                                                                const ServerOptions& opt, bool tls) {
  if (req.method() != http::verb::post) {
    auto res = text_response(req, http::status::method_not_allowed, "only POST\n");
    res.set(http::field::allow, "POST");
    return res;
  }
  // The console's pages send no referrer, so Chromium posts its form with
  // "Origin: null"; the token is the credential, and another site's
  // origin is still refused.
  const std::string_view origin = req[http::field::origin];
  if (origin != "null" && !origin_allowed(origin, req[http::field::host], tls, opt.allowed_origins)) {
    return text_response(req, http::status::forbidden, "the report opens from this server's own console\n");
  }
  const auto token = form_field(req.body(), "token");
  if (!token || token->empty()) return text_response(req, http::status::bad_request, "no token in the form\n");
  return std::nullopt;
}

http::response<http::string_body> report_response(const http::request<http::string_body>& req,
                                                  const app::Result<app::ReportPage>& result,
                                                  const std::string& address) {
  if (const auto* failure = std::get_if<app::Failure>(&result)) {
    return text_response(req, status_of(failure->code), failure->text + "\n");
  }
  const app::ReportPage& page = std::get<app::ReportPage>(result);
  spdlog::info("game {}: after-action report opened from the console ({})", page.game_id, address);
  http::response<http::string_body> res{http::status::ok, req.version()};
  add_common_headers(res);
  res.set("Content-Security-Policy", report_security_policy());
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::content_disposition, "inline; filename=\"" + page.game_id + "-report.html\"");
  res.keep_alive(req.keep_alive());
  res.body() = page.html;
  res.prepare_payload();
  return res;
}

// POST /report with the facilitator's token in a form field: the
// after-action report opens in a new tab, and the token never appears in a
// request line (so never in a log or the browser's history). Wrong tokens
// wait their turn, as Joins do. Every co_await here stands alone in its
// statement, on named values: GCC 12 destroys temporaries of a co_await
// expression twice.
template <class Stream>
awaitable<bool> answer_report(Stream& stream, const http::request<http::string_body>& req, net::Server& server,
                              bool tls) {
  const ServerOptions& opt = server.options();
  // No write timeout while the report renders; the write gets its own.
  beast::get_lowest_layer(stream).expires_never();
  http::response<http::string_body> res;
  if (auto refused = report_refusal(req, opt, tls)) {
    res = std::move(*refused);
  } else {
    const std::string token = *form_field(req.body(), "token");
    const tcp::socket& socket = beast::get_lowest_layer(stream).socket();
    const std::string address = client_address(remote_address(socket), req["X-Forwarded-For"], opt.trusted_proxies);
    const auto turn = server.service().join_turn(address);
    if (const auto* refusal = std::get_if<std::string>(&turn)) {
      res = text_response(req, http::status::too_many_requests, *refusal + "\n");
    } else {
      asio::steady_timer wait(co_await asio::this_coro::executor,
                              std::get<std::chrono::steady_clock::time_point>(turn));
      co_await wait.async_wait(use_awaitable);
      auto call = [&server, token, address](app::Reply<app::ReportPage> reply) {
        server.service().report(token, address, std::move(reply));
      };
      auto pending = service_reply<app::ReportPage>(std::move(call));
      const app::Result<app::ReportPage> result = co_await std::move(pending);
      res = report_response(req, result, address);
    }
  }
  beast::get_lowest_layer(stream).expires_after(opt.handshake_timeout);
  co_await http::async_write(stream, res, use_awaitable);
  co_return res.keep_alive();
}

// Reads requests on one connection until it closes, an upgrade takes it
// over, or a request is too slow in coming (handshake_timeout each).
template <class Stream>
awaitable<void> serve_http(Stream stream, net::Server& server, bool tls) {
  const ServerOptions& opt = server.options();
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(16 * 1024);
    beast::get_lowest_layer(stream).expires_after(opt.handshake_timeout);
    beast::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;  // closed, timed out or malformed: nothing more to say
    http::request<http::string_body> req = parser.release();
    if (websocket::is_upgrade(req)) {
      co_await upgrade(std::move(stream), std::move(req), server, tls);
      co_return;
    }
    // One co_await per statement: GCC 12 frees the frame of an awaitable
    // chosen inside a conditional expression too early.
    bool keep_alive = false;
    if (req.target() == "/report") {
      keep_alive = co_await answer_report(stream, req, server, tls);
    } else {
      keep_alive = co_await answer(stream, req, opt.web_root);
    }
    if (!keep_alive) break;
  }
  beast::error_code ec;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

std::unique_ptr<asio::ssl::context> tls_context(const std::string& cert_file, const std::string& key_file) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  beast::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("TLS certificate " + cert_file + ": " + ec.message());
  ctx->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("TLS key " + key_file + ": " + ec.message());
  return ctx;
}

WebListener::WebListener(asio::io_context& io, net::Server& server, asio::ssl::context* tls)
    : io_(io),
      server_(server),
      options_(server.options()),
      tls_(tls),
      acceptor_(io),
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
    beast::error_code ec;
    acceptor_.close(ec);
  });
}

awaitable<void> WebListener::listen() {
  for (;;) {
    beast::error_code ec;
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
    beast::tcp_stream stream(std::move(socket));
    if (tls_ == nullptr) {
      co_await serve_http(std::move(stream), server_, false);
      co_return;
    }
    asio::ssl::stream<beast::tcp_stream> secure(std::move(stream), *tls_);
    beast::get_lowest_layer(secure).expires_after(options_.handshake_timeout);
    co_await secure.async_handshake(asio::ssl::stream_base::server, use_awaitable);
    co_await serve_http(std::move(secure), server_, true);
  } catch (const std::exception& e) {
    spdlog::debug("web: connection ended: {}", e.what());
  }
}

}  // namespace leadtime::server::web

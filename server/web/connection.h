#pragma once

// The template behind serve_plain and serve_tls (serve.h): included only by
// the two files that instantiate it, once per stream type.
#include "protocol/asio.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <type_traits>

#include "server/app/frames.h"
#include "server/app/service.h"
#include "server/net/server.h"
#include "server/web/http_rules.h"
#include "server/web/responses.h"
#include "server/web/ws_link.h"

namespace leadtime::server::web::connection {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

// Waits for a service reply (called on any thread) on this coroutine's
// executor.
template <class T, class Call>
asio::awaitable<app::Result<T>> service_reply(Call call) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(app::Result<T>)>(
      [call = std::move(call)](auto handler) mutable {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        call([shared](app::Result<T> result) {
          const auto ex = asio::get_associated_executor(*shared);
          asio::post(ex, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        });
      },
      asio::use_awaitable);
}

// Sends `res`; whether the connection stays open for another request.
template <class Stream>
asio::awaitable<bool> send(Stream& stream, Response res) {
  co_await http::async_write(stream, res, asio::use_awaitable);
  co_return res.keep_alive();
}

// What a session's WebSocket runs over: a plain connection leaves Beast's
// timed stream for the socket under it (the session's watchdog keeps time
// from the upgrade on), so each read and write is a socket operation, not a
// timed one; TLS keeps its stream.
template <class Stream>
auto session_stream(Stream stream) {
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    return stream.release_socket();
  } else {
    return stream;
  }
}

// Takes a WebSocket upgrade on /ws and hands the connection to the server
// as a session (a refusal is answered in HTTP, or in the protocol's words
// once upgraded).
template <class Stream>
asio::awaitable<void> upgrade(Stream stream, Request req, net::Server& server, bool tls) {
  const ServerOptions& opt = server.options();
  asio::ip::tcp::socket& socket = beast::get_lowest_layer(stream).socket();
  const std::string address = client_address(remote_address(socket), req["X-Forwarded-For"], opt.trusted_proxies);
  const std::string peer = address + ":" + remote_port(socket) + " (web)";
  if (req.target() != "/ws") {
    Response res = text_response(req, http::status::not_found, "WebSocket connections are taken on /ws only\n");
    co_await send(stream, std::move(res));
    co_return;
  }
  const std::string origin(req[http::field::origin]);
  if (!origin_allowed(origin, req[http::field::host], tls, opt.allowed_origins)) {
    spdlog::warn("{}: WebSocket refused: origin '{}' is not this server's", peer, origin);
    Response res = text_response(req, http::status::forbidden,
                                 "origin " + origin + " may not open this server's WebSocket (see --allowed-origin)\n");
    res.keep_alive(false);
    co_await send(stream, std::move(res));
    co_return;
  }
  beast::get_lowest_layer(stream).expires_never();  // the session's watchdog keeps time from here
  using SessionStream = decltype(session_stream(std::move(stream)));
  typename WsLink<SessionStream>::Stream ws(session_stream(std::move(stream)));
  // WsLink enforces the cap itself, so an oversized message is answered
  // in the protocol's words before the close (Beast would only close).
  ws.read_message_max(0);
  ws.auto_fragment(false);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, kServerName); }));
  co_await ws.async_accept(req, asio::use_awaitable);
  std::unique_ptr<net::Link> link = std::make_unique<WsLink<SessionStream>>(std::move(ws), opt.max_frame);
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

// POST /report with the facilitator's token in a form field: the
// after-action report opens in a new tab, and the token never appears in a
// request line (so never in a log or the browser's history). Wrong tokens
// wait their turn, as Joins do. Every co_await here stands alone in its
// statement, on named values: GCC 12 destroys temporaries of a co_await
// expression twice.
template <class Stream>
asio::awaitable<bool> answer_report(Stream& stream, const Request& req, net::Server& server, bool tls) {
  const ServerOptions& opt = server.options();
  // No write timeout while the report renders; the write gets its own.
  beast::get_lowest_layer(stream).expires_never();
  Response res;
  if (auto refused = report_refusal(req, opt, tls)) {
    res = std::move(*refused);
  } else {
    const std::string token = *form_field(req.body(), "token");
    const asio::ip::tcp::socket& socket = beast::get_lowest_layer(stream).socket();
    const std::string address = client_address(remote_address(socket), req["X-Forwarded-For"], opt.trusted_proxies);
    const auto turn = server.service().join_turn(address);
    if (const auto* refusal = std::get_if<std::string>(&turn)) {
      res = text_response(req, http::status::too_many_requests, *refusal + "\n");
    } else {
      asio::steady_timer wait(co_await asio::this_coro::executor,
                              std::get<std::chrono::steady_clock::time_point>(turn));
      co_await wait.async_wait(asio::use_awaitable);
      auto call = [&server, token, address](app::Reply<app::ReportPage> reply) {
        server.service().report(token, address, std::move(reply));
      };
      auto pending = service_reply<app::ReportPage>(std::move(call));
      const app::Result<app::ReportPage> result = co_await std::move(pending);
      res = report_response(req, result, address);
    }
  }
  beast::get_lowest_layer(stream).expires_after(opt.handshake_timeout);
  const bool keep_alive = co_await send(stream, std::move(res));
  co_return keep_alive;
}

// Reads requests on one connection until it closes, an upgrade takes it
// over, or a request is too slow in coming (handshake_timeout each).
template <class Stream>
asio::awaitable<void> serve_http(Stream stream, net::Server& server, bool tls) {
  const ServerOptions& opt = server.options();
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(16 * 1024);
    beast::get_lowest_layer(stream).expires_after(opt.handshake_timeout);
    beast::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // closed, timed out or malformed: nothing more to say
    Request req = parser.release();
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
      Response res = file_response(req, opt.web_root);
      keep_alive = co_await send(stream, std::move(res));
    }
    if (!keep_alive) break;
  }
  beast::error_code ec;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace leadtime::server::web::connection

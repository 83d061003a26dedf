#pragma once

// Blocking test clients for the browsers' transport and for TLS, with the
// same interface as net_client.h's Client, so every helper there works over
// them: a WebSocket client (optionally over TLS) that sends each frame as one
// binary message, and a TLS client of the native protocol.
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "tests/server/net_client.h"

namespace net_testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;

// A TLS context for clients that trusts no one: the tests check that TLS
// carries the protocol, not the certificate chain.
inline ssl::context& test_tls_client_context() {
  static ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);
  return ctx;
}

struct WsOptions {
  std::string origin;         // "": no Origin header
  std::string forwarded_for;  // "": no X-Forwarded-For
  std::string target = "/ws";
  bool tls = false;
};

inline WsOptions with_origin(std::string origin) {
  WsOptions o;
  o.origin = std::move(origin);
  return o;
}

struct WsClient : Client {
  std::optional<websocket::stream<tcp::socket&>> plain;
  std::optional<ssl::stream<tcp::socket&>> secure;
  std::optional<websocket::stream<ssl::stream<tcp::socket&>&>> secure_ws;
  beast::flat_buffer buffer;
  // The refusal when the server did not upgrade (status and body).
  std::optional<http::response<http::string_body>> refused;

  WsClient(std::uint16_t port, const WsOptions& options) {
    connect(port);
    auto decorate = [options](websocket::request_type& req) {
      if (!options.origin.empty()) req.set(http::field::origin, options.origin);
      if (!options.forwarded_for.empty()) req.set("X-Forwarded-For", options.forwarded_for);
    };
    const std::string host = "127.0.0.1:" + std::to_string(port);
    websocket::response_type response;
    beast::error_code ec;
    if (options.tls) {
      secure.emplace(socket, test_tls_client_context());
      secure->handshake(ssl::stream_base::client);
      secure_ws.emplace(*secure);
      secure_ws->set_option(websocket::stream_base::decorator(decorate));
      secure_ws->handshake(response, host, options.target, ec);
      secure_ws->binary(true);
    } else {
      plain.emplace(socket);
      plain->set_option(websocket::stream_base::decorator(decorate));
      plain->handshake(response, host, options.target, ec);
      plain->binary(true);
    }
    if (ec) refused = http::response<http::string_body>(response.result(), response.version(), response.body());
  }

  void send_raw(const std::vector<std::uint8_t>& bytes) override {
    send_message(std::span<const std::uint8_t>(bytes).subspan(proto::kLengthPrefixBytes));
  }

  void send_message(std::span<const std::uint8_t> bytes) {
    if (plain) plain->write(asio::buffer(bytes.data(), bytes.size()));
    if (secure_ws) secure_ws->write(asio::buffer(bytes.data(), bytes.size()));
  }

  void send_text(const std::string& text) {
    if (plain) {
      plain->text(true);
      plain->write(asio::buffer(text));
      plain->binary(true);
    }
  }

  std::optional<std::vector<std::uint8_t>> next_message() override {
    buffer.clear();
    beast::error_code ec;
    if (plain) plain->read(buffer, ec);
    if (secure_ws) secure_ws->read(buffer, ec);
    if (ec) return std::nullopt;
    const auto* data = static_cast<const std::uint8_t*>(buffer.data().data());
    return std::vector<std::uint8_t>(data, data + buffer.size());
  }
};

// The native protocol over TLS.
struct TlsClient : Client {
  std::optional<ssl::stream<tcp::socket&>> secure;

  explicit TlsClient(std::uint16_t port) {
    connect(port);
    secure.emplace(socket, test_tls_client_context());
    secure->handshake(ssl::stream_base::client);
  }

  void send_raw(const std::vector<std::uint8_t>& bytes) override { asio::write(*secure, asio::buffer(bytes)); }

  std::optional<std::vector<std::uint8_t>> next_message() override {
    for (;;) {
      if (auto frame = decoder.next()) return frame;
      std::uint8_t buf[4096];
      beast::error_code ec;
      const std::size_t n = secure->read_some(asio::buffer(buf), ec);
      if (ec || n == 0) return std::nullopt;
      decoder.feed(std::span<const std::uint8_t>(buf, n));
    }
  }
};

// A plain HTTP request to the web listener; the response, or nothing.
inline std::optional<http::response<http::string_body>> http_get(std::uint16_t port, const std::string& target,
                                                                 http::verb verb = http::verb::get) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(verb == http::verb::head);
  beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) return std::nullopt;
  return parser.release();
}

// A form POST, as a browser sends one (with its page's Origin).
inline std::optional<http::response<http::string_body>> http_post_form(std::uint16_t port, const std::string& target,
                                                                       const std::string& body,
                                                                       const std::string& origin) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  if (!origin.empty()) req.set(http::field::origin, origin);
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) return std::nullopt;
  return parser.release();
}

}  // namespace net_testing

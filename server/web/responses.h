#pragma once

// The web listener's HTTP answers, built apart from any stream: written once
// here rather than once per stream type (plain and TLS) in the templates
// that send them.
#include "protocol/asio.h"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "server/app/options.h"
#include "server/app/service.h"

namespace leadtime::server::web {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// What the listener calls itself in the Server header.
inline constexpr std::string_view kServerName = "leadtime";

// A short plain-text answer (an error, a refusal), never cached.
Response text_response(const Request& req, http::status status, std::string text);

// GET or HEAD of a file of the web app under `root`, or why not (a method
// other than those, a path outside the root, no such file).
Response file_response(const Request& req, const std::string& root);

// What a /report request lacks, as the response that says so; nothing when
// it may go on to the service.
std::optional<Response> report_refusal(const Request& req, const ServerOptions& options, bool tls);

// The service's report page, or its refusal in HTTP's words.
Response report_response(const Request& req, const app::Result<app::ReportPage>& result, const std::string& address);

// The peer's address and port as text ("?" once the socket is gone).
std::string remote_address(const asio::ip::tcp::socket& socket);
std::string remote_port(const asio::ip::tcp::socket& socket);

}  // namespace leadtime::server::web

#include "server/web/responses.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "files/files.h"
#include "server/web/http_rules.h"

namespace leadtime::server::web {

namespace {

void add_common_headers(Response& res) {
  res.set(http::field::server, kServerName);
  res.set("Content-Security-Policy", content_security_policy());
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
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

// The web app's files are small (the largest, the bundled script, is some
// tens of kilobytes), so each is read whole: one body type to instantiate
// Beast's writers for, not three.
std::optional<std::string> read_regular_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return files::read_file(path);
}

}  // namespace

Response text_response(const Request& req, http::status status, std::string text) {
  Response res{status, req.version()};
  add_common_headers(res);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(text);
  res.prepare_payload();
  return res;
}

Response file_response(const Request& req, const std::string& root) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = text_response(req, http::status::method_not_allowed, "only GET and HEAD\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const auto path = file_for_target(root, req.target());
  if (!path) return text_response(req, http::status::bad_request, "not a path inside the web app\n");
  auto contents = read_regular_file(*path);
  if (!contents) return text_response(req, http::status::not_found, "no such page\n");
  const FileHeaders headers = headers_for(*path);
  Response res{http::status::ok, req.version()};
  add_common_headers(res);
  res.set(http::field::content_type, headers.content_type);
  res.set(http::field::cache_control, headers.cache_control);
  res.keep_alive(req.keep_alive());
  const auto size = contents->size();
  // HEAD: the GET's headers, Content-Length included, with no body.
  if (req.method() == http::verb::get) res.body() = std::move(*contents);
  res.content_length(size);
  return res;
}

std::optional<Response> report_refusal(const Request& req, const ServerOptions& options, bool tls) {
  if (req.method() != http::verb::post) {
    auto res = text_response(req, http::status::method_not_allowed, "only POST\n");
    res.set(http::field::allow, "POST");
    return res;
  }
  // The console's pages send no referrer, so Chromium posts its form with
  // "Origin: null"; the token is the credential, and another site's
  // origin is still refused.
  const std::string_view origin = req[http::field::origin];
  if (origin != "null" && !origin_allowed(origin, req[http::field::host], tls, options.allowed_origins)) {
    return text_response(req, http::status::forbidden, "the report opens from this server's own console\n");
  }
  const auto token = form_field(req.body(), "token");
  if (!token || token->empty()) return text_response(req, http::status::bad_request, "no token in the form\n");
  return std::nullopt;
}

Response report_response(const Request& req, const app::Result<app::ReportPage>& result, const std::string& address) {
  if (const auto* failure = std::get_if<app::Failure>(&result)) {
    return text_response(req, status_of(failure->code), failure->text + "\n");
  }
  const app::ReportPage& page = std::get<app::ReportPage>(result);
  spdlog::info("game {}: after-action report opened from the console ({})", page.game_id, address);
  Response res{http::status::ok, req.version()};
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

std::string remote_address(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : remote.address().to_string();
}

std::string remote_port(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : std::to_string(remote.port());
}

}  // namespace leadtime::server::web

// Browsers' transport: the web app's files over HTTP and the game protocol
// over WebSocket on /ws, with the same handshake, requests and limits as raw
// TCP; Origin and reverse-proxy rules; TLS on both listeners.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "protocol/catalogue_info.h"
#include "protocol/scenario_info.h"
#include "server/web/web_listener.h"
#include "tests/server/ws_client.h"

using namespace net_testing;
namespace fs = std::filesystem;

namespace {

// A throwaway folder with a small built web app in it (and a secret beside
// it that must never be served).
struct WebRoot {
  fs::path base;
  fs::path root;
  WebRoot() {
    base = fs::temp_directory_path() / ("leadtime-web-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    root = base / "dist";
    fs::create_directories(root / "assets");
    write(root / "index.html", "<!doctype html><title>Leadtime</title>");
    write(root / "assets" / "app-3f9a1c2e.js", "console.log('hi');");
    write(root / "style.css", "body{}");
    write(base / "secret.txt", "not for the web");
  }
  ~WebRoot() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
};

// A test server with the web listener its options ask for.
struct WebServer : TestServer {
  explicit WebServer(lt::server::net::ServerOptions o = {})
      : TestServer(std::move(o), lt::server::web::attach_web_listener) {}
};

lt::server::net::ServerOptions web_options(const WebRoot& web) {
  lt::server::net::ServerOptions o;
  o.web_enabled = true;
  o.web_port = 0;
  o.web_root = web.root.string();
  return o;
}

std::string own_origin(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

std::unique_ptr<WsClient> ws_join(std::uint16_t web_port, const std::string& token, const std::string& member,
                                  WsOptions options = {}) {
  if (options.origin.empty()) options.origin = own_origin(web_port);
  auto c = std::make_unique<WsClient>(web_port, options);
  REQUIRE(!c->refused);
  c->welcome();
  flatbuffers::FlatBufferBuilder fbb;
  c->send(fbb, wire::CreateJoinDirect(fbb, token.c_str(), member.c_str()));
  REQUIRE(c->read_until(wire::Message::Joined) != nullptr);
  return c;
}

wire::ErrorCode error_code_of(const wire::Envelope* e) {
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  return e->message_as_Error()->code();
}

}  // namespace

TEST_CASE("web: the web app's files, with their types, caching and security headers") {
  WebRoot web;
  WebServer ts(web_options(web));
  const auto port = ts.server->web_port();
  REQUIRE(port != 0);

  const auto index = http_get(port, "/");
  REQUIRE(index);
  CHECK(index->result() == http::status::ok);
  CHECK(index->body() == "<!doctype html><title>Leadtime</title>");
  CHECK((*index)[http::field::content_type] == "text/html; charset=utf-8");
  CHECK((*index)[http::field::cache_control] == "no-store");  // pages open with tokens
  CHECK(std::string((*index)["Content-Security-Policy"]).find("script-src 'self'") != std::string::npos);
  CHECK((*index)["X-Content-Type-Options"] == "nosniff");

  const auto script = http_get(port, "/assets/app-3f9a1c2e.js?v=1");
  REQUIRE(script);
  CHECK(script->result() == http::status::ok);
  CHECK((*script)[http::field::content_type] == "text/javascript; charset=utf-8");
  CHECK(std::string((*script)[http::field::cache_control]).find("immutable") != std::string::npos);

  const auto css = http_get(port, "/style.css");
  REQUIRE(css);
  CHECK((*css)[http::field::cache_control] == "no-cache");

  const auto head = http_get(port, "/", http::verb::head);
  REQUIRE(head);
  CHECK(head->result() == http::status::ok);
  CHECK((*head)[http::field::content_length] == "38");

  CHECK(head->body().empty());

  CHECK(http_get(port, "/nope.html")->result() == http::status::not_found);
  // A folder is no page (not an empty 200).
  CHECK(http_get(port, "/assets")->result() == http::status::not_found);
  CHECK(http_get(port, "/", http::verb::post)->result() == http::status::method_not_allowed);
  // However the path is written, nothing outside the root is served.
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2fsecret.txt",
                             "/assets/../../secret.txt", "/..\\secret.txt", "//etc/passwd"}) {
    const auto r = http_get(port, target);
    REQUIRE(r);
    CAPTURE(target);
    CHECK(r->body().find("not for the web") == std::string::npos);
    CHECK(r->result() != http::status::ok);
  }
  // The server is still there for the next client.
  CHECK(http_get(port, "/")->result() == http::status::ok);
}

TEST_CASE("web: a seat plays a round through /ws beside a TCP client") {
  WebRoot web;
  WebServer ts(web_options(web));
  const auto tcp_port = ts.server->port();
  const auto web_port = ts.server->web_port();
  Client fac(tcp_port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except({{"eu", "scripts/bots/eu_aligner.lua"}}), 3600);

  auto us = ws_join(web_port, token_of(g, "us"), "ann");
  auto cn = join(tcp_port, token_of(g, "cn"), "bo");
  {
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<lt::OrderDraft> orders = {tier(2)};
    us->send(fbb, proto::build_submit_orders(fbb, orders));
    const wire::Envelope* e = us->read_until(wire::Message::OrdersAccepted);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_OrdersAccepted()->accepted() == 1);
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, wire::CreatePressDirect(fbb, nullptr, "over the web"));
    REQUIRE(us->read_until(wire::Message::Ack) != nullptr);
    const wire::Envelope* p = cn->read_until(wire::Message::Press);
    REQUIRE(p != nullptr);
    CHECK(p->message_as_Press()->text()->str() == "over the web");
  }
  command(fac, wire::Command::Force);
  const wire::Envelope* result = us->read_until(wire::Message::RoundResult);
  REQUIRE(result != nullptr);
  CHECK(result->message_as_RoundResult()->round() == 1);
  // The view after the round is the seat's own, as on TCP.
  const wire::Envelope* view = us->read_until(wire::Message::ViewMsg);
  REQUIRE(view != nullptr);
}

namespace {

std::string web_url_in_welcome(Client& c) {
  c.hello();
  const wire::Envelope* e = c.read_until(wire::Message::Welcome);
  REQUIRE(e != nullptr);
  const auto* url = e->message_as_Welcome()->web_url();
  return url == nullptr ? std::string() : url->str();
}

}  // namespace

TEST_CASE("web: Welcome says where the pages are") {
  {
    WebRoot web;
    WebServer ts(web_options(web));
    Client c(ts.server->port());
    CHECK(web_url_in_welcome(c) == "http://127.0.0.1:" + std::to_string(ts.server->web_port()) + "/");
  }
  {
    WebRoot web;
    auto options = web_options(web);
    options.public_url = "https://wargame.example.org/";
    WebServer ts(options);
    Client c(ts.server->port());
    CHECK(web_url_in_welcome(c) == "https://wargame.example.org/");
  }
  WebServer no_pages;
  Client c(no_pages.server->port());
  CHECK(web_url_in_welcome(c).empty());
}

TEST_CASE("web: a seat asks for the catalogue and the scenario over /ws") {
  WebRoot web;
  WebServer ts(web_options(web));
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except({}), 3600);
  auto us = ws_join(ts.server->web_port(), token_of(g, "us"), "ann");
  {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, wire::CreateCatalogueRequestDirect(fbb));
    const wire::Envelope* e = us->read_until(wire::Message::Catalogue);
    REQUIRE(e != nullptr);
    const auto actions = proto::catalogue_from_wire(*e->message_as_Catalogue());
    CHECK(actions == proto::describe_catalogue(&ts.server->lobby().default_scenario()->initial));
  }
  flatbuffers::FlatBufferBuilder fbb;
  us->send(fbb, wire::CreateScenarioInfoRequestDirect(fbb));
  const wire::Envelope* e = us->read_until(wire::Message::ScenarioInfo);
  REQUIRE(e != nullptr);
  const auto info = proto::scenario_info_from_wire(*e->message_as_ScenarioInfo());
  REQUIRE(info.seats.size() == ts.server->lobby().default_scenario()->initial.actors.size());
  for (const auto& seat : info.seats) {
    CAPTURE(seat.id);
    // Its own briefing and objectives, nobody else's.
    CHECK(seat.briefing.empty() == (seat.id != "us"));
    CHECK(seat.objectives.empty() == (seat.id != "us"));
  }
}

TEST_CASE("web: the facilitator's token opens the after-action report, nobody else's does") {
  WebRoot web;
  WebServer ts(web_options(web));
  const auto port = ts.server->web_port();
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 3600);
  command(fac, wire::Command::Force);
  REQUIRE(fac.read_until(wire::Message::RoundResult) != nullptr);

  const auto report = http_post_form(port, "/report", "token=" + g.facilitator_token, own_origin(port));
  REQUIRE(report);
  CHECK(report->result() == http::status::ok);
  CHECK((*report)[http::field::content_type] == "text/html; charset=utf-8");
  CHECK((*report)[http::field::cache_control] == "no-store");
  // Its own inline style and script may run; nothing may be fetched.
  CHECK((*report)["Content-Security-Policy"].starts_with("default-src 'none'"));
  CHECK(report->body().find("<html") != std::string::npos);
  CHECK(report->body().find(g.game_id) != std::string::npos);

  const auto seat = http_post_form(port, "/report", "token=" + token_of(g, "us"), own_origin(port));
  REQUIRE(seat);
  CHECK(seat->result() == http::status::forbidden);
  const auto unknown = http_post_form(port, "/report", "token=not-a-token", own_origin(port));
  REQUIRE(unknown);
  CHECK(unknown->result() == http::status::not_found);
  CHECK(unknown->body().find("no game knows that token") != std::string::npos);
  const auto foreign = http_post_form(port, "/report", "token=" + g.facilitator_token, "https://evil.example");
  REQUIRE(foreign);
  CHECK(foreign->result() == http::status::forbidden);
  const auto empty = http_post_form(port, "/report", "", own_origin(port));
  REQUIRE(empty);
  CHECK(empty->result() == http::status::bad_request);
  // A GET would put the token in the request line: only POST.
  const auto get = http_get(port, "/report");
  REQUIRE(get);
  CHECK(get->result() == http::status::method_not_allowed);
}

TEST_CASE("web: the limits of TCP hold over WebSocket") {
  WebRoot web;
  auto options = web_options(web);
  options.max_frame = 4096;
  options.message_burst = 5;
  options.messages_per_second = 1;
  options.rate_strikes_to_close = 3;
  options.idle_timeout = std::chrono::milliseconds(400);
  WebServer ts(options);
  const auto port = ts.server->web_port();
  const WsOptions own = with_origin(own_origin(port));

  SUBCASE("Hello first") {
    WsClient c(port, own);
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, wire::CreatePing(fbb, 1));
    CHECK(error_code_of(c.read()) == wire::ErrorCode::BadMessage);
    CHECK(c.closed());
  }
  SUBCASE("a message over the frame cap ends the connection with a reason") {
    WsClient c(port, own);
    c.welcome();
    c.send_message(std::vector<std::uint8_t>(8192, 0));
    const wire::Envelope* e = c.read();
    CHECK(error_code_of(e) == wire::ErrorCode::BadFrame);
    CHECK(e->message_as_Error()->text()->str().find("4096") != std::string::npos);
    CHECK(c.closed());
  }
  SUBCASE("a text message is refused") {
    WsClient c(port, own);
    c.welcome();
    c.send_text("hello?");
    CHECK(error_code_of(c.read()) == wire::ErrorCode::BadFrame);
  }
  SUBCASE("garbage that does not verify closes, an empty envelope does not") {
    WsClient c(port, own);
    c.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    wire::FinishEnvelopeBuffer(fbb, wire::CreateEnvelope(fbb, proto::kProtocolVersion, 42));
    c.send_message(std::span<const std::uint8_t>(fbb.GetBufferPointer(), fbb.GetSize()));
    const wire::Envelope* e = c.read();
    CHECK(error_code_of(e) == wire::ErrorCode::BadMessage);
    CHECK(e->message_as_Error()->request_id() == 42);
    c.send_message(std::vector<std::uint8_t>(64, 0xff));
    CHECK(error_code_of(c.read()) == wire::ErrorCode::BadMessage);
    CHECK(c.closed());
  }
  SUBCASE("a flood is slowed, then closed") {
    WsClient c(port, own);
    c.welcome();
    int limited = 0;
    for (int i = 0; i < 12; ++i) {
      flatbuffers::FlatBufferBuilder fbb;
      c.send(fbb, wire::CreatePing(fbb, static_cast<std::uint64_t>(i)));
    }
    while (const wire::Envelope* e = c.read()) {
      if (e->message_type() == wire::Message::Error && e->message_as_Error()->code() == wire::ErrorCode::RateLimited) {
        ++limited;
      }
    }
    CHECK(limited == 3);
  }
  SUBCASE("an idle connection is closed") {
    WsClient c(port, own);
    c.welcome();
    const wire::Envelope* e = c.read();
    CHECK(error_code_of(e) == wire::ErrorCode::BadMessage);
    CHECK(e->message_as_Error()->text()->str().find("idle") != std::string::npos);
    CHECK(c.closed());
  }
}

TEST_CASE("web: only the server's own origin, or one allowed, opens /ws") {
  WebRoot web;
  auto options = web_options(web);
  options.allowed_origins = {"https://room.example"};
  WebServer ts(options);
  const auto port = ts.server->web_port();

  WsClient foreign(port, with_origin("https://evil.example"));
  REQUIRE(foreign.refused);
  CHECK(foreign.refused->result() == http::status::forbidden);

  WsClient own(port, with_origin(own_origin(port)));
  CHECK(!own.refused);
  own.welcome();
  WsClient allowed(port, with_origin("https://room.example"));
  CHECK(!allowed.refused);
  allowed.welcome();

  WsClient elsewhere(port, WsOptions{own_origin(port), "", "/other"});
  REQUIRE(elsewhere.refused);
  CHECK(elsewhere.refused->result() == http::status::not_found);
}

TEST_CASE("web: behind a trusted proxy, limits count the forwarded address") {
  WebRoot web;
  auto options = web_options(web);
  options.max_connections_per_address = 1;
  SUBCASE("trusted") {
    options.trusted_proxies = {"127.0.0.1"};
    WebServer ts(options);
    const auto port = ts.server->web_port();
    WsClient a(port, {own_origin(port), "10.1.1.1"});
    a.welcome();
    WsClient b(port, {own_origin(port), "192.0.2.9, 10.1.1.2"});
    b.welcome();
    WsClient again(port, {own_origin(port), "10.1.1.1"});
    const wire::Envelope* e = again.read();
    CHECK(error_code_of(e) == wire::ErrorCode::RateLimited);
    CHECK(e->message_as_Error()->text()->str().find("10.1.1.1") != std::string::npos);
  }
  SUBCASE("not trusted: the header is the client's word and is ignored") {
    WebServer ts(options);
    const auto port = ts.server->web_port();
    WsClient a(port, {own_origin(port), "10.1.1.1"});
    a.welcome();
    WsClient b(port, {own_origin(port), "10.1.1.2"});
    const wire::Envelope* e = b.read();
    CHECK(error_code_of(e) == wire::ErrorCode::RateLimited);
    CHECK(e->message_as_Error()->text()->str().find("127.0.0.1") != std::string::npos);
  }
}

TEST_CASE("tls: both listeners speak TLS with the given certificate") {
  WebRoot web;
  const fs::path cert = web.base / "cert.pem";
  const fs::path key = web.base / "key.pem";
  const std::string make_cert = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout " +
                                key.string() + " -out " + cert.string() + " >/dev/null 2>&1";
  REQUIRE(std::system(make_cert.c_str()) == 0);
  auto options = web_options(web);
  options.tls_cert = cert.string();
  options.tls_key = key.string();
  WebServer ts(options);

  TlsClient fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 3600);
  WsOptions secure = with_origin("https://127.0.0.1:" + std::to_string(ts.server->web_port()));
  secure.tls = true;
  auto us = ws_join(ts.server->web_port(), token_of(g, "us"), "ann", secure);
  {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, wire::CreateReady(fbb, true));
    CHECK(us->read_until(wire::Message::Ack) != nullptr);
  }
  // A client that does not speak TLS gets nothing it could read.
  Client clear(ts.server->port());
  clear.hello();
  CHECK(clear.read() == nullptr);
}

TEST_CASE("tls: a certificate that does not load stops the server with the file's name") {
  WebRoot web;
  auto options = web_options(web);
  options.port = 0;
  options.tls_cert = (web.base / "missing.pem").string();
  options.tls_key = (web.base / "missing.key").string();
  asio::io_context io;
  try {
    lt::server::net::Server server(io, options);
    FAIL("a server started without its certificate");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("missing.pem") != std::string::npos);
  }
}

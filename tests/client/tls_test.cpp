// leadtime-cli over TLS: the real client against a real leadtime-server
// started with --tls-cert and --tls-key, its certificate self-signed for
// "localhost" by the openssl command.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/client/e2e_helpers.h"
#include "tests/client/proxy.h"

using namespace leadtime::test;
using nlohmann::json;
using std::chrono::seconds;

namespace {

std::string text_of(const Finished& f) {
  return "exit " + std::to_string(f.exit_code) + "\nstdout:\n" + f.out + "\nstderr:\n" + f.err;
}

// A self-signed certificate for DNS name "localhost" only (no IP address),
// and its key, in `dir`.
struct Certificate {
  std::string cert;
  std::string key;
};

Certificate make_certificate(const TempDir& dir) {
  Certificate c{dir.file("cert.pem"), dir.file("key.pem")};
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 2 "
      "-keyout " +
      c.key + " -out " + c.cert + " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  return c;
}

// `leadtime-cli connect ADDRESS --timeout 30 ARGS...`
std::vector<std::string> cli_at(const std::string& address, std::vector<std::string> args) {
  std::vector<std::string> argv = {LEADTIME_CLI_BIN, "connect", address, "--timeout", "30"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string localhost(int port) { return "localhost:" + std::to_string(port); }

}  // namespace

TEST_CASE("cli tls: a client that trusts the server's certificate creates, lists and plays a game over TLS") {
  TempDir dir;
  const Certificate c = make_certificate(dir);
  ServerProcess server(dir, {"--tls-cert", c.cert, "--tls-key", c.key});
  const Finished created =
      run(cli_at(localhost(server.port()), {"--tls-ca", c.cert, "--key-file", server.key_file(), "--json", "--exec",
                                            "create people=us seed=3; start; games"}),
          dir, seconds(120), client_env(dir));
  INFO(text_of(created));
  REQUIRE(created.exit_code == 0);
  const auto lines = json_lines(created.out);
  CHECK(first_of(lines, "connected")["server"] == localhost(server.port()));
  const json game = first_of(lines, "game_created");
  REQUIRE(game.contains("game_id"));
  const json games = first_of(lines, "games");
  REQUIRE(games["games"].size() == 1);
  CHECK(games["games"][0]["game_id"] == game["game_id"]);
  // The handouts tell teams to join the same way, with the certificate
  // beside them.
  const json handouts = first_of(lines, "handouts");
  REQUIRE(handouts.contains("dir"));
  const std::string folder = handouts["dir"];
  CHECK(read_text(folder + "/server-ca.pem") == read_text(c.cert));
  CHECK(read_text(folder + "/us-handout.md")
            .find("leadtime-cli connect tls://" + localhost(server.port()) +
                  " --token-file us.token --tls-ca server-ca.pem") != std::string::npos);

  // The seat joins with the tls:// form and plays its first round.
  const Finished seat =
      run(cli_at("tls://" + localhost(server.port()), {"--tls-ca", c.cert, "--token", game["seats"]["us"], "--json",
                                                       "--exec", "set_enforcement 2; submit; status"}),
          dir, seconds(120), client_env(dir));
  INFO(text_of(seat));
  REQUIRE(seat.exit_code == 0);
  const auto seat_lines = json_lines(seat.out);
  CHECK(count_of(seat_lines, "orders_accepted") == 1);
  CHECK(first_of(seat_lines, "status")["seat"] == "us");
}

TEST_CASE("cli tls: a certificate that does not verify, or a client without TLS, fails at once saying why") {
  TempDir dir;
  const Certificate c = make_certificate(dir);
  ServerProcess server(dir, {"--tls-cert", c.cert, "--tls-key", c.key});

  SUBCASE("--tls checks against the system's trusted certificates, which do not hold a self-signed one") {
    const Finished f =
        run(cli_at(localhost(server.port()), {"--tls", "--exec", "games"}), dir, seconds(60), client_env(dir));
    INFO(text_of(f));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find("certificate verify failed: self-signed certificate") != std::string::npos);
    CHECK(f.err.find("--tls-ca FILE") != std::string::npos);
  }
  SUBCASE("the certificate is for localhost, not 127.0.0.1") {
    const Finished f =
        run(cli_at("tls://127.0.0.1:" + std::to_string(server.port()), {"--tls-ca", c.cert, "--exec", "games"}), dir,
            seconds(60), client_env(dir));
    INFO(text_of(f));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find("certificate verify failed: IP address mismatch") != std::string::npos);
    CHECK(f.err.find("not for '127.0.0.1'") != std::string::npos);
  }
  SUBCASE("another certificate than the server's") {
    TempDir other;
    const Certificate wrong = make_certificate(other);
    const Finished f = run(cli_at(localhost(server.port()), {"--tls-ca", wrong.cert, "--exec", "games"}), dir,
                           seconds(60), client_env(dir));
    INFO(text_of(f));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find("certificate verify failed") != std::string::npos);
    CHECK(f.err.find("--tls-ca " + wrong.cert) != std::string::npos);
  }
  SUBCASE("a --tls-ca file that is not a certificate is a bad flag") {
    write_text(dir.file("junk.pem"), "not a certificate\n");
    const Finished f = run(cli_at(localhost(server.port()), {"--tls-ca", dir.file("junk.pem"), "--exec", "games"}), dir,
                           seconds(60), client_env(dir));
    INFO(text_of(f));
    CHECK(f.exit_code == 2);
    CHECK(f.err.find("--tls-ca " + dir.file("junk.pem")) != std::string::npos);
  }
  SUBCASE("a client without TLS is told the server speaks it") {
    const Finished f = run(cli_at(localhost(server.port()), {"--exec", "games"}), dir, seconds(60), client_env(dir));
    INFO(text_of(f));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find("connect with --tls") != std::string::npos);
  }
}

TEST_CASE("cli tls: a TLS client against a server without TLS says the handshake failed and why") {
  TempDir dir;
  ServerProcess server(dir);
  const Finished f = run(cli(server, {"--tls", "--exec", "games"}), dir, seconds(60), client_env(dir));
  INFO(text_of(f));
  CHECK(f.exit_code == 1);
  CHECK(f.err.find("TLS handshake with " + server.address() + " failed") != std::string::npos);
  CHECK(f.err.find("is it a TLS server?") != std::string::npos);
}

TEST_CASE("cli tls: a lost TLS connection reconnects by itself and the seat rejoins") {
  TempDir dir;
  const Certificate c = make_certificate(dir);
  ServerProcess server(dir, {"--tls-cert", c.cert, "--tls-key", c.key});
  const Finished created =
      run(cli_at(localhost(server.port()), {"--tls-ca", c.cert, "--key-file", server.key_file(), "--json", "--exec",
                                            "create people=us,cn deadline=10m seed=7; start"}),
          dir, seconds(120), client_env(dir));
  INFO(text_of(created));
  REQUIRE(created.exit_code == 0);
  const json game = first_of(json_lines(created.out), "game_created");
  Proxy proxy(static_cast<std::uint16_t>(server.port()));
  Child seat(cli_at(localhost(proxy.port()), {"--tls-ca", c.cert, "--token", game["seats"]["cn"], "--json", "--exec",
                                              "set_smuggling 2; submit; wait press 120; draft"}),
             dir.file("seat.out"), dir.file("seat.err"), client_env(dir));
  REQUIRE(eventually([&] { return seat.out().find("\"orders_accepted\"") != std::string::npos; }, seconds(60)));
  proxy.cut(/*hold=*/true);
  REQUIRE(eventually([&] { return seat.out().find("\"disconnected\"") != std::string::npos; }, seconds(60)));
  const Finished sent = run(
      cli_at(localhost(server.port()), {"--tls-ca", c.cert, "--key-file", server.key_file(), "--exec",
                                        "join " + game["game_id"].get<std::string>() + "; send cn while you were out"}),
      dir, seconds(60), client_env(dir));
  INFO(text_of(sent));
  REQUIRE(sent.exit_code == 0);
  proxy.release();
  const Finished s = seat.wait(seconds(120));
  INFO(text_of(s));
  REQUIRE(s.exit_code == 0);
  const auto lines = json_lines(s.out);
  CHECK(count_of(lines, "reconnected") >= 1);
  CHECK(count_of(lines, "rejoined") >= 1);
  CHECK(first_of(lines, "press")["text"] == "while you were out");
}

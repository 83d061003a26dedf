// The limits on careless and hostile clients that net_features_test.cpp does
// not cover already: connections in total, frame size as configured, games
// per facilitator and per server (finished games not counted), token
// comparison, wrong tokens slowing down every Join from an address, and
// every limit as a leadtime-server flag.
#include <doctest/doctest.h>

#include "server/tokens.h"
#include "tests/server/net_client.h"
#include "tests/server/server_process.h"

using namespace net_testing;
using namespace std::chrono_literals;

namespace {

const wire::Error* expect_error(Client& c, wire::ErrorCode code) {
  const wire::Envelope* e = c.read_until(wire::Message::Error);
  REQUIRE(e != nullptr);
  const wire::Error* error = e->message_as_Error();
  CHECK_MESSAGE(error->code() == code, error->text()->str());
  return error;
}

bool contains(const flatbuffers::String* s, const std::string& part) {
  return s != nullptr && s->str().find(part) != std::string::npos;
}

// Sends CreateGame (every seat a person's); returns the reply.
const wire::Envelope* create_game(Client& c) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatBot>> people;
  for (const auto& [seat, path] : people_except()) {
    people.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
  }
  c.send(fbb, wire::CreateCreateGameDirect(fbb, "", 3, 0, &people, ""));
  for (int i = 0; i < 100; ++i) {
    const wire::Envelope* e = c.read();
    if (e == nullptr) return nullptr;
    if (e->message_type() == wire::Message::GameCreated || e->message_type() == wire::Message::Error) return e;
  }
  return nullptr;
}

std::string created_token(const wire::Envelope* e) {
  REQUIRE(e != nullptr);
  REQUIRE_MESSAGE(e->message_type() == wire::Message::GameCreated,
                  (e->message_type() == wire::Message::Error ? e->message_as_Error()->text()->str() : ""));
  return e->message_as_GameCreated()->facilitator_token()->str();
}

std::size_t listed_games(std::uint16_t port) {
  Client lister(port);
  lister.welcome();
  flatbuffers::FlatBufferBuilder fbb;
  lister.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  const wire::Envelope* e = lister.read_until(wire::Message::GameList);
  REQUIRE(e != nullptr);
  return e->message_as_GameList()->games()->size();
}

// Joins an open connection to a game with `token`; returns the reply type.
wire::Message try_join(Client& c, const std::string& token) {
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, wire::CreateJoinDirect(fbb, token.c_str(), "someone"));
  for (int i = 0; i < 100; ++i) {
    const wire::Envelope* e = c.read();
    REQUIRE(e != nullptr);
    if (e->message_type() == wire::Message::Joined || e->message_type() == wire::Message::Error) {
      return e->message_type();
    }
  }
  FAIL("no answer to Join");
  return wire::Message::NONE;
}

}  // namespace

TEST_CASE("limits: connections over the total limit are turned away naming it; a freed slot is taken again") {
  lt::server::net::ServerOptions o;
  o.max_connections = 2;
  TestServer ts(o);
  auto a = std::make_unique<Client>(ts.server->port());
  a->welcome();
  // From another address: the total counts every address.
  Client b(ts.server->port(), "127.0.0.2");
  b.welcome();
  Client c(ts.server->port(), "127.0.0.3");
  const wire::Envelope* e = c.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::RateLimited);
  CHECK(contains(e->message_as_Error()->text(), "holds 2 connections, its limit"));
  CHECK(c.closed());
  // Once a client leaves, its slot is free again (the server notices the
  // close on its own time: try a bounded number of times).
  a.reset();
  bool welcomed = false;
  for (int i = 0; i < 100 && !welcomed; ++i) {
    Client d(ts.server->port());
    d.hello();
    e = d.read();
    welcomed = e != nullptr && e->message_type() == wire::Message::Welcome;
    if (!welcomed) std::this_thread::sleep_for(20ms);
  }
  CHECK(welcomed);
}

TEST_CASE("limits: a frame over the configured size is refused naming the limit, and only that connection closes") {
  lt::server::net::ServerOptions o;
  o.max_frame = 2048;
  TestServer ts(o);
  Client calm(ts.server->port());
  calm.welcome();
  Client big(ts.server->port());
  big.welcome();
  {
    // A press of 3,000 characters makes a frame over 2,048 bytes.
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> all;
    big.send(fbb, wire::CreatePressDirect(fbb, &all, std::string(3000, 'x').c_str()));
  }
  const wire::Error* error = expect_error(big, wire::ErrorCode::BadFrame);
  CHECK(contains(error->text(), "exceeds the 2048-byte limit"));
  CHECK(big.closed());
  flatbuffers::FlatBufferBuilder fbb;
  calm.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  CHECK(calm.read_until(wire::Message::GameList) != nullptr);
}

TEST_CASE("limits: games per facilitator count unfinished games from one address, branches included") {
  lt::server::net::ServerOptions o;
  o.max_games_per_facilitator = 2;
  TestServer ts(o);
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const std::string first = created_token(create_game(fac));
  created_token(create_game(fac));
  const wire::Envelope* e = create_game(fac);
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::RateLimited);
  CHECK(
      contains(e->message_as_Error()->text(), "127.0.0.1 already runs 2 unfinished games, the limit per facilitator"));
  CHECK(listed_games(port) == 2);
  // Another facilitator, at another address, has a limit of its own.
  Client other(port, "127.0.0.2");
  other.welcome();
  created_token(create_game(other));
  // A branch is a game too.
  auto first_fac = join(port, first, "fac");
  command(*first_fac, wire::Command::Start);
  REQUIRE(first_fac->read_until(wire::Message::Ack) != nullptr);
  command(*first_fac, wire::Command::Force);
  REQUIRE(first_fac->read_until(wire::Message::RoundResult) != nullptr);
  {
    flatbuffers::FlatBufferBuilder fbb;
    first_fac->send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Branch, "", 0, "", "", "", 1));
    const wire::Error* error = expect_error(*first_fac, wire::ErrorCode::RateLimited);
    CHECK(contains(error->text(), "Branch: 127.0.0.1 already runs 2 unfinished games"));
  }
  // A finished game no longer counts.
  command(*first_fac, wire::Command::End);
  REQUIRE(first_fac->read_until(wire::Message::GameEnded) != nullptr);
  created_token(create_game(fac));
  CHECK(listed_games(port) == 4);  // three unfinished and the finished one
}

TEST_CASE("limits: games per server count unfinished games; a finished one nobody is in is unloaded for a new one") {
  lt::server::net::ServerOptions o;
  o.max_games = 2;
  TestServer ts(o);
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const std::string first = created_token(create_game(fac));
  created_token(create_game(fac));
  const wire::Envelope* e = create_game(fac);
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(contains(e->message_as_Error()->text(), "the server already runs 2 unfinished games, its limit (max_games)"));
  auto first_fac = join(port, first, "fac");
  command(*first_fac, wire::Command::End);
  REQUIRE(first_fac->read_until(wire::Message::GameEnded) != nullptr);
  // Still in use by its facilitator: it stays, and the server is full.
  e = create_game(fac);
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(contains(e->message_as_Error()->text(), "every finished one is in use"));
  first_fac.reset();
  // Once nobody is in it, it makes room (the server sees the close on its
  // own time: try a bounded number of times).
  bool created = false;
  for (int i = 0; i < 100 && !created; ++i) {
    e = create_game(fac);
    REQUIRE(e != nullptr);
    created = e->message_type() == wire::Message::GameCreated;
    if (!created) std::this_thread::sleep_for(20ms);
  }
  CHECK(created);
  CHECK(listed_games(port) == 2);
  Client late(port);
  late.welcome();
  CHECK(try_join(late, first) == wire::Message::Error);
}

TEST_CASE("limits: tokens are checked as fixed-length hashes, each compared in constant time") {
  const lt::server::TokenHash h = lt::server::hash_token("0123456789abcdef0123456789abcdef");
  CHECK(h.size() == 32);
  // Whatever the guess's length, the comparison is of two 32-byte hashes
  // (sodium_memcmp, which never stops at the first difference).
  CHECK(lt::server::same_hash(h, lt::server::hash_token("0123456789abcdef0123456789abcdef")));
  CHECK_FALSE(lt::server::same_hash(h, lt::server::hash_token("0123456789abcdef0123456789abcdee")));
  CHECK_FALSE(lt::server::same_hash(h, lt::server::hash_token("")));
  CHECK_FALSE(lt::server::same_hash(h, lt::server::hash_token(std::string(100000, '0'))));
  lt::server::TokenHash last_byte = h;
  last_byte[31] ^= 1;
  CHECK_FALSE(lt::server::same_hash(h, last_byte));
}

TEST_CASE("limits: after wrong tokens every Join from the address waits its turn, one after another") {
  lt::server::net::ServerOptions o;
  o.free_wrong_tokens = 1;
  o.wrong_token_delay = 1000ms;
  o.max_wrong_token_delay = 4000ms;
  TestServer ts(o);
  auto& server = *ts.server;
  const auto before = Clock::now();
  {
    const auto turn = server.join_turn("10.0.0.1");
    CHECK(turn <= Clock::now());  // nothing wrong yet
  }
  CHECK(server.note_wrong_token("10.0.0.1") == 0ms);  // the free one
  {
    const auto turn = server.join_turn("10.0.0.1");
    CHECK(turn <= Clock::now());
  }
  CHECK(server.note_wrong_token("10.0.0.1") == 1000ms);
  // Joins asked at once, on any number of connections, are looked at one
  // by one, a full wait apart: parallel guessing gains nothing.
  const auto first = server.join_turn("10.0.0.1");
  const auto second = server.join_turn("10.0.0.1");
  const auto third = server.join_turn("10.0.0.1");
  CHECK(first >= before + 1000ms);
  CHECK(second - first == 1000ms);
  CHECK(third - second == 1000ms);
  CHECK(server.note_wrong_token("10.0.0.1") == 2000ms);
  CHECK(server.note_wrong_token("10.0.0.1") == 4000ms);
  CHECK(server.note_wrong_token("10.0.0.1") == 4000ms);  // the longest wait
  // Per address.
  {
    const auto turn = server.join_turn("10.0.0.2");
    CHECK(turn <= Clock::now());
  }
  CHECK(server.note_wrong_token("10.0.0.2") == 0ms);
}

TEST_CASE("limits: an address's wrong tokens are forgiven after a quiet time") {
  lt::server::net::ServerOptions o;
  o.free_wrong_tokens = 0;
  o.forgive_wrong_tokens = 20ms;
  TestServer ts(o);
  auto& server = *ts.server;
  CHECK(server.note_wrong_token("10.0.0.1") == 100ms);
  CHECK(server.note_wrong_token("10.0.0.1") == 200ms);
  std::this_thread::sleep_for(40ms);  // at least the quiet time
  {
    const auto turn = server.join_turn("10.0.0.1");
    CHECK(turn <= Clock::now());
  }
  CHECK(server.note_wrong_token("10.0.0.1") == 100ms);  // counted afresh
}

TEST_CASE("limits: wrong tokens over the wire are refused naming the slow-down; a right token still joins") {
  lt::server::net::ServerOptions o;
  o.free_wrong_tokens = 1;
  o.wrong_token_delay = 50ms;
  TestServer ts(o);
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const std::string token = created_token(create_game(fac));
  Client guesser(port);
  guesser.welcome();
  const std::string wrong(32, '0');
  CHECK(try_join(guesser, wrong) == wire::Message::Error);
  {
    flatbuffers::FlatBufferBuilder fbb;
    guesser.send(fbb, wire::CreateJoinDirect(fbb, wrong.c_str(), "again"));
    const wire::Error* error = expect_error(guesser, wire::ErrorCode::UnknownToken);
    CHECK(contains(error->text(), "too many wrong tokens from 127.0.0.1: its next Join is looked at in 50 ms"));
  }
  // Another address is not slowed down.
  Client elsewhere(port, "127.0.0.2");
  elsewhere.welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    elsewhere.send(fbb, wire::CreateJoinDirect(fbb, wrong.c_str(), "x"));
    const wire::Error* error = expect_error(elsewhere, wire::ErrorCode::UnknownToken);
    CHECK(error->text()->str() == "no game knows that token");
  }
  // The right token from the slowed address is looked at in its turn, on a
  // new connection as on the old one.
  Client right(port);
  right.welcome();
  CHECK(try_join(right, token) == wire::Message::Joined);
  CHECK(try_join(guesser, token) == wire::Message::Joined);
}

TEST_CASE("limits: every limit is a leadtime-server flag, and the flags take effect") {
  const std::string help_command = std::string(LEADTIME_SERVER_BIN) + " --help 2>&1";
  std::string help;
  {
    FILE* pipe = ::popen(help_command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) help += buffer;
    ::pclose(pipe);
  }
  for (const char* flag :
       {"--max-connections", "--max-connections-per-address", "--messages-per-second", "--message-burst",
        "--rate-strikes", "--max-frame-bytes", "--handshake-timeout-ms", "--idle-timeout-ms", "--max-games",
        "--max-games-per-facilitator", "--max-message-chars", "--max-orders", "--free-wrong-tokens",
        "--wrong-token-delay-ms", "--max-wrong-token-delay-ms", "--forgive-wrong-tokens-ms", "--save-retry-ms"}) {
    CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
  }
  const TempDir dir("leadtime-limits");
  ServerProcess server(
      dir.path, {"--no-db", "--max-games-per-facilitator", "1", "--max-orders", "2", "--handshake-timeout-ms", "200"});
  Client fac(server.port());
  fac.welcome();
  created_token(create_game(fac));
  const wire::Envelope* e = create_game(fac);
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(contains(e->message_as_Error()->text(), "already runs 1 unfinished game, the limit per facilitator"));
  Client silent(server.port());
  CHECK(contains(expect_error(silent, wire::ErrorCode::BadMessage)->text(), "no Hello in time"));
}

// The limits on careless and hostile clients that net_features_test.cpp does
// not cover already: connections in total, frame size as configured, games
// per facilitator and per server (finished games not counted), token
// comparison, wrong tokens slowing down every Join from an address, and
// every limit as a leadtime-server flag.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string_view>
#include <utility>

#include "game/tokens.h"
#include "server/app/guesses.h"
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
  // Its players are told it ended, not taken for guessers.
  Client late(port);
  late.welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    late.send(fbb, wire::CreateJoinDirect(fbb, first.c_str(), "fac"));
    CHECK(contains(expect_error(late, wire::ErrorCode::NotFound)->text(),
                   "game g1 has ended and this server no longer hosts it"));
  }
}

TEST_CASE("limits: tokens are checked as fixed-length hashes, each compared in constant time") {
  const lt::game::TokenHash h = lt::game::hash_token("0123456789abcdef0123456789abcdef");
  CHECK(h.size() == 32);
  // Whatever the guess's length, the comparison is of two 32-byte hashes
  // (sodium_memcmp, which never stops at the first difference).
  CHECK(lt::game::same_hash(h, lt::game::hash_token("0123456789abcdef0123456789abcdef")));
  CHECK_FALSE(lt::game::same_hash(h, lt::game::hash_token("0123456789abcdef0123456789abcdee")));
  CHECK_FALSE(lt::game::same_hash(h, lt::game::hash_token("")));
  CHECK_FALSE(lt::game::same_hash(h, lt::game::hash_token(std::string(100000, '0'))));
  lt::game::TokenHash last_byte = h;
  last_byte[31] ^= 1;
  CHECK_FALSE(lt::game::same_hash(h, last_byte));
}

namespace {

using Throttle = lt::server::app::GuessThrottle;

lt::game::TokenHash guess(int i) { return lt::game::hash_token("guess-" + std::to_string(i)); }

Throttle::Clock::time_point turn_of(Throttle& t, const std::string& address, Throttle::Clock::time_point now) {
  auto turn = t.turn(address, now);
  REQUIRE_MESSAGE(std::holds_alternative<Throttle::Clock::time_point>(turn), std::get<std::string>(turn));
  return std::get<Throttle::Clock::time_point>(turn);
}

}  // namespace

TEST_CASE("limits: after wrong tokens every Join from the address waits its turn, one after another") {
  Throttle t({.free_wrong_tokens = 1, .wrong_token_delay = 1000ms, .max_wrong_token_delay = 4000ms});
  const auto t0 = Throttle::Clock::now();
  CHECK(turn_of(t, "10.0.0.1", t0) == t0);               // nothing wrong yet
  CHECK(t.note_wrong("10.0.0.1", guess(1), t0) == 0ms);  // the free one
  CHECK(turn_of(t, "10.0.0.1", t0) == t0);
  CHECK(t.note_wrong("10.0.0.1", guess(2), t0) == 1000ms);
  // Joins asked at once, on any number of connections, are looked at one
  // by one, a full wait apart: parallel guessing gains nothing.
  const auto first = turn_of(t, "10.0.0.1", t0);
  const auto second = turn_of(t, "10.0.0.1", t0);
  const auto third = turn_of(t, "10.0.0.1", t0);
  CHECK(first == t0 + 1000ms);
  CHECK(second - first == 1000ms);
  CHECK(third - second == 1000ms);
  CHECK(t.note_wrong("10.0.0.1", guess(3), t0) == 2000ms);
  CHECK(t.note_wrong("10.0.0.1", guess(4), t0) == 4000ms);
  CHECK(t.note_wrong("10.0.0.1", guess(5), t0) == 4000ms);  // the longest wait
  // Per address.
  CHECK(turn_of(t, "10.0.0.2", t0) == t0);
  CHECK(t.note_wrong("10.0.0.2", guess(1), t0) == 0ms);
}

TEST_CASE("limits: an address's wrong tokens are forgiven after a quiet time") {
  Throttle t({.free_wrong_tokens = 0, .forgive_wrong_tokens = 20ms});
  const auto t0 = Throttle::Clock::now();
  CHECK(t.note_wrong("10.0.0.1", guess(1), t0) == 100ms);
  CHECK(t.note_wrong("10.0.0.1", guess(2), t0 + 10ms) == 200ms);
  CHECK(turn_of(t, "10.0.0.1", t0 + 20ms) > t0 + 20ms);           // not yet quiet long enough
  CHECK(turn_of(t, "10.0.0.1", t0 + 30ms) == t0 + 30ms);          // quiet since t0 + 10ms
  CHECK(t.note_wrong("10.0.0.1", guess(3), t0 + 30ms) == 100ms);  // counted afresh
}

TEST_CASE("limits: a wrong token repeated (a client retrying a token it saved) counts once") {
  Throttle t({.free_wrong_tokens = 2});
  const auto t0 = Throttle::Clock::now();
  const auto stale = guess(1);
  for (int i = 0; i < 50; ++i) CHECK(t.note_wrong("10.0.0.1", stale, t0 + i * 1ms) == 0ms);
  CHECK(turn_of(t, "10.0.0.1", t0 + 60ms) == t0 + 60ms);  // the room behind the address is not slowed
  CHECK(t.note_wrong("10.0.0.1", guess(2), t0 + 60ms) == 0ms);
  CHECK(t.note_wrong("10.0.0.1", guess(3), t0 + 60ms) == 100ms);  // the third distinct one
  CHECK(t.note_wrong("10.0.0.1", guess(3), t0 + 60ms) == 100ms);  // repeated: no longer wait
  CHECK(t.note_wrong("10.0.0.1", guess(4), t0 + 60ms) == 200ms);
  // Only the last few are remembered: cycling through more than that is
  // guessing, and every one counts.
  Throttle v({.free_wrong_tokens = 20});
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 9; ++i) v.note_wrong("10.0.0.3", guess(i), t0);
  }
  CHECK(v.note_wrong("10.0.0.3", guess(100), t0) > 0ms);  // 9 tokens cycled 3 times counted 27 times
}

TEST_CASE("limits: Joins waiting their turn are capped per address; the rest are refused at once, naming the limit") {
  Throttle t(
      {.free_wrong_tokens = 0, .wrong_token_delay = 1000ms, .max_wrong_token_delay = 1000ms, .max_waiting_joins = 3});
  const auto t0 = Throttle::Clock::now();
  CHECK(t.note_wrong("10.0.0.1", guess(1), t0) == 1000ms);
  CHECK(turn_of(t, "10.0.0.1", t0) == t0 + 1000ms);
  CHECK(turn_of(t, "10.0.0.1", t0) == t0 + 2000ms);
  const auto refused = t.turn("10.0.0.1", t0);
  REQUIRE(std::holds_alternative<std::string>(refused));
  CHECK(std::get<std::string>(refused) ==
        "3 Joins from 10.0.0.1 already wait their turn after wrong tokens from that address (max_waiting_joins); try "
        "again in 1 s");
  // A guesser's many connections never queue a Join further out than the
  // cap: once turns have passed, there is room again.
  CHECK(turn_of(t, "10.0.0.1", t0 + 2500ms) == t0 + 3000ms);
  CHECK(std::holds_alternative<Throttle::Clock::time_point>(t.turn("10.0.0.2", t0)));
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
    guesser.send(fbb, wire::CreateJoinDirect(fbb, std::string(32, '1').c_str(), "again"));
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

TEST_CASE("limits: tokens of games that ended before a restart load their game back, and never slow the address down") {
  const TempDir dir("leadtime-ended");
  lt::server::net::ServerOptions o;
  o.db_path = (dir.path / "games.db").string();
  std::string ended_token;
  {
    TestServer ts(o);
    Client fac(ts.server->port());
    fac.welcome();
    ended_token = created_token(create_game(fac));
    auto first_fac = join(ts.server->port(), ended_token, "fac");
    command(*first_fac, wire::Command::End);
    REQUIRE(first_fac->read_until(wire::Message::GameEnded) != nullptr);
  }
  // Restarted: the ended game is not in memory until a Join asks for it. Any
  // wrong token would make the next Join wait a minute.
  o.free_wrong_tokens = 0;
  o.wrong_token_delay = 60'000ms;
  TestServer ts(o);
  Client player(ts.server->port());
  player.welcome();
  for (int i = 0; i < 5; ++i) {
    Client again(ts.server->port());
    again.welcome();
    CHECK(try_join(again, ended_token) == wire::Message::Joined);
  }
  Client fac(ts.server->port());
  fac.welcome();
  const std::string fresh = created_token(create_game(fac));
  CHECK(try_join(player, fresh) == wire::Message::Joined);
}

TEST_CASE("limits: a peer that leaves while its Join waits its turn frees its connection slot at once") {
  lt::server::net::ServerOptions o;
  o.max_connections_per_address = 2;
  o.free_wrong_tokens = 0;
  o.wrong_token_delay = 60'000ms;
  o.max_wrong_token_delay = 60'000ms;
  TestServer ts(o);
  const auto port = ts.server->port();
  Client guesser(port);
  guesser.welcome();
  CHECK(try_join(guesser, std::string(32, '0')) == wire::Message::Error);
  {
    // Waits a minute for its turn, and gives up.
    Client waiting(port);
    waiting.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    waiting.send(fbb, wire::CreateJoinDirect(fbb, std::string(32, '1').c_str(), "x"));
  }
  // Its slot is free long before its turn (the server sees the close on its
  // own time: try a bounded number of times).
  bool welcomed = false;
  for (int i = 0; i < 100 && !welcomed; ++i) {
    Client next(port);
    next.hello();
    const wire::Envelope* e = next.read();
    welcomed = e != nullptr && e->message_type() == wire::Message::Welcome;
    if (!welcomed) std::this_thread::sleep_for(20ms);
  }
  CHECK(welcomed);
}

TEST_CASE("limits: Welcome names the idle limit; a Ping is answered with its nonce and keeps a quiet connection") {
  lt::server::net::ServerOptions o;
  o.idle_timeout = 900ms;
  TestServer ts(o);
  Client c(ts.server->port());
  c.hello();
  const wire::Envelope* e = c.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Welcome);
  CHECK(e->message_as_Welcome()->idle_timeout_seconds() == 1);  // under a second is not "no limit"
  // Pinging for twice the idle limit keeps the connection; pings come six
  // times as often as the limit needs, so a slow machine does not matter.
  for (std::uint64_t nonce = 1; nonce <= 12; ++nonce) {
    std::this_thread::sleep_for(150ms);
    flatbuffers::FlatBufferBuilder fbb;
    const std::uint32_t rid = c.send(fbb, wire::CreatePing(fbb, nonce * 1'000'000'007ULL));
    e = c.read();
    REQUIRE(e != nullptr);
    REQUIRE(e->message_type() == wire::Message::Pong);
    CHECK(e->request_id() == rid);
    CHECK(e->message_as_Pong()->nonce() == nonce * 1'000'000'007ULL);
  }
  // Quiet, it is closed as idle.
  CHECK(contains(expect_error(c, wire::ErrorCode::BadMessage)->text(), "idle for too long"));
  CHECK(c.closed());
  // The default limit is announced in whole seconds.
  TestServer plain;
  Client d(plain.server->port());
  d.hello();
  e = d.read();
  REQUIRE(e != nullptr);
  CHECK(e->message_as_Welcome()->idle_timeout_seconds() == 30 * 60);
}

namespace {

std::size_t lines_with(const std::filesystem::path& log, const std::string& part) {
  std::ifstream in(log);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(part) != std::string::npos ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("limits: out of descriptors, the server pauses accepting instead of spinning, and recovers") {
  const TempDir dir("leadtime-emfile");
  const auto log = dir.path / "server.log";
  // UBSan probes memory through a pipe when it checks a dynamic type, and
  // with no descriptor left reports every such check as a bad vptr; the
  // sanitized build's server is spared that report.
  const auto suppressions = dir.path / "ubsan.supp";
  std::ofstream(suppressions) << "vptr_check:*\n";
  ServerProcess server(dir.path, {"--no-db"}, {"UBSAN_OPTIONS=suppressions=" + suppressions.string()},
                       {.prefix = {}, .log = log});
  const std::string pid = std::to_string(server.pid());
  REQUIRE(std::system(("prlimit --pid " + pid + " --nofile=24:").c_str()) == 0);
  // More connections than descriptors: the kernel completes them, the
  // server cannot accept them.
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> waiting;
  asio::io_context io;
  for (int i = 0; i < 40; ++i) {
    auto s = std::make_unique<asio::ip::tcp::socket>(io);
    s->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
    waiting.push_back(std::move(s));
  }
  std::this_thread::sleep_for(1s);  // a spinning listener logs thousands of lines meanwhile
  CHECK(lines_with(log, "pausing new connections") == 1);
  CHECK(lines_with(log, "accept:") == 1);
  waiting.clear();
  REQUIRE(std::system(("prlimit --pid " + pid + " --nofile=1024:").c_str()) == 0);
  bool welcomed = false;
  for (int i = 0; i < 100 && !welcomed; ++i) {
    Client c(server.port());
    c.hello();
    const wire::Envelope* e = c.read();
    welcomed = e != nullptr && e->message_type() == wire::Message::Welcome;
    if (!welcomed) std::this_thread::sleep_for(50ms);
  }
  CHECK(welcomed);
}

TEST_CASE("limits: a descriptor limit below --max-connections lowers it, so clients over it are told so") {
  const TempDir dir("leadtime-nofile");
  const auto log = dir.path / "server.log";
  ServerProcess server(dir.path, {"--no-db", "--max-connections", "5000"}, {},
                       {.prefix = {"prlimit", "--nofile=140:140"}, .log = log});
  CHECK(lines_with(log,
                   "the open-file limit (140) leaves room for about 76 connections, fewer than "
                   "--max-connections 5000; serving at most 76") == 1);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 76; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    clients.back()->welcome();
  }
  Client over(server.port());
  const wire::Envelope* e = over.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(contains(e->message_as_Error()->text(), "the server holds 76 connections, its limit"));
}

namespace {

// What leadtime-server prints (both streams) when run with `arguments`,
// and its exit status.
std::pair<std::string, int> run_server(const std::string& arguments) {
  const std::string command = std::string(LEADTIME_SERVER_BIN) + " " + arguments + " 2>&1";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = ::pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

TEST_CASE("limits: every limit is a leadtime-server flag, and the flags take effect") {
  const std::string help = run_server("--help").first;
  for (const char* flag : {"--max-connections",
                           "--max-connections-per-address",
                           "--messages-per-second",
                           "--message-burst",
                           "--rate-strikes",
                           "--max-frame-bytes",
                           "--handshake-timeout-ms",
                           "--idle-timeout-ms",
                           "--max-games",
                           "--max-games-per-facilitator",
                           "--max-message-chars",
                           "--max-orders",
                           "--free-wrong-tokens",
                           "--wrong-token-delay-ms",
                           "--max-wrong-token-delay-ms",
                           "--forgive-wrong-tokens-ms",
                           "--max-waiting-joins",
                           "--save-retry-ms",
                           "--unload-finished-after-ms",
                           "--status-interval-ms",
                           "--status-lines-per-second"}) {
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

TEST_CASE("limits: a flag out of its range stops the server at once, naming the flag and the range") {
  for (const char* bad : {"--status-interval-ms 70000", "--status-interval-ms -1", "--unload-finished-after-ms 0",
                          "--status-lines-per-second 0"}) {
    const auto [out, status] = run_server(bad);
    CHECK_MESSAGE(status != 0, bad);
    const std::string flag(bad, std::string_view(bad).find(' '));
    CHECK_MESSAGE(out.find(flag + ": Value") != std::string::npos, out);
    CHECK_MESSAGE(out.find("not in range") != std::string::npos, out);
  }
}

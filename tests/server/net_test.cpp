// The server over real sockets: handshake, bad frames, and a game played by
// several connections resolving exactly like a headless match.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "protocol/asio.h"

#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "protocol/convert.h"
#include "server/net/link.h"
#include "server/net/server.h"
#include "tests/server/net_client.h"

using namespace net_testing;

TEST_CASE("net: a wrong protocol version gets VersionMismatch naming both versions, then a close") {
  TestServer ts;
  Client c(ts.server->port());
  c.hello(99);
  const wire::Envelope* e = c.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::VersionMismatch);
  const std::string text = e->message_as_Error()->text()->str();
  CHECK(text.find("99") != std::string::npos);
  CHECK(text.find(std::to_string(proto::kProtocolVersion)) != std::string::npos);
  CHECK(c.closed());
}

TEST_CASE("net: the first message must be Hello") {
  TestServer ts;
  Client c(ts.server->port());
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, wire::CreateReady(fbb, true));
  const wire::Envelope* e = c.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::BadMessage);
  CHECK(c.closed());
}

TEST_CASE("net: a lying length prefix or garbage closes that connection only") {
  TestServer ts;
  Client good(ts.server->port());
  good.welcome();
  {
    Client liar(ts.server->port());
    liar.welcome();
    liar.send_raw({0xFF, 0xFF, 0xFF, 0xFF});
    const wire::Envelope* e = liar.read();
    REQUIRE(e != nullptr);
    REQUIRE(e->message_type() == wire::Message::Error);
    CHECK(e->message_as_Error()->code() == wire::ErrorCode::BadFrame);
    CHECK(liar.closed());
  }
  {
    Client garbage(ts.server->port());
    garbage.send_raw({8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
    const wire::Envelope* e = garbage.read();
    REQUIRE(e != nullptr);
    REQUIRE(e->message_type() == wire::Message::Error);
    // The frame was whole; its buffer failed verification.
    CHECK(e->message_as_Error()->code() == wire::ErrorCode::BadMessage);
    CHECK(e->message_as_Error()->text()->str().find("closing the connection") != std::string::npos);
    CHECK(garbage.closed());
  }
  // The first client still gets answers.
  flatbuffers::FlatBufferBuilder fbb;
  good.send(fbb, wire::CreateJoinDirect(fbb, "no-such-token", "x"));
  const wire::Envelope* e = good.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::UnknownToken);
}

TEST_CASE("net: a game over sockets resolves like a headless match with the same orders") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  const auto& actors = scenario->initial.actors;
  constexpr std::uint64_t seed = 7;

  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  // Every seat a person's.
  std::string game_id;
  std::string fac_token;
  std::vector<std::string> tokens(actors.size());
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatBot>> bots;
    for (const auto& a : actors) bots.push_back(wire::CreateSeatBotDirect(fbb, a.id.c_str(), "none"));
    fac.send(fbb, wire::CreateCreateGameDirect(fbb, "", seed, 0, &bots));
    const wire::Envelope* e = fac.read_until(wire::Message::GameCreated);
    REQUIRE(e != nullptr);
    const auto* created = e->message_as_GameCreated();
    game_id = created->game_id()->str();
    fac_token = created->facilitator_token()->str();
    REQUIRE(created->seats()->size() == actors.size());
    for (const auto* s : *created->seats()) {
      const int a = scenario->initial.find_actor(s->seat()->str());
      REQUIRE(a != lt::kNoActor);
      tokens[static_cast<std::size_t>(a)] = s->token()->str();
    }
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateJoinDirect(fbb, fac_token.c_str(), "facilitator"));
    const wire::Envelope* e = fac.read_until(wire::Message::Joined);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_Joined()->role() == wire::Role::Facilitator);
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Start, game_id.c_str()));
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  }

  std::vector<std::unique_ptr<Client>> seats;
  for (std::size_t i = 0; i < actors.size(); ++i) {
    seats.push_back(std::make_unique<Client>(ts.server->port()));
    Client& c = *seats.back();
    c.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, wire::CreateJoinDirect(fbb, tokens[i].c_str(), "team"));
    const wire::Envelope* e = c.read_until(wire::Message::Joined);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_Joined()->seat()->str() == actors[i].id);
    e = c.read_until(wire::Message::ViewMsg);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_ViewMsg()->viewer() == static_cast<int>(i));
  }

  // A seat that is not the facilitator may not start the game.
  {
    flatbuffers::FlatBufferBuilder fbb;
    seats[1]->send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Force, game_id.c_str()));
    const wire::Envelope* e = seats[1]->read_until(wire::Message::Error);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_Error()->code() == wire::ErrorCode::NotAuthorised);
  }

  // Seat 0 orders one valid and one invalid tier.
  const std::vector<lt::OrderDraft> drafts = {tier(0), tier(9)};
  {
    flatbuffers::FlatBufferBuilder fbb;
    seats[0]->send(fbb, proto::build_submit_orders(fbb, drafts));
    const wire::Envelope* e = seats[0]->read_until(wire::Message::OrdersAccepted);
    REQUIRE(e != nullptr);
    const auto* acc = e->message_as_OrdersAccepted();
    CHECK(acc->accepted() == 1);
    REQUIRE(acc->rejected()->size() == 1);
    CHECK(acc->rejected()->Get(0)->index() == 1);
    CHECK(acc->rejected()->Get(0)->message()->str().find("allowed an integer from 0 to 3") != std::string::npos);
  }

  // Press reaches its addressee live.
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to = {fbb.CreateString(actors[2].id)};
    seats[0]->send(fbb, wire::CreatePressDirect(fbb, &to, "hello there"));
    REQUIRE(seats[0]->read_until(wire::Message::Ack) != nullptr);
    const wire::Envelope* e = seats[2]->read_until(wire::Message::Press);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_Press()->text()->str() == "hello there");
    CHECK(e->message_as_Press()->from()->str() == actors[0].id);
  }

  for (auto& c : seats) {
    flatbuffers::FlatBufferBuilder fbb;
    c->send(fbb, wire::CreateReady(fbb, true));
  }

  lt::Match match(scenario, seed);
  lt::RoundOrders orders(actors.size());
  orders[0] = lt::validate_orders(match.state(), 0, drafts).orders;
  const std::uint64_t expected = match.play_round(std::move(orders)).hash;

  for (auto& c : seats) {
    const wire::Envelope* e = c->read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_RoundResult()->round() == 1);
    CHECK(e->message_as_RoundResult()->hash() == expected);
    e = c->read_until(wire::Message::ViewMsg);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_ViewMsg()->round() == 1);
  }
  const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->hash() == expected);
}

TEST_CASE("net: bot seats play with the scenario's default bots") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const auto& actors = loaded.scenario->initial.actors;
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, {{actors[0].id, "none"}}, 0);
  REQUIRE(g.tokens.size() == 1);
  CHECK(g.seat_ids[0] == actors[0].id);
  Client seat(ts.server->port());
  seat.welcome();
  flatbuffers::FlatBufferBuilder fbb;
  seat.send(fbb, wire::CreateJoinDirect(fbb, g.tokens[0].c_str(), "team"));
  REQUIRE(seat.read_until(wire::Message::ViewMsg) != nullptr);
  flatbuffers::FlatBufferBuilder fbb2;
  seat.send(fbb2, wire::CreateReady(fbb2, true));
  REQUIRE(seat.read_until(wire::Message::RoundResult) != nullptr);
  const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  // The facilitator sees every event, bot faults included: there are none.
  for (const auto* ev : *e->message_as_RoundResult()->events()) CHECK(ev->kind()->str() != "bot_fault");
}

TEST_CASE("net: the deadline resolves a round nobody readied") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  std::vector<std::pair<std::string, std::string>> people;
  for (const auto& a : loaded.scenario->initial.actors) people.emplace_back(a.id, "none");
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people, 1);
  // Nobody readies: only the 1 s deadline can resolve the round (read_until
  // gives up after 10 s, so a missing deadline fails instead of hanging).
  const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->round() == 1);
  // Pause stops the clock: no second round while paused.
  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Pause, g.game_id.c_str()));
  REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
}

TEST_CASE("net: a client joining late gets the press it may read, and only that") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  std::vector<std::pair<std::string, std::string>> people;
  for (const char* id : {"us", "cn", "eu", "us_vendor", "cn_vendor", "us_lab", "cn_lab", "eu_lab"})
    people.emplace_back(id, "none");
  const Created game = create_and_start(fac, people, 0);
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to{fbb.CreateString("eu")};
    fac.send(fbb, wire::CreatePressDirect(fbb, &to, "to eu only", ""));
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to;
    fac.send(fbb, wire::CreatePressDirect(fbb, &to, "to everyone", ""));
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  }
  auto token_of = [&](const std::string& seat) {
    for (std::size_t i = 0; i < game.seat_ids.size(); ++i) {
      if (game.seat_ids[i] == seat) return game.tokens[i];
    }
    FAIL("no token for " << seat);
    return std::string();
  };
  auto join_and_read_press = [&](const std::string& seat) {
    Client c(ts.server->port());
    c.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, wire::CreateJoinDirect(fbb, token_of(seat).c_str(), "late"));
    REQUIRE(c.read_until(wire::Message::Joined) != nullptr);
    const wire::Envelope* e = c.read_until(wire::Message::Press);
    REQUIRE(e != nullptr);
    return e->message_as_Press()->text()->str();
  };
  CHECK(join_and_read_press("eu") == "to eu only");   // the first it missed
  CHECK(join_and_read_press("cn") == "to everyone");  // never the private one
}

namespace {

// A link whose far end is the test itself: the session reads what `say`
// gives it, and what it writes is kept; while held, a write waits, as one
// to a peer that stopped reading does once the socket buffers are full.
class GatedLink final : public lt::server::net::Link {
 public:
  explicit GatedLink(asio::io_context& io)
      : socket_(asio::make_strand(io)), incoming_(socket_.get_executor()), gate_(socket_.get_executor()) {}

  asio::awaitable<lt::server::net::Received> read() override {
    while (inbox_.empty()) {
      if (closed_) throw boost::system::system_error(asio::error::eof);
      incoming_.expires_at(std::chrono::steady_clock::time_point::max());
      boost::system::error_code ec;
      co_await incoming_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    lt::server::net::Frame message = std::move(inbox_.front());
    inbox_.pop_front();
    co_return lt::server::net::Received{std::move(message), {}};
  }

  asio::awaitable<void> write(std::span<const lt::server::net::Frame> frames) override {
    while (held_ && !closed_) {
      gate_.expires_at(std::chrono::steady_clock::time_point::max());
      boost::system::error_code ec;
      co_await gate_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (closed_) throw boost::system::system_error(asio::error::broken_pipe);
    const std::lock_guard lock(mutex_);
    for (const auto& f : frames) written_.emplace_back(f.begin() + proto::kLengthPrefixBytes, f.end());
  }

  void close() override {
    closed_ = true;
    incoming_.cancel();
    gate_.cancel();
  }
  tcp::socket& socket() override { return socket_; }

  // From the test's thread.
  template <typename T>
  void say(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<T> msg) {
    const auto framed = proto::frame_message(fbb, next_id_++, msg);
    asio::post(socket_.get_executor(),
               [this, m = lt::server::net::Frame(framed.begin() + proto::kLengthPrefixBytes, framed.end())]() mutable {
                 inbox_.push_back(std::move(m));
                 incoming_.cancel();
               });
  }
  void hold(bool held) {
    asio::post(socket_.get_executor(), [this, held] {
      held_ = held;
      gate_.cancel();
    });
  }
  // The written messages carrying `type`, once `done` holds for them (a
  // few seconds at most).
  std::vector<std::vector<std::uint8_t>> written(wire::Message type,
                                                 const std::function<bool(const wire::Envelope&)>& done) {
    for (int tries = 0; tries < 500; ++tries) {
      std::vector<std::vector<std::uint8_t>> out;
      {
        const std::lock_guard lock(mutex_);
        for (const auto& m : written_) {
          const auto* e = wire::GetEnvelope(m.data());
          if (e->message_type() == type) out.push_back(m);
        }
      }
      if (!out.empty() && done(*wire::GetEnvelope(out.back().data()))) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }

 private:
  tcp::socket socket_;
  asio::steady_timer incoming_;
  asio::steady_timer gate_;
  std::deque<lt::server::net::Frame> inbox_;
  bool held_ = false;
  bool closed_ = false;
  std::uint32_t next_id_ = 1;
  std::mutex mutex_;
  std::vector<std::vector<std::uint8_t>> written_;
};

// Whether seat `seat` shows ready in a GameSummary envelope.
bool shows_ready(const wire::Envelope& e, const std::string& seat) {
  for (const auto* s : *e.message_as_GameSummary()->seats()) {
    if (s->seat()->str() == seat) return s->ready();
  }
  return false;
}

}  // namespace

TEST_CASE("net: a member that reads slowly is sent the newest status line, not one per change") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created game = create_and_start(fac, people_except(), 3600);
  auto gated = std::make_unique<GatedLink>(ts.io);
  GatedLink& watcher = *gated;
  std::unique_ptr<lt::server::net::Link> link = std::move(gated);
  REQUIRE_FALSE(ts.server->admit(link, "10.0.0.9", "10.0.0.9:1 (gated)"));
  {
    flatbuffers::FlatBufferBuilder fbb;
    watcher.say(fbb, wire::CreateHelloDirect(fbb, proto::kProtocolVersion, "net_test"));
    flatbuffers::FlatBufferBuilder fbb2;
    watcher.say(fbb2, wire::CreateJoinDirect(fbb2, game.observer_token.c_str(), "watcher"));
  }
  const auto joined = [](const wire::Envelope&) { return true; };
  REQUIRE(!watcher.written(wire::Message::GameSummary, joined).empty());
  const std::size_t before = watcher.written(wire::Message::GameSummary, joined).size();

  // The watcher stops reading; one change after another, each answered
  // before the next, each ending with a status line for every member.
  watcher.hold(true);
  auto us = join(ts.server->port(), token_of(game, "us"), "ann");
  constexpr int kChanges = 50;
  const std::vector<lt::OrderDraft> orders = {tier(2)};
  for (int i = 0; i < kChanges; ++i) {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, proto::build_submit_orders(fbb, orders));
    REQUIRE(us->read_until(wire::Message::OrdersAccepted) != nullptr);
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, wire::CreateReady(fbb, true));
    REQUIRE(us->read_until(wire::Message::Ack) != nullptr);
  }

  // Reading again, it gets the one line its stalled write held and the
  // newest (us ready), not one per change.
  watcher.hold(false);
  const auto summaries =
      watcher.written(wire::Message::GameSummary, [](const wire::Envelope& e) { return shows_ready(e, "us"); });
  REQUIRE(!summaries.empty());
  const std::size_t sent = summaries.size() - before;
  MESSAGE(sent << " status lines for " << kChanges + 2 << " changes");
  CHECK(sent <= 3);
}

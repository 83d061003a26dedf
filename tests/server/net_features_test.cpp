// The lobby, seats and facilitator control over real sockets: the facilitator
// key, game lists, reconnecting, swaps and kicks, observers, the facilitator's
// view, the end of a game, and each limit on bad or abusive clients.
#include <doctest/doctest.h>

#include "tests/server/net_client.h"

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

void ready(Client& c) {
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, wire::CreateReady(fbb, true));
}

}  // namespace

TEST_CASE("net: creating and listing games need the facilitator key") {
  lt::server::net::ServerOptions o;
  o.facilitator_key = "key-for-the-exercise";
  TestServer ts(o);
  Client c(ts.server->port());
  c.welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, wire::CreateCreateGameDirect(fbb, "", 3, 0, nullptr, "wrong"));
    CHECK(contains(expect_error(c, wire::ErrorCode::NotAuthorised)->text(), "facilitator key"));
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, wire::CreateListGamesDirect(fbb, ""));
    CHECK(contains(expect_error(c, wire::ErrorCode::NotAuthorised)->text(), "facilitator key"));
  }
  const Created g =
      create_and_start(c, people_except({{"cn", "scripts/bots/cn_shortcut.lua"}}), 600, 5, "key-for-the-exercise");
  CHECK(g.tokens.size() == 7);  // no token for the bot seat
  auto us = join(ts.server->port(), token_of(g, "us"), "ann");
  Client lister(ts.server->port());
  lister.welcome();
  flatbuffers::FlatBufferBuilder fbb;
  lister.send(fbb, wire::CreateListGamesDirect(fbb, "key-for-the-exercise"));
  const wire::Envelope* e = lister.read_until(wire::Message::GameList);
  REQUIRE(e != nullptr);
  const auto* games = e->message_as_GameList()->games();
  REQUIRE(games->size() == 1);
  const wire::GameSummary* s = games->Get(0);
  CHECK(s->game_id()->str() == g.game_id);
  CHECK(s->phase()->str() == "orders");
  CHECK(s->rounds() == 10);
  CHECK(s->seed() == 5);
  // The deadline is running and came from CreateGame (no bound on how fast
  // this test gets here).
  CHECK(s->seconds_left() > 0);
  CHECK(s->seconds_left() <= 600);
  CHECK(s->open_seats()->size() == 6);  // 7 person seats, one joined
  REQUIRE(s->seats()->size() == 8);
  CHECK(s->seats()->Get(0)->connected() == 1);
  CHECK(s->seats()->Get(1)->bot());
  CHECK(s->seats()->Get(1)->bot_path()->str() == "scripts/bots/cn_shortcut.lua");
}

TEST_CASE("net: a reconnecting seat gets its orders, the rounds and the press it missed") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0);
  auto eu = join(ts.server->port(), token_of(g, "eu"), "eve");
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to{fbb.CreateString("eu")};
    fac.send(fbb, wire::CreatePressDirect(fbb, &to, "first", ""));
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  }
  const wire::Envelope* e = eu->read_until(wire::Message::Press);
  REQUIRE(e != nullptr);
  const std::uint64_t seen = e->message_as_Press()->seq();
  CHECK(seen > 0);
  command(fac, wire::Command::Force);
  REQUIRE(eu->read_until(wire::Message::RoundResult) != nullptr);
  // The client drops; meanwhile a message and a round go by.
  eu.reset();
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to{fbb.CreateString("eu")};
    fac.send(fbb, wire::CreatePressDirect(fbb, &to, "second", ""));
  }
  command(fac, wire::Command::Force);
  REQUIRE(fac.read_until(wire::Message::RoundResult) != nullptr);
  // Another member of the team submits for round 3, then drops too.
  {
    auto bob = join(ts.server->port(), token_of(g, "eu"), "bob");
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<lt::OrderDraft> drafts = {{"set_regulation", {{"strictness", 0.4}}}};
    bob->send(fbb, proto::build_submit_orders(fbb, drafts));
    e = bob->read_until(wire::Message::OrdersAccepted);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_OrdersAccepted()->accepted() == 1);
  }
  // Back, having seen press `seen` and round 1.
  eu = std::make_unique<Client>(ts.server->port());
  eu->welcome();
  flatbuffers::FlatBufferBuilder fbb;
  eu->send(fbb, wire::CreateJoinDirect(fbb, token_of(g, "eu").c_str(), "eve", seen, 1));
  e = eu->read_until(wire::Message::Joined);
  REQUIRE(e != nullptr);
  const wire::Joined* joined = e->message_as_Joined();
  REQUIRE(joined->orders() != nullptr);
  REQUIRE(joined->orders()->size() == 1);
  CHECK(joined->orders()->Get(0)->action()->str() == "set_regulation");
  CHECK(joined->orders_member()->str() == "bob");
  // Only round 2's result, then the view, then only the second message.
  std::vector<int> rounds;
  std::vector<std::string> press;
  bool view = false;
  for (e = eu->read(); e != nullptr && e->message_type() != wire::Message::GameSummary; e = eu->read()) {
    if (e->message_type() == wire::Message::RoundResult) rounds.push_back(e->message_as_RoundResult()->round());
    if (e->message_type() == wire::Message::ViewMsg) view = true;
    if (e->message_type() == wire::Message::Press) press.push_back(e->message_as_Press()->text()->str());
  }
  CHECK(rounds == std::vector<int>{2});
  CHECK(view);
  CHECK(press == std::vector<std::string>{"second"});
}

TEST_CASE("net: the facilitator swaps a seat to a bot and back, and kicks a client") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0);
  auto cn = join(ts.server->port(), token_of(g, "cn"), "chen");
  command(fac, wire::Command::SwapToBot, "cn", 0, "", "scripts/bots/none/../../etc/passwd");
  CHECK(contains(expect_error(fac, wire::ErrorCode::BadMessage)->text(), "without '..'"));
  command(fac, wire::Command::SwapToBot, "nobody");
  CHECK(contains(expect_error(fac, wire::ErrorCode::NotFound)->text(), "unknown seat 'nobody'"));
  command(fac, wire::Command::SwapToBot, "cn");  // the scenario's default bot
  REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  // Status lines come after every change; one of them shows the bot.
  const wire::Envelope* e = nullptr;
  bool bot_shown = false;
  for (int i = 0; i < 10 && !bot_shown; ++i) {
    e = cn->read_until(wire::Message::GameSummary);
    REQUIRE(e != nullptr);
    bot_shown = e->message_as_GameSummary()->seats()->Get(1)->bot();
  }
  CHECK(bot_shown);
  // The bot plays the round: the facilitator's view shows its orders.
  command(fac, wire::Command::Force);
  e = fac.read_until(wire::Message::FacilitatorView);
  REQUIRE(e != nullptr);
  const wire::FacilitatorView* fv = e->message_as_FacilitatorView();
  CHECK(fv->round() == 1);
  CHECK(fv->actors()->size() == 8);
  REQUIRE(fv->orders()->size() == 8);
  const wire::SeatOrders* played = fv->orders()->Get(1);
  CHECK(played->seat()->str() == "cn");
  CHECK(played->bot());
  CHECK(played->orders()->size() > 0);
  // Handed back to the team, then the client is kicked.
  command(fac, wire::Command::SwapToPerson, "cn");
  REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  command(fac, wire::Command::Kick, "cn");
  REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
  CHECK(contains(expect_error(*cn, wire::ErrorCode::NotAuthorised)->text(), "removed you from seat cn"));
  CHECK(cn->closed());
}

TEST_CASE("net: observers see public information only") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  // A bot that fails makes a private bot_fault event for its seat.
  const Created g = create_and_start(fac, people_except({{"cn_lab", "tests/bots/data/throws.lua"}}), 0);
  auto obs = join(ts.server->port(), g.observer_token, "press gallery");
  const wire::Envelope* e = obs->read_until(wire::Message::ViewMsg);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_ViewMsg()->viewer() == -1);
  CHECK(e->message_as_ViewMsg()->self() == nullptr);
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> to{fbb.CreateString("us")};
    fac.send(fbb, wire::CreatePressDirect(fbb, &to, "private to us", ""));
    flatbuffers::FlatBufferBuilder fbb2;
    std::vector<flatbuffers::Offset<flatbuffers::String>> all;
    fac.send(fbb2, wire::CreatePressDirect(fbb2, &all, "public note", ""));
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> all;
    obs->send(fbb, wire::CreatePressDirect(fbb, &all, "observer speaks"));
    CHECK(contains(expect_error(*obs, wire::ErrorCode::NotAuthorised)->text(), "observers cannot send press"));
  }
  command(fac, wire::Command::Force);
  bool fac_saw_fault = false;
  e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  for (const auto* ev : *e->message_as_RoundResult()->events()) fac_saw_fault |= ev->kind()->str() == "bot_fault";
  CHECK(fac_saw_fault);
  std::vector<std::string> press;
  for (e = obs->read(); e != nullptr && e->message_type() != wire::Message::ViewMsg; e = obs->read()) {
    if (e->message_type() == wire::Message::Press) press.push_back(e->message_as_Press()->text()->str());
    if (e->message_type() == wire::Message::RoundResult) {
      for (const auto* ev : *e->message_as_RoundResult()->events()) {
        CHECK(ev->visibility() == wire::Visibility::Public);
      }
    }
    if (e->message_type() == wire::Message::FacilitatorView) FAIL("an observer got the facilitator's view");
  }
  REQUIRE(e != nullptr);
  CHECK(e->message_as_ViewMsg()->self() == nullptr);
  CHECK(press == std::vector<std::string>{"public note"});
}

TEST_CASE("net: a game played to its last round ends with everyone's scores") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0);
  auto us = join(ts.server->port(), token_of(g, "us"), "ann");
  for (int round = 1; round <= 10; ++round) command(fac, wire::Command::Force);
  const wire::Envelope* e = us->read_until(wire::Message::GameEnded);
  REQUIRE(e != nullptr);
  const wire::GameEnded* ended = e->message_as_GameEnded();
  CHECK(ended->reason()->str() == "last round played");
  REQUIRE(ended->scores()->size() == 8);
  CHECK(ended->scores()->Get(0)->seat()->str() == "us");
  command(fac, wire::Command::Force);
  CHECK(contains(expect_error(fac, wire::ErrorCode::WrongPhase)->text(), "the game is over"));
}

TEST_CASE("net: a flood is refused with RateLimited, then closed; others keep playing") {
  lt::server::net::ServerOptions o;
  o.messages_per_second = 5;
  o.message_burst = 10;
  o.rate_strikes_to_close = 5;
  TestServer ts(o);
  Client calm(ts.server->port());
  calm.welcome();
  Client flood(ts.server->port());
  flood.welcome();
  for (int i = 0; i < 40; ++i) {
    flatbuffers::FlatBufferBuilder fbb;
    flood.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  }
  CHECK(contains(expect_error(flood, wire::ErrorCode::RateLimited)->text(), "more than 5 messages a second"));
  bool closed = false;
  for (int i = 0; i < 60 && !closed; ++i) closed = flood.read() == nullptr;
  CHECK(closed);
  flatbuffers::FlatBufferBuilder fbb;
  calm.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  CHECK(calm.read_until(wire::Message::GameList) != nullptr);
}

TEST_CASE("net: a silent or trickling connection is closed by the handshake and idle timeouts") {
  lt::server::net::ServerOptions o;
  o.handshake_timeout = 300ms;
  o.idle_timeout = 600ms;
  TestServer ts(o);
  Client silent(ts.server->port());
  CHECK(contains(expect_error(silent, wire::ErrorCode::BadMessage)->text(), "no Hello in time"));
  CHECK(silent.closed());
  Client trickle(ts.server->port());
  trickle.welcome();
  // One byte of a frame at a time never completes one: the idle timeout
  // closes the connection although bytes keep coming.
  trickle.send_raw({100, 0, 0, 0});
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    boost::system::error_code ec;
    const std::uint8_t byte = 0x10;
    asio::write(trickle.socket, asio::buffer(&byte, 1), ec);
    closed = static_cast<bool>(ec);
    std::this_thread::sleep_for(50ms);
  }
  const wire::Envelope* e = trickle.read();
  if (e != nullptr) {
    REQUIRE(e->message_type() == wire::Message::Error);
    CHECK(contains(e->message_as_Error()->text(), "idle for too long"));
  }
  CHECK(trickle.closed());
}

TEST_CASE("net: bad requests get errors naming what was wrong, and the connection lives on") {
  lt::server::net::ServerOptions o;
  o.max_message_chars = 20;
  o.max_orders_per_submission = 3;
  TestServer ts(o);
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0);
  auto lab = join(ts.server->port(), token_of(g, "us_lab"), "lee");
  // A message type only the server sends.
  {
    flatbuffers::FlatBufferBuilder fbb;
    lab->send(fbb, wire::CreateWelcomeDirect(fbb, "me", 1));
    CHECK(contains(expect_error(*lab, wire::ErrorCode::BadMessage)->text(), "does not take Welcome"));
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    lab->send(fbb, wire::CreateHelloDirect(fbb, 1, "again"));
    CHECK(contains(expect_error(*lab, wire::ErrorCode::BadMessage)->text(), "already"));
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> all;
    lab->send(fbb, wire::CreatePressDirect(fbb, &all, "this message is longer than twenty characters"));
    CHECK(contains(expect_error(*lab, wire::ErrorCode::BadMessage)->text(), "at most 20"));
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<lt::OrderDraft> many(4, tier(1));
    lab->send(fbb, proto::build_submit_orders(fbb, many));
    CHECK(contains(expect_error(*lab, wire::ErrorCode::InvalidOrders)->text(), "at most 3"));
  }
  {
    // A government's action from a lab's seat, and an unknown action.
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<lt::OrderDraft> drafts = {tier(1), {"launch_moonshot", {}}};
    lab->send(fbb, proto::build_submit_orders(fbb, drafts));
    const wire::Envelope* e = lab->read_until(wire::Message::OrdersAccepted);
    REQUIRE(e != nullptr);
    const auto* acc = e->message_as_OrdersAccepted();
    CHECK(acc->accepted() == 0);
    REQUIRE(acc->rejected()->size() == 2);
    CHECK(acc->rejected()->Get(0)->message()->str().find("set_export_tier") != std::string::npos);
    CHECK(acc->rejected()->Get(1)->message()->str().find("launch_moonshot") != std::string::npos);
  }
  {
    flatbuffers::FlatBufferBuilder fbb;
    lab->send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::End));
    CHECK(contains(expect_error(*lab, wire::ErrorCode::NotAuthorised)->text(), "only the facilitator"));
  }
  command(fac, wire::Command::Inject, "", 0, "alien_invasion");
  CHECK(contains(expect_error(fac, wire::ErrorCode::NotFound)->text(), "unknown event 'alien_invasion'"));
  // Still playing.
  ready(*lab);
  CHECK(lab->read_until(wire::Message::Ack) != nullptr);
}

TEST_CASE("net: connections over the per-address limit are turned away naming the limit") {
  lt::server::net::ServerOptions o;
  o.max_connections_per_address = 2;
  TestServer ts(o);
  Client a(ts.server->port());
  a.welcome();
  Client b(ts.server->port());
  b.welcome();
  Client c(ts.server->port());
  const wire::Envelope* e = c.read();
  REQUIRE(e != nullptr);
  REQUIRE(e->message_type() == wire::Message::Error);
  CHECK(e->message_as_Error()->code() == wire::ErrorCode::RateLimited);
  CHECK(contains(e->message_as_Error()->text(), "the limit per address"));
  CHECK(c.closed());
}

TEST_CASE("net: wrong tokens from one address are answered ever more slowly") {
  TestServer ts;
  auto& server = ts.server->lobby();
  int guesses = 0;
  const auto guess = [&] { return lt::game::hash_token("guess-" + std::to_string(++guesses)); };
  for (int i = 0; i < 3; ++i) CHECK(server.note_wrong_token("10.0.0.1", guess()) == 0ms);
  CHECK(server.note_wrong_token("10.0.0.1", guess()) == 100ms);
  CHECK(server.note_wrong_token("10.0.0.1", guess()) == 200ms);
  CHECK(server.note_wrong_token("10.0.0.2", guess()) == 0ms);  // per address
  for (int i = 0; i < 20; ++i) (void)server.note_wrong_token("10.0.0.1", guess());
  CHECK(server.note_wrong_token("10.0.0.1", guess()) == 5000ms);
}

TEST_CASE("net: a late joiner's round results carry each round's own indicators") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0);
  std::vector<double> live;
  for (int r = 0; r < 3; ++r) {
    command(fac, wire::Command::Force);
    const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    live.push_back(e->message_as_RoundResult()->indicators()->compute_ratio_us_cn());
  }
  CHECK(live[0] != live[2]);
  auto late = std::make_unique<Client>(ts.server->port());
  late->welcome();
  flatbuffers::FlatBufferBuilder fbb;
  late->send(fbb, wire::CreateJoinDirect(fbb, token_of(g, "eu").c_str(), "late"));
  std::vector<double> caught_up;
  for (const wire::Envelope* e = late->read(); e != nullptr && e->message_type() != wire::Message::ViewMsg;
       e = late->read()) {
    if (e->message_type() == wire::Message::RoundResult) {
      caught_up.push_back(e->message_as_RoundResult()->indicators()->compute_ratio_us_cn());
    }
  }
  CHECK(caught_up == live);
}

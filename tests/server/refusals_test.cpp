// The game's refusals reach a client with the wire's code for them: what
// the phase does not allow is WrongPhase, an unknown seat or event is
// NotFound (naming the valid ones), what the asker may not do is
// NotAuthorised, and a value that cannot be taken is BadMessage.
#include <doctest/doctest.h>

#include "tests/server/net_client.h"

using namespace net_testing;

namespace {

struct Refused {
  wire::ErrorCode code = wire::ErrorCode::Internal;
  std::string text;
};

Refused error_of(Client& c) {
  const wire::Envelope* e = c.read_until(wire::Message::Error);
  REQUIRE(e != nullptr);
  return {e->message_as_Error()->code(), e->message_as_Error()->text()->str()};
}

}  // namespace

TEST_CASE("refusals: each of the game's refusal codes reaches the wire as its ErrorCode") {
  TestServer ts;
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except({{"cn", "scripts/bots/cn_shortcut.lua"}}), 3600);
  auto us = join(port, token_of(g, "us"), "ann");

  SUBCASE("WrongPhase: pausing twice") {
    command(fac, wire::Command::Pause);
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
    command(fac, wire::Command::Pause);
    const Refused r = error_of(fac);
    CHECK(r.code == wire::ErrorCode::WrongPhase);
    CHECK(r.text == "Pause: the game is already paused");
  }
  SUBCASE("NotFound: an unknown seat, naming the seats") {
    command(fac, wire::Command::Kick, "mars");
    const Refused r = error_of(fac);
    CHECK(r.code == wire::ErrorCode::NotFound);
    CHECK(r.text == "Kick: unknown seat 'mars' (seats: us, cn, eu, us_vendor, cn_vendor, us_lab, cn_lab, eu_lab)");
  }
  SUBCASE("NotFound: an unknown event, naming the scenario's events and the engine's injects") {
    command(fac, wire::Command::Inject, "", 0, "alien_landing");
    const Refused r = error_of(fac);
    CHECK(r.code == wire::ErrorCode::NotFound);
    CHECK(r.text.starts_with("Inject: unknown event 'alien_landing'; the scenario's events: "));
    CHECK(r.text.find("gulf_hubs") != std::string::npos);
    CHECK(r.text.find("the engine's injects, with parameters: smuggling_case, model_theft, supply_shock") !=
          std::string::npos);
  }
  SUBCASE("BadMessage: an engine inject without its parameters, naming the first one missing") {
    command(fac, wire::Command::Inject, "", 0, "smuggling_case");
    const Refused r = error_of(fac);
    CHECK(r.code == wire::ErrorCode::BadMessage);
    CHECK(r.text == "Inject: smuggling_case: missing parameter 'bound_for', one of US, CN, EU, SEA, ROW");
  }
  SUBCASE("NotAuthorised: a person's orders for a seat a bot plays") {
    command(fac, wire::Command::SwapToBot, "us", 0, "", "scripts/bots/us_hawk.lua");
    REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<lt::OrderDraft> orders = {tier(2)};
    us->send(fbb, proto::build_submit_orders(fbb, orders));
    const Refused r = error_of(*us);
    CHECK(r.code == wire::ErrorCode::NotAuthorised);
    CHECK(r.text.starts_with("seat us is played by a bot now"));
  }
  SUBCASE("BadMessage: a value the game cannot take (an empty press message)") {
    flatbuffers::FlatBufferBuilder fbb;
    us->send(fbb, wire::CreatePressDirect(fbb, nullptr, ""));
    const Refused r = error_of(*us);
    CHECK(r.code == wire::ErrorCode::BadMessage);
    CHECK(r.text == "empty message");
  }
}

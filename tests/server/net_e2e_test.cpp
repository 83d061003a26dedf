// A whole exercise over loopback: the facilitator creates the default game,
// three teams join seats and the scenario's bots play the other five; the
// match is played to its end with press, a pause, a deadline extension, an
// injected event and a reconnect. Every round's hash must equal the headless
// runner's given the same orders, injects and seed.
#include <doctest/doctest.h>

#include <map>

#include "batch/headless.h"
#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "tests/server/net_client.h"

using namespace net_testing;

namespace {

constexpr std::uint64_t kSeed = 7;
const std::vector<std::string> kPeople = {"us", "cn", "us_lab"};

// Each team's orders for a round: they change every round, so a lost or
// stale submission changes the hashes.
std::vector<lt::OrderDraft> orders_for(const std::string& seat, int round) {
  if (seat == "us") return {{"set_export_tier", {{"target", std::string("CN")}, {"tier", double(round % 4)}}}};
  if (seat == "cn") return {{"set_smuggling", {{"usd_b", 0.5 * round}}}};
  return {{"set_safety_investment", {{"usd_b", 0.1 * (round % 3)}}}};
}

}  // namespace

TEST_CASE("e2e: three teams and five bots play a whole match over sockets, as the headless runner does") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  const lt::State& initial = scenario->initial;
  const int rounds = scenario->rounds;

  TestServer ts;
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  std::vector<std::pair<std::string, std::string>> people;
  for (const std::string& p : kPeople) people.emplace_back(p, "none");
  const Created g = create_and_start(fac, people, 3600, kSeed);
  REQUIRE(g.tokens.size() == kPeople.size());
  std::map<std::string, std::unique_ptr<Client>> team;
  for (const std::string& seat : kPeople) team[seat] = join(port, token_of(g, seat), seat + "-team");

  lt::OrderLine line;
  line.at_start.resize(initial.actors.size());
  std::vector<lt::ScriptedInject> injects;
  std::vector<std::uint64_t> served;
  std::uint64_t us_last_press = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::vector<lt::OrderDraft>> drafts(initial.actors.size());
    if (round == 5) {
      // The US team drops and comes back, having seen its press so far.
      team["us"].reset();
      team["us"] = join(port, token_of(g, "us"), "us-team", us_last_press, round);
    }
    if (round == 3) {
      command(fac, wire::Command::Pause);
      REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
      command(fac, wire::Command::Extend, "", 600);
      REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
    }
    if (round == 4) {
      command(fac, wire::Command::Inject, "", 0, "gulf_hubs");
      REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
      lt::Inject inject;
      inject.event_id = "gulf_hubs";
      injects.push_back({round, inject});
    }
    for (const std::string& seat : kPeople) {
      Client& c = *team[seat];
      drafts[static_cast<std::size_t>(initial.find_actor(seat))] = orders_for(seat, round);
      flatbuffers::FlatBufferBuilder fbb;
      c.send(fbb, proto::build_submit_orders(fbb, orders_for(seat, round)));
      // Paused (round 4): the clock stops, but teams keep submitting.
      const wire::Envelope* e = c.read_until(wire::Message::OrdersAccepted);
      REQUIRE(e != nullptr);
      CHECK_MESSAGE(e->message_as_OrdersAccepted()->rejected()->size() == 0, seat, " round ", round);
    }
    if (round == 3) {
      command(fac, wire::Command::Resume);
      REQUIRE(fac.read_until(wire::Message::Ack) != nullptr);
    }
    // Press: China writes to the US every round.
    {
      flatbuffers::FlatBufferBuilder fbb;
      std::vector<flatbuffers::Offset<flatbuffers::String>> to{fbb.CreateString("us")};
      const std::string text = "round " + std::to_string(round + 1) + ": let us talk";
      team["cn"]->send(fbb, wire::CreatePressDirect(fbb, &to, text.c_str()));
      REQUIRE(team["cn"]->read_until(wire::Message::Ack) != nullptr);
      const wire::Envelope* e = team["us"]->read_until(wire::Message::Press);
      REQUIRE(e != nullptr);
      CHECK(e->message_as_Press()->text()->str() == text);
      us_last_press = e->message_as_Press()->seq();
    }
    if (round == 0) {
      line.at_start = drafts;
    } else {
      line.later.emplace_back(round, drafts);
    }
    for (const std::string& seat : kPeople) {
      flatbuffers::FlatBufferBuilder fbb;
      team[seat]->send(fbb, wire::CreateReady(fbb, true));
    }
    const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_RoundResult()->round() == round + 1);
    served.push_back(e->message_as_RoundResult()->hash());
    if (round == 4) {
      bool fired = false;
      for (const auto* ev : *e->message_as_RoundResult()->events()) fired |= ev->kind()->str() == "gulf_hubs";
      CHECK(fired);
    }
    for (const std::string& seat : kPeople) REQUIRE(team[seat]->read_until(wire::Message::ViewMsg) != nullptr);
  }
  const wire::Envelope* e = fac.read_until(wire::Message::GameEnded);
  REQUIRE(e != nullptr);

  std::vector<std::string> bots = scenario->default_bots;
  bots.resize(initial.actors.size());
  for (const std::string& seat : kPeople) bots[static_cast<std::size_t>(initial.find_actor(seat))].clear();
  const lt::BotMatchResult headless = lt::play_bots(scenario, kSeed, bots, &line, {}, injects);
  REQUIRE_MESSAGE(headless.error.empty(), headless.error);
  for (const std::string& f : headless.faults) MESSAGE("headless fault: " << f);
  CHECK(headless.faults.empty());
  std::vector<std::uint64_t> expected;
  for (const lt::RoundRecord& r : headless.match->history()) expected.push_back(r.hash);
  CHECK(served == expected);
}

// The round driver plays a scenario's hooks wherever a round is played: a
// served game, the headless runner and a replay of the served game's save
// resolve the same rounds, and the hooks' events are in them.
TEST_CASE("e2e: a scenario with hooks plays the same served, headless and replayed from its save") {
  const std::string path = "tests/server/data/with_hooks.lua";
  auto loaded = lt::load_scenario_file(path);
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  REQUIRE(scenario->default_bots.at(0) == "scripts/bots/us_hawk.lua");

  lt::server::net::ServerOptions options;
  options.scenario = path;
  TestServer ts(options);
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, {}, 3600, kSeed);  // the US is the scenario's bot; both labs people
  REQUIRE(g.seat_ids == std::vector<std::string>{"us_lab", "cn_lab"});
  std::vector<std::uint64_t> served;
  int alarms = 0;
  for (int round = 0; round < scenario->rounds; ++round) {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Force, g.game_id.c_str()));
    const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    served.push_back(e->message_as_RoundResult()->hash());
    for (const auto* ev : *e->message_as_RoundResult()->events()) alarms += ev->kind()->str() == "alarm" ? 1 : 0;
  }
  CHECK(alarms == scenario->rounds / 2);  // rounds 2 and 4

  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Export, g.game_id.c_str()));
  const wire::Envelope* e = fac.read_until(wire::Message::SaveFile);
  REQUIRE(e != nullptr);
  const auto* data = e->message_as_SaveFile()->data();
  auto decoded = lt::game::save::decode(std::span<const std::uint8_t>(data->data(), data->size()));
  REQUIRE(std::holds_alternative<lt::game::save::SaveData>(decoded));
  const auto& save = std::get<lt::game::save::SaveData>(decoded);
  const auto rebuilt = lt::game::save::rebuild(save.game, save.journal);
  REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
  std::vector<std::uint64_t> replayed;
  for (const lt::RoundRecord& r : rebuilt.game->match().history()) replayed.push_back(r.hash);

  std::vector<std::string> bots = scenario->default_bots;
  bots.resize(scenario->initial.actors.size());
  const lt::BotMatchResult headless = lt::play_bots(scenario, kSeed, bots);
  REQUIRE_MESSAGE(headless.error.empty(), headless.error);
  std::vector<std::uint64_t> expected;
  for (const lt::RoundRecord& r : headless.match->history()) expected.push_back(r.hash);
  CHECK(served == expected);
  CHECK(replayed == expected);
}

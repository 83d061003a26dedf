// The game service without a socket: typed requests in, typed results out,
// and the frames a room pushes collected by a participant that is only a
// list. What a transport adds (framing, limits) is tested in net_test.cpp.
#include "tests/server/service_fixture.h"

TEST_CASE("service: create, join, orders, ready and press, without a socket") {
  Service s;
  auto fac_inbox = std::make_shared<Inbox>();
  const auto created =
      ask<app::GameCreated>([&](auto reply) { s.service->create_game(people_game(), fac_inbox, std::move(reply)); });
  const app::GameCreated& g = ok(created);
  CHECK(g.game_id == "g1");
  // Tokens for the person seats only; the other seats are the scenario's bots.
  REQUIRE(g.seats.size() == 3);
  CHECK(!g.facilitator_token.empty());

  const auto fac = join(s, g.facilitator_token, fac_inbox);
  CHECK(fac.identity.role == leadtime::game::Role::Facilitator);
  CHECK(fac_inbox->received(wire::Message::Joined));
  CHECK(fac_inbox->received(wire::Message::FacilitatorView));

  auto us_inbox = std::make_shared<Inbox>();
  const auto us = join(s, token_of(g, "us"), us_inbox);
  CHECK(us.identity.role == leadtime::game::Role::Seat);
  CHECK(us_inbox->received(wire::Message::Joined));
  CHECK(us_inbox->received(wire::Message::ViewMsg));

  // Orders before the start are refused with the game's own code.
  const leadtime::OrderDraft tier{"set_export_tier", {{"target", std::string("CN")}, {"tier", 2.0}}};
  auto early = ask<app::OrdersTaken>([&](auto reply) { s.service->submit(us, {tier}, std::move(reply)); });
  CHECK(refused(early).code == wire::ErrorCode::WrongPhase);

  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Start), std::move(reply)); }));
  const auto taken = ok(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(us, {tier}, std::move(reply)); }));
  CHECK(taken.accepted == 1);
  CHECK(taken.errors.empty());
  ok(ask<app::Done>([&](auto reply) { s.service->ready(us, true, std::move(reply)); }));

  // Press reaches the addressee's participant.
  auto cn_inbox = std::make_shared<Inbox>();
  join(s, token_of(g, "cn"), cn_inbox);
  ok(ask<app::Done>([&](auto reply) { s.service->press(us, {{"cn"}, "talk?"}, std::move(reply)); }));
  CHECK(cn_inbox->received(wire::Message::Press));
  const auto bad_press = ask<app::Done>([&](auto reply) {
    s.service->press(us, {{"mars"}, "hello"}, std::move(reply));
  });
  CHECK(refused(bad_press).code == wire::ErrorCode::NotFound);
}

TEST_CASE("service: who may ask what") {
  Service s;
  auto inbox = std::make_shared<Inbox>();
  const auto g = people_game_by(s, inbox);
  const auto us = join(s, token_of(g, "us"), inbox);
  const auto observer = join(s, g.observer_token, inbox);

  CHECK(refused(ask<app::Done>([&](auto reply) {
          s.service->command(us, command(wire::Command::Start), std::move(reply));
        })).code == wire::ErrorCode::NotAuthorised);
  CHECK(refused(ask<app::SaveFile>([&](auto reply) { s.service->export_game(us, std::move(reply)); })).code ==
        wire::ErrorCode::NotAuthorised);
  CHECK(refused(ask<app::Done>([&](auto reply) {
          s.service->press(observer, {{}, "hi"}, std::move(reply));
        })).code == wire::ErrorCode::NotAuthorised);
  CHECK(refused(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(observer, {}, std::move(reply)); })).code ==
        wire::ErrorCode::NotAuthorised);

  const auto unknown = s.service->join({"not-a-token", "eve", 0, 0, 1}, inbox);
  CHECK(refused(unknown).code == wire::ErrorCode::UnknownToken);

  app::CreateGame bad = people_game();
  bad.people.emplace_back("mars");
  const auto not_created =
      ask<app::GameCreated>([&](auto reply) { s.service->create_game(bad, inbox, std::move(reply)); });
  CHECK(refused(not_created).code == wire::ErrorCode::NotFound);
  CHECK(refused(not_created).text.starts_with("unknown seat 'mars'"));
}

TEST_CASE("service: list, export and branch") {
  Service s;
  auto inbox = std::make_shared<Inbox>();
  const auto g = people_game_by(s, inbox);
  const auto fac = join(s, g.facilitator_token, inbox);
  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Start), std::move(reply)); }));
  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Force), std::move(reply)); }));

  const auto list = ok(ask<app::GameList>([&](auto reply) { s.service->list_games({}, std::move(reply)); }));
  REQUIRE(list.size() == 1);
  CHECK(list[0].game_id == "g1");
  CHECK(list[0].seat_ids.size() == 8);

  // Force resolves round 1 once the bots have played; wait for it.
  for (int i = 0; i < 100 && !inbox->received(wire::Message::RoundResult); ++i) {
  }
  REQUIRE(inbox->received(wire::Message::RoundResult));

  const auto file = ok(ask<app::SaveFile>([&](auto reply) { s.service->export_game(fac, std::move(reply)); }));
  CHECK(file.game_id == "g1");
  const auto decoded = leadtime::game::save::decode(file.bytes);
  CHECK(std::holds_alternative<leadtime::game::save::SaveData>(decoded));

  auto branch_inbox = std::make_shared<Inbox>();
  const auto child =
      ok(ask<app::GameCreated>([&](auto reply) { s.service->branch(fac, 1, branch_inbox, std::move(reply)); }));
  CHECK(child.game_id == "g2");
  const auto child_fac = join(s, child.facilitator_token, branch_inbox);
  // A what-if starts paused.
  const auto listed = ok(ask<app::GameList>([&](auto reply) { s.service->list_games({}, std::move(reply)); }));
  REQUIRE(listed.size() == 2);
  const auto& branch = listed[0].game_id == "g2" ? listed[0] : listed[1];
  CHECK(branch.status.paused);
  CHECK(branch.status.round == 1);
  const auto no_round =
      ask<app::GameCreated>([&](auto reply) { s.service->branch(fac, 9, branch_inbox, std::move(reply)); });
  CHECK(refused(no_round).code == wire::ErrorCode::NotFound);
  (void)child_fac;
}

TEST_CASE("service: a seat's briefing on Join, and the facilitator sees the open round's submissions") {
  Service s;
  auto fac_inbox = std::make_shared<Inbox>();
  auto us_inbox = std::make_shared<Inbox>();
  const auto g = people_game_by(s, fac_inbox);
  const auto fac = join(s, g.facilitator_token, fac_inbox);
  const auto us = join(s, token_of(g, "us"), us_inbox);
  const leadtime::Scenario& scenario = *s.lobby->default_scenario();
  const int us_seat = scenario.initial.find_actor("us");

  const auto seat_joined = us_inbox->nth(wire::Message::Joined, 0);
  REQUIRE(!seat_joined.empty());
  const wire::Joined* joined = flatbuffers::GetRoot<wire::Envelope>(seat_joined.data())->message_as_Joined();
  CHECK(joined->seat()->str() == "us");
  CHECK(joined->round() == 0);
  CHECK(joined->scenario()->str() == scenario.name);
  CHECK(joined->briefing()->str() == leadtime::game::seat_briefing(scenario, us_seat));
  CHECK(!joined->briefing()->str().empty());
  REQUIRE(joined->objectives() != nullptr);
  CHECK(proto::objectives_from_wire(joined->objectives()) == proto::describe_objectives(scenario, us_seat));
  // Nobody else's briefing: the facilitator's Joined carries none.
  const auto fac_joined = fac_inbox->nth(wire::Message::Joined, 0);
  REQUIRE(!fac_joined.empty());
  const wire::Joined* fj = flatbuffers::GetRoot<wire::Envelope>(fac_joined.data())->message_as_Joined();
  CHECK((fj->briefing() == nullptr || fj->briefing()->str().empty()));

  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Start), std::move(reply)); }));
  const leadtime::OrderDraft tier{"set_export_tier", {{"target", std::string("CN")}, {"tier", 2.0}}};
  ok(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(us, {tier}, std::move(reply)); }));
  // The Join's view, then the one the orders brought.
  const auto view = fac_inbox->nth(wire::Message::FacilitatorView, 1);
  REQUIRE(!view.empty());
  const wire::FacilitatorView* fv = flatbuffers::GetRoot<wire::Envelope>(view.data())->message_as_FacilitatorView();
  REQUIRE(fv->submitted() != nullptr);
  REQUIRE(fv->submitted()->size() == 1);
  CHECK(fv->submitted()->Get(0)->seat()->str() == "us");
  CHECK(fv->submitted()->Get(0)->member()->str() == "ann");
  REQUIRE(fv->submitted()->Get(0)->orders()->size() == 1);
  CHECK(fv->submitted()->Get(0)->orders()->Get(0)->action()->str() == "set_export_tier");
}

TEST_CASE("service: the scenario and the catalogue, told as the asker may know them") {
  const std::string key = "a-facilitator-key-for-tests";
  Service s(key);
  auto inbox = std::make_shared<Inbox>();
  app::CreateGame create = people_game();
  create.facilitator_key = key;
  const auto g =
      ok(ask<app::GameCreated>([&](auto reply) { s.service->create_game(create, inbox, std::move(reply)); }));
  const auto fac = join(s, g.facilitator_token, inbox);
  const auto us = join(s, token_of(g, "us"), inbox);
  const auto observer = join(s, g.observer_token, inbox);
  const int us_seat = s.lobby->default_scenario()->initial.find_actor("us");

  auto asked = [&](const app::ScenarioQuestion& q, const app::Membership* m) {
    return ask<app::ScenarioOf>([&](auto reply) { s.service->scenario_info(q, m, std::move(reply)); });
  };
  CHECK(ok(asked({}, &fac)).asker == proto::kFullScenario);
  CHECK(ok(asked({}, &us)).asker == us_seat);
  CHECK(ok(asked({}, &observer)).asker == leadtime::kNoActor);
  CHECK(ok(asked({}, &us)).scenario == s.lobby->default_scenario());

  // Before a Join, or another scenario: the key, and then everything.
  CHECK(refused(asked({}, nullptr)).code == wire::ErrorCode::NotAuthorised);
  CHECK(refused(asked({"2028.lua", "wrong"}, &us)).code == wire::ErrorCode::NotAuthorised);
  const auto before = ok(asked({"", key}, nullptr));
  CHECK(before.asker == proto::kFullScenario);
  CHECK(before.scenario == s.lobby->default_scenario());
  const auto missing = asked({"no-such.lua", key}, nullptr);
  CHECK(refused(missing).code == wire::ErrorCode::NotFound);
  CHECK(refused(asked({"../etc/passwd", key}, nullptr)).code == wire::ErrorCode::NotFound);

  const auto catalogue =
      ask<app::CatalogueOf>([&](auto reply) { s.service->catalogue({}, &observer, std::move(reply)); });
  CHECK(ok(catalogue).scenario == s.lobby->default_scenario());
  CHECK(refused(ask<app::CatalogueOf>([&](auto reply) { s.service->catalogue({}, nullptr, std::move(reply)); })).code ==
        wire::ErrorCode::NotAuthorised);
}

TEST_CASE("service: CreateGame's people and bots") {
  Service s;
  auto inbox = std::make_shared<Inbox>();
  // Only people listed: every other seat the scenario's bot.
  app::CreateGame one;
  one.people = {"cn"};
  const auto g = ok(ask<app::GameCreated>([&](auto reply) { s.service->create_game(one, inbox, std::move(reply)); }));
  REQUIRE(g.seats.size() == 1);
  CHECK(g.seats[0].seat == "cn");
  // A seat both played by people and given a bot is refused, naming it.
  app::CreateGame both;
  both.people = {"cn"};
  both.bots = {{"cn", "bots/baseline.lua"}};
  const auto clash = ask<app::GameCreated>([&](auto reply) { s.service->create_game(both, inbox, std::move(reply)); });
  CHECK(refused(clash).code == wire::ErrorCode::BadMessage);
  CHECK(refused(clash).text.find("'cn'") != std::string::npos);
}

TEST_CASE("service: a burst of changes sends each member one status line, the newest") {
  Service s;
  auto fac_inbox = std::make_shared<Inbox>();
  const auto g = people_game_by(s, fac_inbox);
  const auto fac = join(s, g.facilitator_token, fac_inbox);
  auto us_inbox = std::make_shared<Inbox>();
  const auto us = join(s, token_of(g, "us"), us_inbox);
  auto watcher = std::make_shared<Inbox>();
  join(s, g.observer_token, watcher);
  start(s, fac);
  settle(s, fac);
  const std::size_t before = watcher->count(wire::Message::GameSummary);
  REQUIRE(before > 0);

  // Ten submissions wait behind a blocked event loop, then run back to back.
  std::promise<void> gate;
  asio::post(s.io, [opened = gate.get_future().share()] { opened.wait(); });
  constexpr int kBurst = 10;
  std::atomic<int> answered{0};
  const leadtime::OrderDraft tier{"set_export_tier", {{"target", std::string("CN")}, {"tier", 2.0}}};
  for (int i = 0; i < kBurst; ++i) {
    s.service->submit(us, {tier}, [&answered](const app::Result<app::OrdersTaken>& r) {
      if (std::holds_alternative<app::OrdersTaken>(r)) ++answered;
    });
  }
  gate.set_value();
  REQUIRE(!watcher->nth(wire::Message::GameSummary, before).empty());
  settle(s, fac);
  CHECK(answered == kBurst);
  CHECK(watcher->count(wire::Message::GameSummary) == before + 1);
  // The one sent was built after the submissions: the seat has orders in.
  const auto sent = watcher->nth(wire::Message::GameSummary, before);
  REQUIRE(!sent.empty());
  const auto* summary = wire::GetEnvelope(sent.data())->message_as_GameSummary();
  REQUIRE(summary != nullptr);
  bool us_submitted = false;
  for (const auto* seat : *summary->seats()) {
    if (seat->seat()->str() == "us") us_submitted = seat->submitted();
  }
  CHECK(us_submitted);
}

TEST_CASE("service: the facilitator injects an engine event with parameters; its round shows it") {
  Service s;
  auto fac_inbox = std::make_shared<Inbox>();
  const auto g = people_game_by(s, fac_inbox);
  const auto fac = join(s, g.facilitator_token, fac_inbox);
  start(s, fac);

  app::Command theft = command(wire::Command::Inject);
  theft.event_id = "model_theft";
  theft.args = {{"thief", std::string("cn_lab")}, {"victim", std::string("us_lab")}, {"share", 1.5}};
  const auto refused_theft = ask<app::Done>([&](auto reply) { s.service->command(fac, theft, std::move(reply)); });
  CHECK(refused(refused_theft).code == wire::ErrorCode::BadMessage);
  CHECK(refused(refused_theft).text.find("parameter 'share' is 1.5") != std::string::npos);
  theft.args.back().second = 0.5;
  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, theft, std::move(reply)); }));
  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Force), std::move(reply)); }));

  const auto result = fac_inbox->nth(wire::Message::RoundResult, 0);
  REQUIRE(!result.empty());
  const auto* round = wire::GetEnvelope(result.data())->message_as_RoundResult();
  REQUIRE(round->events() != nullptr);
  bool theft_seen = false;
  for (const auto* e : *round->events()) {
    theft_seen = theft_seen || (e->kind()->str() == "weight_theft" &&
                                e->text()->str().find("Model weights stolen") != std::string::npos);
  }
  CHECK(theft_seen);
}

TEST_CASE("service: among many games each token finds its own game and role") {
  Service s;
  auto inbox = std::make_shared<Inbox>();
  std::vector<app::GameCreated> games;
  for (int i = 0; i < 12; ++i) games.push_back(people_game_by(s, inbox));
  for (const app::GameCreated& g : games) {
    const auto fac = join(s, g.facilitator_token, inbox);
    CHECK(fac.room->id() == g.game_id);
    CHECK(fac.identity.role == leadtime::game::Role::Facilitator);
    const auto observer = join(s, g.observer_token, inbox);
    CHECK(observer.room->id() == g.game_id);
    CHECK(observer.identity.role == leadtime::game::Role::Observer);
    const auto eu = join(s, token_of(g, "eu"), inbox);
    CHECK(eu.room->id() == g.game_id);
    CHECK(eu.identity.role == leadtime::game::Role::Seat);
    CHECK(eu.room->seat_name(eu.identity.seat) == "eu");
  }
  // A token one character off is no game's.
  std::string wrong = games[5].observer_token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  const auto refused_join = s.service->join({wrong, "ann", 0, 0, 1}, inbox);
  REQUIRE(std::holds_alternative<app::Failure>(refused_join));
}

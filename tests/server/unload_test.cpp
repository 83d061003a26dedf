// Finished games leave memory once nobody uses them (issue #21: a server's
// memory stays flat however many games it has hosted), and come back from
// the store for a Join: the facilitator's report, branch and export, and the
// players' last look, work as before.
#include "server/app/room.h"
#include "server/app/stored_summary.h"
#include "tests/server/service_fixture.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;

namespace {

leadtime::server::ServerOptions unloading_options(const leadtime::testing::TempDir& dir) {
  leadtime::server::ServerOptions o;
  o.db_path = (dir.path / "games.db").string();
  o.unload_finished_after = 100ms;
  return o;
}

// Waits (a few seconds at most) for the room to be gone from memory.
bool freed(const std::weak_ptr<app::GameRoom>& room) {
  for (int i = 0; i < 250 && !room.expired(); ++i) std::this_thread::sleep_for(20ms);
  return room.expired();
}

// A game played one round (forced) and ended by its facilitator, who is
// still joined.
struct EndedGame {
  app::GameCreated created;
  std::shared_ptr<Inbox> inbox = std::make_shared<Inbox>();
  std::optional<app::Membership> fac;
};

EndedGame play_and_end(Service& s) {
  EndedGame g;
  g.created = people_game_by(s, g.inbox);
  g.fac = join(s, g.created.facilitator_token, g.inbox);
  start(s, *g.fac);
  ok(ask<app::Done>([&](auto reply) { s.service->command(*g.fac, command(wire::Command::Force), std::move(reply)); }));
  REQUIRE(g.inbox->received(wire::Message::RoundResult));
  ok(ask<app::Done>([&](auto reply) { s.service->command(*g.fac, command(wire::Command::End), std::move(reply)); }));
  REQUIRE(g.inbox->received(wire::Message::GameEnded));
  return g;
}

// Drops the facilitator's membership as a closing connection does.
std::weak_ptr<app::GameRoom> leave(Service& s, EndedGame& g) {
  std::weak_ptr<app::GameRoom> room = g.fac->room;
  s.service->leave(*g.fac, g.inbox.get());
  g.fac.reset();
  return room;
}

}  // namespace

TEST_CASE("unload: a finished game nobody uses leaves memory, and a Join loads it back as it was") {
  const leadtime::testing::TempDir dir("leadtime-unload");
  Service s(unloading_options(dir));
  EndedGame g = play_and_end(s);

  // Its facilitator is still in it: it stays, however long.
  std::this_thread::sleep_for(400ms);
  CHECK(s.lobby->rooms().size() == 1);

  const auto room = leave(s, g);
  CHECK(freed(room));
  CHECK(s.lobby->rooms().empty());

  // The report is read from the store without loading the game.
  const auto page =
      ok(ask<app::ReportPage>([&](auto reply) { s.service->report(g.created.facilitator_token, "10.0.0.1", reply); }));
  CHECK(page.game_id == g.created.game_id);
  CHECK(page.html.find("<html") != std::string::npos);
  CHECK(s.lobby->rooms().empty());

  // A seat's Join loads it, ended, with its round played.
  auto us_inbox = std::make_shared<Inbox>();
  const auto us = join(s, token_of(g.created, "us"), us_inbox);
  CHECK(us.identity.role == leadtime::game::Role::Seat);
  CHECK(us_inbox->received(wire::Message::RoundResult));
  CHECK(us_inbox->received(wire::Message::GameEnded));
  CHECK(s.lobby->rooms().size() == 1);

  // The facilitator's export and branch work on the loaded game.
  auto fac_inbox = std::make_shared<Inbox>();
  const auto fac = join(s, g.created.facilitator_token, fac_inbox);
  CHECK(fac.room == us.room);  // the one copy, not a second load
  const auto saved = ok(ask<app::SaveFile>([&](auto reply) { s.service->export_game(fac, std::move(reply)); }));
  CHECK(saved.game_id == g.created.game_id);
  CHECK_FALSE(saved.bytes.empty());
  const auto branched =
      ok(ask<app::GameCreated>([&](auto reply) { s.service->branch(fac, 1, fac_inbox, std::move(reply)); }));
  CHECK(branched.game_id != g.created.game_id);
}

TEST_CASE("unload: a finished game that left memory is still in the facilitators' list, once, as it ended") {
  const leadtime::testing::TempDir dir("leadtime-unload");
  Service s(unloading_options(dir));
  EndedGame g = play_and_end(s);
  const auto list = [&] { return ok(ask<app::GameList>([&](auto reply) { s.service->list_games({}, reply); })); };
  const auto listed_in_memory = list();
  REQUIRE(listed_in_memory.size() == 1);
  const auto room = leave(s, g);
  REQUIRE(freed(room));
  REQUIRE(s.lobby->rooms().empty());

  const auto listed = list();
  REQUIRE(listed.size() == 1);
  const app::Summary& ended = listed.front();
  CHECK(ended.game_id == g.created.game_id);
  CHECK(ended.status.phase == leadtime::game::Phase::Finished);
  CHECK(ended.status.round == 1);
  CHECK(ended.status.rounds == listed_in_memory.front().status.rounds);
  CHECK(ended.scenario == listed_in_memory.front().scenario);
  CHECK(ended.quarter == listed_in_memory.front().quarter);
  CHECK(ended.seed == 7);
  CHECK(ended.seat_ids == listed_in_memory.front().seat_ids);
  REQUIRE(ended.status.seats.size() == ended.seat_ids.size());
  for (std::size_t i = 0; i < ended.seat_ids.size(); ++i) {
    CHECK(ended.status.seats[i].bot == listed_in_memory.front().status.seats[i].bot);
  }
  // On the wire: finished, and waiting for nobody (its person seats are empty).
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(app::build_summary(fbb, ended));
  const auto* line = flatbuffers::GetRoot<wire::GameSummary>(fbb.GetBufferPointer());
  CHECK(line->phase()->str() == "finished");
  REQUIRE(line->open_seats() != nullptr);
  CHECK(line->open_seats()->size() == 0);

  // Loaded back for a Join, it is listed from memory, still once.
  auto inbox = std::make_shared<Inbox>();
  join(s, g.created.observer_token, inbox);
  const auto after_join = list();
  REQUIRE(after_join.size() == 1);
  CHECK(after_join.front().attendance.connected.size() == ended.seat_ids.size());
}

TEST_CASE("unload: a stored status line that does not read back is skipped, not guessed") {
  CHECK_FALSE(app::summary_from_store(""));
  CHECK_FALSE(app::summary_from_store("not json"));
  CHECK_FALSE(app::summary_from_store(R"({"game_id":"g1"})"));
  app::Summary s;
  s.game_id = "g9";
  s.scenario = "2028";
  s.seat_ids = {"us", "cn"};
  s.status.round = 4;
  s.status.rounds = 12;
  s.status.seats = {{true, "bots/us.lua", false, false}, {false, "", false, false}};
  s.quarter = "2027Q1";
  s.seed = 42;
  const auto back = app::summary_from_store(app::stored_summary(s));
  REQUIRE(back);
  CHECK(back->game_id == "g9");
  CHECK(back->seat_ids == s.seat_ids);
  CHECK(back->status.phase == leadtime::game::Phase::Finished);
  CHECK(back->status.round == 4);
  CHECK(back->status.rounds == 12);
  CHECK(back->status.seats[0].bot_path == "bots/us.lua");
  CHECK_FALSE(back->status.seats[1].bot);
  CHECK(back->quarter == "2027Q1");
  CHECK(back->seed == 42);
}

TEST_CASE("unload: a Join on its way keeps the game, and a game without a store stays in memory") {
  SUBCASE("a Join found the room and has not reached it yet") {
    const leadtime::testing::TempDir dir("leadtime-unload");
    Service s(unloading_options(dir));
    EndedGame g = play_and_end(s);
    const auto hash = leadtime::game::hash_token(g.created.observer_token);
    auto found = s.lobby->find_for_join(hash);
    REQUIRE(found);
    const auto room = leave(s, g);
    std::this_thread::sleep_for(400ms);
    CHECK_FALSE(room.expired());
    CHECK(s.lobby->rooms().size() == 1);
    // The Join arrives; once its member leaves, the game goes.
    auto inbox = std::make_shared<Inbox>();
    asio::post(found->room->strand(), [r = found->room, inbox, who = found->identity] {
      r->join(inbox, {1, who, "late", 0, 0});
    });
    CHECK(inbox->received(wire::Message::Joined));
    s.service->leave({found->room, found->identity, "late"}, inbox.get());
    found.reset();
    CHECK(freed(room));
  }
  SUBCASE("without a store, nothing could load it back") {
    leadtime::server::ServerOptions o;
    o.unload_finished_after = 50ms;
    Service s(o);
    EndedGame g = play_and_end(s);
    const auto room = leave(s, g);
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(room.expired());
    CHECK(s.lobby->rooms().size() == 1);
  }
}

TEST_CASE("unload: an unknown token is still a wrong token with finished games in the store") {
  const leadtime::testing::TempDir dir("leadtime-unload");
  Service s(unloading_options(dir));
  EndedGame g = play_and_end(s);
  CHECK(freed(leave(s, g)));
  auto inbox = std::make_shared<Inbox>();
  const auto joined = s.service->join({std::string(32, '7'), "x", 0, 0, 1}, inbox);
  CHECK(refused(joined).code == wire::ErrorCode::UnknownToken);
  CHECK(s.lobby->rooms().empty());
}

TEST_CASE("unload: a token of an unfinished game that did not recover is told why, not taken for a guess") {
  const leadtime::testing::TempDir dir("leadtime-unload");
  const auto options = unloading_options(dir);
  const std::string token = "a-token-of-a-game-that-cannot-load";
  {
    auto opened = leadtime::server::store::Store::open(options.db_path);
    auto& store = std::get<std::unique_ptr<leadtime::server::store::Store>>(opened);
    leadtime::server::store::GameRow row;
    row.id = "g1";
    row.scenario_path = "scenarios/gone.lua";
    row.scenario_source = "return {";  // no longer loads
    row.deadline_s = 60;
    const auto hash = leadtime::game::hash_token(token);
    row.facilitator_token_hash.assign(hash.begin(), hash.end());
    row.observer_token_hash.assign(32, 1);
    store->create_game(row, [](const leadtime::server::store::Outcome& o) { CHECK_FALSE(o); });
    store->flush();
  }
  Service s(options);
  CHECK(s.lobby->rooms().empty());
  auto inbox = std::make_shared<Inbox>();
  const auto joined = s.service->join({token, "fac", 0, 0, 1}, inbox);
  const app::Failure& failure = refused(joined);
  CHECK(failure.code == wire::ErrorCode::NotFound);
  CHECK(failure.text.find("game g1 is not running: it did not recover") != std::string::npos);
}

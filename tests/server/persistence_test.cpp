// Persistence end to end: the real server binary is killed with SIGKILL in the
// middle of a round and restarted on the same database; every acknowledged
// order and resolved round is there, and the match finishes with the hashes
// of an uninterrupted one. Export, branch and rollback over the wire.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "batch/headless.h"
#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "tests/server/net_client.h"
#include "tests/server/server_process.h"
#include "tests/server/three_teams.h"

using namespace net_testing;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kSeed = 17;
void submit(Client& c, const std::vector<lt::OrderDraft>& orders) {
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, proto::build_submit_orders(fbb, orders));
  const wire::Envelope* e = c.read_until(wire::Message::OrdersAccepted);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_OrdersAccepted()->rejected()->size() == 0);
}

// Plays `round` for every team: orders, then ready; returns the round's hash
// as the facilitator sees it.
std::uint64_t play_round(Client& fac, std::map<std::string, std::unique_ptr<Client>>& team, int round) {
  for (const std::string& seat : kThreeTeams) submit(*team[seat], three_team_orders(seat, round));
  for (const std::string& seat : kThreeTeams) {
    flatbuffers::FlatBufferBuilder fbb;
    team[seat]->send(fbb, wire::CreateReady(fbb, true));
  }
  const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  REQUIRE(e->message_as_RoundResult()->round() == round + 1);
  return e->message_as_RoundResult()->hash();
}

// The game as the facilitator exports it over the wire, decoded.
lt::game::save::SaveData exported(Client& fac) {
  command(fac, wire::Command::Export);
  const wire::Envelope* e = fac.read_until(wire::Message::SaveFile);
  REQUIRE(e != nullptr);
  const auto* data = e->message_as_SaveFile()->data();
  auto decoded = lt::game::save::decode(std::span<const std::uint8_t>(data->data(), data->size()));
  REQUIRE(std::holds_alternative<lt::game::save::SaveData>(decoded));
  return std::get<lt::game::save::SaveData>(std::move(decoded));
}

}  // namespace

TEST_CASE("persistence: SIGKILL mid-round loses no acknowledged order or round") {
  TempDir dir;
  const std::vector<std::uint64_t> expected = three_teams_headless(10, kSeed);
  std::vector<std::uint64_t> served;
  Created g;
  {
    ServerProcess server(dir.path);
    Client fac(server.port());
    fac.welcome();
    std::vector<std::pair<std::string, std::string>> people;
    for (const std::string& p : kThreeTeams) people.emplace_back(p, "none");
    g = create_and_start(fac, people, 3600, kSeed);
    std::map<std::string, std::unique_ptr<Client>> team;
    for (const std::string& seat : kThreeTeams) team[seat] = join(server.port(), token_of(g, seat), seat);
    for (int r = 0; r < 4; ++r) served.push_back(play_round(fac, team, r));
    // Round 5: two teams' orders are acknowledged, then the server dies.
    submit(*team["us"], three_team_orders("us", 4));
    submit(*team["cn"], three_team_orders("cn", 4));
    {
      flatbuffers::FlatBufferBuilder fbb;
      team["cn"]->send(fbb, wire::CreateReady(fbb, true));
      REQUIRE(team["cn"]->read_until(wire::Message::Ack) != nullptr);
    }
    server.kill(SIGKILL);
  }
  ServerProcess server(dir.path);
  auto us = join(server.port(), token_of(g, "us"), "us");
  // Every acknowledged order is there: a second US member finds the team's
  // round-5 orders.
  std::map<std::string, std::unique_ptr<Client>> team;
  auto check = std::make_unique<Client>(server.port());
  check->welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    check->send(fbb, wire::CreateJoinDirect(fbb, token_of(g, "us").c_str(), "check"));
    const wire::Envelope* e = check->read_until(wire::Message::Joined);
    REQUIRE(e != nullptr);
    const wire::Joined* joined = e->message_as_Joined();
    REQUIRE(joined->orders() != nullptr);
    REQUIRE(joined->orders()->size() == 1);
    CHECK(joined->orders()->Get(0)->action()->str() == "set_export_tier");
    // Every resolved round is there, with its hash.
    std::vector<std::uint64_t> results;
    for (e = check->read(); e != nullptr && e->message_type() != wire::Message::ViewMsg; e = check->read()) {
      if (e->message_type() == wire::Message::RoundResult) results.push_back(e->message_as_RoundResult()->hash());
    }
    CHECK(results == served);
  }
  // China's ready flag survived; the EU has not submitted yet.
  Client fac(server.port());
  fac.welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateJoinDirect(fbb, g.facilitator_token.c_str(), "fac"));
    const wire::Envelope* e = fac.read_until(wire::Message::GameSummary);
    REQUIRE(e != nullptr);
    const wire::GameSummary* s = e->message_as_GameSummary();
    CHECK(s->round() == 4);
    CHECK(s->phase()->str() == "orders");
    CHECK(s->seats()->Get(1)->ready());
    CHECK(s->seats()->Get(1)->submitted());
    CHECK_FALSE(s->seats()->Get(2)->submitted());
    // The round's deadline survived the restart, still running.
    CHECK(s->seconds_left() > 0);
    CHECK(s->seconds_left() <= 3600);
  }
  team["us"] = std::move(us);
  team["cn"] = join(server.port(), token_of(g, "cn"), "cn");
  team["eu"] = join(server.port(), token_of(g, "eu"), "eu");
  // Round 5 goes on from where it was: the EU orders and everyone is ready.
  submit(*team["eu"], three_team_orders("eu", 4));
  for (const std::string& seat : kThreeTeams) {
    flatbuffers::FlatBufferBuilder fbb;
    team[seat]->send(fbb, wire::CreateReady(fbb, true));
  }
  const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->round() == 5);
  served.push_back(e->message_as_RoundResult()->hash());
  for (int r = 5; r < 10; ++r) served.push_back(play_round(fac, team, r));
  CHECK(served == expected);
  // The restart is in the game's record (for the debrief), once.
  const auto journal = exported(fac).journal;
  CHECK(std::count_if(journal.begin(), journal.end(), [](const auto& entry) { return entry.kind == "recovered"; }) ==
        1);
}

TEST_CASE("persistence: export, branch and rollback over the wire") {
  TempDir dir;
  lt::server::net::ServerOptions o;
  o.db_path = (dir.path / "games.db").string();
  TestServer ts(o);
  Client fac(ts.server->port());
  fac.welcome();
  std::vector<std::pair<std::string, std::string>> people;
  for (const std::string& p : kThreeTeams) people.emplace_back(p, "none");
  const Created g = create_and_start(fac, people, 3600, kSeed);
  std::map<std::string, std::unique_ptr<Client>> team;
  for (const std::string& seat : kThreeTeams) team[seat] = join(ts.server->port(), token_of(g, seat), seat);
  std::vector<std::uint64_t> parent;
  for (int r = 0; r < 3; ++r) parent.push_back(play_round(fac, team, r));

  SUBCASE("export: the save replays to the same hashes") {
    const lt::game::save::SaveData save = exported(fac);
    CHECK(save.rounds.size() == 3);
    lt::game::ReplayHooks hooks;  // bots' orders come from the journal
    const auto rebuilt = lt::game::save::rebuild(save.game, save.journal, hooks);
    REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
    std::vector<std::uint64_t> replayed;
    for (const auto& r : rebuilt.game->match().history()) replayed.push_back(r.hash);
    CHECK(replayed == parent);
  }
  SUBCASE("branch: the same history up to the round, new tokens, then its own future") {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Branch, "", 0, "", "", "", 2));
    const wire::Envelope* e = fac.read_until(wire::Message::GameCreated);
    REQUIRE(e != nullptr);
    const auto* created = e->message_as_GameCreated();
    const std::string branch_id = created->game_id()->str();
    CHECK(branch_id != g.game_id);
    std::map<std::string, std::string> tokens;
    for (const auto* s : *created->seats()) tokens[s->seat()->str()] = s->token()->str();
    CHECK(tokens["us"] != token_of(g, "us"));
    Client bfac(ts.server->port());
    bfac.welcome();
    flatbuffers::FlatBufferBuilder j;
    bfac.send(j, wire::CreateJoinDirect(j, created->facilitator_token()->c_str(), "fac"));
    std::vector<std::uint64_t> history;
    for (e = bfac.read(); e != nullptr && e->message_type() != wire::Message::FacilitatorView; e = bfac.read()) {
      if (e->message_type() == wire::Message::RoundResult) history.push_back(e->message_as_RoundResult()->hash());
    }
    CHECK(history == std::vector<std::uint64_t>{parent[0], parent[1]});
    // A branch starts paused, so its clock plays no round before anyone joins.
    e = bfac.read_until(wire::Message::GameSummary);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_GameSummary()->phase()->str() == "paused");
    // Round 3 with other US orders diverges from the parent's.
    auto us = join(ts.server->port(), tokens["us"], "us");
    submit(*us, {{"set_export_tier", {{"target", std::string("CN")}, {"tier", 0.0}}}});
    command(bfac, wire::Command::Force);
    e = bfac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_RoundResult()->round() == 3);
    CHECK(e->message_as_RoundResult()->hash() != parent[2]);
    // The branch's save names its parent and the rounds it kept, so a report
    // can draw the two together.
    const lt::game::save::SaveData save = exported(bfac);
    CHECK(save.game.parent_id == g.game_id);
    CHECK(save.game.branch_round == 2);
  }
  SUBCASE("rollback: the last round is undone and the same orders play it again") {
    command(fac, wire::Command::Rollback);
    // The view goes out at once, the Ack once the rollback is on disk, and
    // the status line after the room's queued work.
    int round = -1;
    bool acked = false;
    const wire::Envelope* e = nullptr;
    for (int i = 0; i < 50 && !(acked && round == 2); ++i) {
      e = fac.read();
      REQUIRE(e != nullptr);
      if (e->message_type() == wire::Message::Ack) acked = true;
      if (e->message_type() == wire::Message::GameSummary) round = e->message_as_GameSummary()->round();
    }
    CHECK(acked);
    CHECK(round == 2);
    command(fac, wire::Command::Force);  // the teams' round-3 orders came back with the rollback
    e = fac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_RoundResult()->round() == 3);
    CHECK(e->message_as_RoundResult()->hash() == parent[2]);
  }
}

namespace {

struct Run {
  int code = -1;
  std::string output;  // stdout and stderr
};

Run run_server_tool(const std::string& args) {
  const std::string command = std::string(LEADTIME_SERVER_BIN) + " " + args + " 2>&1";
  Run r;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) r.output += buffer;
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("persistence: leadtime-server export, replay and import save files") {
  TempDir dir;
  const std::string db = (dir.path / "games.db").string();
  {
    lt::server::net::ServerOptions o;
    o.db_path = db;
    TestServer ts(o);
    Client fac(ts.server->port());
    fac.welcome();
    const Created g = create_and_start(fac, people_except({{"cn", "scripts/bots/cn_shortcut.lua"}}), 3600, kSeed);
    for (int r = 0; r < 3; ++r) {
      command(fac, wire::Command::Force);
      REQUIRE(fac.read_until(wire::Message::RoundResult) != nullptr);
    }
  }
  const std::string save = (dir.path / "g1.save").string();
  Run r = run_server_tool("export --db " + db + " g1 -o " + save);
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(r.output.find("3 rounds") != std::string::npos);
  r = run_server_tool("replay " + save);
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(r.output.find("3 rounds replayed, every hash matches") != std::string::npos);
  r = run_server_tool("export --db " + db + " g9 -o " + save + ".x");
  CHECK(r.code == 2);
  CHECK(r.output.find("has no game 'g9'") != std::string::npos);
  // A flipped byte is refused before anything is replayed.
  {
    std::fstream f(save, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7f');
  }
  r = run_server_tool("replay " + save);
  CHECK(r.code == 2);
  CHECK(r.output.find("checksum mismatch") != std::string::npos);
  // Import into another database: new tokens, and a server started on it
  // plays the game on from round 3.
  r = run_server_tool("export --db " + db + " g1 -o " + save);
  REQUIRE(r.code == 0);
  const std::string other = (dir.path / "other.db").string();
  r = run_server_tool("import --db " + other + " " + save);
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(r.output.find("as game g1") != std::string::npos);
  const auto at = r.output.find("facilitator token: ");
  REQUIRE(at != std::string::npos);
  const std::string fac_token = r.output.substr(at + 19, 32);
  lt::server::net::ServerOptions o;
  o.db_path = other;
  TestServer ts(o);
  CHECK(ts.server->recovered() == 1);
  Client fac(ts.server->port());
  fac.welcome();
  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateJoinDirect(fbb, fac_token.c_str(), "fac"));
  const wire::Envelope* e = fac.read_until(wire::Message::GameSummary);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_GameSummary()->round() == 3);
  command(fac, wire::Command::Force);
  e = fac.read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->round() == 4);
}

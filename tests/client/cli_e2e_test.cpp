// leadtime-cli end to end: the real client against a real server on
// loopback, as players, facilitators, scripts, bots and agents use it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/client/e2e_helpers.h"
#include "tests/client/proxy.h"

using namespace leadtime::test;
using nlohmann::json;
using std::chrono::seconds;

namespace {

std::string text_of(const Finished& f) {
  return "exit " + std::to_string(f.exit_code) + "\nstdout:\n" + f.out + "\nstderr:\n" + f.err;
}

// The last view line a client printed.
json last_view(const std::vector<json>& lines) {
  json view = json::object();
  for (const json& j : lines) {
    if (j.value("type", "") == "view") view = j;
  }
  return view;
}

}  // namespace

TEST_CASE("cli: a scripted seat plays a whole match against the scenario's bots") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us seed=3");
  REQUIRE(game.seats.size() == 1);
  std::string script = "# us plays ten rounds from a file\nstatus\n";
  for (int r = 1; r <= 10; ++r) {
    script += "set_enforcement " + std::to_string(r % 4) + "; submit; ready; wait round " + std::to_string(r) + "\n";
  }
  script += "wait end\n";
  write_text(dir.file("play.txt"), script);
  const Finished f = run(cli(server, {"--token", game.seats.at("us"), "--json", "--file", dir.file("play.txt")}), dir,
                         seconds(240), client_env(dir));
  INFO(text_of(f));
  REQUIRE(f.exit_code == 0);
  const auto lines = json_lines(f.out);
  CHECK(count_of(lines, "round_result") == 10);
  CHECK(count_of(lines, "orders_accepted") == 10);
  for (const json& j : lines) {
    if (j.value("type", "") == "orders_accepted") CHECK(j["rejected"].empty());
  }
  CHECK(count_of(lines, "game_ended") == 1);
  // The last order stood: enforcement 10 % 4 = 2.
  CHECK(last_view(lines)["self"]["policy"]["enforcement_usd_b"] == 2.0);
  CHECK(first_of(lines, "status")["seat"] == "us");
}

TEST_CASE(
    "cli: the facilitator runs a game: create, seats, start, pause, resume, extend, shorten, inject, force, end") {
  TempDir dir;
  ServerProcess server(dir);
  const Finished f =
      run(cli(server, {"--key-file", server.key_file(), "--json", "--exec",
                       "create people=us,cn deadline=10m seed=4; seats; start; pause; resume; extend 5m; shorten 1m; "
                       "inject euv_breakthrough; force; wait round 1; games; end; wait end"}),
          dir, seconds(180), client_env(dir));
  INFO(text_of(f));
  REQUIRE(f.exit_code == 0);
  const auto lines = json_lines(f.out);
  std::vector<std::string> acked;
  for (const json& j : lines) {
    if (j.value("type", "") == "ack") acked.push_back(j["command"]);
  }
  CHECK(acked == std::vector<std::string>{"start", "pause", "resume", "extend", "shorten", "inject", "force", "end"});
  // The tokens are shown beside the server's seats, and saved for the user alone.
  const json seats = first_of(lines, "seats");
  CHECK(seats["tokens"].contains("us"));
  CHECK(seats["tokens"].contains("cn"));
  const json created = first_of(lines, "game_created");
  const std::string tokens_file = created["tokens_file"];
  CHECK(read_text(tokens_file).find(created["seats"]["us"].get<std::string>()) != std::string::npos);
  CHECK((std::filesystem::status(tokens_file).permissions() & std::filesystem::perms::group_all) ==
        std::filesystem::perms::none);
  // The injected event fired in the forced round, and the game list shows the game.
  bool injected = false;
  for (const json& j : lines) {
    if (j.value("type", "") != "round_result") continue;
    for (const json& e : j["events"]) injected = injected || e["kind"] == "euv_breakthrough";
  }
  CHECK(injected);
  const json games = first_of(lines, "games");
  REQUIRE(games["games"].size() == 1);
  CHECK(games["games"][0]["game_id"] == created["game_id"]);
  CHECK(games["games"][0]["tokens"]["seats"]["us"] == created["seats"]["us"]);
  CHECK(count_of(lines, "game_ended") == 1);
}

TEST_CASE("cli: the facilitator rolls back a round, exports a save file and branches a what-if game") {
  TempDir dir;
  ServerProcess server(dir);
  const std::string save = dir.file("workshop.ltsave");
  const Finished f = run(cli(server, {"--key-file", server.key_file(), "--json", "--exec",
                                      "create people=us deadline=10m seed=5; start; force; wait round 1; force; "
                                      "wait round 2; rollback; status; export " +
                                          save + "; branch 1; tokens"}),
                         dir, seconds(180), client_env(dir));
  INFO(text_of(f));
  REQUIRE(f.exit_code == 0);
  const auto lines = json_lines(f.out);
  CHECK(count_of(lines, "rolled_back") == 1);
  CHECK(first_of(lines, "rolled_back")["round"] == 1);
  CHECK(first_of(lines, "status")["round"] == 1);
  const json saved = first_of(lines, "save_file");
  REQUIRE(saved.contains("bytes"));
  CHECK(saved["bytes"].get<std::size_t>() > 0);
  CHECK(std::filesystem::file_size(save) == saved["bytes"].get<std::size_t>());
  // The branch is a new game with its own tokens, saved beside the first.
  REQUIRE(count_of(lines, "game_created") == 2);
  const json branch = last_of(lines, "game_created");
  CHECK(branch["game_id"] != first_of(lines, "game_created")["game_id"]);
  CHECK(branch["seats"].contains("us"));
  CHECK(last_of(lines, "tokens")["games"].size() == 2);
  // Its seat plays on from after round 1.
  const Finished seat = run(cli(server, {"--token", branch["seats"]["us"], "--json", "--exec", "status"}), dir,
                            seconds(60), client_env(dir));
  INFO(text_of(seat));
  REQUIRE(seat.exit_code == 0);
  CHECK(first_of(json_lines(seat.out), "status")["round"] == 1);
}

TEST_CASE("cli: swapping seats between bots and people, and kicking, from the facilitator's client") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us,cn deadline=10m seed=6");
  Child seat(cli(server, {"--token", game.seats.at("cn"), "--json", "--exec", "wait press 120"}), dir.file("seat.out"),
             dir.file("seat.err"), client_env(dir));
  REQUIRE(eventually([&] { return seat.out().find("\"joined\"") != std::string::npos; }, seconds(60)));
  // The facilitator's client finds its token for the game in the saved file.
  const Finished f =
      run(cli(server, {"--json", "--exec", "join " + game.game_id + "; bot cn; seats; person cn; kick cn"}), dir,
          seconds(120), client_env(dir));
  INFO(text_of(f));
  REQUIRE(f.exit_code == 0);
  const auto lines = json_lines(f.out);
  std::vector<std::string> acked;
  for (const json& j : lines) {
    if (j.value("type", "") == "ack") acked.push_back(j["command"]);
  }
  CHECK(acked == std::vector<std::string>{"bot", "person", "kick"});
  bool cn_bot = false;
  const json seats = first_of(lines, "seats");
  for (const json& s : seats["game"]["seats"]) {
    cn_bot = cn_bot || (s["seat"] == "cn" && s["bot"] == true);
  }
  CHECK(cn_bot);
  // The kicked client says so, does not sneak back in, and its wait fails.
  const Finished s = seat.wait(seconds(60));
  INFO(text_of(s));
  CHECK(s.exit_code == 1);
  CHECK(s.err.find("the facilitator removed you from seat cn") != std::string::npos);
  CHECK(count_of(json_lines(s.out), "rejoined") == 0);
}

TEST_CASE("cli: a lost connection reconnects by itself, says so, and catches up on what it missed") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us,cn deadline=10m seed=7");
  const auto colon = server.address().rfind(':');
  Proxy proxy(static_cast<std::uint16_t>(std::stoi(server.address().substr(colon + 1))));
  Child seat({LEADTIME_CLI_BIN, "connect", "127.0.0.1:" + std::to_string(proxy.port()), "--token", game.seats.at("cn"),
              "--json", "--exec", "set_smuggling 2; submit; wait press 120; draft"},
             dir.file("seat.out"), dir.file("seat.err"), client_env(dir));
  REQUIRE(eventually([&] { return seat.out().find("\"orders_accepted\"") != std::string::npos; }, seconds(60)));
  proxy.cut(/*hold=*/true);
  REQUIRE(eventually([&] { return seat.out().find("\"disconnected\"") != std::string::npos; }, seconds(60)));
  // Press sent while the seat is away reaches it once it is back.
  const Finished f = run(cli(server, {"--exec", "join " + game.game_id + "; send cn while you were out"}), dir,
                         seconds(60), client_env(dir));
  REQUIRE(f.exit_code == 0);
  proxy.release();
  const Finished s = seat.wait(seconds(120));
  INFO(text_of(s));
  REQUIRE(s.exit_code == 0);
  const auto lines = json_lines(s.out);
  CHECK(count_of(lines, "reconnected") >= 1);
  CHECK(count_of(lines, "rejoined") >= 1);
  CHECK(first_of(lines, "press")["text"] == "while you were out");
  // The orders sent before the cut are still the seat's.
  const json draft = last_of(lines, "draft");
  REQUIRE(draft["orders"].size() == 1);
  CHECK(draft["orders"][0]["status"] == "submitted");
}

TEST_CASE("cli: press is the rest of the line, and what a seat has read stays read when its client starts again") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us,cn seed=4");
  const Finished sent = run(cli(server, {"--token", game.seats.at("us"), "--exec",
                                         "send cn KYC at 0.8 works for us; we will align tools too; draft"}),
                            dir, seconds(60), client_env(dir));
  INFO(text_of(sent));
  REQUIRE(sent.exit_code == 0);
  CHECK(sent.out.find("Draft for round") == std::string::npos);  // "; draft" was part of the message
  auto cn = [&](const std::string& commands) {
    const Finished f = run(cli(server, {"--token", game.seats.at("cn"), "--json", "--exec", commands}), dir,
                           seconds(60), client_env(dir));
    INFO(text_of(f));
    REQUIRE(f.exit_code == 0);
    return json_lines(f.out);
  };
  const auto first = cn("inbox");
  const json inbox = first_of(first, "inbox");
  REQUIRE(inbox["messages"].size() == 1);
  CHECK(inbox["messages"][0]["text"] == "KYC at 0.8 works for us; we will align tools too; draft");
  CHECK(first_of(first, "joined")["unread"] == 1);
  // Started again: the message comes back from the server, already read.
  const auto again = cn("inbox");
  CHECK(first_of(again, "joined")["unread"] == 0);
  CHECK(first_of(again, "inbox")["messages"].empty());
  CHECK(std::filesystem::exists(dir.file("leadtime/press_read.json")));
}

TEST_CASE("cli: --bot plays its seat with a Lua bot on the client side to the end") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us seed=8");
  const Finished f = run(cli(server, {"--token", game.seats.at("us"), "--json", "--bot",
                                      std::string(LEADTIME_SOURCE_DIR) + "/scripts/bots/us_dealmaker.lua"}),
                         dir, seconds(240), client_env(dir));
  INFO(text_of(f));
  REQUIRE(f.exit_code == 0);
  const auto lines = json_lines(f.out);
  CHECK(count_of(lines, "round_result") == 10);
  CHECK(count_of(lines, "fault") == 0);
  CHECK(count_of(lines, "finished") == 1);
  REQUIRE(count_of(lines, "orders_accepted") >= 1);
  CHECK(first_of(lines, "orders_accepted")["accepted"].get<int>() > 0);
  // us_dealmaker's line: tier 2 for China with ten licensed firms.
  const json view = last_view(lines);
  CHECK(view["self"]["policy"]["export_tier"]["CN"] == 2);
  CHECK(view["self"]["policy"]["licensed_firms"] == 10);
}

TEST_CASE("cli: --agent plays through the example agent, and broken agents leave standing orders and are reported") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us,cn,eu,us_lab seed=9");
  const std::string example = "python3 " + std::string(LEADTIME_SOURCE_DIR) + "/scripts/agents/example_agent.py";
  auto agent = [&](const std::string& seat, const std::string& command, const std::string& name,
                   const std::string& timeout = "5") {
    return std::make_unique<Child>(
        cli(server, {"--token", game.seats.at(seat), "--json", "--decision-timeout", timeout, "--agent", command}),
        dir.file(name + ".out"), dir.file(name + ".err"), client_env(dir));
  };
  auto good = agent("us_lab", example, "good");
  auto bad_json = agent("us", "while read line; do echo 'orders please'; done", "bad_json");
  auto crash = agent("cn", "read line; exit 3", "crash");
  auto hang = agent("eu", "while read line; do sleep 100; done", "hang", "1");
  for (auto* child : {good.get(), bad_json.get(), crash.get(), hang.get()}) {
    const Finished f = child->wait(seconds(240));
    INFO(text_of(f));
    CHECK(f.exit_code == 0);
    CHECK(count_of(json_lines(f.out), "round_result") == 10);
  }
  const auto good_lines = json_lines(good->out());
  CHECK(count_of(good_lines, "fault") == 0);
  CHECK(count_of(good_lines, "orders_accepted") == 10);
  CHECK(last_view(good_lines)["self"]["policy"]["intelligence_usd_b"].get<double>() > 0);

  auto faults = [](const std::string& out) {
    std::string all;
    for (const json& j : json_lines(out)) {
      if (j.value("type", "") == "fault") all += j["text"].get<std::string>() + "\n";
    }
    return all;
  };
  const auto bad_lines = json_lines(bad_json->out());
  CHECK(count_of(bad_lines, "fault") == 10);
  CHECK(faults(bad_json->out()).find("bad JSON") != std::string::npos);
  CHECK(count_of(bad_lines, "orders_accepted") == 0);
  // Standing orders stay: the scenario's opening tier for China.
  CHECK(last_view(bad_lines)["self"]["policy"]["export_tier"]["CN"] == 1);
  CHECK(faults(crash->out()).find("exited with status 3") != std::string::npos);
  CHECK(faults(hang->out()).find("did not answer within") != std::string::npos);
  // Reported on stderr for people too.
  CHECK(hang->err().find("keeps its standing orders") != std::string::npos);
}

TEST_CASE("cli: bad input in scripts stops at the first error and says what was expected") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us seed=2");
  struct Case {
    std::string command;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"sel_price 3", "did you mean set_chip_price or set_model_price?"},
      {"set_chip_budget lots", "expected a number for 'share' of set_chip_budget (0..1 share of cash), got 'lots'"},
      {"set_export_tier CN 9", "parameter 'tier' is 9, allowed an integer from 0 to 3"},
      {"set_export_tier tire=1", "has no parameter 'tire'; did you mean tier?"},
      {"set_export_tier CN", "set_export_tier needs 'tier' (0..3 tier)"},
      {"set_fab_investment 3", "set_fab_investment is not available to us"},
      {"send moon hello", "no seat 'moon'; seats are"},
      {"edit 3 tier=1", "the draft is empty"},
      {"wait forever", "expected 'wait round [N]'"},
      {"start", "only the facilitator may do that"},
      {"set_export_tier \"CN 1", "unclosed double quote"},
  };
  for (const Case& c : cases) {
    const Finished f = run(cli(server, {"--token", game.seats.at("us"), "--exec", c.command + "; say not reached"}),
                           dir, seconds(60), client_env(dir));
    INFO(c.command << "\n" << text_of(f));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find(c.expected) != std::string::npos);
    CHECK(f.out.find("Sent to everyone") == std::string::npos);
  }
  // In a file, the error names the line.
  write_text(dir.file("bad.txt"), "draft\n\nset_intelligence 1\nset_intelligence 99\nsubmit\n");
  const Finished f = run(cli(server, {"--token", game.seats.at("us"), "--file", dir.file("bad.txt")}), dir, seconds(60),
                         client_env(dir));
  INFO(text_of(f));
  CHECK(f.exit_code == 1);
  CHECK(f.err.find("bad.txt:4: set_intelligence: parameter 'usd_b' is 99, allowed a number from 0 to 5") !=
        std::string::npos);
  CHECK(f.out.find("Submitted") == std::string::npos);
  // A wrong address fails at once, naming it.
  const Finished nowhere =
      run({LEADTIME_CLI_BIN, "connect", "127.0.0.1:1", "--exec", "status"}, dir, seconds(30), client_env(dir));
  CHECK(nowhere.exit_code == 1);
  CHECK(nowhere.err.find("cannot connect to 127.0.0.1:1") != std::string::npos);
  const Finished no_port =
      run({LEADTIME_CLI_BIN, "connect", "localhost", "--exec", "status"}, dir, seconds(30), client_env(dir));
  CHECK(no_port.exit_code == 2);
  CHECK(no_port.err.find("expected HOST:PORT") != std::string::npos);
}

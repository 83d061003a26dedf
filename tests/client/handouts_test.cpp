// What a facilitator hands out (issue #19): 'create' and 'branch' write a
// token file and a printable handout per person seat, with the join
// command, the browser link and the seat's briefing; their options' errors.
#include <sys/stat.h>

#include <doctest/doctest.h>
#include "client-cli/handouts.h"
#include "files/files.h"

#include "tests/client/scripted_server.h"

using namespace kit_testing;

TEST_CASE("create: one token file and one printable handout per person seat, with the join command and link") {
  FacilitatorServer server;
  std::vector<std::string> people_sent;
  std::vector<std::pair<std::string, std::string>> bots_sent;
  ScriptedTransport fake([&](const wire::Envelope& env) {
    const std::uint32_t rid = env.request_id();
    if (env.message_type() != wire::Message::CreateGame) return server.answer(env);
    const wire::CreateGame& c = *env.message_as_CreateGame();
    for (const auto* p : *c.people()) people_sent.push_back(p->str());
    for (const auto* b : *c.bots()) bots_sent.emplace_back(b->seat()->str(), b->bot_path()->str());
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "us", "tok-us"),
                                                               wire::CreateSeatTokenDirect(fbb, "cn", "tok-cn")};
    return Frames{payload(fbb, rid, wire::CreateGameCreatedDirect(fbb, "g1", "tok-f", "tok-o", &seats))};
  });
  Collect sink;
  TempDir dir;
  SessionOptions options = options_in(dir, "");
  options.web_url = "http://10.0.0.5:8080";
  Session session(fake, options, sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "handouts-here").string();
  REQUIRE_MESSAGE(session.run_line("create people=us,cn handouts=" + out + " address=10.0.0.5:7700"), sink.errors);
  // Person seats in both of CreateGame's forms.
  CHECK(people_sent == std::vector<std::string>{"us", "cn"});
  CHECK(bots_sent == std::vector<std::pair<std::string, std::string>>{{"us", "none"}, {"cn", "none"}});

  const auto token = lt::files::read_file(out + "/us.token");
  REQUIRE(token);
  CHECK(*token == "tok-us\n");
  struct stat st {};
  REQUIRE(::stat((out + "/us.token").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto page = lt::files::read_file(out + "/cn-handout.md");
  REQUIRE(page);
  INFO(*page);
  CHECK(page->starts_with("# Leadtime: your seat is China (cn)\n"));
  CHECK(page->find("    leadtime-cli connect 10.0.0.5:7700 --token-file cn.token\n") != std::string::npos);
  CHECK(page->find("    http://10.0.0.5:8080/#token=tok-cn\n") != std::string::npos);
  CHECK(page->find("After each round: -1 x lead_months + 20 x own_global_share + 10 x own_row_share") !=
        std::string::npos);
  CHECK(page->find(lt::game::seat_briefing(scenario(), scenario().initial.find_actor("cn"))) != std::string::npos);
  CHECK(sink.text.find("Handouts for 2 seats in " + out) != std::string::npos);
  CHECK(sink.last("handouts")["files"].size() == 4);

  // Without handouts=, they go beside the saved tokens, a folder per server
  // and game.
  REQUIRE(session.run_line("create people=us,cn"));
  CHECK(std::filesystem::exists(dir.path / "handouts" / "fake_1" / "g1" / "us-handout.md"));
}

TEST_CASE("create: without --web-url the links are the server's pages from its Welcome, at the teams' host") {
  FacilitatorServer server;
  ScriptedTransport fake(
      [&](const wire::Envelope& env) {
        if (env.message_type() != wire::Message::CreateGame) return server.answer(env);
        flatbuffers::FlatBufferBuilder fbb;
        std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "eu", "tok-eu")};
        return Frames{
            payload(fbb, env.request_id(), wire::CreateGameCreatedDirect(fbb, "g2", "tok-f", "tok-o", &seats))};
      },
      "http://127.0.0.1:8080/");
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir, ""), sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "h").string();
  REQUIRE_MESSAGE(session.run_line("create people=eu handouts=" + out + " address=192.168.1.20:7700"), sink.errors);
  const auto page = lt::files::read_file(out + "/eu-handout.md");
  REQUIRE(page);
  CHECK(page->find("    http://192.168.1.20:8080/#token=tok-eu\n") != std::string::npos);
  CHECK(sink.text.find("No browser links") == std::string::npos);
}

TEST_CASE("handouts: without a web address the page says to ask, and a link keeps the token in the fragment") {
  CHECK(browser_link("http://h:8080", "T") == "http://h:8080/#token=T");
  CHECK(browser_link("http://h:8080/#old", "T") == "http://h:8080/#token=T");
  CHECK(browser_link("", "T").empty());
  Handouts h{"g2", "2028", "h:7700", "", {{"us", "", "T", "", {}}}, ""};
  const std::string page = handout_text(h, h.seats[0]);
  CHECK(page.find("ask the facilitator for the link") != std::string::npos);
  CHECK(page.find("(The server sent no briefing; type `briefing` once joined.)") != std::string::npos);
}

TEST_CASE("handouts: the server's own link for its machine takes the host the teams are given") {
  CHECK(web_url_for("http://127.0.0.1:8080/", "10.0.0.5:7700") == "http://10.0.0.5:8080/");
  CHECK(web_url_for("https://localhost:8443/play", "room.example.org:7700") == "https://room.example.org:8443/play");
  CHECK(web_url_for("http://[::1]:8080/", "[fd00::5]:7700") == "http://[fd00::5]:8080/");
  // A public address stays; so does loopback when the teams are given one.
  CHECK(web_url_for("https://exercise.example.org/", "10.0.0.5:7700") == "https://exercise.example.org/");
  CHECK(web_url_for("http://127.0.0.1:8080/", "127.0.0.1:7700") == "http://127.0.0.1:8080/");
  CHECK(web_url_for("", "10.0.0.5:7700").empty());
}

TEST_CASE("branch: the new game's people get handouts with the parent's scenario, and it starts paused") {
  FacilitatorServer server;
  ScriptedTransport fake([&](const wire::Envelope& env) {
    const std::uint32_t rid = env.request_id();
    const auto* command = env.message_as_FacilitatorCommand();
    if (command == nullptr || command->command() != wire::Command::Branch) return server.answer(env);
    CHECK(command->round() == 1);
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "us", "tok-b-us")};
    return Frames{payload(fbb, rid, wire::CreateGameCreatedDirect(fbb, "g3", "tok-bf", "tok-bo", &seats))};
  });
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "branch").string();
  REQUIRE_MESSAGE(session.run_line("branch 1 handouts=" + out), sink.errors);
  CHECK(sink.text.find("it starts paused: 'resume' when the room is ready") != std::string::npos);
  const auto page = lt::files::read_file(out + "/us-handout.md");
  REQUIRE(page);
  CHECK(page->find("Game g3, scenario \"2028\", server fake:1.") != std::string::npos);
  CHECK(page->find(lt::game::seat_briefing(scenario(), scenario().initial.find_actor("us"))) != std::string::npos);
  CHECK(*lt::files::read_file(out + "/us.token") == "tok-b-us\n");

  const std::size_t sent = fake.sent.size();
  CHECK_FALSE(session.run_line("branch"));
  CHECK(sink.errors.find("branch: expected the number of rounds to keep, e.g. 'branch 3'") != std::string::npos);
  CHECK_FALSE(session.run_line("branch 1 handout=x"));
  CHECK(sink.errors.find("branch: unknown option 'handout'; did you mean handouts?") != std::string::npos);
  CHECK(fake.sent.size() == sent);
}

TEST_CASE("create: a wrong option or address is named before anything is sent") {
  auto error = [](std::vector<std::string> args) {
    const auto parsed = parse_create(args);
    const auto* why = std::get_if<std::string>(&parsed);
    return why != nullptr ? *why : std::string();
  };
  CHECK(error({"address=10.0.0.5"}) ==
        "create: expected HOST:PORT after address= (what the handouts tell teams), got '10.0.0.5'");
  CHECK(error({"handouts="}) == "create: expected a folder after handouts=");
  CHECK(error({"handout=x"}).starts_with("create: unknown option 'handout'; did you mean handouts?"));
  CHECK(error({"a.lua", "b.lua"}) == "create: one scenario only, got 'a.lua' and 'b.lua'");
  const auto parsed =
      parse_create({"variants/x.lua", "people=us,cn", "bot=eu:b.lua", "deadline=5m", "handouts=h", "address=h:1"});
  const auto* o = std::get_if<CreateOptions>(&parsed);
  REQUIRE(o != nullptr);
  CHECK(o->scenario == "variants/x.lua");
  CHECK(o->people == std::vector<std::string>{"us", "cn"});
  CHECK(o->deadline_s == 300);
  CHECK(o->place.dir == "h");
  CHECK(o->place.address == "h:1");
}

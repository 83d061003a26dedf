// Faults of bots (they hang, crash or eat memory in every phase a served
// game runs them), facilitator commands that race, and a game of bots
// killed at random moments; each fails without the behaviour it proves.
#include "tests/server/faults_support.h"

using namespace faults_testing;
namespace fs = std::filesystem;

namespace {

const char* const kKinds[] = {"hang", "crash", "memory"};

// A bot for the Chinese government that behaves until its fault: in
// `phase` ("load", "init", "first", "later", "on_result", "always") it
// hangs (an endless loop), crashes (an error) or eats memory.
std::string fault_bot(const std::string& phase, const std::string& kind) {
  return "local PHASE, KIND = '" + phase + "', '" + kind + R"('
local function fault(where)
  if KIND == 'hang' then
    while true do end
  elseif KIND == 'crash' then
    error('deliberate crash in ' .. where)
  else
    local hoard, i = {}, 0
    while true do
      i = i + 1
      hoard[i] = string.rep('x', 65536) .. i
    end
  end
end
if PHASE == 'load' then fault('load') end
function init(info)
  if PHASE == 'init' then fault('init') end
end
function decide(view)
  if PHASE == 'always' or (PHASE == 'first' and view.round == 1) or (PHASE == 'later' and view.round >= 2) then
    fault('decide')
  end
  return { { action = 'set_smuggling', usd_b = 0.5 * view.round } }
end
function on_result(result)
  if PHASE == 'on_result' then fault('on_result') end
end
)";
}

// Writes the bot into `dir` and returns its file name.
std::string write_bot(const fs::path& dir, const std::string& phase, const std::string& kind) {
  const std::string name = "fault_" + phase + "_" + kind + ".lua";
  std::ofstream(dir / name) << fault_bot(phase, kind);
  return name;
}

// What each kind of fault says.
std::string cause_of(const std::string& kind) {
  if (kind == "hang") return "instruction budget exceeded";
  if (kind == "crash") return "deliberate crash in";
  return "memory";
}

lt::server::net::ServerOptions bot_options(const fs::path& dir) {
  lt::server::net::ServerOptions o;
  o.bot_root = dir.string();
  return o;
}

}  // namespace

TEST_CASE("faults: a bot that hangs, crashes or eats memory while loading is refused by name; games go on") {
  const TempDir dir("leadtime-bots");
  TestServer ts(bot_options(dir.path));
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0, kSeed);
  int round = 0;
  for (const std::string phase : {"load", "init"}) {
    for (const std::string kind : kKinds) {
      CAPTURE(phase);
      CAPTURE(kind);
      const std::string bot = write_bot(dir.path, phase, kind);
      // The chunk's faults through CreateGame: the game is not created, and
      // the refusal names the seat and the cause.
      if (phase == "load") {
        Client creator(port);
        creator.welcome();
        flatbuffers::FlatBufferBuilder fbb;
        std::vector<flatbuffers::Offset<wire::SeatBot>> sb;
        for (const auto& [seat, path] : people_except({{"cn", bot}})) {
          sb.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
        }
        const std::string text =
            error_reply(creator, creator.send(fbb, wire::CreateCreateGameDirect(fbb, "", 3, 0, &sb, "")));
        CHECK(text.find("seat cn: ") == 0);
        CHECK(text.find(cause_of(kind)) != std::string::npos);
      } else {
        // init's through SwapToBot in a running game: refused, the seat
        // stays a person's.
        const std::string text = error_reply(fac, send_command(fac, wire::Command::SwapToBot, "cn", 0, bot));
        CHECK(text.find("SwapToBot: bot for cn: ") == 0);
        CHECK(text.find(cause_of(kind)) != std::string::npos);
      }
      // The game goes on.
      send_command(fac, wire::Command::Force);
      const Seen seen = until_view(fac, ++round, "cn");
      CHECK(seen.faults.empty());
    }
  }
}

TEST_CASE(
    "faults: a bot that hangs, crashes or eats memory in a turn or on_result: standing orders, reported, "
    "as headless") {
  const TempDir dir("leadtime-bots");
  const auto scenario = default_scenario();
  for (const std::string phase : {"first", "later", "on_result"}) {
    for (const std::string kind : kKinds) {
      CAPTURE(phase);
      CAPTURE(kind);
      const std::string bot = write_bot(dir.path, phase, kind);
      TestServer ts(bot_options(dir.path));
      Client fac(ts.server->port());
      fac.welcome();
      create_and_start(fac, people_except({{"cn", bot}}), 0, kSeed);
      std::vector<std::uint64_t> served;
      std::vector<Seen> rounds;
      for (int r = 1; r <= 3; ++r) {
        send_command(fac, wire::Command::Force);
        rounds.push_back(until_view(fac, r, "cn"));
        served.push_back(rounds.back().hash);
      }
      // Reported to the facilitator, naming the bot's seat and the cause;
      // a failed turn plays no orders (the seat keeps its standing ones).
      // A fault in round `about`, reported with the result of round `in`.
      auto faulted = [&](int in, int about) {
        const auto& faults = rounds[static_cast<std::size_t>(in - 1)].faults;
        return std::any_of(faults.begin(), faults.end(), [&](const std::string& f) {
          return f.find("(seat cn) round " + std::to_string(about) + ": ") != std::string::npos &&
                 f.find(cause_of(kind)) != std::string::npos;
        });
      };
      if (phase == "first") {
        CHECK(faulted(1, 1));
        CHECK(rounds[0].seat_orders == 0);
        CHECK(rounds[1].faults.empty());
        CHECK(rounds[1].seat_orders == 1);
      } else if (phase == "later") {
        CHECK(rounds[0].faults.empty());
        CHECK(rounds[0].seat_orders == 1);
        CHECK(faulted(2, 2));
        CHECK(rounds[1].seat_orders == 0);
      } else {
        // on_result fails after each round: reported with the next round,
        // and the bot still plays its turns.
        CHECK(rounds[0].faults.empty());
        CHECK(faulted(2, 1));
        CHECK(rounds[1].faults.front().find("on_result") != std::string::npos);
        CHECK(rounds[1].seat_orders == 1);
      }
      // Exactly what a headless match with the same bot plays.
      std::vector<std::string> bots(scenario->initial.actors.size());
      bots[static_cast<std::size_t>(scenario->initial.find_actor("cn"))] = (dir.path / bot).string();
      const lt::BotMatchResult played = lt::play_bots(scenario, kSeed, bots);
      REQUIRE_MESSAGE(played.error.empty(), played.error);
      std::vector<std::uint64_t> headless;
      for (std::size_t r = 0; r < 3; ++r) headless.push_back(played.match->history()[r].hash);
      CHECK(served == headless);
    }
  }
}

TEST_CASE(
    "faults: a bot swapped in that hangs, crashes or eats memory plays no orders, is reported, and is swapped out") {
  const TempDir dir("leadtime-bots");
  TestServer ts(bot_options(dir.path));
  Client fac(ts.server->port());
  fac.welcome();
  create_and_start(fac, people_except(), 0, kSeed);
  int round = 0;
  for (const std::string kind : kKinds) {
    CAPTURE(kind);
    const std::string bot = write_bot(dir.path, "always", kind);
    CHECK(error_reply(fac, send_command(fac, wire::Command::SwapToBot, "cn", 0, bot)).empty());
    send_command(fac, wire::Command::Force);
    const Seen seen = until_view(fac, ++round, "cn");
    CHECK(seen.seat_orders == 0);
    REQUIRE(seen.faults.size() == 1);
    CHECK(seen.faults[0].find(cause_of(kind)) != std::string::npos);
    CHECK(error_reply(fac, send_command(fac, wire::Command::SwapToPerson, "cn")).empty());
  }
}

TEST_CASE("faults: a bot that no longer loads when the server restarts costs its seat the bot, not the game") {
  const TempDir dir("leadtime-bots");
  lt::server::net::ServerOptions o = bot_options(dir.path);
  o.db_path = (dir.path / "games.db").string();
  const std::string bot = write_bot(dir.path, "never", "crash");
  Created g;
  std::uint64_t first = 0;
  {
    TestServer ts(o);
    Client fac(ts.server->port());
    fac.welcome();
    g = create_and_start(fac, people_except({{"cn", bot}}), 0, kSeed);
    send_command(fac, wire::Command::Force);
    const Seen seen = until_view(fac, 1, "cn");
    CHECK(seen.seat_orders == 1);
    first = seen.hash;
  }
  for (const std::string kind : kKinds) {
    CAPTURE(kind);
    std::ofstream(dir.path / bot) << fault_bot("init", kind);  // the file changed while the server was down
    TestServer ts(o);
    REQUIRE(ts.server->recovered() == 1);
    Client fac(ts.server->port());
    fac.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateJoinDirect(fbb, g.facilitator_token.c_str(), "fac"));
    CHECK(result_of(fac, 1) == first);
    const wire::Envelope* e = fac.read_until(wire::Message::GameSummary);
    REQUIRE(e != nullptr);
    const int round = e->message_as_GameSummary()->round();
    send_command(fac, wire::Command::Force);
    const Seen seen = until_view(fac, round + 1, "cn");
    CHECK(seen.seat_orders == 0);
    REQUIRE(seen.faults.size() == 1);
    CHECK(seen.faults[0].find("does not load") != std::string::npos);
    CHECK(seen.faults[0].find(cause_of(kind)) != std::string::npos);
  }
}

// --- Facilitator commands that race -----------------------------------------

namespace {

struct Race {
  wire::Command first;
  wire::Command second;
};

std::string summary_phase(Client& c, const std::string& game_id, int& round) {
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  const wire::Envelope* e = c.read_until(wire::Message::GameList);
  REQUIRE(e != nullptr);
  for (const auto* s : *e->message_as_GameList()->games()) {
    if (s->game_id()->str() != game_id) continue;
    round = s->round();
    return s->phase()->str();
  }
  FAIL("game " << game_id << " not listed");
  return {};
}

}  // namespace

TEST_CASE("faults: two facilitators' commands that race end consistent, each answered once, never resolved twice") {
  const std::vector<Race> races = {
      {wire::Command::Force, wire::Command::Pause},    {wire::Command::Pause, wire::Command::Force},
      {wire::Command::Pause, wire::Command::Extend},   {wire::Command::Force, wire::Command::Force},
      {wire::Command::End, wire::Command::Force},      {wire::Command::Force, wire::Command::End},
      {wire::Command::Force, wire::Command::Rollback}, {wire::Command::Pause, wire::Command::Resume},
      {wire::Command::End, wire::Command::End},        {wire::Command::Force, wire::Command::SwapToBot},
      {wire::Command::Shorten, wire::Command::Force},  {wire::Command::Rollback, wire::Command::Rollback},
  };
  BotGate gate;
  lt::server::net::ServerOptions o;
  o.testing_before_bots = gate.hook();
  o.max_games_per_facilitator = 100;
  TestServer ts(o);
  const ReleaseOnExit release{gate};
  const auto port = ts.server->port();
  for (const Race& race : races) {
    const std::string names =
        std::string(wire::EnumNameCommand(race.first)) + " and " + wire::EnumNameCommand(race.second);
    CAPTURE(names);
    Client fac1(port);
    fac1.welcome();
    // A bot seat, so a forced round waits in "resolving" while the gate holds.
    const Created g = create_and_start(fac1, people_except({{"cn", "scripts/bots/cn_shortcut.lua"}}), 600, kSeed);
    // One round played first, so Rollback has something to undo.
    send_command(fac1, wire::Command::Force);
    result_of(fac1, 1);
    auto fac2 = join(port, g.facilitator_token, "second facilitator");
    const int passed_before = gate.rounds_passed();
    gate.close();
    const std::uint32_t a = send_command(fac1, race.first, "cn", 30);
    const std::uint32_t b = send_command(*fac2, race.second, "cn", 30);
    // Each is answered exactly once, Ack or Error.
    const wire::Envelope* ea = reply_to(fac1, a);
    REQUIRE(ea != nullptr);
    const bool a_done = ea->message_type() == wire::Message::Ack;
    CHECK((a_done || ea->message_type() == wire::Message::Error));
    const wire::Envelope* eb = reply_to(*fac2, b);
    REQUIRE(eb != nullptr);
    const bool b_done = eb->message_type() == wire::Message::Ack;
    CHECK((b_done || eb->message_type() == wire::Message::Error));
    gate.release();
    // Settles: never stuck in "resolving".
    int round = 0;
    std::string phase = summary_phase(fac1, g.game_id, round);
    for (int i = 0; i < 200 && phase == "resolving"; ++i) {
      std::this_thread::sleep_for(10ms);
      phase = summary_phase(fac1, g.game_id, round);
    }
    CHECK(phase != "resolving");
    const int forces = (race.first == wire::Command::Force && a_done) + (race.second == wire::Command::Force && b_done);
    const int rollbacks =
        (race.first == wire::Command::Rollback && a_done) + (race.second == wire::Command::Rollback && b_done);
    // At most one round resolves per accepted Force, and the bots decided
    // once per resolution started.
    CHECK(round <= 1 + forces - rollbacks);
    CHECK(round >= 1 - rollbacks);
    CHECK(gate.rounds_passed() - passed_before <= 1);
    if (race.first == race.second && race.first != wire::Command::Rollback) CHECK(a_done != b_done);
    // The journal replays to the same game.
    const std::uint32_t rid = send_command(fac1, wire::Command::Export);
    const wire::Envelope* e = reply_to(fac1, rid);
    REQUIRE(e != nullptr);
    REQUIRE(e->message_type() == wire::Message::SaveFile);
    const auto* data = e->message_as_SaveFile()->data();
    auto decoded = lt::game::save::decode(std::span<const std::uint8_t>(data->data(), data->size()));
    REQUIRE(std::holds_alternative<lt::game::save::SaveData>(decoded));
    const auto& save = std::get<lt::game::save::SaveData>(decoded);
    lt::game::ReplayHooks hooks;
    const auto rebuilt = lt::game::save::rebuild(save.game, save.journal, hooks);
    REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
    CHECK(static_cast<int>(rebuilt.game->match().history().size()) == round);
    CHECK(std::string(lt::game::phase_name(rebuilt.game->phase(), rebuilt.game->paused())) == phase);
  }
}

TEST_CASE("faults: a round forced while paused opens the next one paused, with its whole time to come") {
  TestServer ts;
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 600, kSeed);
  CHECK(error_reply(fac, send_command(fac, wire::Command::Shorten, "", 500)).empty());
  CHECK(error_reply(fac, send_command(fac, wire::Command::Pause)).empty());
  CHECK(error_reply(fac, send_command(fac, wire::Command::Force)).empty());
  flatbuffers::FlatBufferBuilder fbb;
  fac.send(fbb, wire::CreateListGamesDirect(fbb, ""));
  const wire::Envelope* e = fac.read_until(wire::Message::GameList);
  REQUIRE(e != nullptr);
  const wire::GameSummary* s = e->message_as_GameList()->games()->Get(0);
  CHECK(s->round() == 1);
  CHECK(s->phase()->str() == "paused");
  // Not the 100 s the last round had left when it was paused.
  CHECK(s->seconds_left() == 600);
}

TEST_CASE(
    "faults: the store refuses an append that would leave a hole in a game's journal, and sets finished with it") {
  const TempDir dir("leadtime-faults");
  auto opened = store::Store::open((dir.path / "games.db").string());
  REQUIRE(std::holds_alternative<std::unique_ptr<store::Store>>(opened));
  auto& db = *std::get<std::unique_ptr<store::Store>>(opened);
  store::GameRow row;
  row.id = "g1";
  row.bot_paths = {"", ""};
  store::Outcome outcome;
  db.create_game(row, [&](const store::Outcome& o) { outcome = o; });
  db.flush();
  REQUIRE_FALSE(outcome);
  auto entry = [](std::uint64_t seq) { return store::JournalEntry{seq, 0, "message", -1, "{}"}; };
  auto append = [&](std::vector<store::JournalEntry> entries, store::Store::Chain chain) {
    store::Outcome result;
    db.append("g1", std::move(entries), {}, chain, [&](const store::Outcome& o) { result = o; });
    db.flush();
    return result;
  };
  CHECK_FALSE(append({entry(1), entry(2)}, {0, std::nullopt, {}}));
  // Entries 3 and 4 were lost (a failed write): 5 must not follow 2.
  const store::Outcome hole = append({entry(5)}, {4, std::nullopt, {}});
  REQUIRE(hole);
  CHECK(hole->find("follow entry 4 but the journal ends at entry 2") != std::string::npos);
  CHECK(db.journal("g1").size() == 2);
  // Written again from where the journal ends, with the game's end.
  CHECK_FALSE(append({entry(3), entry(4), entry(5)}, {2, true, {}}));
  CHECK(db.journal("g1").size() == 5);
  CHECK(db.game("g1")->finished);
}

TEST_CASE("faults: a game of bots killed at random moments plays out as a headless match, every round once") {
  const TempDir dir("leadtime-faults");
  const auto scenario = default_scenario();
  std::vector<std::string> bots = scenario->default_bots;
  bots.resize(scenario->initial.actors.size());
  const lt::BotMatchResult headless = lt::play_bots(scenario, kSeed, bots);
  REQUIRE_MESSAGE(headless.error.empty(), headless.error);
  std::vector<std::uint64_t> expected;
  for (const auto& r : headless.match->history()) expected.push_back(r.hash);
  // Each round's bots wait 20 ms, so the eight bots play a round about
  // every 20 ms on their own and a kill lands anywhere in a round: while the
  // bots decide, while the round is written, between rounds.
  const std::vector<std::string> slow = {"LEADTIME_TESTING_HOLD_BOTS_MS=20"};
  std::mt19937 rng(static_cast<std::uint32_t>(Clock::now().time_since_epoch().count()));
  for (int kill = 0; kill < 5; ++kill) {
    ServerProcess server(dir.path, {}, slow);
    if (kill == 0) {
      Client fac(server.port());
      fac.welcome();
      create_and_start(fac, {}, 3600, kSeed);
    }
    const int wait_ms = std::uniform_int_distribution<int>(0, 80)(rng);
    CAPTURE(wait_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    server.kill(SIGKILL);
  }
  // The last start plays the game to its end (if the kills left any of it):
  // it is listed until it is finished.
  ServerProcess server(dir.path);
  bool running = true;
  for (int i = 0; i < 500 && running; ++i) {
    Client lister(server.port());
    lister.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    lister.send(fbb, wire::CreateListGamesDirect(fbb, ""));
    const wire::Envelope* e = lister.read_until(wire::Message::GameList);
    REQUIRE(e != nullptr);
    running = false;
    for (const auto* s : *e->message_as_GameList()->games()) running |= s->phase()->str() != "finished";
    if (running) std::this_thread::sleep_for(20ms);
  }
  CHECK_FALSE(running);
  server.kill(SIGTERM);
  auto opened = store::Store::open((dir.path / "games.db").string());
  REQUIRE(std::holds_alternative<std::unique_ptr<store::Store>>(opened));
  auto& db = *std::get<std::unique_ptr<store::Store>>(opened);
  const auto games = db.games(false);
  REQUIRE(games.size() == 1);
  CHECK(games[0].finished);
  CHECK(journal_whole(db, games[0].id));
  std::vector<int> resolved;
  for (const auto& entry : db.journal(games[0].id)) {
    if (entry.kind == "resolved") resolved.push_back(nlohmann::json::parse(entry.payload).value("round", 0));
  }
  CHECK(resolved == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(replayed_from_disk(db, games[0].id) == expected);
}

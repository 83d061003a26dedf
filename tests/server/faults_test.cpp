// Faults, each one a test that fails without the behaviour it proves:
// clients that drop mid-frame, mid-round and while the round resolves; the
// server killed while a round resolves; a full disk while saving; bots that
// hang, crash or eat memory in every phase a served game runs them; and
// facilitator commands that race.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include "batch/headless.h"
#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "game/save/save.h"
#include "server/store/store_testing.h"
#include "tests/server/net_client.h"
#include "tests/server/server_process.h"
#include "tests/server/three_teams.h"

using namespace net_testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSeed = 23;

bool contains(const flatbuffers::String* s, const std::string& part) {
  return s != nullptr && s->str().find(part) != std::string::npos;
}

std::string text_of(const wire::Envelope* e) {
  if (e == nullptr || e->message_type() != wire::Message::Error) return {};
  return e->message_as_Error()->text()->str();
}

// The reply to request `rid` (an Ack, an Error or the request's own answer),
// skipping pushes; null if none comes.
const wire::Envelope* reply_to(Client& c, std::uint32_t rid) {
  for (int i = 0; i < 200; ++i) {
    const wire::Envelope* e = c.read();
    if (e == nullptr) return nullptr;
    if (e->request_id() == rid) return e;
  }
  return nullptr;
}

std::uint32_t send_command(Client& c, wire::Command cmd, const std::string& seat = "", std::uint32_t seconds = 0,
                           const std::string& bot = "", int round = 0) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, cmd, "", seconds, seat.c_str(), "", bot.c_str(), round));
}

std::uint32_t send_orders(Client& c, const std::vector<lt::OrderDraft>& orders) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, proto::build_submit_orders(fbb, orders));
}

std::uint32_t send_ready(Client& c) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, wire::CreateReady(fbb, true));
}

void submit(Client& c, const std::vector<lt::OrderDraft>& orders) {
  const wire::Envelope* e = reply_to(c, send_orders(c, orders));
  REQUIRE(e != nullptr);
  REQUIRE_MESSAGE(e->message_type() == wire::Message::OrdersAccepted, text_of(e));
  CHECK(e->message_as_OrdersAccepted()->rejected()->size() == 0);
}

// Closes the connection with a reset, as a crashed client's system does.
void drop_hard(std::unique_ptr<Client>& c) {
  linger l{1, 0};
  ::setsockopt(c->socket.native_handle(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  c.reset();
}

// Holds every round's bots before they decide until released, so a test
// can act while the round is resolving (ServerOptions::testing_before_bots).
struct BotGate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = true;
  int waiting = 0;
  int passed = 0;

  void close() {
    const std::lock_guard lock(mutex);
    open = false;
  }
  void release() {
    const std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
  void pass() {
    std::unique_lock lock(mutex);
    ++waiting;
    changed.notify_all();
    // Bounded, so a failing test cannot hang the bot pool for ever.
    changed.wait_for(lock, 30s, [this] { return open; });
    --waiting;
    ++passed;
  }
  // True once `n` rounds' bots are held.
  bool held(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return waiting >= n; });
  }
  int rounds_passed() {
    const std::lock_guard lock(mutex);
    return passed;
  }
  std::function<void(const std::string&)> hook() {
    return [this](const std::string&) { pass(); };
  }
};

// Releases the gate before the server (declared before this) goes down.
struct ReleaseOnExit {
  BotGate& gate;
  ~ReleaseOnExit() { gate.release(); }
};

// The seat's orders in a FacilitatorView.
const wire::SeatOrders* seat_orders(const wire::FacilitatorView* fv, const std::string& seat) {
  for (const auto* s : *fv->orders()) {
    if (s->seat()->str() == seat) return s;
  }
  return nullptr;
}

// Reads the facilitator's pushes up to the FacilitatorView after round
// `round`; returns the round's hash and its events' kinds and texts.
struct Seen {
  std::uint64_t hash = 0;
  std::vector<std::string> faults;  // bot_fault texts
  std::size_t seat_orders = 0;      // orders the watched seat played
};
Seen until_view(Client& fac, int round, const std::string& seat) {
  Seen seen;
  bool result = false;
  for (int i = 0; i < 200; ++i) {
    const wire::Envelope* e = fac.read();
    REQUIRE(e != nullptr);
    if (e->message_type() == wire::Message::RoundResult && e->message_as_RoundResult()->round() == round) {
      result = true;
      seen.hash = e->message_as_RoundResult()->hash();
      for (const auto* ev : *e->message_as_RoundResult()->events()) {
        if (ev->kind()->str() == "bot_fault") seen.faults.push_back(ev->text()->str());
      }
    }
    if (result && e->message_type() == wire::Message::FacilitatorView) {
      const wire::SeatOrders* played = seat_orders(e->message_as_FacilitatorView(), seat);
      REQUIRE(played != nullptr);
      seen.seat_orders = played->orders() ? played->orders()->size() : 0;
      return seen;
    }
  }
  FAIL("no result for round " << round);
  return seen;
}

}  // namespace

namespace {

// The hash of round `round` from the RoundResult pushes `c` gets (earlier
// rounds' results, sent on joining, are skipped).
std::uint64_t result_of(Client& c, int round) {
  for (int i = 0; i < 50; ++i) {
    const wire::Envelope* e = c.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    if (e->message_as_RoundResult()->round() == round) return e->message_as_RoundResult()->hash();
  }
  FAIL("no result for round " << round);
  return 0;
}

}  // namespace

// --- Clients that go away -------------------------------------------------

TEST_CASE("faults: a client that drops mid-frame costs nothing; the others play on") {
  TestServer ts;
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0, kSeed);
  auto us = join(port, token_of(g, "us"), "ann");
  const std::vector<lt::OrderDraft> orders = {{"set_smuggling", {{"usd_b", 1.0}}}};
  for (std::size_t cut : {2, 0}) {  // inside the length prefix, inside the payload
    auto cn = join(port, token_of(g, "cn"), "cut");
    flatbuffers::FlatBufferBuilder fbb;
    const std::vector<std::uint8_t> frame = proto::frame_message(fbb, 7, proto::build_submit_orders(fbb, orders));
    cn->send_raw(std::vector<std::uint8_t>(
        frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(cut != 0 ? cut : frame.size() / 2)));
    drop_hard(cn);
  }
  submit(*us, us_orders(0));
  // Nothing of the cut submission exists.
  {
    auto cn = std::make_unique<Client>(port);
    cn->welcome();
    flatbuffers::FlatBufferBuilder fbb;
    cn->send(fbb, wire::CreateJoinDirect(fbb, token_of(g, "cn").c_str(), "check"));
    const wire::Envelope* e = cn->read_until(wire::Message::Joined);
    REQUIRE(e != nullptr);
    CHECK((e->message_as_Joined()->orders() == nullptr || e->message_as_Joined()->orders()->size() == 0));
  }
  command(fac, wire::Command::Force);
  const Seen seen = until_view(fac, 1, "us");
  CHECK(seen.seat_orders == 1);
  REQUIRE(us->read_until(wire::Message::RoundResult) != nullptr);
}

TEST_CASE("faults: a client that drops after submitting keeps its accepted orders") {
  TestServer ts;
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0, kSeed);
  auto eu = join(port, token_of(g, "eu"), "eve");
  // Acknowledged, then the client crashes.
  auto us = join(port, token_of(g, "us"), "ann");
  submit(*us, us_orders(1));
  drop_hard(us);
  // Sent, then the client closes without waiting for the answer: the server
  // reads what arrived before the close and stores it.
  auto cn = join(port, token_of(g, "cn"), "chen");
  send_orders(*cn, {{"set_smuggling", {{"usd_b", 1.5}}}});
  cn->socket.shutdown(tcp::socket::shutdown_send);
  cn.reset();
  bool stored = false;
  for (int i = 0; i < 100 && !stored; ++i) {
    auto check = std::make_unique<Client>(port);
    check->welcome();
    flatbuffers::FlatBufferBuilder fbb;
    check->send(fbb, wire::CreateJoinDirect(fbb, token_of(g, "cn").c_str(), "check"));
    const wire::Envelope* e = check->read_until(wire::Message::Joined);
    REQUIRE(e != nullptr);
    stored = e->message_as_Joined()->orders() != nullptr && e->message_as_Joined()->orders()->size() == 1;
    if (!stored) std::this_thread::sleep_for(20ms);
  }
  CHECK(stored);
  command(fac, wire::Command::Force);
  const wire::Envelope* e = fac.read_until(wire::Message::FacilitatorView);
  REQUIRE(e != nullptr);
  const wire::FacilitatorView* fv = e->message_as_FacilitatorView();
  REQUIRE(seat_orders(fv, "us") != nullptr);
  CHECK(seat_orders(fv, "us")->member()->str() == "ann");
  CHECK(seat_orders(fv, "us")->orders()->size() == 1);
  CHECK(seat_orders(fv, "cn")->member()->str() == "chen");
  CHECK(seat_orders(fv, "cn")->orders()->size() == 1);
  // The others were not disturbed.
  REQUIRE(eu->read_until(wire::Message::RoundResult) != nullptr);
}

TEST_CASE("faults: clients that drop or join while the round resolves; the round resolves once with their orders") {
  BotGate gate;
  lt::server::net::ServerOptions o;
  o.testing_before_bots = gate.hook();
  TestServer ts(o);
  const ReleaseOnExit release{gate};
  const auto port = ts.server->port();
  Client fac(port);
  fac.welcome();
  const Created g = create_and_start(fac, people_except({{"cn", "scripts/bots/cn_shortcut.lua"}}), 0, kSeed);
  auto us = join(port, token_of(g, "us"), "ann");
  auto eu = join(port, token_of(g, "eu"), "eve");
  submit(*us, us_orders(0));
  gate.close();
  command(fac, wire::Command::Force);
  REQUIRE(gate.held(1));
  // While the bots decide: the US client crashes, another US member comes
  // in and finds the team's orders, the EU sends press (answered), and
  // orders are refused naming the phase.
  drop_hard(us);
  auto us2 = join(port, token_of(g, "us"), "bob");
  {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<flatbuffers::String>> all;
    const wire::Envelope* e = reply_to(*eu, eu->send(fbb, wire::CreatePressDirect(fbb, &all, "still here")));
    REQUIRE(e != nullptr);
    CHECK(e->message_type() == wire::Message::Ack);
    e = reply_to(*eu, send_orders(*eu, {{"set_regulation", {{"strictness", 0.3}}}}));
    REQUIRE(e != nullptr);
    CHECK(contains(e->message_as_Error()->text(), "the round is resolving"));
  }
  gate.release();
  const Seen seen = until_view(fac, 1, "us");
  CHECK(seen.seat_orders == 1);  // the dropped client's accepted orders played
  const wire::Envelope* e = us2->read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->round() == 1);
  CHECK(e->message_as_RoundResult()->hash() == seen.hash);
  e = eu->read_until(wire::Message::RoundResult);
  REQUIRE(e != nullptr);
  CHECK(e->message_as_RoundResult()->hash() == seen.hash);
  CHECK(gate.rounds_passed() == 1);
}

// --- The server killed while a round resolves ------------------------------

namespace {

// Every team orders for `round` and says ready; returns once every Ready
// is acknowledged (so on disk, with the "resolving" line the last one made).
void order_and_ready(std::map<std::string, std::unique_ptr<Client>>& team, int round) {
  for (const std::string& seat : kThreeTeams) submit(*team[seat], three_team_orders(seat, round));
  for (const std::string& seat : kThreeTeams) {
    const wire::Envelope* e = reply_to(*team[seat], send_ready(*team[seat]));
    REQUIRE(e != nullptr);
    REQUIRE_MESSAGE(e->message_type() == wire::Message::Ack, text_of(e));
  }
}

std::map<std::string, std::unique_ptr<Client>> join_team(std::uint16_t port, const Created& g) {
  std::map<std::string, std::unique_ptr<Client>> team;
  for (const std::string& seat : kThreeTeams) team[seat] = join(port, token_of(g, seat), seat);
  return team;
}

// The round results a facilitator gets on joining, up to its view.
std::vector<std::uint64_t> history_on_join(std::uint16_t port, const std::string& token) {
  Client c(port);
  c.welcome();
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, wire::CreateJoinDirect(fbb, token.c_str(), "check"));
  std::vector<std::uint64_t> out;
  for (const wire::Envelope* e = c.read(); e != nullptr && e->message_type() != wire::Message::FacilitatorView;
       e = c.read()) {
    REQUIRE_MESSAGE(e->message_type() != wire::Message::Error, text_of(e));
    if (e->message_type() == wire::Message::RoundResult) out.push_back(e->message_as_RoundResult()->hash());
  }
  return out;
}

}  // namespace

TEST_CASE("faults: the server killed while a round resolves comes back with no half round, as a headless run") {
  const TempDir dir("leadtime-faults");
  const std::vector<std::uint64_t> expected = three_teams_headless(4, kSeed);
  Created g;
  {
    ServerProcess server(dir.path);
    Client fac(server.port());
    fac.welcome();
    // Three teams; the scenario's default bots play the other five seats.
    g = create_and_start(fac, {{"us", "none"}, {"cn", "none"}, {"eu", "none"}}, 3600, kSeed);
    REQUIRE(g.tokens.size() == 3);
    auto team = join_team(server.port(), g);
    order_and_ready(team, 0);
    const wire::Envelope* e = fac.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_RoundResult()->hash() == expected[0]);
    // The result goes out before the round is stored (issue #21 makes the
    // server store, then show); a facilitator's press is acknowledged only
    // once it and everything before it are on disk, so after its Ack the
    // kill cannot take round 1 back.
    flatbuffers::FlatBufferBuilder press;
    const auto asked = fac.send(press, wire::CreatePressDirect(press, nullptr, "round 1 is in"));
    const wire::Envelope* ack = reply_to(fac, asked);
    REQUIRE(ack != nullptr);
    REQUIRE(ack->message_type() == wire::Message::Ack);
    server.kill(SIGKILL);
  }
  // Restarted with every round's bots held: round 2 falls due and stays in
  // "resolving" until the server is killed.
  {
    ServerProcess server(dir.path, {}, {"LEADTIME_TESTING_HOLD_BOTS_MS=600000"});
    Client fac(server.port());
    fac.welcome();
    {
      flatbuffers::FlatBufferBuilder fbb;
      fac.send(fbb, wire::CreateJoinDirect(fbb, g.facilitator_token.c_str(), "fac"));
      REQUIRE(fac.read_until(wire::Message::Joined) != nullptr);
    }
    auto team = join_team(server.port(), g);
    order_and_ready(team, 1);
    bool resolving = false;
    for (int i = 0; i < 50 && !resolving; ++i) {
      const wire::Envelope* e = fac.read_until(wire::Message::GameSummary);
      REQUIRE(e != nullptr);
      resolving = e->message_as_GameSummary()->phase()->str() == "resolving";
    }
    REQUIRE(resolving);
    server.kill(SIGKILL);
  }
  // Once more, killed while the recovered round resolves again.
  {
    ServerProcess server(dir.path, {}, {"LEADTIME_TESTING_HOLD_BOTS_MS=600000"});
    Client fac(server.port());
    fac.welcome();
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateJoinDirect(fbb, g.facilitator_token.c_str(), "fac"));
    const wire::Envelope* e = fac.read_until(wire::Message::GameSummary);
    REQUIRE(e != nullptr);
    CHECK(e->message_as_GameSummary()->round() == 1);
    CHECK(e->message_as_GameSummary()->phase()->str() == "resolving");
    server.kill(SIGKILL);
  }
  // Without the hold the round resolves on start, once, as headless.
  ServerProcess server(dir.path);
  Client fac(server.port());
  fac.welcome();
  {
    flatbuffers::FlatBufferBuilder fbb;
    fac.send(fbb, wire::CreateJoinDirect(fbb, g.facilitator_token.c_str(), "fac"));
    REQUIRE(fac.read_until(wire::Message::Joined) != nullptr);
  }
  std::vector<std::uint64_t> served;
  for (int i = 0; i < 100 && served.size() < 2; ++i) {
    served = history_on_join(server.port(), g.facilitator_token);
    if (served.size() < 2) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(served.size() == 2);
  auto team = join_team(server.port(), g);
  for (int r = 2; r < 4; ++r) {
    order_and_ready(team, r);
    served.push_back(result_of(fac, r + 1));
  }
  CHECK(served == expected);
  // The journal on disk has each round resolved once and replays cleanly.
  server.kill(SIGTERM);
  auto opened = lt::server::store::Store::open((dir.path / "games.db").string());
  REQUIRE(std::holds_alternative<std::unique_ptr<lt::server::store::Store>>(opened));
  auto& store = *std::get<std::unique_ptr<lt::server::store::Store>>(opened);
  std::vector<int> resolved;
  for (const auto& entry : store.journal(g.game_id)) {
    if (entry.kind == "resolved") resolved.push_back(nlohmann::json::parse(entry.payload).value("round", 0));
  }
  CHECK(resolved == std::vector<int>{1, 2, 3, 4});
  const auto row = store.game(g.game_id);
  REQUIRE(row);
  lt::game::ReplayHooks hooks;
  const auto rebuilt = lt::game::save::rebuild(*row, store.journal(g.game_id), hooks);
  CHECK_MESSAGE(rebuilt.error.empty(), rebuilt.error);
}

// --- A full disk while saving ----------------------------------------------

namespace {

namespace store = lt::server::store;

// The rounds a game's records on disk replay to (the journal must replay
// cleanly, every round's hash checked against the recorded one).
std::vector<std::uint64_t> replayed_from_disk(store::Store& db, const std::string& game_id) {
  const auto row = db.game(game_id);
  REQUIRE(row);
  lt::game::ReplayHooks hooks;
  const auto rebuilt = lt::game::save::rebuild(*row, db.journal(game_id), hooks);
  REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
  std::vector<std::uint64_t> out;
  for (const auto& r : rebuilt.game->match().history()) out.push_back(r.hash);
  return out;
}

// Every seq from 1 up, with no hole.
bool journal_whole(store::Store& db, const std::string& game_id) {
  std::uint64_t expected = 1;
  for (const auto& e : db.journal(game_id)) {
    if (e.seq != expected++) return false;
  }
  return true;
}

// The error a request got, or "" if it was answered otherwise.
std::string error_reply(Client& c, std::uint32_t rid) {
  const wire::Envelope* e = reply_to(c, rid);
  REQUIRE(e != nullptr);
  return text_of(e);
}

void disk_full(store::Store& db) {
  // SQLite keeps the database at most this many pages: no more than now,
  // so anything that needs a new page fails with SQLITE_FULL, as a full
  // disk does.
  REQUIRE_FALSE(store::StoreTesting::exec_on_writer(db, "PRAGMA max_page_count = 1"));
}

void disk_freed(store::Store& db) {
  REQUIRE_FALSE(store::StoreTesting::exec_on_writer(db, "PRAGMA max_page_count = 1073741823"));
}

}  // namespace

TEST_CASE("faults: a full disk while saving: a clear error, the game plays on from memory, nothing half written") {
  const TempDir dir("leadtime-faults");
  const std::string db_path = (dir.path / "games.db").string();
  lt::server::net::ServerOptions o;
  o.db_path = db_path;
  o.save_retry = 3600s;  // here only changes try again; the next test has the timer
  Created g;
  std::vector<std::uint64_t> live;
  {
    TestServer ts(o);
    const auto port = ts.server->port();
    store::Store& db = *ts.server->lobby().store();
    Client fac(port);
    fac.welcome();
    g = create_and_start(fac, people_except(), 0, kSeed);
    auto us = join(port, token_of(g, "us"), "ann");
    submit(*us, us_orders(0));
    REQUIRE(reply_to(fac, send_command(fac, wire::Command::Force)) != nullptr);
    live.push_back(result_of(*us, 1));

    disk_full(db);
    // Round 2 resolves in memory; its record does not fit. The Force is
    // answered with the storage error, and the facilitator is told once.
    const std::uint32_t force = send_command(fac, wire::Command::Force);
    std::string answer;
    std::string told;
    for (int i = 0; i < 200 && (answer.empty() || told.empty()); ++i) {
      const wire::Envelope* e = fac.read();
      REQUIRE(e != nullptr);
      REQUIRE(e->message_type() != wire::Message::Ack);
      if (e->message_type() != wire::Message::Error) continue;
      (e->request_id() == force ? answer : told) = text_of(e);
    }
    INFO(answer);
    INFO(told);
    CHECK(answer.find("not saved: " + db_path + ": database or disk is full") == 0);
    CHECK(told.find("game " + g.game_id + " could not be saved: " + db_path + ": database or disk is full") == 0);
    CHECK(told.find("The game goes on from memory") != std::string::npos);
    live.push_back(result_of(*us, 2));
    // The game plays on: orders are taken (and answered with the storage
    // error, never left hanging), and round 3 resolves.
    CHECK(error_reply(*us, send_orders(*us, us_orders(2))).find("not saved: " + db_path) == 0);
    CHECK(error_reply(fac, send_command(fac, wire::Command::Force)).find("not saved: ") == 0);
    live.push_back(result_of(*us, 3));
    // Nothing half written: the database holds the game as it was before
    // the disk filled, and it replays cleanly.
    CHECK(replayed_from_disk(db, g.game_id) == std::vector<std::uint64_t>{live[0]});
    CHECK(journal_whole(db, g.game_id));
    CHECK(db.rounds(g.game_id).size() == 1);
    // Export still gives the whole game, from memory.
    {
      const std::uint32_t rid = send_command(fac, wire::Command::Export);
      const wire::Envelope* e = reply_to(fac, rid);
      REQUIRE(e != nullptr);
      REQUIRE(e->message_type() == wire::Message::SaveFile);
      const auto* data = e->message_as_SaveFile()->data();
      auto decoded = lt::game::save::decode(std::span<const std::uint8_t>(data->data(), data->size()));
      REQUIRE(std::holds_alternative<lt::game::save::SaveData>(decoded));
      const auto& save = std::get<lt::game::save::SaveData>(decoded);
      lt::game::ReplayHooks hooks;
      const auto rebuilt = lt::game::save::rebuild(save.game, save.journal, hooks);
      REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
      CHECK(rebuilt.game->match().history().size() == 3);
    }
    // A game cannot be created while the disk is full, and is not left
    // half made: the server does not list it.
    {
      Client other(port);
      other.welcome();
      flatbuffers::FlatBufferBuilder fbb;
      std::vector<flatbuffers::Offset<wire::SeatBot>> none;
      const std::string text =
          error_reply(other, other.send(fbb, wire::CreateCreateGameDirect(fbb, "", 3, 0, &none, "")));
      CHECK(text.find("CreateGame: the game could not be stored (" + db_path + ": database or disk is full)") == 0);
      flatbuffers::FlatBufferBuilder list;
      other.send(list, wire::CreateListGamesDirect(list, ""));
      const wire::Envelope* e = other.read_until(wire::Message::GameList);
      REQUIRE(e != nullptr);
      CHECK(e->message_as_GameList()->games()->size() == 1);
    }
    // Space comes back: the next change writes everything missed, in order,
    // and is acknowledged.
    disk_freed(db);
    const wire::Envelope* e = reply_to(*us, send_ready(*us));
    REQUIRE(e != nullptr);
    CHECK_MESSAGE(e->message_type() == wire::Message::Ack, text_of(e));
    CHECK(replayed_from_disk(db, g.game_id) == live);
    CHECK(journal_whole(db, g.game_id));
    CHECK(db.rounds(g.game_id).size() == 3);
  }
  // A restart finds the game where it was.
  TestServer ts(o);
  CHECK(ts.server->recovered() == 1);
  CHECK(history_on_join(ts.server->port(), g.facilitator_token) == live);
}

TEST_CASE("faults: after a full disk the game saves itself again on its own once space returns") {
  const TempDir dir("leadtime-faults");
  lt::server::net::ServerOptions o;
  o.db_path = (dir.path / "games.db").string();
  o.save_retry = 20ms;
  TestServer ts(o);
  store::Store& db = *ts.server->lobby().store();
  Client fac(ts.server->port());
  fac.welcome();
  const Created g = create_and_start(fac, people_except(), 0, kSeed);
  disk_full(db);
  const std::uint32_t force = send_command(fac, wire::Command::Force);
  const std::uint64_t hash = result_of(fac, 1);  // pushed at once, before the reply
  CHECK(error_reply(fac, force).find("not saved: ") == 0);
  // The retries fail while the disk stays full, and leave no trace.
  std::this_thread::sleep_for(100ms);
  CHECK(replayed_from_disk(db, g.game_id).empty());
  CHECK(journal_whole(db, g.game_id));
  disk_freed(db);
  // No client does anything: the retry timer saves it (bounded wait).
  bool saved = false;
  for (int i = 0; i < 500 && !saved; ++i) {
    saved = db.rounds(g.game_id).size() == 1;
    if (!saved) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(saved);
  CHECK(replayed_from_disk(db, g.game_id) == std::vector<std::uint64_t>{hash});
  CHECK(journal_whole(db, g.game_id));
  // And later changes are acknowledged as before.
  CHECK(error_reply(fac, send_command(fac, wire::Command::Pause)).empty());
}

// --- Bots that hang, crash or eat memory ------------------------------------

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
  CHECK_FALSE(append({entry(1), entry(2)}, {0, std::nullopt}));
  // Entries 3 and 4 were lost (a failed write): 5 must not follow 2.
  const store::Outcome hole = append({entry(5)}, {4, std::nullopt});
  REQUIRE(hole);
  CHECK(hole->find("follow entry 4 but the journal ends at entry 2") != std::string::npos);
  CHECK(db.journal("g1").size() == 2);
  // Written again from where the journal ends, with the game's end.
  CHECK_FALSE(append({entry(3), entry(4), entry(5)}, {2, true}));
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

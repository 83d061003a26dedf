// Journals written before the typed journal still load: a save file and a
// store database written by the code of 2026-12 (every kind of change, a
// bot seat's orders and notes, a rollback, a kick and the end) are kept
// under tests/data/golden and must replay to the hashes they recorded.
// LEADTIME_WRITE_GOLDEN=1 writes them again (only when the stored form of
// the journal changes on purpose, and then with a new format version).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/events.h"
#include "engine/hash.h"
#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "server/store/store.h"

namespace lt = leadtime;
namespace gm = leadtime::game;
namespace save = leadtime::game::save;
namespace store = leadtime::server::store;
using namespace std::chrono_literals;

namespace {

const std::string kSave = "tests/data/golden/journal_v1.save";
const std::string kDatabase = "tests/data/golden/journal_v1.db";
const gm::TimePoint t0 = gm::TimePoint{} + 1'790'000'000s;  // 2026-09

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::int64_t wall(gm::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

lt::OrderDraft tier(int t) { return {"set_export_tier", {{"target", std::string("CN")}, {"tier", double(t)}}}; }

// China's seat is a bot whose orders the host hands in (as the server's
// bot pool does), so the journal has "resolving" lines and bots' orders.
gm::BotOrders china_bot(const gm::Game& g) {
  const lt::State& state = g.match().state();
  gm::BotOrders out;
  out.orders.resize(state.actors.size());
  out.orders[1] = lt::validate_orders(state, 1, {{"set_smuggling", {{"usd_b", 0.5 + state.round}}}}).orders;
  out.notes.push_back(lt::private_note(state, 1, "bot_fault", "bot cn_golden.lua (seat cn): a fault note"));
  return out;
}

save::SaveData golden_game() {
  const std::string path = "scenarios/2028.lua";
  auto loaded = lt::load_scenario_source(text_of(path), path);
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  gm::GameOptions o;
  o.seed = 2026;
  o.deadline = 600s;
  o.bot_seats.assign(8, false);
  o.bot_seats[1] = true;
  o.bot_paths.assign(8, "");
  o.bot_paths[1] = "scripts/bots/cn_shortcut.lua";
  gm::Game g("g4", std::make_shared<const lt::Scenario>(std::move(*loaded.scenario)), o, nullptr);
  (void)g.issue_tokens();
  save::SaveData d;
  g.on_round([&d](const lt::Match& match) {
    const lt::RoundRecord& rec = match.history().back();
    d.rounds.push_back({rec.round + 1, rec.quarter.str(), rec.hash, save::snapshot(match)});
  });
  const auto resolve = [&](gm::TimePoint t) {
    REQUIRE(g.phase() == gm::Phase::Resolving);
    g.complete_round(china_bot(g), t);
  };
  REQUIRE_FALSE(g.start(t0));
  (void)g.submit(0, "ann", {tier(1)}, t0 + 5s);
  (void)g.submit(2, "eve", {{"set_regulation", {{"strictness", 0.4}}}}, t0 + 6s);
  REQUIRE_FALSE(g.send(0, {2}, "align on KYC?"));
  REQUIRE_FALSE(g.send(lt::kNoActor, {}, "ten minutes left"));
  REQUIRE_FALSE(g.pause(t0 + 10s));
  REQUIRE_FALSE(g.move_deadline(120s, t0 + 11s));
  REQUIRE_FALSE(g.resume(t0 + 12s));
  REQUIRE_FALSE(g.move_deadline(-30s, t0 + 13s));
  lt::Inject inject;
  inject.event_id = "gulf_hubs";
  REQUIRE_FALSE(g.inject(inject));
  REQUIRE_FALSE(g.set_ready(0, true, t0 + 14s));
  REQUIRE_FALSE(g.set_ready(0, false, t0 + 15s));
  REQUIRE_FALSE(g.force(t0 + 20s));  // round 1
  resolve(t0 + 21s);
  (void)g.submit(0, "bob", {tier(2)}, t0 + 30s);
  g.tick(t0 + 2000s);  // round 2 at its deadline
  resolve(t0 + 2001s);
  REQUIRE_FALSE(g.swap(3, true, "scripts/bots/vendor_revenue.lua", t0 + 2002s));
  REQUIRE_FALSE(g.kick(2));
  REQUIRE_FALSE(g.force(t0 + 2003s));  // round 3
  resolve(t0 + 2004s);
  REQUIRE_FALSE(g.rollback(t0 + 2005s));  // back to after round 2
  REQUIRE_FALSE(g.swap(3, false, "", t0 + 2006s));
  REQUIRE_FALSE(g.force(t0 + 2007s));  // round 3 again
  resolve(t0 + 2008s);
  REQUIRE_FALSE(g.end());
  d.game = save::row_of(g, path, text_of(path), wall(t0));
  for (const gm::Change& c : g.changes()) d.journal.push_back(save::entry_of(c, wall));
  return d;
}

void write_golden() {
  const save::SaveData d = golden_game();
  save::SaveData shared = d;
  shared.game.facilitator_token_hash.clear();
  shared.game.observer_token_hash.clear();
  shared.game.seat_token_hashes.clear();
  REQUIRE(save::write_file(kSave, save::encode(shared)).empty());
  std::filesystem::remove(kDatabase);
  {
    auto opened = store::Store::open(kDatabase);
    REQUIRE(std::holds_alternative<std::unique_ptr<store::Store>>(opened));
    auto& db = *std::get<std::unique_ptr<store::Store>>(opened);
    db.create_game(d.game, [](const store::Outcome& o) { REQUIRE_FALSE(o); });
    db.append(d.game.id, d.journal, d.rounds, [](const store::Outcome& o) { REQUIRE_FALSE(o); });
    db.flush();
  }
  std::filesystem::remove(kDatabase + "-wal");
  std::filesystem::remove(kDatabase + "-shm");
}

// Replays a recorded journal and checks every round against the records.
void check_replays(const store::GameRow& row, const std::vector<store::JournalEntry>& journal,
                   const std::vector<store::RoundRow>& rounds) {
  const save::Rebuilt rebuilt = save::rebuild(row, journal);
  REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
  CHECK(rebuilt.first_mismatch == -1);
  const gm::Game& g = *rebuilt.game;
  REQUIRE(g.match().history().size() == 3);
  std::map<int, std::uint64_t> recorded_hashes;  // a round played again after a rollback: its last record
  for (const store::RoundRow& r : rounds) recorded_hashes[r.round] = r.hash;
  REQUIRE(recorded_hashes.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(g.match().history()[i].hash == recorded_hashes.at(static_cast<int>(i) + 1));
  CHECK(g.phase() == gm::Phase::Finished);
  CHECK_FALSE(g.is_bot(3));  // swapped to a bot and back
  CHECK(g.messages().size() == 2);
  // The journal written again from the replayed game is the recorded one,
  // line for line (times aside: a replay keeps its own clock).
  std::vector<std::string> recorded;
  for (const store::JournalEntry& e : journal) {
    if (e.kind != "resolving") recorded.push_back(e.kind + " " + std::to_string(e.seat) + " " + e.payload);
  }
  std::vector<std::string> again;
  for (const gm::Change& c : g.changes()) {
    const store::JournalEntry e = save::entry_of(c, wall);
    if (e.kind != "resolving") again.push_back(e.kind + " " + std::to_string(e.seat) + " " + e.payload);
  }
  CHECK(again == recorded);
}

}  // namespace

TEST_CASE("golden journal: a save file written before the typed journal replays to its recorded hashes") {
  if (std::getenv("LEADTIME_WRITE_GOLDEN") != nullptr) write_golden();
  auto bytes = save::read_file(kSave);
  REQUIRE(std::holds_alternative<std::vector<std::uint8_t>>(bytes));
  auto decoded = save::decode(std::get<std::vector<std::uint8_t>>(bytes));
  REQUIRE(std::holds_alternative<save::SaveData>(decoded));
  const save::SaveData& d = std::get<save::SaveData>(decoded);
  std::vector<std::string> kinds;
  for (const store::JournalEntry& e : d.journal) kinds.push_back(e.kind);
  for (const char* kind :
       {"started", "submitted", "ready", "message", "paused", "resumed", "deadline", "injected", "forced", "resolving",
        "resolved", "deadline_passed", "swapped", "kicked", "rolled_back", "ended"}) {
    CHECK_MESSAGE(std::find(kinds.begin(), kinds.end(), kind) != kinds.end(), kind);
  }
  check_replays(d.game, d.journal, d.rounds);
}

TEST_CASE("golden journal: a store database written before the typed journal replays to its recorded hashes") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "leadtime-golden-journal";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string copy = (dir / "journal_v1.db").string();
  std::filesystem::copy_file(kDatabase, copy);
  {
    auto opened = store::Store::open(copy);
    REQUIRE(std::holds_alternative<std::unique_ptr<store::Store>>(opened));
    const auto& db = *std::get<std::unique_ptr<store::Store>>(opened);
    const auto row = db.game("g4");
    REQUIRE(row.has_value());
    CHECK(row->bot_paths.at(1) == "scripts/bots/cn_shortcut.lua");
    check_replays(*row, db.journal("g4"), db.rounds("g4"));
  }
  std::filesystem::remove_all(dir);
}

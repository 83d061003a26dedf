// Save files: a game exported, read back and replayed gives the same hashes;
// a truncated, tampered, foreign or newer file is refused naming what
// failed; an edited journal with a recomputed checksum is caught by replay.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/hash.h"
#include "game/save/restore.h"
#include "tests/calibration/lines.h"

namespace lt = leadtime;
namespace srv = leadtime::game;
namespace save = leadtime::game::save;
using namespace std::chrono_literals;

namespace {

const srv::TimePoint t0 = srv::TimePoint{} + 5000s;

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::int64_t wall(srv::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A game three rounds in, with its records as the server keeps them.
save::SaveData played() {
  srv::GameOptions o;
  o.seed = 99;
  o.deadline = 300s;
  o.bot_seats.assign(8, false);
  srv::Game g("g7", lt::testing::default_scenario(), o, nullptr);
  (void)g.issue_tokens();
  REQUIRE_FALSE(g.start(t0));
  save::SaveData d;
  for (int r = 0; r < 3; ++r) {
    const lt::OrderDraft tier{"set_export_tier", {{"target", std::string("CN")}, {"tier", double(r)}}};
    (void)g.submit(0, "ann", {tier}, t0 + std::chrono::seconds(10 * r + 1));
    REQUIRE_FALSE(g.send(0, {1}, "round " + std::to_string(r)));
    REQUIRE_FALSE(g.force(t0 + std::chrono::seconds(10 * r + 2)));
    const lt::RoundRecord& rec = g.match().history().back();
    d.rounds.push_back({rec.round + 1, rec.quarter.str(), rec.hash, save::snapshot(g.match())});
  }
  d.game = save::row_of(g, "scenarios/2028.lua", file_text("scenarios/2028.lua"), 1234);
  for (const srv::Change& c : g.changes()) d.journal.push_back(save::entry_of(c, wall));
  return d;
}

}  // namespace

TEST_CASE("save: export, import and replay give the same hashes") {
  const save::SaveData d = played();
  const std::vector<std::uint8_t> file = save::encode(d);
  auto decoded = save::decode(file);
  REQUIRE_MESSAGE(std::holds_alternative<save::SaveData>(decoded), std::get<std::string>(decoded));
  const save::SaveData& back = std::get<save::SaveData>(decoded);
  CHECK(back.game.id == "g7");
  CHECK(back.game.seed == 99);
  CHECK(back.game.deadline_s == 300);
  CHECK(back.journal.size() == d.journal.size());
  REQUIRE(back.rounds.size() == 3);
  save::Rebuilt rebuilt = save::rebuild(back.game, back.journal);
  REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
  REQUIRE(rebuilt.game->match().history().size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(rebuilt.game->match().history()[i].hash == back.rounds[i].hash);
  CHECK(rebuilt.game->messages().size() == 3);
  // Save files carry no token hashes: an imported game gets new tokens.
  CHECK(back.game.seat_token_hashes.empty());
  CHECK(rebuilt.game->issue_tokens().seats.size() == 8);
}

TEST_CASE("save: truncated, tampered, foreign and newer files are refused naming what failed") {
  const std::vector<std::uint8_t> file = save::encode(played());
  auto error_of = [](std::span<const std::uint8_t> bytes) {
    auto r = save::decode(bytes);
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
  };
  CHECK(error_of(std::span(file).first(20)).find("truncated") == 0);
  CHECK(error_of(std::span(file).first(file.size() - 1)).find("truncated: the header says") == 0);
  std::vector<std::uint8_t> tampered = file;
  tampered[tampered.size() / 2] ^= 0x01;
  CHECK(error_of(tampered).find("checksum mismatch") == 0);
  std::vector<std::uint8_t> foreign = file;
  foreign[0] = 'X';
  CHECK(error_of(foreign) == "not a Leadtime save file");
  std::vector<std::uint8_t> newer = file;
  newer[8] = 9;
  CHECK(error_of(newer) == "format version 9 is newer than this build reads (1); upgrade Leadtime");
  std::vector<std::uint8_t> older = file;
  older[8] = 0;
  CHECK(error_of(older) == "format version 0 is older than this build reads (1 to 1)");
}

TEST_CASE("save: an edited journal with a fresh checksum is caught by replay at its round") {
  save::SaveData d = played();
  int submissions = 0;
  for (auto& e : d.journal) {
    if (e.kind == "submitted" && ++submissions == 2) {
      auto args = nlohmann::json::parse(e.payload);
      args["orders"][0]["args"][1] = 3.0;  // a different tier in round 2
      e.payload = args.dump();
    }
  }
  auto decoded = save::decode(save::encode(d));
  REQUIRE(std::holds_alternative<save::SaveData>(decoded));
  const save::Rebuilt rebuilt =
      save::rebuild(std::get<save::SaveData>(decoded).game, std::get<save::SaveData>(decoded).journal);
  CHECK(rebuilt.first_mismatch == 2);
  CHECK(rebuilt.error.find("round 2 differs") != std::string::npos);
}

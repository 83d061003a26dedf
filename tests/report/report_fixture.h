#pragma once

// A known game for the report tests, played through the server's own Game
// with a fixed seed and saved with game/save exactly as the server saves
// it: two person seats (members named with characters HTML must escape),
// six seats played by the scenario's Lua bots (one of which fails once),
// an inject, a seat swap, press with markup in it; and a branch of it after
// round 3 that opens US chip exports instead.
#include <doctest/doctest.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "engine/lua/bot.h"
#include "game/save/restore.h"
#include "tests/calibration/lines.h"
#include "tests/game/fixed_bots.h"
#include "tests/support/temp_dir.h"

namespace leadtime::testing {

namespace srv = leadtime::game;
namespace save = leadtime::game::save;
namespace store = leadtime::server::store;

inline constexpr const char* kUsMember = "Ann <b>Lee</b>";
inline constexpr const char* kCnMember = "Wei & \"Co\"";
inline constexpr const char* kPress = "<script>alert('pwned')</script> meet at 'noon' & bring \"charts\"";
inline constexpr const char* kFaultText = "deliberate fault for the report test";
inline constexpr int kBranchRound = 3;

using leadtime::testing::TempDir;

inline std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct KnownGame {
  save::SaveData parent;  // g1: the whole game
  save::SaveData branch;  // g2: g1's first kBranchRound rounds, then another line
  std::vector<RoundRecord> parent_rounds;
  std::vector<RoundRecord> branch_rounds;
  std::vector<double> parent_scores;
  std::vector<std::string> bot_paths;  // per seat at the start ("" = people)
};

namespace detail {

using namespace std::chrono_literals;

inline std::int64_t wall(srv::TimePoint t) {
  return 1'700'000'000'000 + std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline OrderDraft order(std::string action, std::vector<std::pair<std::string, ArgValue>> args) {
  return {std::move(action), std::move(args)};
}

// Lua bots by seat, loaded from the seat's current bot path; eu_lab's bot
// fails in round 2 so the report has a bot fault.
class Bots {
 public:
  explicit Bots(std::shared_ptr<const Scenario> scenario) : scenario_(std::move(scenario)) {}
  srv::Game::BotPlayer player(const srv::Game* const* game) {
    return fixed_bots([this, game](int seat, const View& view,
                                   const State& state) -> std::variant<std::vector<OrderDraft>, std::string> {
      if (state.actors[static_cast<std::size_t>(seat)].id == "eu_lab" && state.round == 1) return kFaultText;
      const std::string& path = (*game)->bot_path(seat);
      auto& slot = bots_[{seat, path}];
      if (!slot) {
        auto loaded = lua::Bot::load(path, *scenario_, seat, 42);
        if (auto* error = std::get_if<std::string>(&loaded)) return *error;
        slot = std::make_unique<lua::Bot>(std::get<lua::Bot>(std::move(loaded)));
      }
      return slot->decide(view, state);
    });
  }

 private:
  std::shared_ptr<const Scenario> scenario_;
  std::map<std::pair<int, std::string>, std::unique_ptr<lua::Bot>> bots_;
};

inline void record_rounds(srv::Game& g, std::vector<store::RoundRow>& rounds) {
  g.on_round([&rounds](const Match& m) {
    const RoundRecord& r = m.history().back();
    rounds.push_back({r.round + 1, r.quarter.str(), r.hash, save::snapshot(m)});
  });
}

inline save::SaveData save_of(const srv::Game& g, std::vector<store::RoundRow> rounds, const std::string& parent_id,
                              int branch_round) {
  save::SaveData d;
  d.game = save::row_of(g, "scenarios/2028.lua", save::read_text("scenarios/2028.lua"), wall(srv::TimePoint{}));
  d.game.parent_id = parent_id;
  d.game.branch_round = branch_round;
  d.game.facilitator_token_hash.clear();
  d.game.observer_token_hash.clear();
  d.game.seat_token_hashes.clear();
  for (const srv::Change& c : g.changes()) d.journal.push_back(save::entry_of(c, wall));
  d.rounds = std::move(rounds);
  return d;
}

// The journal up to round `round`'s resolution, as the server cuts it for a branch.
inline std::vector<store::JournalEntry> journal_until(const save::SaveData& parent, int round) {
  std::size_t cut = 0;
  for (std::size_t i = 0; i < parent.journal.size(); ++i) {
    const store::JournalEntry& e = parent.journal[i];
    if (e.kind == "resolved" && nlohmann::json::parse(e.payload).value("round", 0) == round) cut = i;
  }
  REQUIRE(cut > 0);
  return {parent.journal.begin(), parent.journal.begin() + static_cast<std::ptrdiff_t>(cut) + 1};
}

inline void people_play(srv::Game& g, int us, int cn, int round, srv::TimePoint t, int us_tier) {
  const std::vector<OrderDraft> us_orders = {
      order("set_export_tier", {{"target", std::string("CN")}, {"tier", double(us_tier)}}),
      order("set_enforcement", {{"usd_b", 1.0 + round}})};
  const std::vector<OrderDraft> cn_orders = {
      order("set_smuggling", {{"usd_b", 8.0}}),
      order("set_cyber_operations", {{"usd_b", 4.0}, {"target", std::string("us_lab")}})};
  for (const auto& [seat, member, orders] :
       {std::tuple{us, kUsMember, &us_orders}, std::tuple{cn, kCnMember, &cn_orders}}) {
    auto submitted = g.submit(seat, member, *orders, t);
    REQUIRE(std::holds_alternative<ValidatedOrders>(submitted));
    REQUIRE(std::get<ValidatedOrders>(submitted).errors.empty());
  }
  REQUIRE_FALSE(g.set_ready(us, true, t));
  REQUIRE_FALSE(g.set_ready(cn, true, t));
}

}  // namespace detail

inline const KnownGame& known_game() {
  using namespace std::chrono_literals;
  static const KnownGame known = [] {
    KnownGame k;
    const auto scenario = default_scenario();
    const State& s0 = scenario->initial;
    const int us = s0.find_actor("us");
    const int cn = s0.find_actor("cn");
    const int eu = s0.find_actor("eu");
    srv::GameOptions o;
    o.seed = 2028;
    o.deadline = 600s;
    for (std::size_t i = 0; i < s0.actors.size(); ++i) {
      const bool person = static_cast<int>(i) == us || static_cast<int>(i) == cn;
      o.bot_seats.push_back(!person);
      o.bot_paths.push_back(person ? "" : scenario->default_bots[i]);
    }
    k.bot_paths = o.bot_paths;
    detail::Bots bots(scenario);
    const srv::Game* game_ptr = nullptr;
    srv::Game g("g1", scenario, o, bots.player(&game_ptr));
    game_ptr = &g;
    std::vector<store::RoundRow> rounds;
    detail::record_rounds(g, rounds);
    srv::TimePoint t = srv::TimePoint{} + 1000s;
    REQUIRE_FALSE(g.start(t));
    REQUIRE_FALSE(g.send(kNoActor, {}, "Welcome, teams: round 1 is open"));
    for (int r = 1; r <= scenario->rounds; ++r) {
      t += 60s;
      if (r == 2) REQUIRE_FALSE(g.send(us, {cn}, kPress));
      if (r == 3) REQUIRE_FALSE(g.inject(Inject{"euv_breakthrough", {}}));
      if (r == 4) REQUIRE_FALSE(g.swap(eu, true, "scripts/bots/eu_aligner.lua", t));
      detail::people_play(g, us, cn, r, t, 0);
    }
    REQUIRE(g.phase() == srv::Phase::Finished);
    k.parent = detail::save_of(g, std::move(rounds), "", -1);
    k.parent_rounds = g.match().history();
    k.parent_scores = g.match().state().outcomes.scores;

    // The branch: the server's cut of the journal, rebuilt, then played on
    // with US chips open to China; its bots keep their standing orders.
    store::GameRow row = k.parent.game;
    row.id = "g2";
    auto rebuilt = save::rebuild(row, detail::journal_until(k.parent, kBranchRound));
    REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
    srv::Game& b = *rebuilt.game;
    std::vector<store::RoundRow> branch_rounds;
    for (const store::RoundRow& rr : k.parent.rounds) {
      if (rr.round <= kBranchRound) branch_rounds.push_back(rr);
    }
    detail::record_rounds(b, branch_rounds);
    for (int r = kBranchRound + 1; r <= scenario->rounds; ++r) {
      t += 60s;
      detail::people_play(b, us, cn, r, t, 3);
      REQUIRE(b.phase() == srv::Phase::Resolving);
      b.complete_round({}, t);
    }
    k.branch = detail::save_of(b, std::move(branch_rounds), "g1", kBranchRound);
    k.branch_rounds = b.match().history();
    return k;
  }();
  return known;
}

}  // namespace leadtime::testing

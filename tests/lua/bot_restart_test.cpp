// lua::Bot::restart: a bot started over for another match is the bot a
// fresh load makes, with nothing of the match before (globals, upvalues,
// library changes) and this match's seed and parameters; a changed file or
// another memory cap is loaded again instead.
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "batch/headless.h"
#include "engine/lua/bot.h"
#include "tests/calibration/lines.h"

namespace lt = leadtime;
using lt::lua::Bot;
using lt::testing::default_scenario;

namespace {

// A bot file in a directory of its own, removed with it.
class BotFile {
 public:
  explicit BotFile(const std::string& source)
      : dir_(std::filesystem::temp_directory_path() /
             ("leadtime_restart_" + std::to_string(::getpid()) + "_" + std::to_string(next_++))) {
    std::filesystem::create_directories(dir_);
    write(source);
  }
  ~BotFile() { std::filesystem::remove_all(dir_); }
  BotFile(const BotFile&) = delete;
  BotFile& operator=(const BotFile&) = delete;

  void write(const std::string& source) const {
    std::ofstream out(path(), std::ios::trunc);
    out << source;
  }
  [[nodiscard]] std::string path() const { return (dir_ / "bot.lua").string(); }

 private:
  static inline int next_ = 0;
  std::filesystem::path dir_;
};

Bot load(const std::string& path, std::uint64_t seed, lt::lua::BotLimits limits = {},
         Bot::Restart restart = Bot::Restart::Offer) {
  auto loaded = Bot::load(path, *default_scenario(), 0, seed, std::move(limits), restart);
  if (auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  return std::get<Bot>(std::move(loaded));
}

// What decide returned: its orders' action and first argument, or its error.
std::string decision(Bot& bot, std::uint64_t seed = 1) {
  const lt::State state = lt::initial_state(*default_scenario(), seed);
  auto decided = bot.decide(lt::make_view(state, default_scenario()->coef, 0), state);
  if (auto* error = std::get_if<std::string>(&decided)) return "error: " + *error;
  std::string out;
  for (const lt::OrderDraft& d : std::get<std::vector<lt::OrderDraft>>(decided)) {
    out += d.action;
    for (const auto& [name, value] : d.args) {
      if (const auto* number = std::get_if<double>(&value)) out += " " + name + "=" + std::to_string(*number);
    }
    out += ";";
  }
  return out;
}

const char* const kLeakProbe = R"(
local calls = 0
function decide(view)
  calls = calls + 1
  if leaked ~= nil then error("saw a global of an earlier match") end
  if calls > 1 then error("saw an upvalue of an earlier match") end
  if string.leaked ~= nil then error("saw a change to the string library") end
  if pairs ~= stock_pairs then error("saw a replaced base function") end
  leaked = true
  string.leaked = true
  pairs = nil
  return {}
end
stock_pairs = pairs
)";

}  // namespace

TEST_CASE("bot restart: a global, an upvalue or a library change of one match is not seen in the next") {
  BotFile file(kLeakProbe);
  Bot bot = load(file.path(), 1);
  CHECK(decision(bot) == "");
  // Without a restart the bot sees what it did: the probe works.
  CHECK(decision(bot).find("error") == 0);
  for (std::uint64_t seed = 2; seed < 5; ++seed) {
    REQUIRE(bot.can_restart(file.path(), {}));
    REQUIRE_FALSE(bot.restart(*default_scenario(), 0, seed, {}));
    CHECK(decision(bot) == "");
  }
}

TEST_CASE("bot restart: a runner's bot does not see the globals it set in the last match") {
  BotFile file(R"(
function decide(view)
  if view.round == 1 and seen ~= nil then error("saw a global from an earlier match") end
  seen = true
  return {}
end
)");
  std::vector<std::string> bots(default_scenario()->initial.actors.size());
  bots[0] = file.path();
  lt::BotMatchRunner runner;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const lt::BotMatchResult result = runner.play(default_scenario(), seed, bots);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    CHECK(result.faults == std::vector<std::string>{});
  }
}

TEST_CASE("bot restart: the new match's seed, seat parameters and limits apply") {
  BotFile file(R"(
local usd_b = param("usd_b", 1)
local drawn = 0
function init(info)
  drawn = math.random(1000000)
  for i = 1, 3000 do drawn = drawn + 0 end
end
function decide(view)
  return { { action = "set_enforcement", usd_b = usd_b }, { action = "set_cloud_kyc", strength = drawn / 1e6 } }
end
)");
  lt::lua::BotLimits three;
  three.seat_params = {{{"usd_b", 3}}};
  lt::lua::BotLimits five;
  five.seat_params = {{{"usd_b", 5}}};
  Bot reused = load(file.path(), 11, three);
  const std::string first = decision(reused);
  CHECK(first.find("usd_b=3.0") != std::string::npos);
  for (const auto& [seed, limits] : {std::pair{12ULL, five}, std::pair{11ULL, three}, std::pair{13ULL, five}}) {
    CAPTURE(seed);
    REQUIRE(reused.can_restart(file.path(), limits));
    REQUIRE_FALSE(reused.restart(*default_scenario(), 0, seed, limits));
    Bot fresh = load(file.path(), seed, limits, Bot::Restart::No);
    CHECK(decision(reused) == decision(fresh));
  }
  REQUIRE_FALSE(reused.restart(*default_scenario(), 0, 11, three));
  CHECK(decision(reused) == first);
  // An instruction budget too small for init fails the restart as it fails a load.
  lt::lua::BotLimits tiny = three;
  tiny.instructions_per_call = 1000;
  const auto failed = reused.restart(*default_scenario(), 0, 11, tiny);
  REQUIRE(failed);
  auto fresh_failed = Bot::load(file.path(), *default_scenario(), 0, 11, tiny);
  REQUIRE(std::holds_alternative<std::string>(fresh_failed));
  CHECK(*failed == std::get<std::string>(fresh_failed));
  // ...and the bot can still be restarted after it.
  REQUIRE_FALSE(reused.restart(*default_scenario(), 0, 11, three));
  CHECK(decision(reused) == first);
}

TEST_CASE("bot restart: an edited file, another memory cap or a bot loaded without Offer is loaded again") {
  BotFile file("function decide(view) return { { action = 'set_enforcement', usd_b = 1 } } end");
  Bot bot = load(file.path(), 1);
  CHECK(bot.can_restart(file.path(), {}));
  CHECK_FALSE(bot.can_restart(file.path() + ".other", {}));
  lt::lua::BotLimits small;
  small.memory_cap = std::size_t{8} << 20U;
  CHECK_FALSE(bot.can_restart(file.path(), small));
  Bot plain = load(file.path(), 1, {}, Bot::Restart::No);
  CHECK_FALSE(plain.can_restart(file.path(), {}));

  file.write("function decide(view) return { { action = 'set_enforcement', usd_b = 2.5 } } end");
  CHECK_FALSE(bot.can_restart(file.path(), {}));
  // A runner notices too: its second match plays the edited file.
  std::vector<std::string> bots(default_scenario()->initial.actors.size());
  bots[0] = file.path();
  lt::BotMatchRunner runner;
  const lt::BotMatchResult before = runner.play(default_scenario(), 1, bots);
  REQUIRE(before.match);
  file.write("function decide(view) return { { action = 'set_enforcement', usd_b = 4.5 } } end");
  const lt::BotMatchResult after = runner.play(default_scenario(), 1, bots);
  REQUIRE(after.match);
  CHECK(before.match->state().actors[0].policy.enforcement_usd_b == doctest::Approx(2.5));
  CHECK(after.match->state().actors[0].policy.enforcement_usd_b == doctest::Approx(4.5));
}

TEST_CASE("bot restart: a bot that ran out of budget or memory, or raised, restarts as a fresh load of it") {
  lt::lua::BotLimits small;
  small.instructions_per_call = 200'000;
  small.memory_cap = std::size_t{8} << 20U;
  for (const char* path :
       {"tests/bots/data/alloc_bomb.lua", "tests/bots/data/infinite_loop.lua", "tests/bots/data/throws.lua"}) {
    CAPTURE(path);
    Bot reused = load(path, 1, small);
    const std::string failure = decision(reused);
    CHECK(failure.find("error: ") == 0);
    const std::size_t after_failure = reused.memory_used();
    for (std::uint64_t seed = 2; seed < 5; ++seed) {
      CAPTURE(seed);
      REQUIRE(reused.can_restart(path, small));
      REQUIRE_FALSE(reused.restart(*default_scenario(), 0, seed, small));
      Bot fresh = load(path, seed, small, Bot::Restart::No);
      // What the runaway grew (alloc_bomb's hoard) is gone: the restarted
      // bot holds what a fresh one holds, and fails the same way again.
      CHECK(reused.memory_used() == fresh.memory_used());
      CHECK(decision(reused) == decision(fresh));
      CHECK(reused.memory_used() == fresh.memory_used());
    }
    if (std::string(path).find("alloc_bomb") != std::string::npos) CHECK(after_failure > (std::size_t{4} << 20U));
  }
}

namespace {

// A bot whose start reads its seat, its parameter and the collector, draws
// nothing, and whose decisions show all of it, its memory, and draws made
// while deciding.
const char* const kStartProbe = R"(
local usd_b = param("usd_b", 1)
local seat_number = 0
local memory_at_start = collectgarbage("count")
function init(info)
  for i, a in ipairs(info.actors) do
    if a.id == info.seat then seat_number = i end
  end
  padding = {}
  for i = 1, 200 do padding[i] = { i } end
end
function decide(view)
  local sign = 1 / usd_b < 0 and 2 or 1
  return {
    { action = "set_enforcement", usd_b = usd_b + sign + seat_number },
    { action = "set_cloud_kyc", strength = math.random(1000000) / 1e6 },
    { action = "set_export_promotion", market = "ROW", usd_b = memory_at_start },
    { action = "set_lab_subsidy", usd_b = collectgarbage("count") },
  }
end
)";

Bot load_at(const std::string& path, int seat, std::uint64_t seed, const lt::lua::BotLimits& limits,
            Bot::Restart restart) {
  auto loaded = Bot::load(path, *default_scenario(), seat, seed, limits, restart);
  if (auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  return std::get<Bot>(std::move(loaded));
}

// Every order's action and every number it carries, exactly.
std::string exact_decision(Bot& bot) {
  const lt::State state = lt::initial_state(*default_scenario(), 1);
  auto decided = bot.decide(lt::make_view(state, default_scenario()->coef, 0), state);
  if (auto* error = std::get_if<std::string>(&decided)) return "error: " + *error;
  std::string out;
  char number[64];
  for (const lt::OrderDraft& d : std::get<std::vector<lt::OrderDraft>>(decided)) {
    out += d.action;
    for (const auto& [name, value] : d.args) {
      if (const auto* x = std::get_if<double>(&value)) {
        std::snprintf(number, sizeof number, " %s=%a", name.c_str(), *x);
        out += number;
      }
    }
    out += ";";
  }
  return out;
}

lt::lua::BotLimits with_usd_b(double usd_b) {
  lt::lua::BotLimits limits;
  limits.seat_params = {{{"usd_b", usd_b}}, {{"usd_b", usd_b}}};
  return limits;
}

}  // namespace

TEST_CASE("bot restart: a start kept from the last match stands in for running it again, and only then") {
  BotFile file(kStartProbe);
  Bot reused = load_at(file.path(), 0, 1, with_usd_b(3), Bot::Restart::Offer);
  // Seed after seed with the same inputs (the started snapshot), then each
  // input that start reads changed in turn, then back.
  struct Match {
    int seat;
    std::uint64_t seed;
    lt::lua::BotLimits limits;
    bool kept;  // whether the last start stands in for this one
  };
  lt::lua::BotLimits fewer = with_usd_b(3);
  fewer.instructions_per_call = 500'000;
  const std::vector<Match> matches = {
      {0, 2, with_usd_b(3), true},    {0, 3, with_usd_b(3), true},  {0, 3, with_usd_b(4), false},
      {0, 4, with_usd_b(4), true},    {1, 4, with_usd_b(4), false}, {1, 5, with_usd_b(-0.0), false},
      {1, 5, with_usd_b(0.0), false}, {1, 6, fewer, false},         {0, 7, with_usd_b(3), false},
      {0, 1, with_usd_b(3), true},
  };
  for (const Match& m : matches) {
    CAPTURE(m.seat);
    CAPTURE(m.seed);
    REQUIRE(reused.can_restart(file.path(), m.limits));
    CHECK(reused.keeps_start(lt::lua::StartInputs::of(*default_scenario(), m.seat, m.limits)) == m.kept);
    REQUIRE_FALSE(reused.restart(*default_scenario(), m.seat, m.seed, m.limits));
    Bot fresh = load_at(file.path(), m.seat, m.seed, m.limits, Bot::Restart::No);
    CHECK(reused.memory_used() == fresh.memory_used());
    // Twice: the collector's pace and the generator carry on alike.
    for (int round = 0; round < 2; ++round) CHECK(exact_decision(reused) == exact_decision(fresh));
  }
}

TEST_CASE("bot restart: a start that drew a random number is run again for every match") {
  BotFile file(R"(
local drawn = math.random(1000000)
function decide(view) return { { action = "set_enforcement", usd_b = drawn / 1e5 } } end
)");
  Bot reused = load_at(file.path(), 0, 1, {}, Bot::Restart::Offer);
  for (std::uint64_t seed = 2; seed < 5; ++seed) {
    CAPTURE(seed);
    CHECK_FALSE(reused.keeps_start(lt::lua::StartInputs::of(*default_scenario(), 0, {})));
    REQUIRE_FALSE(reused.restart(*default_scenario(), 0, seed, {}));
    Bot fresh = load_at(file.path(), 0, seed, {}, Bot::Restart::No);
    CHECK(exact_decision(reused) == exact_decision(fresh));
  }
}

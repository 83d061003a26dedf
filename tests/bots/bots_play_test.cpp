// Every shipped bot plays a whole default match without a fault on the seats
// it is meant for, bad bot files are refused before any round, and matches
// with bots replay exactly.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "tests/bots/bot_helpers.h"

namespace lt = leadtime;
using lt::testing::bots_for;
using lt::testing::default_scenario;
using lt::testing::join;
using lt::testing::only_bots;
using lt::testing::seat;

namespace {

struct Placement {
  const char* seat;
  const char* bot;
};

// Every bot in scripts/bots on every seat it is written for.
constexpr Placement kPlacements[] = {
    {"us", "us_hawk"},
    {"us", "us_dealmaker"},
    {"cn", "cn_shortcut"},
    {"cn", "cn_builder"},
    {"eu", "eu_aligner"},
    {"eu", "eu_sovereign"},
    {"us_vendor", "vendor_revenue"},
    {"cn_vendor", "vendor_revenue"},
    {"us_vendor", "vendor_complier"},
    {"cn_vendor", "vendor_complier"},
    {"us_lab", "lab_racer"},
    {"cn_lab", "lab_racer"},
    {"eu_lab", "lab_racer"},
    {"us_lab", "lab_safety"},
    {"cn_lab", "lab_safety"},
    {"eu_lab", "lab_safety"},
    {"us_lab", "lab_open"},
    {"cn_lab", "lab_open"},
    {"eu_lab", "lab_open"},
};

std::string bot_path(const char* name) { return std::string("scripts/bots/") + name + ".lua"; }

std::vector<std::uint64_t> hashes(const lt::Match& m) {
  std::vector<std::uint64_t> out;
  for (const lt::RoundRecord& r : m.history()) out.push_back(r.hash);
  return out;
}

// Every order `bot` gave from the eu_lab seat over a whole match; the bot
// must play without a fault.
std::vector<lt::Order> eu_lab_orders(const std::string& bot, std::uint64_t seed) {
  auto result = lt::play_bots(default_scenario(), seed, only_bots({{"eu_lab", bot}}));
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  CHECK_MESSAGE(result.faults.empty(), join(result.faults));
  std::vector<lt::Order> orders;
  for (const lt::RoundRecord& r : result.match->history()) {
    const auto& mine = r.orders[static_cast<std::size_t>(seat("eu_lab"))];
    orders.insert(orders.end(), mine.begin(), mine.end());
  }
  return orders;
}

// The round hashes of a match where `bot` plays eu_lab, as text; the bot
// must play without a fault.
std::string eu_lab_hashes(const std::string& bot, std::uint64_t seed) {
  auto result = lt::play_bots(default_scenario(), seed, only_bots({{"eu_lab", bot}}));
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  CHECK_MESSAGE(result.faults.empty(), join(result.faults));
  std::string out;
  for (std::uint64_t h : hashes(*result.match)) out += (out.empty() ? "" : " ") + std::to_string(h);
  return out;
}

// Runs this test binary again, in a fresh process (with its own addresses,
// so its own Lua hash seeds), on one test case with LEADTIME_CHILD_OUTPUT
// set, and returns the text that case printed after "child: ".
std::string run_in_child(const std::string& test_case) {
  char exe[4096] = {};
  const ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  REQUIRE(length > 0);
  const std::string command =
      "LEADTIME_CHILD_OUTPUT=1 '" + std::string(exe, static_cast<std::size_t>(length)) + "' -tc='" + test_case + "'";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof(buffer), pipe)) output += buffer;
  CHECK(pclose(pipe) == 0);
  const std::size_t start = output.find("child: ");
  REQUIRE_MESSAGE(start != std::string::npos, output);
  return output.substr(start + 7, output.find('\n', start) - start - 7);
}

}  // namespace

TEST_CASE("bots: every shipped bot plays a full default match without a fault on its seats") {
  std::set<std::string> placed;
  for (const Placement& p : kPlacements) {
    CAPTURE(p.seat);
    CAPTURE(p.bot);
    placed.insert(p.bot);
    for (std::uint64_t seed : {1U, 2U, 3U}) {
      CAPTURE(seed);
      // Alone among standing orders, and among the scenario's default bots.
      for (const auto& paths :
           {only_bots({{p.seat, bot_path(p.bot)}}), bots_for({std::string(p.seat) + "=" + bot_path(p.bot)})}) {
        auto result = lt::play_bots(default_scenario(), seed, paths);
        REQUIRE_MESSAGE(result.error.empty(), result.error);
        CHECK_MESSAGE(result.faults.empty(), join(result.faults));
        REQUIRE(result.match);
        CHECK(result.match->finished());
        CHECK(result.match->history().size() == 10);
      }
    }
  }
  // The table above must cover every file in scripts/bots.
  for (const char* name : {"us_hawk", "us_dealmaker", "cn_shortcut", "cn_builder", "eu_aligner", "eu_sovereign",
                           "vendor_revenue", "vendor_complier", "lab_racer", "lab_safety", "lab_open"}) {
    CHECK_MESSAGE(placed.count(name) == 1, name << " is not placed on any seat");
  }
}

TEST_CASE("bots: the default scenario gives every seat a shipped bot, and they play without a fault") {
  const auto& defaults = default_scenario()->default_bots;
  REQUIRE(defaults.size() == default_scenario()->initial.actors.size());
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    CAPTURE(default_scenario()->initial.actors[i].id);
    CHECK(defaults[i].rfind("scripts/bots/", 0) == 0);
  }
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto result = lt::play_bots(default_scenario(), seed, defaults);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    CHECK_MESSAGE(result.faults.empty(), join(result.faults));
  }
}

TEST_CASE("bots: the bots change the match (a bot's orders reach the engine)") {
  auto hawk = lt::play_bots(default_scenario(), 7, only_bots({{"us", bot_path("us_hawk")}}));
  auto none = lt::play_bots(default_scenario(), 7, only_bots({}));
  REQUIRE(hawk.match);
  REQUIRE(none.match);
  const lt::Policy& p = hawk.match->state().actors[static_cast<std::size_t>(seat("us"))].policy;
  CHECK(p.export_tier[static_cast<std::size_t>(lt::bloc_index(lt::Bloc::CN))] == 0);
  CHECK(p.anti_distillation_law);
  CHECK(hashes(*hawk.match) != hashes(*none.match));
}

TEST_CASE("bots: a missing file, a syntax error or a bot without decide is refused before any round") {
  struct Bad {
    const char* path;
    const char* reason;
  };
  for (const Bad& bad :
       {Bad{"tests/bots/data/does_not_exist.lua", "cannot read"},
        Bad{"tests/bots/data/syntax_error.lua", "syntax error"}, Bad{"tests/bots/data/no_decide.lua", "decide"}}) {
    CAPTURE(bad.path);
    auto result = lt::play_bots(default_scenario(), 1, only_bots({{"cn_lab", bad.path}}));
    CHECK(result.match == nullptr);
    CHECK(result.error.find("seat cn_lab") != std::string::npos);
    CHECK(result.error.find(bad.path) != std::string::npos);
    CHECK_MESSAGE(result.error.find(bad.reason) != std::string::npos, result.error);
  }
}

TEST_CASE("bots: assign_bots keeps defaults, overrides seats and rejects bad assignments") {
  const auto& scenario = *default_scenario();
  const auto paths = bots_for({"us=scripts/bots/us_dealmaker.lua", "eu=none"});
  CHECK(paths[static_cast<std::size_t>(seat("us"))] == "scripts/bots/us_dealmaker.lua");
  CHECK(paths[static_cast<std::size_t>(seat("eu"))].empty());
  CHECK(paths[static_cast<std::size_t>(seat("cn"))] == scenario.default_bots[static_cast<std::size_t>(seat("cn"))]);
  for (const char* bad : {"mars=scripts/bots/us_hawk.lua", "us", "=scripts/bots/us_hawk.lua", "us="}) {
    CAPTURE(bad);
    auto assigned = lt::assign_bots(scenario, {bad});
    REQUIRE(std::holds_alternative<std::string>(assigned));
    CHECK(std::get<std::string>(assigned).find(bad) != std::string::npos);
  }
  auto unknown = lt::assign_bots(scenario, {"mars=x.lua"});
  REQUIRE(std::holds_alternative<std::string>(unknown));
  CHECK(std::get<std::string>(unknown).find("unknown seat 'mars'") != std::string::npos);
}

TEST_CASE("bots: same seed and bots replay the same hashes; another seed differs") {
  const auto paths = bots_for({"cn_vendor=scripts/bots/vendor_revenue.lua", "cn=scripts/bots/cn_builder.lua"});
  auto a = lt::play_bots(default_scenario(), 11, paths);
  auto b = lt::play_bots(default_scenario(), 11, paths);
  auto c = lt::play_bots(default_scenario(), 12, paths);
  REQUIRE(a.match);
  REQUIRE(b.match);
  REQUIRE(c.match);
  CHECK(hashes(*a.match) == hashes(*b.match));
  CHECK(hashes(*a.match) != hashes(*c.match));
}

TEST_CASE("bots: a bot drawing from math.random gives the same orders for the same seed") {
  const std::string random_bot = "tests/bots/data/random_orders.lua";
  const auto first = eu_lab_orders(random_bot, 21);
  CHECK(first.size() == 10);
  CHECK(first == eu_lab_orders(random_bot, 21));
  CHECK(first != eu_lab_orders(random_bot, 22));
}

TEST_CASE("bots: a bot ordering from a sort with hundreds of ties gets the same stable order every run") {
  const std::string sorting_bot = "tests/bots/data/tied_sort.lua";
  const auto first = eu_lab_orders(sorting_bot, 31);
  CHECK(first.size() == 10);
  for (int run = 0; run < 3; ++run) CHECK(first == eu_lab_orders(sorting_bot, 31));
}

TEST_CASE("bots: a bot ordering from pairs over string keys gets the same hashes in another process") {
  const char* name = "bots: a bot ordering from pairs over string keys gets the same hashes in another process";
  const std::string bot = "tests/bots/data/pairs_order.lua";
  const std::string here = eu_lab_hashes(bot, 41);
  if (std::getenv("LEADTIME_CHILD_OUTPUT")) {
    std::printf("child: %s\n", here.c_str());
    return;
  }
  CHECK(here == eu_lab_hashes(bot, 41));
  // Each process seeds Lua's string hash from its own addresses and the time.
  for (int run = 0; run < 2; ++run) CHECK(run_in_child(name) == here);
}

// A match played by a BotMatchRunner, whose bots and hooks restart from
// snapshots of their sandboxes, is the match play_bots plays with freshly
// loaded ones: the same state hash every round, the same faults; whatever
// ran in the runner before, on whichever thread.
#include <set>
#include <thread>

#include "engine/hash.h"
#include "tests/calibration/lines.h"

namespace lt = leadtime;
using lt::testing::default_scenario;

namespace {

struct Played {
  std::vector<std::uint64_t> hashes;
  std::vector<std::string> faults;
  std::string error;
};

Played summary(const lt::BotMatchResult& r) {
  Played p{{}, r.faults, r.error};
  if (r.match) {
    for (const lt::RoundRecord& round : r.match->history()) p.hashes.push_back(round.hash);
  }
  return p;
}

void check_same(const Played& reused, const Played& fresh) {
  CHECK(reused.error == fresh.error);
  CHECK(reused.faults == fresh.faults);
  REQUIRE(reused.hashes.size() == fresh.hashes.size());
  for (std::size_t r = 0; r < fresh.hashes.size(); ++r) {
    CAPTURE(r);
    CHECK(lt::hash_hex(reused.hashes[r]) == lt::hash_hex(fresh.hashes[r]));
  }
}

std::vector<std::string> default_bots() {
  return std::get<std::vector<std::string>>(lt::assign_bots(*default_scenario(), {}));
}

std::vector<std::string> with_us_bot(const std::string& path) {
  return std::get<std::vector<std::string>>(lt::assign_bots(*default_scenario(), {"us=" + path}));
}

}  // namespace

TEST_CASE("reuse: default bot matches in a reused runner equal fresh ones, seed after seed") {
  const auto bots = default_bots();
  lt::BotMatchRunner runner;
  for (std::uint64_t seed : {1ULL, 2ULL, 1ULL, 77ULL, 123456789ULL, 2ULL}) {
    CAPTURE(seed);
    const Played reused = summary(runner.play(default_scenario(), seed, bots));
    const Played fresh = summary(lt::play_bots(default_scenario(), seed, bots));
    REQUIRE(fresh.error.empty());
    REQUIRE(fresh.hashes.size() == 10);
    check_same(reused, fresh);
  }
}

TEST_CASE("reuse: bots that drew random numbers, ran out of memory or budget, or failed before leave nothing behind") {
  // Each assignment runs in the same runner after the others; each must play
  // as it does alone with fresh bots. One played twice in a row is restarted
  // from its snapshot after it ran out of memory or budget, or raised.
  lt::lua::BotLimits small;
  small.instructions_per_call = 200'000;
  small.memory_cap = std::size_t{8} << 20U;
  const std::vector<std::string> seats_played = {
      "tests/bots/data/random_orders.lua",    "tests/bots/data/alloc_bomb.lua",    "tests/bots/data/alloc_bomb.lua",
      "tests/bots/data/infinite_loop.lua",    "tests/bots/data/infinite_loop.lua", "tests/bots/data/pairs_order.lua",
      "tests/bots/data/string_metatable.lua", "tests/bots/data/throws.lua",        "tests/bots/data/throws.lua",
      "tests/bots/data/random_orders.lua",    "scripts/bots/us_hawk.lua",
  };
  lt::BotMatchRunner runner;
  std::uint64_t seed = 3;
  for (const std::string& path : seats_played) {
    CAPTURE(path);
    const auto bots = with_us_bot(path);
    const Played reused = summary(runner.play(default_scenario(), seed, bots, nullptr, small));
    const Played fresh = summary(lt::play_bots(default_scenario(), seed, bots, nullptr, small));
    REQUIRE(fresh.error.empty());
    check_same(reused, fresh);
    seed += 1;
  }
  // A bot that fails to load leaves the runner able to play the next match.
  const Played broken = summary(runner.play(default_scenario(), 1, with_us_bot("tests/bots/data/syntax_error.lua")));
  CHECK(broken.error.find("syntax") != std::string::npos);
  check_same(summary(runner.play(default_scenario(), 1, default_bots())),
             summary(lt::play_bots(default_scenario(), 1, default_bots())));
}

TEST_CASE("reuse: a runner whose seats' parameters change between matches plays each as fresh bots do") {
  // The bots' starts are kept while their inputs stay the same and run
  // again when a parameter changes (lua::Bot::restart).
  const auto bots = default_bots();
  const std::size_t us = static_cast<std::size_t>(default_scenario()->initial.find_actor("us"));
  auto with_enforcement = [&](double usd_b) {
    lt::lua::BotLimits limits;
    limits.seat_params.resize(us + 1);
    limits.seat_params[us] = {{"enforcement_usd_b", usd_b}};
    return limits;
  };
  lt::BotMatchRunner runner;
  std::set<std::uint64_t> last_hashes;
  for (const auto& [seed, usd_b] : {std::pair{1ULL, 4.0}, std::pair{2ULL, 4.0}, std::pair{2ULL, 1.0},
                                    std::pair{3ULL, 1.0}, std::pair{3ULL, 4.0}, std::pair{1ULL, 4.0}}) {
    CAPTURE(seed);
    CAPTURE(usd_b);
    const Played reused = summary(runner.play(default_scenario(), seed, bots, nullptr, with_enforcement(usd_b)));
    const Played fresh = summary(lt::play_bots(default_scenario(), seed, bots, nullptr, with_enforcement(usd_b)));
    REQUIRE(fresh.error.empty());
    check_same(reused, fresh);
    last_hashes.insert(fresh.hashes.back());
  }
  CHECK(last_hashes.size() == 5);  // the parameter did change matches
}

TEST_CASE("reuse: a scenario's hooks restart with each match's seed") {
  // Hooks that fire an event on a random round: the draws must follow the
  // seed of each match, not the hooks' last match.
  auto scenario = std::make_shared<lt::Scenario>(*default_scenario());
  scenario->hook_script =
      "return { hooks = { on_round = function(info) "
      "  if math.random() < 0.3 then marks = (marks or 0) + 1 end "
      "  if marks ~= nil and marks >= 2 and info.round > 3 then return { '" +
      scenario->events.front().id + "' } end end } }";
  const std::shared_ptr<const lt::Scenario> hooked = scenario;
  const auto bots = default_bots();
  lt::BotMatchRunner runner;
  std::size_t matches_with_hook_events = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const Played fresh = summary(lt::play_bots(hooked, seed, bots));
    REQUIRE_MESSAGE(fresh.error.empty(), fresh.error);
    check_same(summary(runner.play(hooked, seed, bots)), fresh);
    const Played plain = summary(lt::play_bots(default_scenario(), seed, bots));
    matches_with_hook_events += plain.hashes != fresh.hashes ? 1 : 0;
  }
  CHECK(matches_with_hook_events > 0);  // the hooks did change matches
  // The same runner on the scenario without hooks plays it as fresh bots do.
  check_same(summary(runner.play(default_scenario(), 4, bots)), summary(lt::play_bots(default_scenario(), 4, bots)));
}

TEST_CASE("reuse: runners on two threads equal fresh matches on one") {
  const auto bots = default_bots();
  std::vector<Played> fresh;
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    fresh.push_back(summary(lt::play_bots(default_scenario(), seed, bots)));
  std::vector<Played> reused(8);
  auto worker = [&](std::uint64_t first) {
    lt::BotMatchRunner runner;
    for (std::uint64_t seed = first; seed <= 8; seed += 2)
      reused[seed - 1] = summary(runner.play(default_scenario(), seed, bots));
  };
  std::thread t1(worker, 1);
  std::thread t2(worker, 2);
  t1.join();
  t2.join();
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    CAPTURE(i);
    check_same(reused[i], fresh[i]);
  }
}

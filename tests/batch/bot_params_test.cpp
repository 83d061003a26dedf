// Bot parameters (engine/lua/bot.h): param(name, default) hands a bot the
// values a sweep sets for its seat, and a value the bot never reads fails the
// load, so a misspelt sweep parameter cannot pass silently.
#include <doctest/doctest.h>

#include "engine/lua/bot.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "engine/views.h"

namespace lt = leadtime;

namespace {

const lt::Scenario& scenario() {
  static const lt::Scenario s = [] {
    auto loaded = lt::load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

lt::lua::BotLimits with_params(int seat, lt::lua::BotParams params) {
  lt::lua::BotLimits limits;
  limits.seat_params.resize(static_cast<std::size_t>(seat) + 1);
  limits.seat_params[static_cast<std::size_t>(seat)] = std::move(params);
  return limits;
}

// reads_params.lua fails every decision with the values it read.
std::string decision_of(lt::lua::Bot& bot) {
  const lt::State state = lt::initial_state(scenario(), 1);
  auto decided = bot.decide(lt::make_view(state, scenario().coef, 0), state);
  REQUIRE(std::holds_alternative<std::string>(decided));
  return std::get<std::string>(decided);
}

constexpr const char* kReader = "tests/batch/data/reads_params.lua";

}  // namespace

TEST_CASE("param() returns the default when the seat was given no value") {
  auto loaded = lt::lua::Bot::load(kReader, scenario(), 0, 1);
  REQUIRE(std::holds_alternative<lt::lua::Bot>(loaded));
  CHECK(decision_of(std::get<lt::lua::Bot>(loaded)).find("alpha=1 whole=2 type=integer") != std::string::npos);
}

TEST_CASE("param() returns the seat's value, whole numbers as integers where the default is one") {
  auto loaded = lt::lua::Bot::load(kReader, scenario(), 0, 1, with_params(0, {{"alpha", 2.5}, {"whole", 3}}));
  REQUIRE(std::holds_alternative<lt::lua::Bot>(loaded));
  CHECK(decision_of(std::get<lt::lua::Bot>(loaded)).find("alpha=2.5 whole=3 type=integer") != std::string::npos);
}

TEST_CASE("another seat's values do not reach the bot") {
  auto loaded = lt::lua::Bot::load(kReader, scenario(), 0, 1, with_params(3, {{"alpha", 9}}));
  REQUIRE(std::holds_alternative<lt::lua::Bot>(loaded));
  CHECK(decision_of(std::get<lt::lua::Bot>(loaded)).find("alpha=1 ") != std::string::npos);
}

TEST_CASE("a value the bot never reads fails the load, naming what it does read") {
  auto loaded = lt::lua::Bot::load(kReader, scenario(), 0, 1, with_params(0, {{"alpah", 2}}));
  REQUIRE(std::holds_alternative<std::string>(loaded));
  const std::string error = std::get<std::string>(loaded);
  CHECK(error == std::string(kReader) + ": no parameter 'alpah' (the bot reads alpha, whole)");
}

TEST_CASE("a bot that reads no parameters says so") {
  auto loaded =
      lt::lua::Bot::load("scripts/bots/us_dealmaker.lua", scenario(), 0, 1, with_params(0, {{"enforcement_usd_b", 2}}));
  REQUIRE(std::holds_alternative<std::string>(loaded));
  CHECK(std::get<std::string>(loaded).find("no parameter 'enforcement_usd_b' (the bot reads none)") !=
        std::string::npos);
}

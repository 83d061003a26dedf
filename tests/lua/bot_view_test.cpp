// What a bot reads: the lazily built view and catalogue, and that a view kept
// past its call reads nil instead of freed memory.
#include <doctest/doctest.h>

#include "engine/lua/bot.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"

namespace lt = leadtime;

namespace {
template <typename V>
std::string error_of(const V& v) {
  const auto* e = std::get_if<std::string>(&v);
  return e ? *e : std::string();
}
}  // namespace

// Parts a bot read during a call stay as the Lua tables they became; parts it
// never read are gone once the call returns.
TEST_CASE("bot view: every part is readable during the call and expires after it") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const lt::Scenario& scenario = *loaded.scenario;
  auto bot_or_error = lt::lua::Bot::load("tests/lua/data/bot_view_reader.lua", scenario, 0, 1);
  REQUIRE_MESSAGE(std::holds_alternative<lt::lua::Bot>(bot_or_error), error_of(bot_or_error));
  auto& bot = std::get<lt::lua::Bot>(bot_or_error);
  const lt::State state = lt::initial_state(scenario, 1);
  for (int call = 0; call < 2; ++call) {
    const lt::View view = lt::make_view(state, scenario.coef, 0);
    auto decided = bot.decide(view, state);
    REQUIRE_MESSAGE(std::holds_alternative<std::vector<lt::OrderDraft>>(decided), error_of(decided));
    const auto& drafts = std::get<std::vector<lt::OrderDraft>>(decided);
    if (call == 0) {
      CHECK(drafts.empty());
    } else {
      REQUIRE(drafts.size() == 1);
      CHECK(std::get<double>(drafts[0].args[0].second) == 1.0);  // the kept view read nil
    }
  }
}

// The view's metatables are made once per bot (lua::prepare_lazy_view), so a
// bot can reach their __index: called by hand on anything but the current
// view (or its self) it reads nil, never writing into what it was given.
TEST_CASE("bot view: __index called by hand on other values reads nil") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  const lt::Scenario& scenario = *loaded.scenario;
  auto bot_or_error = lt::lua::Bot::load("tests/lua/data/bot_view_prober.lua", scenario, 0, 1);
  REQUIRE_MESSAGE(std::holds_alternative<lt::lua::Bot>(bot_or_error), error_of(bot_or_error));
  auto& bot = std::get<lt::lua::Bot>(bot_or_error);
  const lt::State state = lt::initial_state(scenario, 1);
  for (int call = 0; call < 3; ++call) {
    CAPTURE(call);
    auto decided = bot.decide(lt::make_view(state, scenario.coef, 0), state);
    REQUIRE_MESSAGE(std::holds_alternative<std::vector<lt::OrderDraft>>(decided), error_of(decided));
    const auto& drafts = std::get<std::vector<lt::OrderDraft>>(decided);
    REQUIRE(drafts.size() == 1);
    CHECK(std::get<double>(drafts[0].args[0].second) == 1.0);
  }
}

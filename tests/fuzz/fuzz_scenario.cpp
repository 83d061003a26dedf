// Fuzz target "scenario": Lua text through the scenario loader
// (engine/lua/scenario_loader.h), as a facilitator's scenario file or a save
// file's scenario reaches it. An input starting with "--line" is an order
// line for the default scenario instead.
//
// A scenario that loads must also play: its hooks load and run, and two
// rounds resolve with views for every seat, without fault. The loader's own
// limits (instructions, memory) bound every input.
#include <cstdint>
#include <string_view>

#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "game/round_driver.h"
#include "tests/fuzz/fuzz_common.h"

namespace lt = leadtime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  if (source.starts_with("--line")) {
    static const auto scenario = leadtime::fuzz::default_scenario();
    auto line = lt::load_order_line_source(source, "fuzz_line.lua", scenario->initial, scenario->start);
    if (auto* loaded = std::get_if<lt::OrderLine>(&line)) {
      // Order lines are validated when loaded: they play.
      lt::Match match(scenario, 3);
      LEADTIME_FUZZ_CHECK(loaded->at_start.size() <= scenario->initial.actors.size(), "%zu seats in a line",
                          loaded->at_start.size());
      lt::RoundOrders orders(scenario->initial.actors.size());
      for (std::size_t i = 0; i < loaded->at_start.size(); ++i) {
        auto v = lt::validate_orders(match.state(), static_cast<int>(i), loaded->at_start[i]);
        orders[i] = std::move(v.orders);
      }
      match.play_round(std::move(orders));
    } else {
      LEADTIME_FUZZ_CHECK(!std::get<std::string>(line).empty(), "an order line refused without a reason");
    }
    return 0;
  }
  lt::LoadResult loaded = lt::load_scenario_source(source, "fuzz.lua");
  if (!loaded.scenario) {
    LEADTIME_FUZZ_CHECK(!loaded.error.empty(), "a scenario refused without a reason");
    return 0;
  }
  auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  LEADTIME_FUZZ_CHECK(!scenario->initial.actors.empty() && scenario->rounds >= 1, "a loaded scenario with %zu actors",
                      scenario->initial.actors.size());
  // Played as every runner plays a round: the round driver runs the hooks.
  auto driver = lt::game::RoundDriver::load(*scenario, 5);
  lt::Match match(scenario, 5);
  const std::vector<bool> no_bots(scenario->initial.actors.size(), false);
  for (int r = 0; r < 2 && !match.finished(); ++r) {
    lt::game::BotOrders hooked;
    if (auto* d = std::get_if<lt::game::RoundDriver>(&driver)) hooked = d->decide(match.state(), *scenario, no_bots);
    lt::game::resolve_round(match, {}, std::move(hooked));
    for (std::size_t i = 0; i < scenario->initial.actors.size(); ++i) {
      (void)lt::make_view(match.state(), scenario->coef, static_cast<int>(i));
    }
    (void)lt::make_view(match.state(), scenario->coef, lt::kNoActor);
  }
  return 0;
}

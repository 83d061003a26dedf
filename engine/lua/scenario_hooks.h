#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/lua/sandbox.h"
#include "engine/scenario.h"

namespace leadtime::lua {

// A scenario's hook functions for one match, in their own sandbox with an
// instruction budget. hooks.on_round(info) runs before each round and returns
// a list of scenario event ids to fire this round (ids it does not know are
// errors), e.g.
//   hooks = { on_round = function(info)
//     if info.round >= 5 and info.lead_months < 3 then return { "parity_alarm" } end
//   end }
// info = { round, quarter, lead_months, compute_ratio_us_cn, shares = { ROW = { US, CN, EU }, ... } }
class ScenarioHooks {
 public:
  static constexpr std::uint64_t kBudget = 1'000'000;
  // As for bots (Bot::Restart): whether to keep a snapshot for restart().
  enum class Restart : std::uint8_t { No, Offer };

  // An object with no hooks when the scenario defines none.
  static std::variant<ScenarioHooks, std::string> load(const Scenario& scenario, std::uint64_t seed,
                                                       Restart restart = Restart::No);
  // Whether restart() can stand in for load(scenario, ...): the same hook
  // script from the same file, loaded with Restart::Offer (or no hooks).
  [[nodiscard]] bool can_restart(const Scenario& scenario) const;
  // The hooks of another match, as load() would make them, from the
  // sandbox's snapshot taken right after compiling (Bot::restart says how).
  // Requires can_restart.
  std::optional<std::string> restart(std::uint64_t seed);

  [[nodiscard]] bool empty() const { return !sandbox_; }
  std::variant<std::vector<Inject>, std::string> on_round(const State& state, const Scenario& scenario);
  // Calls the time limit stopped so far (Sandbox::kDefaultTimeLimit each).
  [[nodiscard]] std::uint64_t time_limit_trips() const { return sandbox_ ? sandbox_->time_limit_trips() : 0; }

 private:
  std::optional<std::string> start(std::uint64_t seed);

  std::optional<Sandbox> sandbox_;
  std::string script_;  // what was compiled, from where
  std::string source_;
};

}  // namespace leadtime::lua

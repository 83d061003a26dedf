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

  // An object with no hooks when the scenario defines none.
  static std::variant<ScenarioHooks, std::string> load(const Scenario& scenario, std::uint64_t seed);

  [[nodiscard]] bool empty() const { return !sandbox_; }
  std::variant<std::vector<Inject>, std::string> on_round(const State& state, const Scenario& scenario);
  // Calls the time limit stopped so far (Sandbox::kDefaultTimeLimit each).
  [[nodiscard]] std::uint64_t time_limit_trips() const { return sandbox_ ? sandbox_->time_limit_trips() : 0; }

 private:
  std::optional<Sandbox> sandbox_;
};

}  // namespace leadtime::lua

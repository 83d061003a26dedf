#pragma once

// A sweep spec: a Lua file, run in a sandbox like scenario files, that returns
// one table. Unknown keys are errors at every level; every error starts with
// the spec's path and names the field, e.g.
//   sweeps/x.lua: parameters[2].name: unknown parameter 'dstill_k' (did you mean 'distill_k'?) ...
// and everything (the scenario, every bot, every bot parameter) is checked
// before any run starts.
//
// return {
//   name = "enforcement",             -- optional; defaults to the file's stem
//   scenario = "scenarios/2028.lua",  -- optional, this default
//   rounds = 6,                       -- optional: play only the first rounds of the scenario
//   seed = 7,                         -- master seed, optional (default 1)
//   seeds = 20,                       -- required: runs per point
//   common_seeds = false,             -- optional: true gives every point the same seeds
//   bots = {                          -- optional, by seat; other seats keep the scenario's bot
//     us = "tests/batch/data/us_param.lua",
//     eu = "none",                    -- no bot: standing orders
//     cn = { "scripts/bots/cn_shortcut.lua", "scripts/bots/cn_builder.lua" },  -- varied: parameter bot.cn
//   },
//   parameters = {                    -- optional list, varied in this order (bot choices first)
//     { name = "distill_k", min = 0.2, max = 0.8, levels = 4 },  -- a range; levels for grids only
//     { name = "bot.us.enforcement_usd_b", values = { 0, 2, 4, 8 } },  -- listed values
//   },
//   design = "grid",                  -- or { kind = "random", points = 200 } or { kind = "lhs", points = 50 }
//   outcomes = { "lead_months", "min_lead_months", "share_ROW_CN" },  -- optional (default_outcomes())
//   series = false,                   -- optional: also record every round of every run
// }

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "batch/sweep_outcomes.h"
#include "batch/sweep_params.h"
#include "engine/scenario.h"

namespace leadtime::sweep {

enum class DesignKind : std::uint8_t { Grid, Random, Lhs };

struct SpecParameter {
  ParamTarget target;
  bool is_range = false;  // min..max; otherwise the listed values
  double min = 0;
  double max = 0;
  int levels = 0;                  // grid levels of a range
  std::vector<ParamValue> values;  // listed values (numbers, or bot paths for bot.SEAT)
};

struct SweepSpec {
  std::string path;
  std::string name;
  std::string scenario_path;
  std::shared_ptr<const Scenario> scenario;
  std::vector<std::string> bots;  // per seat: the bot of a seat that is not varied ("" for none)
  std::vector<SpecParameter> parameters;
  DesignKind design = DesignKind::Grid;
  std::uint64_t design_points = 0;  // random and lhs
  std::uint64_t master_seed = 1;
  std::uint64_t seeds = 1;
  bool common_seeds = false;
  std::vector<Outcome> outcomes;
  bool series = false;
  // Every file the results depend on, by path (the spec, the scenario, each
  // bot), for the sweep's fingerprint.
  std::vector<std::pair<std::string, std::string>> inputs;
};

std::variant<SweepSpec, std::string> load_sweep_spec(const std::string& path);
// `chunkname` stands for the path in messages.
std::variant<SweepSpec, std::string> load_sweep_spec_source(std::string_view source, const std::string& chunkname);

// The targets of every parameter, in order.
std::vector<ParamTarget> targets_of(const SweepSpec& spec);

}  // namespace leadtime::sweep

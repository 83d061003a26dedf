#pragma once

// Scenario files and order lines: Lua files run in a fresh Sandbox (10
// million instructions, 64 MiB) that return one table, read strictly. Every
// error starts with the file's path, then the field path and what was
// expected, e.g.
//   scenarios/bad.lua: actors[3].kind: expected one of government, vendor, lab, got 'bank'
// Unknown keys are errors at every level, so a typo never passes silently.
//
// Scenario format:
//
// return {
//   name = "2028",                    -- required, non-empty
//   description = "...",              -- optional
//   start = "2026Q3",                 -- required: the quarter round 0 resolves
//   rounds = 10,                      -- required: whole number, 1..200
//   coefficients = {                  -- optional; unnamed ones keep their defaults
//     distill_k = 0.7,                -- any name from coefficient_fields(), within its range
//     local_preference = {            -- optional; per market, per stack, -100..100,
//       US = { US = 2, CN = -4, EU = 0 },   -- unspecified stacks 0
//       CN = {...}, EU = {...}, ROW = {...},
//     },
//   },
//   actors = {                        -- required, non-empty list; list order = actor index
//     { id = "us",                    -- required: a-z, 0-9, _; unique
//       name = "United States",       -- optional, defaults to the id
//       kind = "government",          -- required: government | vendor | lab
//       bloc = "US",                  -- required: US | CN | EU | SEA | ROW
//       cash_usd_b = 20,              -- any actor_fields() entry of this kind, within its range
//       orders = {                    -- optional standing policies at the start, validated
//         { action = "set_export_tier", target = "CN", tier = 1 },  -- with validate_orders
//       },                            -- once every actor exists, then applied in order
//       objectives = { { metric = "lead_months", weight = 1 } },  -- metric: see metrics.h;
//                                     -- weight: any finite number, default 1
//       bot = "scripts/bots/us_hawk.lua",  -- optional default bot script
//     },
//   },
//   markets = {                       -- required: all of US, CN, EU, ROW
//     US = { size_usd_b = 40, growth = 0.08,        -- market_fields(), optional
//            share = { US = 0.92, CN = 0.01, EU = 0.07 } },  -- required: each 0..1,
//     CN = {...}, EU = {...}, ROW = {...},           -- missing stacks 0, sum 1 (within 1e-6)
//   },
//   hubs = { compute_h100e = 1e6, capex_usd_b = 3, rent_usd_per_h100e = 4000 },  -- optional, hub_fields()
//   events = {                        -- optional list
//     { id = "euv_breakthrough",      -- required, unique
//       text = "...",                 -- optional
//       probability = 0.05,           -- per eligible round, 0..1; default 0 (injects only)
//       first = "2027Q1", last = "2028Q4",  -- optional quarters within the match;
//                                     -- default the first and the last round
//       once = true,                  -- default true
//       visibility = "public",        -- public | private | facilitator; default public
//       audience = { "cn" },          -- actor ids; required for private events
//       conditions = { { target = "cn", field = "cum_fab_investment_usd_b", op = ">=", value = 60 } },
//                                     -- op: < <= > >=
//       effects = { { target = "cn_vendor", field = "euv_multiplier", op = "set", value = 2 } },
//                                     -- op: set | add | mul
//     },                              -- target: an actor id, a market US/CN/EU/ROW, or SEA;
//   },                                -- field: one that target has (fields.h)
//   hooks = { on_round = function(info) ... end },  -- optional; engine/lua/scenario_hooks.h
// }
//
// A variant names the scenario it changes and gives only what differs:
//
// return {
//   extends = "../2028.lua",          -- relative to this file; chains up to 8 deep
//   name = "2028-euv",
//   coefficients = { euv_growth_bonus = 0.12 },             -- merged key by key
//   actors = { { id = "cn_vendor", bot = "scripts/bots/vendor_revenue.lua" } },  -- merged by id
//   events = { { id = "euv_breakthrough", probability = 1 }, { id = "hbm_shortage", remove = true } },
// }
//
// engine/lua/scenario_extends.h has the merge rule per field and
// docs/scenarios.md the guide. Problems in the merged scenario are blamed on
// the file and field they came from: an override's on the variant, the rest
// on the base.
//
// Order line format (fixed orders for headless matches):
//
// return {
//   orders = { us = { { action = "set_export_tier", target = "CN", tier = 0 } }, cn = {...} },
//                                     -- given in round 0; keys are actor ids
//   at = { ["2027Q3"] = { us = {...} } },  -- optional: given at the start of that
// }                                   -- quarter's round (the start quarter is round 0)
//
// Order lines are validated against the initial state when loaded.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/orders.h"
#include "engine/quarter.h"
#include "engine/scenario.h"
#include "engine/state.h"

namespace leadtime {

namespace scenario_detail {
struct Chain;
}

// One problem with a scenario, located for a person to fix it.
struct LoadError {
  std::string file;     // the file it is in: a base's for what a variant inherits
  int line = 0;         // 1-based; 0 when it cannot be told
  std::string field;    // path in that file, e.g. actors[3].kind; empty for the file as a whole
  std::string message;  // what is wrong, without file and field
  std::string text;     // "file: field: message", as LoadResult::error
};

struct LoadResult {
  std::optional<Scenario> scenario;
  std::string error;  // set when scenario is empty: the first problem
  // Every problem found: the first only, unless LoadOptions::every_problem.
  std::vector<LoadError> errors;
  // The file, then each scenario it extends in turn (so the root base last).
  std::vector<std::string> files;
  // The files' text and how the variant's fields map onto them, for locate().
  std::shared_ptr<const scenario_detail::Chain> chain;
};

// Where a field of the loaded scenario ("actors[2].bot", "events[3]", as the
// merged scenario numbers them) is written: the file, the path in it and the
// line, with `message` as the problem. For the check's warnings.
LoadError locate(const LoadResult& loaded, const std::string& field, const std::string& message);

struct LoadOptions {
  // Read on past a broken part (a coefficient, an actor, a market, an event)
  // to report the problems of every part, as `leadtime-server check` does.
  bool every_problem = false;
};

LoadResult load_scenario_file(const std::string& path, const LoadOptions& options = {});
// `chunkname` stands for the path in messages and in Scenario::source; a
// relative `extends` is read from beside it.
LoadResult load_scenario_source(std::string_view source, const std::string& chunkname, const LoadOptions& options = {});

struct OrderLine {
  std::vector<std::vector<OrderDraft>> at_start;  // per actor, given in round 0
  // (round index, drafts per actor), in round order; round 0 is possible.
  std::vector<std::pair<int, std::vector<std::vector<OrderDraft>>>> later;
};

// The string alternative is the error message.
std::variant<OrderLine, std::string> load_order_line(const std::string& path, const State& initial,
                                                     const Quarter& start);
std::variant<OrderLine, std::string> load_order_line_source(std::string_view source, const std::string& chunkname,
                                                            const State& initial, const Quarter& start);

}  // namespace leadtime

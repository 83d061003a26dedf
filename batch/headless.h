#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/lua/bot.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "game/round_driver.h"

namespace leadtime {

// Plays a whole match with fixed order lines: the line's opening orders in
// round 0, its dated orders in their rounds, standing orders otherwise.
// Errors (an order the engine rejects) are returned, never thrown: a line
// that fails validation is a broken data file.
struct LineResult {
  std::unique_ptr<Match> match;
  std::vector<std::string> errors;
};

LineResult play_line(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, const OrderLine* line);

// Turns drafts per actor into validated orders; errors name actor and order.
RoundOrders validate_round(const State& state, const std::vector<std::vector<OrderDraft>>& drafts,
                           std::vector<std::string>& errors);

// A match whose seats are played by Lua bots (an empty path: the seat keeps
// its standing orders). An optional order line adds its orders on top, for
// seats without a bot. Bot faults never stop the match: the seat keeps its
// standing orders and a private "bot_fault" event names the bot, the round
// and the reason; `faults` collects the same lines for the caller's log.
struct BotMatchResult {
  std::unique_ptr<Match> match;
  std::vector<std::string> faults;
  std::string error;  // set when a bot failed to load: no match was played
  // Calls of the bots and the scenario's hooks that the CPU-time limit, the
  // sandbox's last line of defence, stopped (each also a fault that says
  // so). Where the clock stops a call differs between runs, so a match with
  // any is not reproducible and results mark it.
  std::uint32_t time_limited = 0;
};

// A facilitator's inject, given in a round (0-based), as the server takes it.
struct ScriptedInject {
  int round = 0;
  Inject inject;
};

BotMatchResult play_bots(std::shared_ptr<const Scenario> scenario, std::uint64_t seed,
                         const std::vector<std::string>& bot_paths, const OrderLine* line = nullptr,
                         lua::BotLimits limits = {}, std::span<const ScriptedInject> injects = {});

// Plays bot matches one after another, as play_bots does each, but keeps
// the bots and the scenario's hooks from one match to the next: a bot asked
// for again (same seat, same unchanged file, same memory cap) starts over
// from a snapshot of its sandbox taken right after compiling, instead of
// being read, compiled and given a new Lua state (lua::Bot::restart), or,
// when its file's start would read the same inputs as last time and drew no
// random number, from a snapshot taken after that start. Each snapshot is
// the very state a fresh load has at that point, so a match plays exactly
// as with play_bots (tests/calibration/reuse_test.cpp) and nothing a bot did
// in one match reaches the next. Loading is most of the cost of a short
// match. One runner per thread; it holds each seat's last bot (a Lua state
// and its two snapshots, some tens of KiB) until destroyed.
class BotMatchRunner {
 public:
  BotMatchResult play(std::shared_ptr<const Scenario> scenario, std::uint64_t seed,
                      const std::vector<std::string>& bot_paths, const OrderLine* line = nullptr,
                      lua::BotLimits limits = {}, std::span<const ScriptedInject> injects = {});

 private:
  std::optional<game::RoundDriver> driver_;
};

// Bot paths per seat: the scenario's defaults overridden by "seat=path"
// assignments ("seat=none" for no bot). An error names a bad assignment.
std::variant<std::vector<std::string>, std::string> assign_bots(const Scenario& scenario,
                                                                const std::vector<std::string>& assignments);

}  // namespace leadtime

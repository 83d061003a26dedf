#pragma once

// A game's journal: the arguments each change carries (as JSON inside the
// Change, then in the store and in save files), and replay, which rebuilds
// a game by calling the same Game methods with them. Orders are journaled
// as validated orders (action name and numbers), so a replay never depends
// on validation messages or defaults.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "game/game.h"

namespace leadtime::game {

nlohmann::json orders_to_json(const std::vector<Order>& orders);
// An error names the order and what is wrong with it.
std::variant<std::vector<Order>, std::string> orders_from_json(const nlohmann::json& json);

// The arguments of a "resolved" change: round, hash, the bots' orders per
// bot seat, and the notes about their faults.
nlohmann::json resolved_args(const RoundRecord& record, const std::vector<bool>& bot_seats,
                             const std::vector<Inject>& notes);

// One journal line as the store keeps it.
struct JournalLine {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;  // wall clock
  std::string kind;
  int seat = kNoActor;
  nlohmann::json args;
};

struct ReplayHooks {
  // A seat was swapped to a bot: load it (an error stops the replay).
  std::function<std::optional<std::string>(int seat, const std::string& bot_path)> bot_swapped;
  // The round is due and its bots would decide now: a host with live bots
  // lets them decide (so their own state moves on as it did) and may compare.
  std::function<void(const BotOrders& recorded)> bots_decide;
  // The game clock for a line's wall-clock time; by default TimePoint{} plus
  // the milliseconds (a clock of its own, for tools and tests).
  std::function<TimePoint(std::int64_t at_ms)> clock;
};

struct ReplayResult {
  std::string error;        // empty: the journal replayed cleanly
  int first_mismatch = -1;  // 1-based round whose hash differs, or -1
  TimePoint last_at{};      // the replay clock at the last line
};

// Replays `lines` (in seq order) into `game`, a new game with the journal's
// scenario, seed and options. Times are the lines' wall clock on the replay
// clock (TimePoint{} + at_ms); every resolved round's hash is checked
// against the line that recorded it.
ReplayResult replay(Game& game, const std::vector<JournalLine>& lines, const ReplayHooks& hooks = {});

}  // namespace leadtime::game

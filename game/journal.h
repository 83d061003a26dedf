#pragma once

// A game's journal: the one file that reads and writes the stored form of
// a change (a kind name and a JSON payload, in the store and in save
// files), and replay, which rebuilds a game by calling the same Game
// methods with the typed changes. Orders are journaled as validated orders
// (action name and numbers), so a replay never depends on validation
// messages or defaults. The stored form is that of journals written since
// issue #4 (tests/data/golden/journal_v1.*): old saves and databases load.
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "game/change.h"
#include "game/game.h"
#include "server/store/store.h"

namespace leadtime::game {

// A change as the journal recorded it.
struct JournalLine {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;  // wall clock
  int seat = kNoActor;
  ChangeData change;
};

// The stored form of a change made at `at_ms` (wall clock).
server::store::JournalEntry journal_entry(const Change& change, std::int64_t at_ms);
// A stored change read back; an error names the line, its kind and what is
// wrong with it (a journal comes from save files too, which anyone can write).
std::variant<JournalLine, std::string> journal_line(const server::store::JournalEntry& entry);
std::variant<std::vector<JournalLine>, std::string> journal_lines(
    const std::vector<server::store::JournalEntry>& entries);

// Where a branch after `round` cuts a game's changes: the index of the
// change that resolved that round (the last time, if it was rolled back and
// played again), or of the start for round 0.
std::optional<std::size_t> branch_point(const std::vector<Change>& changes, int round);

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

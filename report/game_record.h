#pragma once

// A game as the after-action report needs it, read from its records: the
// save data (game/save) is replayed through the game layer's own restore
// code, and what the replay produced (the match's rounds, who played each
// seat, the facilitator's actions and the press) is collected here.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/match.h"
#include "game/save/save.h"

namespace leadtime::report {

// Who played a seat in one round, and the orders that resolved.
struct SeatPlay {
  bool bot = false;
  std::string bot_path;             // for a bot
  std::string member;               // for a person: whose submission counted ("" if none)
  std::vector<std::string> orders;  // as the engine describes them; empty: standing orders
  Policy policy;                    // the seat's standing policy in force this round (after its orders)
};

struct Seat {
  std::string id;
  std::string name;
  ActorKind kind = ActorKind::Government;
  Bloc bloc = Bloc::US;
  bool bot_at_start = false;
  std::string bot_path_at_start;
  Policy policy_at_start;  // the scenario's, before round 1's orders
};

// A facilitator action from the journal (inject, seat swap, rollback, ...).
struct FacilitatorAction {
  int round = 1;  // the round that was open (1-based)
  std::string kind;
  std::string seat;  // "" when the action names none
  std::string text;
  std::int64_t at_ms = 0;
};

struct PressItem {
  int round = 1;     // the round that was open
  std::string from;  // a seat id, or "facilitator"
  std::string to;    // "everyone" or the seat ids
  std::string text;
  std::int64_t at_ms = 0;
};

struct GameRecord {
  std::string id;
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_path;
  std::uint64_t seed = 0;
  Quarter start;
  int rounds_planned = 0;
  std::vector<std::string> scenario_events;  // ids of the scenario's event table
  std::string parent_id;                     // a branch's parent, or ""
  int branch_round = -1;                     // rounds the branch kept from its parent
  bool finished = false;
  std::int64_t created_ms = 0;
  std::vector<Seat> seats;
  std::vector<RoundRecord> rounds;            // as the match resolved them (after any rollback)
  std::vector<std::vector<SeatPlay>> played;  // per round, per seat
  std::vector<FacilitatorAction> actions;
  std::vector<PressItem> press;
  std::vector<double> final_scores;   // per seat, after the last round
  std::vector<std::string> warnings;  // the replay differed from the recording, ...

  [[nodiscard]] std::string seat_id(int seat) const;
};

// Replays the save's journal (game/save/restore.h) and collects the
// game. An error says why no report can be made (the scenario does not
// load); a replay that differs from the recording gives the rounds up to
// the difference and a warning.
std::variant<GameRecord, std::string> read_game(const game::save::SaveData& save);

// A save file's bytes, read and decoded; the error names the file.
std::variant<game::save::SaveData, std::string> load_save_file(const std::string& path);

}  // namespace leadtime::report

#pragma once

// The after-action report of one game: a self-contained HTML page for the
// facilitator's debrief (the scenario and seats, the race over rounds as
// charts, the events on a timeline in the same round columns, each seat's
// orders, the press and the final scores; a branch beside its parent).
#include <optional>
#include <string>
#include <variant>

#include "report/game_record.h"

namespace leadtime::report {

struct GameReportInput {
  GameRecord game;
  std::optional<GameRecord> parent;  // a branch's parent, drawn on the same charts
  std::string parent_note;           // why a branch's parent is missing, when it is
};

struct GameReportOptions {
  // The policy paper's tight line keeps a 12 to 24 month US lead
  // (design/model.md, "US capability lead in scenario 1"); the lead chart
  // shades that range.
  double band_lo_months = 12;
  double band_hi_months = 24;
  std::string generated_by;  // a line for the footer, e.g. the command and time
};

std::string render_game_report(const GameReportInput& input, const GameReportOptions& options = {});

// Ties a branch to the parent given for it. A record that does not name its
// parent (the server's records of branches do not, yet) takes this one, and
// its branch point is the last round the two games share (same state hash);
// a record that names another parent gets a warning.
void link_branch(GameRecord& game, const GameRecord& parent);

// Reads the game (and its parent, when given) from save data.
std::variant<GameReportInput, std::string> game_report_input(const game::save::SaveData& game,
                                                             const game::save::SaveData* parent,
                                                             std::string parent_note = {});

}  // namespace leadtime::report

#pragma once

#include <ostream>

#include "engine/match.h"

namespace leadtime {

// The per-round outcome table and final scores of a match, for people
// (text), spreadsheets (CSV) and scripts (JSON).
void print_table(std::ostream& out, const Match& match);
void print_csv(std::ostream& out, const Match& match);
void print_json(std::ostream& out, const Match& match);

}  // namespace leadtime

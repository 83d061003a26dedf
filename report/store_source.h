#pragma once

// A game's records straight from a server's store (saves/leadtime.db), in
// the form a save file holds them: how `leadtime-cli report GAME --db FILE`
// reads a game, and its parent when the game is a branch.
#include <string>
#include <variant>

#include "game/save/save.h"

namespace leadtime::report {

// The error names the file, or the game the file does not hold. A file
// that does not exist is an error (a store would otherwise create it).
std::variant<game::save::SaveData, std::string> load_from_store(const std::string& db_path, const std::string& game_id);

}  // namespace leadtime::report

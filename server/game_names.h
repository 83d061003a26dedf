#pragma once

// The server is a front end of the game layer (game/): a game, its seats,
// journal and save files are the game layer's, and the server's code names
// them as its own.
#include "game/game.h"
#include "game/journal.h"
#include "game/tokens.h"

namespace leadtime::server {
using namespace leadtime::game;  // NOLINT(google-build-using-namespace)
}  // namespace leadtime::server

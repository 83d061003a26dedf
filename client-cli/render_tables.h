#pragma once

// The facilitator's tables: a game's seats with who plays each and their
// tokens, every game on the server, the tokens saved for a game.
#include <string>
#include <vector>

#include "client-cli/model_types.h"
#include "client-cli/token_store.h"

namespace leadtime::cli {

std::string seats_table(const GameInfo* game, const GameTokens* tokens);
std::string games_table(const std::vector<GameInfo>& games, const std::vector<GameTokens>& tokens, SteadyTime now);
std::string tokens_text(const GameTokens& tokens);

}  // namespace leadtime::cli

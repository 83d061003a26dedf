#pragma once

// Bots written in C++ for the game layer's tests: a function of the seat's
// view plays each bot seat in place (Game::BotPlayer), its orders validated
// as a Lua bot's are and its failure a private bot_fault note.
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "engine/events.h"
#include "engine/views.h"
#include "game/game.h"

namespace leadtime::testing {

using FixedBot =
    std::function<std::variant<std::vector<OrderDraft>, std::string>(int seat, const View& view, const State& state)>;

inline game::Game::BotPlayer fixed_bots(FixedBot decide) {
  return [decide = std::move(decide)](const Match& match, const std::vector<bool>& bot_seats) {
    const State& state = match.state();
    game::BotOrders out;
    out.orders.resize(state.actors.size());
    for (std::size_t i = 0; i < bot_seats.size(); ++i) {
      if (!bot_seats[i]) continue;
      const int seat = static_cast<int>(i);
      auto decided = decide(seat, make_view(state, match.scenario().coef, seat), state);
      if (auto* drafts = std::get_if<std::vector<OrderDraft>>(&decided)) {
        out.orders[i] = validate_orders(state, seat, *drafts).orders;
      } else {
        out.notes.push_back(private_note(state, seat, "bot_fault",
                                         "bot for " + state.actors[i].id + ": " + std::get<std::string>(decided)));
      }
    }
    return out;
  };
}

}  // namespace leadtime::testing

#pragma once

// Verified wire messages into the client's plain values (model_types.h).
#include "client-cli/model_types.h"
#include "protocol/leadtime_generated.h"

namespace leadtime::cli {

GameInfo read_game(const wire::GameSummary& summary, SteadyTime now);
PressItem read_press(const wire::Press& press);
RoundInfo read_round_result(const wire::RoundResult& result);
FacilitatorInfo read_facilitator_view(const wire::FacilitatorView& view);
GameEndInfo read_game_ended(const wire::GameEnded& ended);
SubmitResult read_orders_accepted(const wire::OrdersAccepted& accepted);
std::vector<OrderDraft> read_orders(const flatbuffers::Vector<flatbuffers::Offset<wire::Order>>* orders);
Role read_role(wire::Role role);

}  // namespace leadtime::cli

#pragma once

// The load against the echo baseline: as many connections as the game run,
// grouped the same way; each seat's connection sends the frames a seat sends
// (SubmitOrders, then Ready), one at a time, waiting for each to come back.
// The facilitator's and observers' connections are held open, idle.
#include "protocol/asio.h"

#include "bench/load/figures.h"
#include "bench/load/game_load.h"

namespace leadtime::bench {

RunFigures run_echo_load(const LoadOptions& options, const GamePlan& plan, const asio::ip::tcp::endpoint& echo,
                         const CpuClock& server_cpu);

}  // namespace leadtime::bench

#pragma once

// The clients of a measurement in a process of their own: the benchmark
// re-runs its own binary with --clients-only, which connects to a port on
// loopback, plays the load and writes its figures to stdout
// (figures_text.h). Apart because one process holding both ends of 10,000
// connections needs 20,000 descriptors, the machine's whole limit, and so
// that the server's threads and the clients' are told apart by the kernel
// as they would be in use.
//
// While the clients play, the child writes a "cpu-mark" line at each
// phase's start and end; the parent reads the server threads' CPU clock as
// each arrives, so the CPU figure covers the play phase only, as before.
#include <cstdint>
#include <string>
#include <vector>

#include "bench/load/figures.h"
#include "bench/load/game_load.h"
#include "bench/load/phase.h"

namespace leadtime::bench {

enum class ClientsTarget { GameServer, Echo };

// The command line that makes the child play `options`' load against `port`
// (every option the clients use, and the role).
std::vector<std::string> clients_arguments(const LoadOptions& options, const std::string& scenario_path,
                                           const std::string& log_level, ClientsTarget target, std::uint16_t port);

// Runs this binary with `arguments` and waits for its figures, reading
// `server_cpu` at its marks. A child that dies or says nothing counts as a
// failed run, with the reason in first_failure.
RunFigures run_clients_process(const std::vector<std::string>& arguments, const CpuClock& server_cpu);

// The child's side: plays the load against 127.0.0.1:`port` and writes the
// figures to stdout; the exit status is 0 when no client failed.
int play_clients(const LoadOptions& options, const GamePlan& plan, ClientsTarget target, std::uint16_t port);

}  // namespace leadtime::bench

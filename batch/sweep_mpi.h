#pragma once

// `mpirun -np K leadtime-batch sweep SPEC` (built with -DLEADTIME_MPI=ON):
// every rank reads and checks the spec; rank 0 opens the results file, works
// out which runs are still to play and hands them out in small chunks on
// request (dynamic hand-out: a rank that drew slow points just asks less
// often). Each worker rank keeps two requests in flight so its next chunk is
// already there when it finishes one. Rank 0 plays runs on its own threads
// as well, and is the only rank that writes.
//
// Rows depend only on the run index, so the file is the same whatever the
// number of ranks, threads or hosts; resume and --shard work as without MPI.

#include <ostream>

#include "batch/sweep_exec.h"

namespace leadtime::sweep {

// Initialises MPI, runs the sweep on every rank, finalises MPI. Returns the
// exit code for this rank (the same on every rank for bad input).
int run_sweep_mpi(const SweepOptions& options, std::ostream& out, std::ostream& err);

}  // namespace leadtime::sweep

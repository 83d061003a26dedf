#pragma once

// RunFigures as lines of text, so the clients' process (clients_process.h)
// can hand its figures to the process that prints the table: one
// "figure <name> <value>" line per field, the first failure's text last on
// its own line, as it may hold spaces.
#include <cstdio>
#include <string>

#include "bench/load/figures.h"

namespace leadtime::bench {

inline constexpr const char* kFigureLine = "figure ";

void write_figures(std::FILE* out, const RunFigures& figures);

// Reads one line written by write_figures (without its "figure " prefix or
// newline) into `figures`; false when the line names no known field.
bool read_figure(const std::string& line, RunFigures& figures);

}  // namespace leadtime::bench

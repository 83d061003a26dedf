#pragma once

// Rows as bytes, for MPI ranks sending their results to rank 0. Integers are
// little-endian and doubles travel by their bit patterns, so a row arrives
// exactly as it left (ranks run the same build; see docs/sweeps.md).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "batch/sweep_run.h"

namespace leadtime::sweep {

std::vector<std::uint8_t> encode_rows(std::span<const RunRow> rows);
// Nothing when the bytes are not a whole encoding.
std::optional<std::vector<RunRow>> decode_rows(std::span<const std::uint8_t> bytes);

}  // namespace leadtime::sweep

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/state.h"

namespace leadtime {

// The canonical byte encoding of a state: every field in the order of its
// table (engine/state_fields.h), fixed-width little-endian integers, doubles
// by their bit patterns, strings and vectors length-prefixed, arrays not. The state hash is XXH3-64 of these bytes;
// both are part of the save format and must never change silently (a golden test pins them).
std::vector<std::uint8_t> canonical_bytes(const State& state);
std::uint64_t state_hash(const State& state);
std::string hash_hex(std::uint64_t hash);

}  // namespace leadtime

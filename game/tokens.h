#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace leadtime::game {

// Join tokens: 128 random bits from libsodium, shown once as hex; only their
// BLAKE2b hash is kept, and hashes are compared in constant time.
using TokenHash = std::array<std::uint8_t, 32>;

std::string new_token();
TokenHash hash_token(std::string_view token);
bool same_hash(const TokenHash& a, const TokenHash& b);

}  // namespace leadtime::game

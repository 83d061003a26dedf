#pragma once

// Which standard containers a field's type is, for the code that walks the
// field tables (hash, wire, JSON, Lua views) and must treat arrays and
// vectors apart from plain values.
#include <array>
#include <cstddef>
#include <vector>

namespace leadtime {

template <typename T>
inline constexpr bool kIsArray = false;
template <typename T, std::size_t N>
inline constexpr bool kIsArray<std::array<T, N>> = true;

template <typename T>
inline constexpr bool kIsVector = false;
template <typename T>
inline constexpr bool kIsVector<std::vector<T>> = true;

}  // namespace leadtime

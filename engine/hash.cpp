#include "engine/hash.h"

#include <xxhash.h>
#include <array>
#include <bit>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/container_traits.h"
#include "engine/state_fields.h"

namespace leadtime {
namespace {

// The encoding is written in two passes: its exact size first, then the
// bytes through a plain pointer passed along and returned. A pointer that
// lives in a register can never be aliased by the byte stores, which a sink
// object's position could be, and nothing checks for room on every field:
// this made the hash several times faster. The XXH3 of the whole buffer at
// once equals the streamed one, so the hash did not change.

// The size of T's encoding when every value of T has the same, else 0
// (strings, vectors and the structs holding one).
template <typename T>
constexpr std::size_t fixed_size() {
  if constexpr (std::is_same_v<T, bool>) {
    return 1;
  } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, int> || std::is_same_v<T, std::uint64_t> ||
                       std::is_enum_v<T>) {
    return 8;
  } else if constexpr (std::is_same_v<T, Rng>) {
    return sizeof(Rng{}.words());
  } else if constexpr (kIsArray<T>) {
    return std::tuple_size_v<T> * fixed_size<typename T::value_type>();
  } else if constexpr (fields::HasTable<T>) {
    std::size_t total = 0;
    bool fixed = true;
    fields::for_each<T>([&](auto at) {
      const std::size_t n = fixed_size<typename decltype(at)::Type>();
      fixed = fixed && n > 0;
      total += n;
    });
    return fixed ? total : 0;
  } else {
    return 0;
  }
}

template <typename T>
std::size_t encoded_size(const T& v) {
  if constexpr (fixed_size<T>() > 0) {
    return fixed_size<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return 8 + v.size();
  } else if constexpr (kIsVector<T> || kIsArray<T>) {
    constexpr std::size_t each = fixed_size<typename T::value_type>();
    std::size_t total = kIsVector<T> ? 8 : 0;
    if constexpr (each > 0) return total + v.size() * each;
    for (const auto& x : v) total += encoded_size(x);
    return total;
  } else {
    static_assert(fields::HasTable<T>, "no encoding for this type");
    std::size_t total = 0;
    fields::for_each<T>([&](auto at) { total += encoded_size(v.*decltype(at)::field.member); });
    return total;
  }
}

std::uint8_t* put_u64(std::uint8_t* out, std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, &v, 8);
  } else {
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  return out + 8;
}

// Each type's encoding (see hash.h); structs are their fields in table order
// (engine/state_fields.h). Returns the end of what it wrote.
template <typename T>
std::uint8_t* put(std::uint8_t* out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    *out = v ? 1 : 0;
    return out + 1;
  } else if constexpr (std::is_same_v<T, double>) {
    return put_u64(out, std::bit_cast<std::uint64_t>(v));
  } else if constexpr (std::is_same_v<T, int>) {
    return put_u64(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    return put_u64(out, v);
  } else if constexpr (std::is_enum_v<T>) {
    return put_u64(out, static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    out = put_u64(out, v.size());
    std::memcpy(out, v.data(), v.size());
    return out + v.size();
  } else if constexpr (std::is_same_v<T, Rng>) {
    for (std::uint64_t w : v.words()) out = put_u64(out, w);
    return out;
  } else if constexpr (kIsArray<T>) {  // no length: it is fixed
    for (const auto& x : v) out = put(out, x);
    return out;
  } else if constexpr (kIsVector<T>) {  // length first
    out = put_u64(out, v.size());
    for (const auto& x : v) out = put(out, x);
    return out;
  } else {
    static_assert(fields::HasTable<T>, "no encoding for this type");
    fields::for_each<T>([&](auto at) { out = put(out, v.*decltype(at)::field.member); });
    return out;
  }
}

const std::string kVersion = "leadtime-state-v1";

std::size_t state_size(const State& state) { return encoded_size(kVersion) + encoded_size(state); }

// Writes the encoding into `out`, which holds state_size(state) bytes.
void write_state(std::uint8_t* out, const State& state) {
  [[maybe_unused]] std::uint8_t* const end = out + state_size(state);
  out = put(out, kVersion);
  out = put(out, state);
  assert(out == end);
}

}  // namespace

std::vector<std::uint8_t> canonical_bytes(const State& state) {
  std::vector<std::uint8_t> bytes(state_size(state));
  write_state(bytes.data(), state);
  return bytes;
}

std::uint64_t state_hash(const State& state) {
  const std::size_t size = state_size(state);
  const auto bytes = std::make_unique_for_overwrite<std::uint8_t[]>(size);
  write_state(bytes.get(), state);
  return XXH3_64bits(bytes.get(), size);
}

std::string hash_hex(std::uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace leadtime

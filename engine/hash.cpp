#include "engine/hash.h"

#include <xxhash.h>
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/state_fields.h"

namespace leadtime {
namespace {

// Writes the canonical encoding into a sink: a byte vector for
// canonical_bytes, or straight into XXH3's streaming state for the hash (the
// same bytes, without building them in memory first).
class Encoder {
 public:
  explicit Encoder(std::vector<std::uint8_t>* bytes) : bytes_(bytes) {}
  explicit Encoder(XXH3_state_t* hash) : hash_(hash) {}

  void u64(std::uint64_t v) {
    std::array<std::uint8_t, 8> le{};
    for (std::size_t i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
    write(le.data(), le.size());
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void flag(bool v) {
    const std::uint8_t b = v ? 1 : 0;
    write(&b, 1);
  }
  void str(const std::string& s) {
    u64(s.size());
    write(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  }
  template <typename T, std::size_t N>
  void f64s(const std::array<T, N>& a) {
    for (const T& v : a) f64(static_cast<double>(v));
  }

 private:
  void write(const std::uint8_t* data, std::size_t n) {
    if (bytes_) bytes_->insert(bytes_->end(), data, data + n);
    if (!hash_) return;
    // Small writes are batched: XXH3's update has a per-call cost that
    // dominates 8-byte writes.
    if (used_ + n > chunk_.size()) flush();
    if (n > chunk_.size()) {
      XXH3_64bits_update(hash_, data, n);
      return;
    }
    std::copy(data, data + n, chunk_.begin() + static_cast<std::ptrdiff_t>(used_));
    used_ += n;
  }

 public:
  void flush() {
    if (hash_ && used_ > 0) XXH3_64bits_update(hash_, chunk_.data(), used_);
    used_ = 0;
  }

 private:
  std::vector<std::uint8_t>* bytes_ = nullptr;
  XXH3_state_t* hash_ = nullptr;
  std::array<std::uint8_t, 4096> chunk_{};
  std::size_t used_ = 0;
};

// Each type's encoding; structs are their fields in table order
// (engine/state_fields.h). Declared first so the templates find every
// overload whatever they hold.
void put(Encoder& e, double v);
void put(Encoder& e, bool v);
void put(Encoder& e, int v);
void put(Encoder& e, std::uint64_t v);
void put(Encoder& e, const std::string& v);
void put(Encoder& e, const Rng& rng);
template <typename E>
requires std::is_enum_v<E>
void put(Encoder& e, E v);
template <typename T, std::size_t N>
void put(Encoder& e, const std::array<T, N>& values);  // no length: it is fixed
template <typename T>
void put(Encoder& e, const std::vector<T>& values);  // length first
template <fields::HasTable S>
void put(Encoder& e, const S& s);

void put(Encoder& e, double v) { e.f64(v); }
void put(Encoder& e, bool v) { e.flag(v); }
void put(Encoder& e, int v) { e.i64(v); }
void put(Encoder& e, std::uint64_t v) { e.u64(v); }
void put(Encoder& e, const std::string& v) { e.str(v); }
void put(Encoder& e, const Rng& rng) {
  for (std::uint64_t w : rng.words()) e.u64(w);
}

template <typename E>
requires std::is_enum_v<E>
void put(Encoder& e, E v) { e.u64(static_cast<std::uint64_t>(v)); }

template <typename T, std::size_t N>
void put(Encoder& e, const std::array<T, N>& values) {
  for (const T& v : values) put(e, v);
}

template <typename T>
void put(Encoder& e, const std::vector<T>& values) {
  e.u64(values.size());
  for (const T& v : values) put(e, v);
}

template <fields::HasTable S>
void put(Encoder& e, const S& s) {
  fields::for_each<S>([&](auto at) { put(e, s.*decltype(at)::field.member); });
}

void encode_state(Encoder& e, const State& s) {
  e.str("leadtime-state-v1");
  put(e, s);
}

}  // namespace

std::vector<std::uint8_t> canonical_bytes(const State& state) {
  std::vector<std::uint8_t> bytes;
  Encoder e(&bytes);
  encode_state(e, state);
  return bytes;
}

std::uint64_t state_hash(const State& state) {
  XXH3_state_t* hash = XXH3_createState();
  XXH3_64bits_reset(hash);
  Encoder e(hash);
  encode_state(e, state);
  e.flush();
  const std::uint64_t out = XXH3_64bits_digest(hash);
  XXH3_freeState(hash);
  return out;
}

std::string hash_hex(std::uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace leadtime

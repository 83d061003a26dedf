#include "engine/hash.h"

#include <xxhash.h>
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/state_fields.h"

namespace leadtime {
namespace {

// Where the canonical encoding goes: straight into XXH3's streaming state
// for the hash (the same bytes, without building them in memory first), or a
// byte vector for canonical_bytes.
class HashSink {
 public:
  explicit HashSink(XXH3_state_t* state) : state_(state) {}

  // Small writes are batched: XXH3's update has a per-call cost that
  // dominates 8-byte writes.
  void write(const std::uint8_t* data, std::size_t n) {
    if (n > chunk_.size() - used_) [[unlikely]] {
      flush();
      if (n > chunk_.size()) {
        XXH3_64bits_update(state_, data, n);
        return;
      }
    }
    std::memcpy(chunk_.data() + used_, data, n);
    used_ += n;
  }

  void flush() {
    if (used_ > 0) XXH3_64bits_update(state_, chunk_.data(), used_);
    used_ = 0;
  }

 private:
  XXH3_state_t* state_;
  std::array<std::uint8_t, 4096> chunk_{};
  std::size_t used_ = 0;
};

class BytesSink {
 public:
  explicit BytesSink(std::vector<std::uint8_t>& out) : out_(out) {}
  void write(const std::uint8_t* data, std::size_t n) { out_.insert(out_.end(), data, data + n); }

 private:
  std::vector<std::uint8_t>& out_;
};

// The sink is held by value, so the compiler need not reload it after every
// byte store (a byte store may alias anything).
template <typename Sink>
class Encoder {
 public:
  template <typename Arg>
  explicit Encoder(Arg&& arg) : sink_(std::forward<Arg>(arg)) {}

  Sink& sink() { return sink_; }

  void u64(std::uint64_t v) {
    std::array<std::uint8_t, 8> le{};
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(le.data(), &v, le.size());
    } else {
      for (std::size_t i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
    sink_.write(le.data(), le.size());
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void flag(bool v) {
    const std::uint8_t b = v ? 1 : 0;
    sink_.write(&b, 1);
  }
  void str(const std::string& s) {
    u64(s.size());
    sink_.write(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  }

 private:
  Sink sink_;
};

// Each type's encoding; structs are their fields in table order
// (engine/state_fields.h). Declared first so the templates find every
// overload whatever they hold.
template <typename Sink>
void put(Encoder<Sink>& e, double v);
template <typename Sink>
void put(Encoder<Sink>& e, bool v);
template <typename Sink>
void put(Encoder<Sink>& e, int v);
template <typename Sink>
void put(Encoder<Sink>& e, std::uint64_t v);
template <typename Sink>
void put(Encoder<Sink>& e, const std::string& v);
template <typename Sink>
void put(Encoder<Sink>& e, const Rng& rng);
template <typename Sink, typename E>
requires std::is_enum_v<E>
void put(Encoder<Sink>& e, E v);
template <typename Sink, typename T, std::size_t N>
void put(Encoder<Sink>& e, const std::array<T, N>& values);  // no length: it is fixed
template <typename Sink, typename T>
void put(Encoder<Sink>& e, const std::vector<T>& values);  // length first
template <typename Sink, fields::HasTable S>
void put(Encoder<Sink>& e, const S& s);

template <typename Sink>
void put(Encoder<Sink>& e, double v) {
  e.f64(v);
}
template <typename Sink>
void put(Encoder<Sink>& e, bool v) {
  e.flag(v);
}
template <typename Sink>
void put(Encoder<Sink>& e, int v) {
  e.i64(v);
}
template <typename Sink>
void put(Encoder<Sink>& e, std::uint64_t v) {
  e.u64(v);
}
template <typename Sink>
void put(Encoder<Sink>& e, const std::string& v) {
  e.str(v);
}
template <typename Sink>
void put(Encoder<Sink>& e, const Rng& rng) {
  for (std::uint64_t w : rng.words()) e.u64(w);
}

template <typename Sink, typename E>
requires std::is_enum_v<E>
void put(Encoder<Sink>& e, E v) { e.u64(static_cast<std::uint64_t>(v)); }

template <typename Sink, typename T, std::size_t N>
void put(Encoder<Sink>& e, const std::array<T, N>& values) {
  for (const T& v : values) put(e, v);
}

template <typename Sink, typename T>
void put(Encoder<Sink>& e, const std::vector<T>& values) {
  e.u64(values.size());
  for (const T& v : values) put(e, v);
}

template <typename Sink, fields::HasTable S>
void put(Encoder<Sink>& e, const S& s) {
  fields::for_each<S>([&](auto at) { put(e, s.*decltype(at)::field.member); });
}

template <typename Sink>
void encode_state(Encoder<Sink>& e, const State& s) {
  e.str("leadtime-state-v1");
  put(e, s);
}

}  // namespace

std::vector<std::uint8_t> canonical_bytes(const State& state) {
  std::vector<std::uint8_t> bytes;
  Encoder<BytesSink> e(bytes);
  encode_state(e, state);
  return bytes;
}

std::uint64_t state_hash(const State& state) {
  XXH3_state_t* hash = XXH3_createState();
  XXH3_64bits_reset(hash);
  Encoder<HashSink> e(hash);
  encode_state(e, state);
  e.sink().flush();
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

#pragma once

// Helpers shared by the fuzz targets (docs/fuzzing.md): reading structured
// values out of the fuzzer's bytes, the default scenario, and a check that
// stops the process with a message (a finding, as a crash would be).
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#if defined(__SANITIZE_ADDRESS__)
#define LEADTIME_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEADTIME_HAVE_ASAN 1
#endif
#endif
#if defined(LEADTIME_HAVE_ASAN)
// From the sanitizer runtime (gcc ships no header for it).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include "engine/lua/scenario_loader.h"
#include "engine/scenario.h"

namespace leadtime::fuzz {

#define LEADTIME_FUZZ_CHECK(cond, ...)                                                     \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                   \
      std::fprintf(stderr, "\n");                                                          \
      std::abort();                                                                        \
    }                                                                                      \
  } while (false)

// Bytes the sanitizer's allocator holds now, when built with ASan.
inline std::optional<std::size_t> allocated_bytes() {
#if defined(LEADTIME_HAVE_ASAN)
  return __sanitizer_get_current_allocated_bytes();
#else
  return std::nullopt;
#endif
}

// A file of the source tree, whatever the working directory.
inline std::string source_path(std::string_view relative) {
  return std::string(LEADTIME_SOURCE_DIR) + "/" + std::string(relative);
}

// The default scenario, loaded once per process.
inline std::shared_ptr<const Scenario> default_scenario() {
  static const std::shared_ptr<const Scenario> scenario = [] {
    const std::string path = source_path("scenarios/2028.lua");
    auto loaded = load_scenario_file(path);
    LEADTIME_FUZZ_CHECK(loaded.scenario, "cannot load %s: %s", path.c_str(), loaded.error.c_str());
    return std::make_shared<const Scenario>(std::move(*loaded.scenario));
  }();
  return scenario;
}

// Takes values from the front of the input; once it is used up every value
// reads as zero, so a short input is still a complete (if dull) one.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  [[nodiscard]] bool empty() const { return bytes_.empty(); }
  [[nodiscard]] std::size_t left() const { return bytes_.size(); }

  std::uint8_t u8() {
    if (bytes_.empty()) return 0;
    const std::uint8_t b = bytes_.front();
    bytes_ = bytes_.subspan(1);
    return b;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(u8()) << (8 * i);
    return v;
  }
  // A number in [0, n); n > 0.
  std::size_t below(std::size_t n) { return u8() % n; }
  bool flag() { return (u8() & 1U) != 0; }

  // A string of up to `max` bytes, its length first.
  std::string text(std::size_t max = 32) {
    const std::size_t wanted = below(max + 1);
    const std::size_t n = std::min(wanted, bytes_.size());
    std::string out(reinterpret_cast<const char*>(bytes_.data()), n);
    bytes_ = bytes_.subspan(n);
    return out;
  }

  // A double that is often one a range check has to get right: NaN, the
  // infinities, huge and tiny values, signed zero, the bounds and just past
  // them; otherwise any bit pattern or a small integer.
  double number(double min = 0, double max = 0) {
    switch (below(16)) {
      case 0:
        return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return std::numeric_limits<double>::infinity();
      case 2:
        return -std::numeric_limits<double>::infinity();
      case 3:
        return std::numeric_limits<double>::max();
      case 4:
        return std::numeric_limits<double>::lowest();
      case 5:
        return std::numeric_limits<double>::denorm_min();
      case 6:
        return -0.0;
      case 7:
        return min;
      case 8:
        return max;
      case 9:
        return std::nextafter(max, std::numeric_limits<double>::infinity());
      case 10:
        return std::nextafter(min, -std::numeric_limits<double>::infinity());
      case 11:
        return 1e300;
      case 12:
        return static_cast<double>(static_cast<std::int8_t>(u8()));
      case 13:
        return min + (max - min) * (u8() / 255.0);
      case 14:
        return static_cast<double>(u64());  // up to 2^64: past any integer range
      default:
        return std::bit_cast<double>(u64());
    }
  }

  std::span<const std::uint8_t> rest() {
    const auto out = bytes_;
    bytes_ = {};
    return out;
  }

 private:
  std::span<const std::uint8_t> bytes_;
};

}  // namespace leadtime::fuzz

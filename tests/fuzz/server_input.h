#pragma once

// The input format of the "server" fuzz target, shared with the seed
// generator. An input is
//
//   prelude byte, then frames separated by kSeparator
//
// The prelude byte says how the connection is set up before the frames go
// out (see Prelude). Each frame is one envelope payload; the harness adds a
// correct length prefix. A frame starting with kRawMark is sent as it is,
// without a prefix, so lying prefixes and frames split across the end of
// the input stay reachable.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace leadtime::fuzz::server_input {

inline constexpr std::string_view kSeparator = "<frame>";
inline constexpr std::string_view kRawMark = "RAW:";
inline constexpr std::size_t kMaxFrames = 64;

// Bits of the prelude byte.
struct Prelude {
  enum Role : std::uint8_t { None = 0, Seat = 1, Facilitator = 2, Observer = 3 };
  Role role = None;         // bits 0-1: whom the connection joins as (None: no game is made)
  bool skip_hello = false;  // bit 2: no Hello first (with role None only)
  bool started = false;     // bit 3: the facilitator starts the game first
  int seat = 0;             // bits 4-6: the seat joined, or left to a person
  bool bots = false;        // bit 7: every other seat is played by its scenario bot

  static Prelude from(std::uint8_t b) {
    Prelude p;
    p.role = static_cast<Role>(b & 3U);
    p.skip_hello = (b & 4U) != 0;
    p.started = (b & 8U) != 0;
    p.seat = (b >> 4U) & 7U;
    p.bots = (b & 128U) != 0;
    return p;
  }
  [[nodiscard]] std::uint8_t byte() const {
    return static_cast<std::uint8_t>(role | (skip_hello ? 4U : 0U) | (started ? 8U : 0U) |
                                     (static_cast<unsigned>(seat & 7) << 4U) | (bots ? 128U : 0U));
  }
};

// An input from a prelude and frames (payloads, or raw bytes after kRawMark).
inline std::vector<std::uint8_t> make(const Prelude& prelude, const std::vector<std::vector<std::uint8_t>>& frames) {
  std::vector<std::uint8_t> out{prelude.byte()};
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i > 0) out.insert(out.end(), kSeparator.begin(), kSeparator.end());
    out.insert(out.end(), frames[i].begin(), frames[i].end());
  }
  return out;
}

// The frames of an input, at most kMaxFrames.
inline std::vector<std::span<const std::uint8_t>> split(std::span<const std::uint8_t> body) {
  std::vector<std::span<const std::uint8_t>> out;
  if (body.empty()) return out;
  const std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
  std::size_t start = 0;
  while (out.size() < kMaxFrames) {
    const std::size_t at = text.find(kSeparator, start);
    const std::size_t end = at == std::string_view::npos ? text.size() : at;
    out.push_back(body.subspan(start, end - start));
    if (at == std::string_view::npos) break;
    start = at + kSeparator.size();
  }
  return out;
}

}  // namespace leadtime::fuzz::server_input

// Fuzz target "frames": the frame decoder and envelope verification
// (protocol/framing.h), as a server or client reads a peer's byte stream.
//
// Input: byte 0 picks the decoder's size cap (small caps make over-cap
// length prefixes reachable), byte 1 seeds how the stream is cut into reads,
// and the rest is the stream itself. Beyond "no crash", it checks that
//   - the frames and the failure are the same however the stream is cut
//     (one read, one byte at a time, random pieces with frames taken between
//     reads as the server does) and match a plain reading of the prefixes;
//   - the decoder never holds more than it was fed, so a lying length
//     prefix costs nothing;
//   - every frame that verifies reads whole (wire_walk.h), also when it is
//     not aligned, and framing it again gives back the bytes it came in.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/framing.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/wire_walk.h"

namespace proto = leadtime::protocol;
using leadtime::fuzz::WireWalk;

namespace {

using Frames = std::vector<std::vector<std::uint8_t>>;

struct Outcome {
  Frames frames;
  bool failed = false;
  std::size_t held = 0;  // bytes of the unfinished frame
};

// What the stream holds, read the plain way.
Outcome model(std::span<const std::uint8_t> s, std::uint32_t cap) {
  Outcome out;
  std::size_t pos = 0;
  while (s.size() - pos >= proto::kLengthPrefixBytes) {
    const std::uint32_t n = static_cast<std::uint32_t>(s[pos]) | (static_cast<std::uint32_t>(s[pos + 1]) << 8) |
                            (static_cast<std::uint32_t>(s[pos + 2]) << 16) |
                            (static_cast<std::uint32_t>(s[pos + 3]) << 24);
    if (n == 0 || n > cap) {
      out.failed = true;
      return out;
    }
    if (s.size() - pos - proto::kLengthPrefixBytes < n) break;
    const auto body = s.subspan(pos + proto::kLengthPrefixBytes, n);
    out.frames.emplace_back(body.begin(), body.end());
    pos += proto::kLengthPrefixBytes + n;
  }
  out.held = s.size() - pos;
  return out;
}

// Feeds the stream in pieces of the given sizes (cycled), taking frames
// after every read when `eager`.
Outcome decode(std::span<const std::uint8_t> s, std::uint32_t cap, const std::vector<std::size_t>& pieces, bool eager) {
  proto::FrameDecoder decoder(cap);
  Outcome out;
  std::size_t pos = 0;
  std::size_t fed = 0;
  for (std::size_t i = 0; pos < s.size(); ++i) {
    const std::size_t n = std::min(pieces[i % pieces.size()], s.size() - pos);
    decoder.feed(s.subspan(pos, n));
    pos += n;
    fed += n;
    LEADTIME_FUZZ_CHECK(decoder.buffered() <= fed, "decoder holds %zu bytes after %zu were fed", decoder.buffered(),
                        fed);
    if (eager) {
      while (auto f = decoder.next()) {
        fed -= f->size() + proto::kLengthPrefixBytes;
        out.frames.push_back(std::move(*f));
      }
    }
  }
  while (auto f = decoder.next()) out.frames.push_back(std::move(*f));
  out.failed = decoder.failed();
  out.held = decoder.buffered();
  if (out.failed) {
    LEADTIME_FUZZ_CHECK(!decoder.error().message.empty(), "a failed decoder must say why");
    LEADTIME_FUZZ_CHECK(decoder.buffered() == 0, "a failed decoder holds %zu bytes", decoder.buffered());
  }
  return out;
}

void same(const Outcome& a, const Outcome& b, const char* how) {
  LEADTIME_FUZZ_CHECK(a.failed == b.failed, "%s: failed %d vs %d", how, a.failed, b.failed);
  // The frames before a bad prefix are still handed out.
  if (!a.failed) LEADTIME_FUZZ_CHECK(a.held == b.held, "%s: holds %zu vs %zu", how, a.held, b.held);
  LEADTIME_FUZZ_CHECK(a.frames.size() == b.frames.size(), "%s: %zu frames vs %zu", how, a.frames.size(),
                      b.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    LEADTIME_FUZZ_CHECK(a.frames[i] == b.frames[i], "%s: frame %zu differs", how, i);
  }
}

void check_frame(const std::vector<std::uint8_t>& frame, std::uint32_t cap) {
  const auto verified = proto::verify_envelope(frame);
  // The verified envelope's fields all read inside the buffer.
  if (verified) {
    WireWalk walk;
    walk.envelope(*verified.envelope);
    (void)walk.sum();
  } else {
    LEADTIME_FUZZ_CHECK(!verified.error.empty(), "a refused envelope must say why");
  }
  // Off the 8-byte boundary the verifier may refuse, but must stay inside.
  std::vector<std::uint8_t> shifted(frame.size() + 1);
  std::copy(frame.begin(), frame.end(), shifted.begin() + 1);
  const auto off = proto::verify_envelope(std::span<const std::uint8_t>(shifted).subspan(1));
  if (off) {
    WireWalk walk;
    walk.envelope(*off.envelope);
  }
  const auto again = proto::encode_frame(frame, cap);
  LEADTIME_FUZZ_CHECK(again.size() == frame.size() + proto::kLengthPrefixBytes &&
                          std::equal(frame.begin(), frame.end(), again.begin() + proto::kLengthPrefixBytes),
                      "encode_frame does not give back the frame");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static constexpr std::array<std::uint32_t, 8> kCaps = {proto::kDefaultMaxFrame, 1, 7, 8, 64, 255, 4096, 0xFFFFFFFF};
  const std::uint32_t cap = kCaps[data[0] % kCaps.size()];
  std::uint32_t rng = data[1] * 2654435761U + 1;
  const std::span<const std::uint8_t> stream(data + 2, size - 2);

  const Outcome expected = model(stream, cap);
  std::vector<std::size_t> random_pieces;
  for (int i = 0; i < 16; ++i) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    random_pieces.push_back(1 + rng % 23);
  }
  const auto before = leadtime::fuzz::allocated_bytes();
  const Outcome whole = decode(stream, cap, {stream.size() + 1}, false);
  const auto after = leadtime::fuzz::allocated_bytes();
  // The stream is copied into frames at most twice (the decoder's queue, the
  // result); a buffer sized by a lying prefix would show here.
  if (before && after && *after > *before) {
    const std::size_t grown = *after - *before;
    LEADTIME_FUZZ_CHECK(grown <= 3 * stream.size() + 64 * 1024 + 4096,
                        "decoding %zu bytes allocated %zu bytes and kept them", stream.size(), grown);
  }
  same(expected, whole, "one read");
  same(expected, decode(stream, cap, {1}, true), "byte by byte");
  same(expected, decode(stream, cap, random_pieces, true), "random pieces");
  same(expected, decode(stream, cap, {3, 4, 5}, false), "3,4,5 pieces");

  for (const auto& frame : whole.frames) check_frame(frame, cap);
  return 0;
}

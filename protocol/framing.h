#pragma once

// Framing of the wire protocol: each message is a 4-byte little-endian length
// followed by that many bytes of one FlatBuffers Envelope. Nothing reads a
// buffer before verify_envelope() has passed it.
#include <flatbuffers/flatbuffers.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "protocol/leadtime_generated.h"

namespace leadtime::protocol {

// The protocol version this build speaks (Envelope.protocol_version, Hello).
inline constexpr std::uint16_t kProtocolVersion = 1;
// Largest frame accepted unless a decoder is given another cap.
inline constexpr std::uint32_t kDefaultMaxFrame = 1 << 20;
inline constexpr std::size_t kLengthPrefixBytes = 4;

struct FrameError {
  std::string message;
};

// Splits a byte stream into frames. Feed it bytes as they arrive, in any
// pieces; take complete frames with next(). A length prefix of zero or above
// the cap is a FrameError and poisons the decoder (a stream cannot be resynced
// after a bad prefix): the connection should be closed. The decoder never
// holds more than 4 bytes of prefix plus the part of one frame received so
// far, and grows that buffer only as bytes arrive, so a lying length prefix
// costs nothing.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::uint32_t max_frame = kDefaultMaxFrame) : max_frame_(max_frame) {}

  // Consumes all of `bytes` (ignored once the decoder has failed).
  void feed(std::span<const std::uint8_t> bytes);

  // The next complete frame (without its prefix), or nullopt when more bytes
  // are needed or the stream failed (see failed()/error()).
  std::optional<std::vector<std::uint8_t>> next();

  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const FrameError& error() const { return error_; }
  // Bytes held of the frame in progress (prefix and body), not counting
  // complete frames waiting in next().
  [[nodiscard]] std::size_t buffered() const { return header_len_ + body_.size(); }
  // Complete frames waiting to be taken.
  [[nodiscard]] std::size_t ready() const { return frames_.size(); }
  [[nodiscard]] std::uint32_t max_frame() const { return max_frame_; }

 private:
  void fail(std::string message);

  std::uint32_t max_frame_;
  std::uint8_t header_[kLengthPrefixBytes] = {};
  std::size_t header_len_ = 0;
  std::uint32_t body_len_ = 0;  // expected body length once the header is complete
  std::vector<std::uint8_t> body_;
  std::deque<std::vector<std::uint8_t>> frames_;
  bool failed_ = false;
  FrameError error_;
};

// The finished buffer in `builder`, prefixed with its length. Throws
// std::length_error when the buffer is larger than `max_frame` (a peer would
// reject it anyway).
std::vector<std::uint8_t> encode_frame(const flatbuffers::FlatBufferBuilder& builder,
                                       std::uint32_t max_frame = kDefaultMaxFrame);
std::vector<std::uint8_t> encode_frame(std::span<const std::uint8_t> payload,
                                       std::uint32_t max_frame = kDefaultMaxFrame);

// Limits the verifier works within: nesting depth and number of tables in one
// buffer. A legitimate message is far inside both.
inline constexpr unsigned kMaxVerifyDepth = 32;
inline constexpr unsigned kMaxVerifyTables = 100000;

// The verified envelope, or text saying why the buffer was refused. The
// envelope points into `buffer`, which must outlive it and start on an
// 8-byte boundary (frames from FrameDecoder do); a buffer that does not is
// refused, since the verifier checks alignment relative to its start only.
struct VerifiedEnvelope {
  const wire::Envelope* envelope = nullptr;
  std::string error;  // empty when envelope is set
  // The buffer verified as an envelope, but it carries no message or one
  // this build does not know: answer Error{BadMessage} with this request id
  // and read on (the stream is intact). False for a buffer that failed
  // verification, which is broken or hostile: answer with request id 0 and
  // close.
  bool readable = false;
  std::uint32_t request_id = 0;
  explicit operator bool() const { return envelope != nullptr; }
};
VerifiedEnvelope verify_envelope(std::span<const std::uint8_t> buffer);

}  // namespace leadtime::protocol

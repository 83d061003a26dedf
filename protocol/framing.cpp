#include "protocol/framing.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace leadtime::protocol {

namespace {

std::uint32_t read_le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// Grows in steps no larger than this, so the capacity tracks bytes received
// rather than the length a peer claimed.
constexpr std::size_t kReserveStep = std::size_t{64} * 1024;

}  // namespace

void FrameDecoder::fail(std::string message) {
  failed_ = true;
  error_.message = std::move(message);
  header_len_ = 0;
  body_len_ = 0;
  body_.clear();
  body_.shrink_to_fit();
}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty() && !failed_) {
    if (header_len_ < kLengthPrefixBytes) {
      const std::size_t take = std::min(kLengthPrefixBytes - header_len_, bytes.size());
      std::copy_n(bytes.begin(), take, header_ + header_len_);
      header_len_ += take;
      bytes = bytes.subspan(take);
      if (header_len_ < kLengthPrefixBytes) return;
      body_len_ = read_le32(header_);
      if (body_len_ == 0) {
        fail("frame of 0 bytes: a frame must hold a message");
        return;
      }
      if (body_len_ > max_frame_) {
        fail("frame of " + std::to_string(body_len_) + " bytes exceeds the " + std::to_string(max_frame_) +
             "-byte limit");
        return;
      }
      body_.clear();
    }
    const std::size_t need = body_len_ - body_.size();
    const std::size_t take = std::min(need, bytes.size());
    if (body_.capacity() < body_.size() + take) {
      body_.reserve(std::min<std::size_t>(body_len_, body_.size() + std::max(take, kReserveStep)));
    }
    body_.insert(body_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
    bytes = bytes.subspan(take);
    if (body_.size() == body_len_) {
      frames_.push_back(std::move(body_));
      body_ = {};
      header_len_ = 0;
      body_len_ = 0;
    }
  }
}

std::optional<std::vector<std::uint8_t>> FrameDecoder::next() {
  if (frames_.empty()) return std::nullopt;
  std::vector<std::uint8_t> frame = std::move(frames_.front());
  frames_.pop_front();
  return frame;
}

std::vector<std::uint8_t> encode_frame(std::span<const std::uint8_t> payload, std::uint32_t max_frame) {
  if (payload.empty() || payload.size() > max_frame) {
    throw std::length_error("message of " + std::to_string(payload.size()) + " bytes cannot be framed (limit " +
                            std::to_string(max_frame) + " bytes, minimum 1)");
  }
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::vector<std::uint8_t> out;
  out.reserve(kLengthPrefixBytes + payload.size());
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>((n >> shift) & 0xFFu));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<std::uint8_t> encode_frame(const flatbuffers::FlatBufferBuilder& builder, std::uint32_t max_frame) {
  return encode_frame(std::span<const std::uint8_t>(builder.GetBufferPointer(), builder.GetSize()), max_frame);
}

VerifiedEnvelope verify_envelope(std::span<const std::uint8_t> buffer) {
  VerifiedEnvelope out;
  if (buffer.size() < 8) {
    out.error = "message of " + std::to_string(buffer.size()) + " bytes is too short to be an envelope";
    return out;
  }
  if (buffer.size() > FLATBUFFERS_MAX_BUFFER_SIZE - 1) {
    out.error = "message too large";
    return out;
  }
  // The verifier checks alignment relative to the buffer's start, so a
  // buffer that itself starts off the 8-byte boundary would pass it and then
  // be read with misaligned loads.
  if (reinterpret_cast<std::uintptr_t>(buffer.data()) % 8 != 0) {
    out.error = "message buffer does not start on an 8-byte boundary";
    return out;
  }
  if (!wire::EnvelopeBufferHasIdentifier(buffer.data())) {
    out.error = "not a Leadtime envelope (file identifier is not \"" + std::string(wire::EnvelopeIdentifier()) + "\")";
    return out;
  }
  flatbuffers::Verifier::Options options;
  options.max_depth = kMaxVerifyDepth;
  options.max_tables = kMaxVerifyTables;
  options.check_alignment = true;
  flatbuffers::Verifier verifier(buffer.data(), buffer.size(), options);
  if (!wire::VerifyEnvelopeBuffer(verifier)) {
    out.error = "message failed verification (malformed or truncated buffer)";
    return out;
  }
  const wire::Envelope* envelope = wire::GetEnvelope(buffer.data());
  const auto type = envelope->message_type();
  if (type == wire::Message::NONE || envelope->message() == nullptr) {
    out.error = "envelope carries no message";
    out.readable = true;
    out.request_id = envelope->request_id();
    return out;
  }
  if (static_cast<unsigned>(type) > static_cast<unsigned>(wire::Message::MAX)) {
    out.error = "unknown message type " + std::to_string(static_cast<unsigned>(type)) +
                " (this server speaks protocol " + std::to_string(kProtocolVersion) + ")";
    out.readable = true;
    out.request_id = envelope->request_id();
    return out;
  }
  out.envelope = envelope;
  return out;
}

}  // namespace leadtime::protocol

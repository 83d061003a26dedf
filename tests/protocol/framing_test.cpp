#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/framing.h"
#include "tests/protocol/helpers.h"

using namespace leadtime;
using namespace leadtime::protocol;
using namespace leadtime::protocoltest;

namespace {

std::vector<std::uint8_t> le32(std::uint32_t n) {
  return {static_cast<std::uint8_t>(n & 0xFFu), static_cast<std::uint8_t>((n >> 8) & 0xFFu),
          static_cast<std::uint8_t>((n >> 16) & 0xFFu), static_cast<std::uint8_t>((n >> 24) & 0xFFu)};
}

std::uint32_t request_id_of(const std::vector<std::uint8_t>& payload) {
  const VerifiedEnvelope v = verify_envelope(payload);
  REQUIRE_MESSAGE(v, v.error);
  return v.envelope->request_id();
}

}  // namespace

TEST_CASE("framing: encode_frame writes a little-endian length prefix") {
  const std::vector<std::uint8_t> frame = encode_frame(std::vector<std::uint8_t>{1, 2, 3});
  CHECK(frame == std::vector<std::uint8_t>{3, 0, 0, 0, 1, 2, 3});
  const std::vector<std::uint8_t> big(300, 7);
  const std::vector<std::uint8_t> framed = encode_frame(big);
  CHECK(framed[0] == 0x2C);
  CHECK(framed[1] == 0x01);
  CHECK(framed.size() == 304);
  CHECK_THROWS_AS(encode_frame(std::vector<std::uint8_t>(11), 10), std::length_error);
  CHECK_THROWS_AS(encode_frame(std::vector<std::uint8_t>{}), std::length_error);
}

TEST_CASE("framing: a frame split across many feeds comes out whole") {
  const std::vector<std::uint8_t> frame = hello_frame(42);
  FrameDecoder d;
  for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
    d.feed(std::span(&frame[i], 1));
    CHECK_FALSE(d.next());
    CHECK(d.buffered() == i + 1);
  }
  d.feed(std::span(&frame.back(), 1));
  CHECK(d.buffered() == 0);
  const auto out = d.next();
  REQUIRE(out);
  CHECK(*out == payload_of(frame));
  CHECK(request_id_of(*out) == 42);
  CHECK_FALSE(d.next());
  CHECK_FALSE(d.failed());
}

TEST_CASE("framing: several frames in one feed, and a frame straddling two feeds") {
  std::vector<std::uint8_t> stream;
  for (std::uint32_t id = 1; id <= 3; ++id) {
    const auto f = hello_frame(id);
    stream.insert(stream.end(), f.begin(), f.end());
  }
  const auto fourth = hello_frame(4);
  const std::size_t half = fourth.size() / 2;
  stream.insert(stream.end(), fourth.begin(), fourth.begin() + static_cast<std::ptrdiff_t>(half));

  FrameDecoder d;
  d.feed(stream);
  CHECK(d.ready() == 3);
  CHECK(d.buffered() == half);
  for (std::uint32_t id = 1; id <= 3; ++id) {
    const auto out = d.next();
    REQUIRE(out);
    CHECK(request_id_of(*out) == id);
  }
  CHECK_FALSE(d.next());
  d.feed(std::span(fourth).subspan(half));
  const auto out = d.next();
  REQUIRE(out);
  CHECK(request_id_of(*out) == 4);
}

TEST_CASE("framing: a truncated frame waits for more bytes") {
  const auto frame = hello_frame(9);
  FrameDecoder d;
  d.feed(std::span(frame).first(2));  // half a prefix
  CHECK_FALSE(d.next());
  d.feed(std::span(frame).subspan(2, frame.size() - 3));  // all but the last byte
  CHECK_FALSE(d.next());
  CHECK_FALSE(d.failed());
  CHECK(d.buffered() == frame.size() - 1);
  d.feed(std::span(frame).last(1));
  CHECK(d.next());
}

TEST_CASE("framing: an oversized length prefix is refused without allocating") {
  FrameDecoder d;
  d.feed(le32(5000000));
  CHECK(d.failed());
  CHECK(d.error().message == "frame of 5000000 bytes exceeds the 1048576-byte limit");
  CHECK(d.buffered() == 0);
  CHECK_FALSE(d.next());
  // The stream stays failed: later bytes are ignored.
  d.feed(hello_frame(1));
  CHECK_FALSE(d.next());
  CHECK(d.buffered() == 0);

  // A custom cap names itself.
  FrameDecoder small(100);
  small.feed(le32(101));
  CHECK(small.error().message == "frame of 101 bytes exceeds the 100-byte limit");
  FrameDecoder exact(100);
  exact.feed(le32(100));
  CHECK_FALSE(exact.failed());
}

TEST_CASE("framing: a length within the cap is buffered only as bytes arrive") {
  FrameDecoder d;
  d.feed(le32(kDefaultMaxFrame));  // claims a full megabyte
  const std::vector<std::uint8_t> some(10, 0xAB);
  d.feed(some);
  CHECK_FALSE(d.failed());
  CHECK(d.buffered() == 14);
  CHECK_FALSE(d.next());
}

TEST_CASE("framing: a zero length is an error") {
  FrameDecoder d;
  d.feed(le32(0));
  CHECK(d.failed());
  CHECK(d.error().message.find("0 bytes") != std::string::npos);
  CHECK_FALSE(d.next());
}

TEST_CASE("verify: a valid envelope passes and points into the buffer") {
  const auto payload = payload_of(hello_frame(5, "cli"));
  const VerifiedEnvelope v = verify_envelope(payload);
  REQUIRE_MESSAGE(v, v.error);
  CHECK(v.envelope->protocol_version() == kProtocolVersion);
  CHECK(v.envelope->message_type() == wire::Message::Hello);
  const auto* hello = v.envelope->message_as_Hello();
  REQUIRE(hello != nullptr);
  CHECK(hello->client_name()->str() == "cli");
}

TEST_CASE("verify: empty, short, foreign and message-less buffers are refused") {
  CHECK_FALSE(verify_envelope({}));
  CHECK(verify_envelope(std::vector<std::uint8_t>{1, 2, 3}).error.find("too short") != std::string::npos);

  // A valid FlatBuffer without the Leadtime identifier.
  flatbuffers::FlatBufferBuilder plain;
  plain.Finish(wire::CreateAck(plain, 1));
  const std::vector<std::uint8_t> foreign(plain.GetBufferPointer(), plain.GetBufferPointer() + plain.GetSize());
  CHECK(verify_envelope(foreign).error.find("not a Leadtime envelope") != std::string::npos);

  // An envelope with no message.
  flatbuffers::FlatBufferBuilder empty;
  wire::FinishEnvelopeBuffer(empty, wire::CreateEnvelope(empty, kProtocolVersion, 3));
  const std::vector<std::uint8_t> none(empty.GetBufferPointer(), empty.GetBufferPointer() + empty.GetSize());
  CHECK(verify_envelope(none).error == "envelope carries no message");

  // A union type beyond this build's messages (a newer peer).
  flatbuffers::FlatBufferBuilder future;
  const auto ack = wire::CreateAck(future, 1);
  wire::FinishEnvelopeBuffer(
      future, wire::CreateEnvelope(future, kProtocolVersion, 3, static_cast<wire::Message>(200), ack.Union()));
  const std::vector<std::uint8_t> unknown(future.GetBufferPointer(), future.GetBufferPointer() + future.GetSize());
  CHECK(verify_envelope(unknown).error.find("unknown message type 200") != std::string::npos);
}

TEST_CASE("verify: random garbage after a valid length fails cleanly") {
  std::mt19937_64 rng(20260701);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(1, 600);
  int passed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::uint8_t> payload(length(rng));
    for (auto& b : payload) b = static_cast<std::uint8_t>(byte(rng));
    // Half the time give it the right identifier so the verifier proper runs.
    if (i % 2 == 0 && payload.size() >= 8) std::copy_n(wire::EnvelopeIdentifier(), 4, payload.begin() + 4);
    FrameDecoder d;
    d.feed(encode_frame(payload));
    const auto frame = d.next();
    REQUIRE(frame);
    const VerifiedEnvelope v = verify_envelope(*frame);
    if (v) {
      ++passed;
    } else {
      CHECK_FALSE(v.error.empty());
    }
  }
  CHECK(passed < 50);  // garbage almost never forms a valid envelope
}

TEST_CASE("verify: bit flips in a real message never crash the reader") {
  flatbuffers::FlatBufferBuilder fbb;
  const std::vector<OrderDraft> drafts = {
      {"set_export_tier", {{"target", ArgValue{std::string("CN")}}, {"tier", ArgValue{1.0}}}},
      {"set_open_weights", {{"open", ArgValue{true}}}},
  };
  const auto submit = build_submit_orders(fbb, drafts);
  const auto payload = payload_of(frame_message(fbb, 77, submit));
  REQUIRE(verify_envelope(payload));

  std::mt19937_64 rng(99);
  std::uniform_int_distribution<std::size_t> pos(0, payload.size() - 1);
  std::uniform_int_distribution<int> bit(0, 7);
  int passed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::uint8_t> mutated = payload;
    for (int flips = 0; flips < 1 + i % 4; ++flips) {
      mutated[pos(rng)] ^= static_cast<std::uint8_t>(1u << bit(rng));
    }
    const VerifiedEnvelope v = verify_envelope(mutated);
    if (!v) continue;
    ++passed;
    // Whatever passed verification must be safe to read in full.
    if (const auto* s = v.envelope->message_as_SubmitOrders()) {
      const std::vector<OrderDraft> back = drafts_from_wire(*s);
      CHECK(back.size() <= 1000);
    }
  }
  CHECK(passed > 0);  // flips in padding or values keep the buffer valid
}

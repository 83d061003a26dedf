#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "protocol/convert.h"
#include "protocol/framing.h"

namespace leadtime::protocoltest {

// A framed Hello envelope.
inline std::vector<std::uint8_t> hello_frame(std::uint32_t request_id, const char* name = "test-client") {
  flatbuffers::FlatBufferBuilder fbb;
  const auto hello = wire::CreateHelloDirect(fbb, protocol::kProtocolVersion, name);
  return protocol::frame_message(fbb, request_id, hello);
}

// Everything after the 4-byte prefix of a frame.
inline std::vector<std::uint8_t> payload_of(const std::vector<std::uint8_t>& frame) {
  REQUIRE(frame.size() > protocol::kLengthPrefixBytes);
  return {frame.begin() + static_cast<std::ptrdiff_t>(protocol::kLengthPrefixBytes), frame.end()};
}

}  // namespace leadtime::protocoltest

// The server's limits as the soak meets them: the name of the limit an
// Error cites, and a burst of connections from one address past its cap.
#include <fmt/format.h>

#include "bench/soak/abuse.h"

namespace leadtime::bench::soak {

using asio::awaitable;
using asio::ip::tcp;

std::string limit_of(wire::ErrorCode code, const std::string& text) {
  const auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
  std::string label;
  switch (code) {
    case wire::ErrorCode::RateLimited:
      label = has("a second")          ? "rate limit"
              : has("per address")     ? "connections per address"
              : has("connections")     ? "connections in total"
              : has("games")           ? "games per server"
              : has("wait their turn") ? "waiting Joins"
                                       : "rate limited";
      break;
    case wire::ErrorCode::BadFrame:
      label = has("exceeds") ? "frame size cap" : has("frame of 0 bytes") ? "zero length" : "verifier";
      break;
    case wire::ErrorCode::BadMessage:
      label = has("no Hello in time")                                            ? "handshake timeout"
              : has("idle")                                                      ? "idle timeout"
              : has("expected Hello first")                                      ? "Hello first"
              : has("characters")                                                ? "press length"
              : has("already said")                                              ? "second Hello"
              : has("does not take")                                             ? "message type"
              : has("verif") || has("buffer") || has("; closing the connection") ? "verifier"
                                                                                 : "bad message";
      break;
    case wire::ErrorCode::VersionMismatch:
      label = "protocol version";
      break;
    case wire::ErrorCode::UnknownToken:
      label = "unknown token";
      break;
    case wire::ErrorCode::InvalidOrders:
      label = has("in one submission") ? "orders per submission" : "invalid orders";
      break;
    case wire::ErrorCode::NotAuthorised:
      label = has("join a game first")      ? "not joined"
              : has("only the facilitator") ? "facilitator only"
                                            : "not authorised";
      break;
    case wire::ErrorCode::NotFound:
      label = has("unknown seat") ? "unknown seat" : "not found";
      break;
    case wire::ErrorCode::WrongPhase:
      label = has("already joined") ? "already joined" : "wrong phase";
      break;
    case wire::ErrorCode::Internal:
      label = "internal error";
      break;
  }
  return std::string(wire::EnumNameErrorCode(code)) + ": " + label;
}

awaitable<BurstFigures> connection_burst(PhaseContext& ph, int count) {
  BurstFigures f;
  const auto executor = co_await asio::this_coro::executor;
  const tcp::endpoint from(asio::ip::make_address("127.0.0.3"), 0);
  std::vector<std::unique_ptr<tcp::socket>> sockets;
  for (int i = 0; i < count && !ph.over(); ++i) {
    ++f.attempted;
    auto s = std::make_unique<tcp::socket>(executor);
    boost::system::error_code ec;
    s->open(tcp::v4(), ec);
    if (!ec) s->bind(from, ec);
    if (!ec) co_await s->async_connect(ph.server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      ++f.connect_failed;
      continue;
    }
    ++f.connected;
    sockets.push_back(std::move(s));
  }
  // Refusals are written at once; give them a moment to arrive.
  asio::steady_timer timer(executor, std::chrono::milliseconds(1500));
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  for (auto& s : sockets) {
    s->non_blocking(true, ec);
    std::array<std::uint8_t, 4096> buffer{};
    const std::size_t n = s->read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::would_block) {
      ++f.held;
    } else if (n > 0) {
      protocol::FrameDecoder decoder;
      decoder.feed(std::span<const std::uint8_t>(buffer.data(), n));
      auto frame = decoder.next();
      const auto verified = frame ? protocol::verify_envelope(*frame) : protocol::VerifiedEnvelope{};
      if (verified && verified.envelope->message_type() == wire::Message::Error) {
        const wire::Error* e = verified.envelope->message_as_Error();
        ++f.refused;
        ++f.refusals[limit_of(e->code(), text_of(e->text()))];
      } else {
        ++f.refusals["an answer that is not an Error"];
      }
    } else {
      ++f.refusals["closed with no answer"];
    }
    s->close(ec);
  }
  co_return f;
}

}  // namespace leadtime::bench::soak

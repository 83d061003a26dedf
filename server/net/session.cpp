#include "server/net/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "protocol/convert.h"
#include "protocol/framing.h"
#include "server/net/codec.h"
#include "server/net/server.h"

namespace leadtime::server::net {

namespace proto = leadtime::protocol;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

Session::Session(std::unique_ptr<Link> link, Server& server, std::string address, std::string peer)
    : link_(std::move(link)),
      wake_(link_->socket().get_executor()),
      watchdog_(link_->socket().get_executor()),
      join_turn_(link_->socket().get_executor()),
      server_(server),
      service_(server.service()),
      address_(std::move(address)),
      peer_(std::move(peer)),
      connected_at_(Clock::now()),
      last_frame_(Clock::now()),
      tokens_(server.options().message_burst),
      refilled_(Clock::now()) {
  wake_.expires_at(Clock::time_point::max());
  // Replies are small and latency matters more than packet count: without
  // this a reply can wait ~40 ms for the peer's delayed ACK (Nagle).
  boost::system::error_code ec;
  link_->socket().set_option(tcp::no_delay(true), ec);
}

void Session::start() {
  auto self = shared_from_this();
  const auto ex = link_->socket().get_executor();
  asio::co_spawn(
      ex, [self] { return self->reader(); }, asio::detached);
  asio::co_spawn(
      ex, [self] { return self->writer(); }, asio::detached);
  asio::co_spawn(
      ex, [self] { return self->watchdog(); }, asio::detached);
}

void Session::deliver(Frame frame, bool close) {
  asio::post(link_->socket().get_executor(), [self = shared_from_this(), frame = std::move(frame), close]() mutable {
    self->deliver_here(std::move(frame), close);
  });
}

void Session::deliver_all(std::vector<Frame> frames) {
  asio::post(link_->socket().get_executor(), [self = shared_from_this(), frames = std::move(frames)]() mutable {
    for (Frame& frame : frames) self->deliver_here(std::move(frame), false);
  });
}

void Session::deliver_status(Frame frame) {
  asio::post(link_->socket().get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    if (self->stopped_ || self->closing_) return;
    self->status_ = std::move(frame);
    self->wake_writer();
  });
}

void Session::stop_soon() {
  asio::post(link_->socket().get_executor(), [self = shared_from_this()] { self->stop(); });
}

template <class T>
app::Reply<T> Session::reply_to(std::uint32_t rid) {
  return [self = shared_from_this(), rid](app::Result<T> result) {
    std::visit([&](const auto& value) { self->deliver(encode(rid, value)); }, result);
  };
}

void Session::deliver_here(Frame frame, bool close) {
  static constexpr std::size_t kMaxQueued = 4096;
  if (stopped_ || closing_) return;
  if (queue_.size() >= kMaxQueued) {
    // A peer that stops reading must not make the server hoard its frames.
    spdlog::warn("{}: {} frames unsent, closing", peer_, queue_.size());
    stop();
    return;
  }
  // A status line is replaced only while nothing was queued after it.
  if (status_) queue_.push_back(*std::exchange(status_, std::nullopt));
  queue_.push_back(std::move(frame));
  if (close) closing_ = true;
  wake_writer();
}

// Cancelling the timer takes the reactor's lock and posts a completion, so
// it is done only when the writer waits on it: frames queued during a write
// go with the next one anyway.
void Session::wake_writer() {
  if (!writer_parked_) return;
  writer_parked_ = false;
  wake_.cancel();
}

void Session::stop() {
  if (stopped_) return;
  stopped_ = true;
  closing_ = true;
  link_->close();
  wake_.cancel();
  watchdog_.cancel();
  join_turn_.cancel();
  if (membership_) service_.leave(*membership_, this);
  server_.forget(this);
  spdlog::debug("{}: closed", peer_);
}

awaitable<void> Session::reader() {
  try {
    while (!closing_) {
      Received got = co_await link_->read();
      if (closing_) break;
      if (!got.message) {
        spdlog::warn("{}: bad frame: {}", peer_, got.error);
        refuse(0, wire::ErrorCode::BadFrame, got.error, true);
        break;
      }
      last_frame_ = Clock::now();
      handle(*got.message);
      if (waiting_join_) {
        // Not one more message from this connection until the Join's turn.
        boost::system::error_code ec;
        co_await join_turn_.async_wait(asio::redirect_error(use_awaitable, ec));
        if (closing_) break;
        const app::Join asked = std::move(*waiting_join_);
        waiting_join_.reset();
        examine_join(asked);
      }
    }
  } catch (const std::exception&) {
    stop();  // the peer went away, or we closed the connection
  }
}

awaitable<void> Session::writer() {
  try {
    while (!stopped_) {
      if (status_) queue_.push_back(*std::exchange(status_, std::nullopt));
      if (queue_.empty()) {
        if (closing_) break;
        boost::system::error_code ec;
        writer_parked_ = true;
        co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
        writer_parked_ = false;
      } else {
        // Everything queued goes out in one write: one syscall for a burst
        // of pushes instead of one per frame. Status lines arriving during
        // the write replace one another (deliver_status).
        const std::size_t n = std::min<std::size_t>(queue_.size(), 64);
        for (std::size_t i = 0; i < n; ++i) {
          sending_.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        co_await link_->write(sending_);
        sending_.clear();
      }
    }
  } catch (const std::exception&) {
  }
  stop();
}

// Closes a connection that has not said Hello in time, or has sent no
// complete message for the idle timeout: a silent peer, or one trickling a
// byte at a time, must not hold a connection slot.
awaitable<void> Session::watchdog() {
  const ServerOptions& opt = server_.options();
  while (!stopped_) {
    const auto limit = hello_ ? opt.idle_timeout : opt.handshake_timeout;
    const auto due = (hello_ ? last_frame_ : connected_at_) + limit;
    if (Clock::now() >= due) {
      const char* why = hello_ ? "idle for too long" : "no Hello in time";
      spdlog::info("{}: closing: {}", peer_, why);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
      refuse(0, wire::ErrorCode::BadMessage,
             fmt::format("closing the connection: {} ({} limit)", why,
                         ms % 1000 == 0 ? fmt::format("{} s", ms / 1000) : fmt::format("{} ms", ms)),
             true);
      co_return;
    }
    watchdog_.expires_at(due);
    boost::system::error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

void Session::refuse(std::uint32_t request_id, wire::ErrorCode code, std::string_view text, bool close) {
  deliver_here(app::error_frame(request_id, code, text), close);
}

// A token bucket: `message_burst` messages at once, `messages_per_second`
// sustained. Refused messages count as strikes; enough strikes close the
// connection, so a flood costs the server little.
bool Session::within_rate() {
  const ServerOptions& opt = server_.options();
  const auto t = Clock::now();
  tokens_ = std::min(opt.message_burst,
                     tokens_ + std::chrono::duration<double>(t - refilled_).count() * opt.messages_per_second);
  refilled_ = t;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  return false;
}

void Session::handle(const Frame& message) {
  const auto verified = proto::verify_envelope(message);
  if (!verified) {
    if (verified.readable) {
      // A well-formed envelope with no message, or one this build does not
      // know: the stream is intact, so the peer is told and heard further.
      return refuse(verified.request_id, wire::ErrorCode::BadMessage, verified.error);
    }
    // A buffer that does not verify comes from a broken or hostile peer: it
    // is told why and not heard further.
    spdlog::warn("{}: refused buffer: {}", peer_, verified.error);
    return refuse(0, wire::ErrorCode::BadMessage, verified.error + "; closing the connection", true);
  }
  const wire::Envelope& env = *verified.envelope;
  const std::uint32_t rid = env.request_id();
  if (!within_rate()) {
    const ServerOptions& opt = server_.options();
    const bool close = ++rate_strikes_ >= opt.rate_strikes_to_close;
    refuse(rid, wire::ErrorCode::RateLimited,
           fmt::format("more than {} messages a second; slow down{}", opt.messages_per_second,
                       close ? " (closing the connection)" : ""),
           close);
    if (close) spdlog::warn("{}: closed for flooding", peer_);
    return;
  }
  if (!hello_) {
    const wire::Hello* msg = env.message_as_Hello();
    if (msg == nullptr) return refuse(rid, wire::ErrorCode::BadMessage, "expected Hello first", true);
    return hello(rid, *msg);
  }
  dispatch(env);
}

void Session::dispatch(const wire::Envelope& env) {
  const std::uint32_t rid = env.request_id();
  switch (env.message_type()) {
    case wire::Message::CreateGame:
      return service_.create_game(decode(*env.message_as_CreateGame()), shared_from_this(),
                                  reply_to<app::GameCreated>(rid));
    case wire::Message::ListGames:
      return service_.list_games(decode(*env.message_as_ListGames()), reply_to<app::GameList>(rid));
    case wire::Message::Join:
      return join(decode(rid, *env.message_as_Join()));
    case wire::Message::SubmitOrders:
      if (!need_room(rid)) return;
      return service_.submit(*membership_, proto::drafts_from_wire(*env.message_as_SubmitOrders()),
                             reply_to<app::OrdersTaken>(rid));
    case wire::Message::Ready:
      if (!need_room(rid)) return;
      return service_.ready(*membership_, env.message_as_Ready()->ready(), reply_to<app::Done>(rid));
    case wire::Message::Press:
      if (!need_room(rid)) return;
      return service_.press(*membership_, decode(*env.message_as_Press()), reply_to<app::Done>(rid));
    case wire::Message::FacilitatorCommand:
      return command(rid, *env.message_as_FacilitatorCommand());
    case wire::Message::CatalogueRequest:
      return service_.catalogue(decode(*env.message_as_CatalogueRequest()), membership(),
                                reply_to<app::CatalogueOf>(rid));
    case wire::Message::ScenarioInfoRequest:
      return service_.scenario_info(decode(*env.message_as_ScenarioInfoRequest()), membership(),
                                    reply_to<app::ScenarioOf>(rid));
    case wire::Message::Ping:
      return pong(rid, *env.message_as_Ping());
    case wire::Message::Hello:
      return refuse(rid, wire::ErrorCode::BadMessage, "Hello was already said on this connection");
    default:
      return refuse(
          rid, wire::ErrorCode::BadMessage,
          fmt::format("this server does not take {} from a client", wire::EnumNameMessage(env.message_type())));
  }
}

void Session::hello(std::uint32_t rid, const wire::Hello& msg) {
  if (msg.protocol_version() != proto::kProtocolVersion) {
    spdlog::info("{}: version mismatch ({})", peer_, msg.protocol_version());
    return refuse(rid, wire::ErrorCode::VersionMismatch, proto::version_mismatch_text(msg.protocol_version()), true);
  }
  hello_ = true;
  watchdog_.cancel();  // from now on the idle limit applies, not the handshake's
  spdlog::info("{}: hello from '{}'", peer_, msg.client_name() ? msg.client_name()->str() : std::string());
  flatbuffers::FlatBufferBuilder fbb;
  const std::string web_url = server_.web_url(local_host());
  deliver_here(proto::frame_message(
      fbb, rid,
      wire::CreateWelcomeDirect(fbb, server_.options().server_version.c_str(), proto::kProtocolVersion,
                                idle_timeout_seconds(), web_url.empty() ? nullptr : web_url.c_str())));
}

// Whole seconds, never rounded down to 0 ("no limit") for a limit under one.
std::uint32_t Session::idle_timeout_seconds() const {
  const auto idle = server_.options().idle_timeout;
  if (idle.count() <= 0) return 0;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(idle).count();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(seconds, 1, std::numeric_limits<std::uint32_t>::max()));
}

void Session::pong(std::uint32_t rid, const wire::Ping& ping) {
  flatbuffers::FlatBufferBuilder fbb;
  deliver_here(proto::frame_message(fbb, rid, wire::CreatePong(fbb, ping.nonce())));
}

// The address this connection reached the server at: where the pages are
// for a client on the same network, when the web listener takes any.
std::string Session::local_host() const {
  boost::system::error_code ec;
  const auto local = link_->socket().local_endpoint(ec);
  return ec ? std::string() : local.address().to_string();
}

bool Session::need_room(std::uint32_t rid) {
  if (membership_) return true;
  refuse(rid, wire::ErrorCode::NotAuthorised, "join a game first");
  return false;
}

void Session::join(app::Join asked) {
  if (membership_)
    return refuse(asked.request_id, wire::ErrorCode::WrongPhase, "this connection has already joined a game");
  // After wrong tokens from this address, its Joins are looked at one by
  // one, ever further apart, whichever connection they come on.
  const auto turn = service_.join_turn(address_);
  if (const auto* refusal = std::get_if<std::string>(&turn)) {
    spdlog::warn("{}: join refused: {}", peer_, *refusal);
    return refuse(asked.request_id, wire::ErrorCode::RateLimited, *refusal);
  }
  const auto at = std::get<Clock::time_point>(turn);
  if (at <= Clock::now()) return examine_join(asked);
  waiting_join_ = std::move(asked);
  join_turn_.expires_at(at);
  asio::co_spawn(
      link_->socket().get_executor(), [self = shared_from_this()] { return self->watch_peer_while_waiting(); },
      asio::detached);
}

// The reader reads nothing while a Join waits its turn, so without this a
// peer that gave up waiting would hold its connection slot (half closed)
// until the turn came. Any bytes (TLS or WebSocket framing included) mean
// the peer is still there.
awaitable<void> Session::watch_peer_while_waiting() {
  boost::system::error_code ec;
  tcp::socket& socket = link_->socket();
  co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
  if (ec || !waiting_join_ || stopped_) co_return;
  std::array<std::uint8_t, 1> byte{};
  const std::size_t n = socket.receive(asio::buffer(byte), tcp::socket::message_peek, ec);
  if (ec || n == 0) {
    spdlog::info("{}: left while its Join waited its turn", peer_);
    stop();
  }
  // Otherwise the peer sent more: the reader takes it after the turn.
}

void Session::examine_join(const app::Join& asked) {
  auto joined = service_.join(asked, shared_from_this());
  if (auto* failure = std::get_if<app::Failure>(&joined)) return deliver_here(encode(asked.request_id, *failure));
  membership_ = std::get<app::Membership>(std::move(joined));
}

void Session::command(std::uint32_t rid, const wire::FacilitatorCommand& msg) {
  if (!need_room(rid)) return;
  switch (msg.command()) {
    case wire::Command::Export:
      return service_.export_game(*membership_, reply_to<app::SaveFile>(rid));
    case wire::Command::Branch:
      return service_.branch(*membership_, msg.round(), shared_from_this(), reply_to<app::GameCreated>(rid));
    default:
      return service_.command(*membership_, decode(msg), reply_to<app::Done>(rid));
  }
}

}  // namespace leadtime::server::net

#include "bench/soak/conn.h"

#include <exception>

namespace leadtime::bench::soak {

namespace proto = leadtime::protocol;
using asio::awaitable;

Conn::Conn(asio::io_context& io, ConnectionGauge& gauge) : link_(Link::make(Transport::Tcp, io, gauge)), wake_(io) {}

Conn::~Conn() = default;

awaitable<bool> Conn::connect(const asio::ip::tcp::endpoint& server) {
  try {
    co_await link_->connect(server);
  } catch (const std::exception& e) {
    error_ = e.what();
    co_return false;
  }
  reader_started_ = true;
  reader_done_ = false;
  asio::co_spawn(wake_.get_executor(), reader(), asio::detached);
  co_return true;
}

awaitable<bool> Conn::open(const asio::ip::tcp::endpoint& server, const std::string& client_name,
                           SoakClock::time_point give_up) {
  const bool connected = co_await connect(server);
  if (!connected) co_return false;
  const std::uint32_t rid = link_->next_request_id();
  const Frame hello = hello_frame(rid, client_name, proto::kProtocolVersion);
  const auto reply = co_await request(hello, rid, give_up);
  if (!reply) {
    error_ = "no Welcome (" + (end_reason_.empty() ? std::string("timed out") : end_reason_) + ")";
    co_return false;
  }
  if (reply->envelope().message_type() != wire::Message::Welcome) {
    error_ = "Hello answered by " + describe_error(reply->envelope());
    co_return false;
  }
  co_return true;
}

awaitable<void> Conn::reader() {
  try {
    for (;;) {
      Received r = co_await link_->receive();
      const wire::Envelope& env = r.envelope();
      if (env.message_type() == wire::Message::Error) {
        ++errors_received_;
        const wire::Error* e = env.message_as_Error();
        last_error_.emplace(e->code(), text_of(e->text()));
      }
      if (awaited_ && env.request_id() == *awaited_) {
        awaited_.reset();
        reply_.emplace(std::move(r));
      } else if (on_push) {
        on_push(env);
      }
      wake();
    }
  } catch (const std::exception& e) {
    end_reason_ = e.what();
  }
  reader_done_ = true;
  wake();
}

awaitable<bool> Conn::send(const Frame& frame) {
  if (reader_done_) co_return false;
  try {
    co_await link_->send(frame);
  } catch (const std::exception& e) {
    if (end_reason_.empty()) end_reason_ = e.what();
    co_return false;
  }
  co_return true;
}

awaitable<std::optional<Received>> Conn::request(const Frame& frame, std::uint32_t rid, SoakClock::time_point give_up) {
  awaited_ = rid;
  reply_.reset();
  std::optional<Received> out;
  const Condition answered = [this] { return reply_.has_value(); };
  const bool sent = co_await send(frame);
  if (sent) {
    co_await wait_until(answered, give_up);
    out = std::move(reply_);
  }
  awaited_.reset();
  reply_.reset();
  co_return out;
}

awaitable<bool> Conn::wait_until(const Condition& done, SoakClock::time_point give_up) {
  // The reader wakes this wait after every frame; both run on the one
  // client thread, so a change seen by done() cannot slip in between the
  // check and the wait.
  while (!done() && !reader_done_ && SoakClock::now() < give_up) {
    wake_.expires_at(give_up);
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return done();
}

awaitable<void> Conn::sleep_until(SoakClock::time_point t) {
  asio::steady_timer timer(wake_.get_executor(), t);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<void> Conn::close() {
  if (!reader_done_) closed_by_us_ = true;
  link_->close();
  while (!reader_done_) {
    wake_.expires_after(std::chrono::seconds(1));
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// --- Frames ---------------------------------------------------------------------

Frame hello_frame(std::uint32_t rid, const std::string& client_name, std::uint16_t version) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid, wire::CreateHelloDirect(fbb, version, client_name.c_str()));
}

Frame join_frame(std::uint32_t rid, const std::string& token, const std::string& member, std::uint64_t last_press,
                 int last_round) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid,
                              wire::CreateJoinDirect(fbb, token.c_str(), member.c_str(), last_press, last_round));
}

Frame submit_frame(std::uint32_t rid, const std::vector<OrderDraft>& drafts) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid, proto::build_submit_orders(fbb, drafts));
}

Frame press_frame(std::uint32_t rid, const std::vector<std::string>& to, const std::string& text) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> names;
  for (const std::string& t : to) names.push_back(fbb.CreateString(t));
  return proto::frame_message(fbb, rid, wire::CreatePressDirect(fbb, &names, text.c_str()));
}

Frame command_frame(std::uint32_t rid, wire::Command command, const std::string& game_id, std::uint32_t seconds) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid, wire::CreateFacilitatorCommandDirect(fbb, command, game_id.c_str(), seconds));
}

std::string text_of(const flatbuffers::String* s) { return s != nullptr ? s->str() : std::string(); }

std::string describe_error(const wire::Envelope& env) {
  if (env.message_type() != wire::Message::Error) return wire::EnumNameMessage(env.message_type());
  const wire::Error* e = env.message_as_Error();
  return std::string(wire::EnumNameErrorCode(e->code())) + ": " + text_of(e->text());
}

}  // namespace leadtime::bench::soak

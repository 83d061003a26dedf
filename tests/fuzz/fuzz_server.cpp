// Fuzz target "server": every message type through verification and
// dispatch in the real game server (server/net), over loopback TCP.
//
// One in-process Server (no database) runs on its own thread; it is
// replaced by a fresh one every kInputsPerServer inputs, so games made by
// earlier inputs do not pile up. For each input (format in server_input.h)
// the harness sets up a connection as the prelude byte says: Hello, and for
// a role a new game (all seats people, or bots but one) joined as a seat,
// the facilitator or an observer, started or not. Each input connects from
// loopback addresses of its own (127.x.y.z), so per-address counts start
// afresh. Then it streams the
// input's frames on that connection. The server must never crash, and must
// answer or close: after the frames the harness sends a ListGames probe
// (which needs every game's strand to answer) and waits for its answer or
// for the server to close the connection; after a stream that ends inside
// a frame or with a bad length prefix it waits for the close. Every frame
// the server sends must verify and read whole.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "protocol/asio.h"

#include "protocol/convert.h"
#include "server/net/server.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/server_input.h"
#include "tests/fuzz/wire_walk.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
namespace input = leadtime::fuzz::server_input;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kProbeId = 0xFFFFFF00U;
constexpr int kInputsPerServer = 100;
// How long the server may take to answer or close; far above any real
// answer, so only a stuck server trips it.
constexpr auto kPatience = std::chrono::seconds(20);
const char* const kKey = "fuzz-facilitator-key";
const char* const kSeats[] = {"us", "cn", "eu", "us_vendor", "cn_vendor", "us_lab", "cn_lab", "eu_lab"};

class Env {
 public:
  Env() { start(); }
  ~Env() { stop(); }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  std::uint16_t port() const { return server_->port(); }

  // A fresh server after every kInputsPerServer inputs.
  void next_input() {
    if (++inputs_ < kInputsPerServer) return;
    stop();
    start();
  }
  void restart() {
    stop();
    start();
  }

 private:
  void start() {
    lt::server::net::ServerOptions o;
    o.port = 0;
    o.scenario = lt::fuzz::source_path("scenarios/2028.lua");
    o.scenario_root = LEADTIME_SOURCE_DIR;
    o.bot_root = LEADTIME_SOURCE_DIR;
    o.facilitator_key = kKey;
    o.bot_threads = 1;
    // The wrong-token turns stay in play, but milliseconds apart: an input
    // of many bad Joins must not wait seconds for each (a timeout).
    o.wrong_token_delay = std::chrono::milliseconds(1);
    o.max_wrong_token_delay = std::chrono::milliseconds(4);
    io_ = std::make_unique<asio::io_context>();
    server_.emplace(*io_, o);
    server_->start();
    thread_ = std::thread([this] { io_->run(); });
    inputs_ = 0;
  }
  // As the loopback tests do: let sessions and rooms wind down, then drop
  // whatever handlers are left with the io_context.
  void stop() {
    server_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    io_->stop();
    thread_.join();
    server_.reset();
    io_.reset();
  }

  std::unique_ptr<asio::io_context> io_;
  std::optional<lt::server::net::Server> server_;
  std::thread thread_;
  int inputs_ = 0;
};

// A blocking client connection that checks every frame the server sends.
class Conn {
 public:
  // From a loopback address of its own (`from`, in 127.0.0.0/8), since the
  // server keeps per-address counts: games per facilitator, wrong tokens.
  Conn(std::uint16_t port, std::uint32_t from) : socket_(io()) {
    socket_.open(tcp::v4());
    socket_.bind(tcp::endpoint(asio::ip::address_v4(0x7F000000U | (from & 0x00FFFFFFU)), 0));
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    // Frames go out at once, not held back by Nagle for the peer's ACK.
    socket_.set_option(tcp::no_delay(true));
    timeval tv{};
    tv.tv_usec = 200'000;
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }

  // False once the server has closed its side.
  bool send(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return true;
  }
  template <typename T>
  bool send(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t rid, flatbuffers::Offset<T> msg) {
    const auto frame = proto::frame_message(fbb, rid, msg);
    return send(frame);
  }
  void shutdown_send() {
    shut_down_ = true;
    ::shutdown(socket_.native_handle(), SHUT_WR);
  }

  // The next envelope, or null once the server closed the connection.
  // Aborts when the server does neither for kPatience.
  const wire::Envelope* read(const char* waiting_for) {
    const auto give_up = Clock::now() + kPatience;
    for (;;) {
      if (auto frame = decoder_.next()) {
        current_ = std::move(*frame);
        const auto v = proto::verify_envelope(current_);
        LEADTIME_FUZZ_CHECK(v, "the server sent a frame that does not verify: %s", v.error.c_str());
        lt::fuzz::WireWalk walk;
        walk.envelope(*v.envelope);
        return v.envelope;
      }
      LEADTIME_FUZZ_CHECK(!decoder_.failed(), "the server sent a bad frame: %s", decoder_.error().message.c_str());
      if (closed_) return nullptr;
      std::uint8_t buf[16384];
      const ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
      if (n > 0) {
        decoder_.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        closed_ = true;
        // The server flushes what it queued before it closes, unless the
        // peer went first (then a write may be cut short).
        LEADTIME_FUZZ_CHECK(decoder_.buffered() == 0 || shut_down_, "the server closed in the middle of a frame");
      } else {
        LEADTIME_FUZZ_CHECK(Clock::now() < give_up, "the server neither answered nor closed within %lld s (%s)",
                            static_cast<long long>(kPatience.count()), waiting_for);
      }
    }
  }

  // The envelope answering `rid` (skipping pushes and other answers), or
  // null once the server closed the connection.
  const wire::Envelope* answer(std::uint32_t rid, const char* waiting_for) {
    for (;;) {
      const wire::Envelope* e = read(waiting_for);
      if (e == nullptr || e->request_id() == rid) return e;
    }
  }

  // Reads until the server closes the connection.
  void until_closed(const char* waiting_for) {
    while (read(waiting_for) != nullptr) {
    }
  }

 private:
  static asio::io_context& io() {
    static asio::io_context context;
    return context;
  }

  tcp::socket socket_;
  proto::FrameDecoder decoder_;
  std::vector<std::uint8_t> current_;
  bool closed_ = false;
  bool shut_down_ = false;
};

std::unique_ptr<Env>& env() {
  static std::unique_ptr<Env> e;
  return e;
}

// The prelude's game: created on `fac`, which joins it as facilitator and
// starts it when asked. Returns the token for the role, or nullopt when the
// server refused to make a game (it holds its limit).
std::optional<std::string> make_game(Conn& fac, const input::Prelude& p) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatBot>> bots;
  for (int i = 0; i < 8; ++i) {
    if (!p.bots || i == p.seat) bots.push_back(wire::CreateSeatBotDirect(fbb, kSeats[i], "none"));
  }
  fac.send(fbb, 2, wire::CreateCreateGameDirect(fbb, "", 7, 0, &bots, kKey));
  const wire::Envelope* e = fac.answer(2, "GameCreated");
  LEADTIME_FUZZ_CHECK(e != nullptr, "the server closed the connection instead of making a game");
  if (e->message_type() != wire::Message::GameCreated) return std::nullopt;
  const auto* created = e->message_as_GameCreated();
  const auto str = [](const flatbuffers::String* s) { return s != nullptr ? s->str() : std::string(); };
  const std::string fac_token = str(created->facilitator_token());
  std::string token = fac_token;
  if (p.role == input::Prelude::Observer) token = str(created->observer_token());
  if (p.role == input::Prelude::Seat && created->seats() != nullptr) {
    for (const auto* s : *created->seats()) {
      if (str(s->seat()) == kSeats[p.seat]) token = str(s->token());
    }
  }
  if (p.started) {
    flatbuffers::FlatBufferBuilder j;
    fac.send(j, 3, wire::CreateJoinDirect(j, fac_token.c_str(), "fuzz facilitator"));
    const wire::Envelope* joined = fac.answer(3, "Joined");
    LEADTIME_FUZZ_CHECK(joined != nullptr && joined->message_type() == wire::Message::Joined, "prelude join refused");
    flatbuffers::FlatBufferBuilder s;
    fac.send(s, 4, wire::CreateFacilitatorCommandDirect(s, wire::Command::Start));
    const wire::Envelope* ack = fac.answer(4, "Ack");
    LEADTIME_FUZZ_CHECK(ack != nullptr && ack->message_type() == wire::Message::Ack, "prelude start refused");
  }
  return token;
}

void hello(Conn& c) {
  flatbuffers::FlatBufferBuilder fbb;
  c.send(fbb, 1, wire::CreateHelloDirect(fbb, proto::kProtocolVersion, "fuzz"));
  const wire::Envelope* e = c.answer(1, "Welcome");
  LEADTIME_FUZZ_CHECK(e != nullptr && e->message_type() == wire::Message::Welcome, "Hello not welcomed");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  ::signal(SIGPIPE, SIG_IGN);
  if (std::getenv("LEADTIME_FUZZ_LOG") == nullptr) spdlog::set_level(spdlog::level::off);
  env() = std::make_unique<Env>();
  // The server's threads must be gone before the sanitizers' exit checks.
  std::atexit([] { env().reset(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Env& e = *env();
  e.next_input();
  const input::Prelude p = input::Prelude::from(data[0]);

  // Each input's connections come from addresses no earlier input used, so
  // what the server counts per address (games per facilitator, wrong
  // tokens, which slow down every later Join) starts afresh, as it would
  // for a new client.
  static std::uint32_t inputs = 0;
  const std::uint32_t from = 2 + 2 * (inputs++ % 0x7FFFF0U);

  // The prelude: a game for the role, made on a second connection.
  std::optional<Conn> fac;
  std::string token;
  if (p.role != input::Prelude::None) {
    fac.emplace(e.port(), from);
    hello(*fac);
    auto made = make_game(*fac, p);
    if (!made) {
      fac.reset();
      e.restart();
      fac.emplace(e.port(), from);
      hello(*fac);
      made = make_game(*fac, p);
      LEADTIME_FUZZ_CHECK(made, "a fresh server refused to make a game");
    }
    token = *made;
  }
  Conn c(e.port(), from + 1);
  if (p.role != input::Prelude::None || !p.skip_hello) hello(c);
  if (p.role != input::Prelude::None) {
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, 5, wire::CreateJoinDirect(fbb, token.c_str(), "fuzz"));
    const wire::Envelope* joined = c.answer(5, "Joined");
    LEADTIME_FUZZ_CHECK(joined != nullptr && joined->message_type() == wire::Message::Joined, "prelude join refused");
  }

  // The input's frames, and what the server must make of the stream.
  proto::FrameDecoder model;
  bool open = true;
  for (const auto frame : input::split({data + 1, size - 1})) {
    std::vector<std::uint8_t> bytes;
    const std::string_view text(reinterpret_cast<const char*>(frame.data()), frame.size());
    if (text.starts_with(input::kRawMark)) {
      bytes.assign(frame.begin() + static_cast<std::ptrdiff_t>(input::kRawMark.size()), frame.end());
    } else {
      const auto n = static_cast<std::uint32_t>(frame.size());
      for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(n >> shift));
      bytes.insert(bytes.end(), frame.begin(), frame.end());
    }
    model.feed(bytes);
    if (open) open = c.send(bytes);
  }
  if (model.failed()) {
    c.until_closed("the close after a bad length prefix");
  } else if (model.buffered() > 0) {
    // The stream ends inside a frame: the server waits for the rest until
    // the peer goes.
    c.shutdown_send();
    c.until_closed("the close after the peer went in the middle of a frame");
  } else {
    flatbuffers::FlatBufferBuilder fbb;
    c.send(fbb, kProbeId, wire::CreateListGamesDirect(fbb, kKey));
    (void)c.answer(kProbeId, "the answer to the probe");
  }
  return 0;
}

#include "bench/soak/abuse.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace leadtime::bench::soak {

using asio::awaitable;
using asio::ip::tcp;

namespace {

constexpr std::array<int, kAbuseKinds> kWeights = {2, 2, 2, 1, 2, 1, 1, 1, 2, 2, 2, 1, 1};
constexpr auto kGiveUp = std::chrono::seconds(14);  // past the server's 10 s handshake timeout
constexpr auto kBetween = std::chrono::milliseconds(50);
constexpr int kFloodMessages = 600;
constexpr int kFloodChunk = 20;
constexpr int kTooManyOrders = 500;
constexpr std::size_t kTooLongPress = 5000;
constexpr int kWrongTokens = 4;

Frame with_prefix(std::uint32_t length, const std::vector<std::uint8_t>& body) {
  Frame out(4 + body.size());
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(length >> (8 * i));
  std::copy(body.begin(), body.end(), out.begin() + 4);
  return out;
}

std::string random_token(Rng& rng) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < 32; ++i) out += kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return out;
}

// One abusive connection and what it has seen.
struct Attempt {
  Attempt(AbuseKind k, Conn& c, PhaseContext& p, Rng& r, std::vector<std::unique_ptr<Slot>>& s, AbuseFigures& f,
          Clock::time_point until, std::string from)
      : kind(k), conn(c), ph(p), rng(r), slots(s), figures(f), give_up(until), guess_from(std::move(from)) {}

  AbuseKind kind;
  Conn& conn;
  PhaseContext& ph;
  Rng& rng;
  std::vector<std::unique_ptr<Slot>>& slots;
  AbuseFigures& figures;
  Clock::time_point give_up;
  std::string guess_from;  // WrongToken: the address guesses come from; empty: the players'
  bool connected = false;
  std::optional<bool> raw_server_closed;  // set by the kinds that use a socket of their own
  bool we_closed = false;                 // the plan was to leave
  std::set<std::string> seen;
  int errors = 0;
  int joined = 0;
  int planned_answers = 0;  // answers the kind waits for

  void note(const wire::Envelope& env) {
    if (env.message_type() == wire::Message::Joined) ++joined;
    if (env.message_type() != wire::Message::Error) return;
    const wire::Error* e = env.message_as_Error();
    const std::string label = limit_of(e->code(), text_of(e->text()));
    ++errors;
    seen.insert(label);
    ++figures.errors_by_limit[label];
  }
  void listen() {
    conn.on_push = [this](const wire::Envelope& env) { note(env); };
  }
  bool server_closed() const {
    if (raw_server_closed) return *raw_server_closed;
    return conn.closed() && !conn.closed_by_us();
  }
  // (Every co_await below takes named values only and is a statement of
  // its own, never part of a condition: see conn.h.)
  awaitable<bool> hello() {
    const Frame frame = hello_frame(conn.link().next_request_id(), "soak-abuser", protocol::kProtocolVersion);
    const bool sent = co_await conn.send(frame);
    if (!sent) co_return false;
    // Welcome goes to on_push too; only its arrival matters.
    const Conn::Condition welcomed = [this] { return conn.link().frames() >= 2; };
    const bool ok = co_await conn.wait_until(welcomed, give_up);
    co_return ok;
  }
  // Sends and waits for one more Error (or a close, or give-up).
  awaitable<void> expect_error(const Frame& frame) {
    const int want = errors + 1;
    const Conn::Condition answered = [this, want] { return errors >= want; };
    const bool sent = co_await conn.send(frame);
    if (sent) co_await conn.wait_until(answered, give_up);
  }
  awaitable<void> until_closed() {
    const Conn::Condition never = [] { return false; };
    co_await conn.wait_until(never, give_up);
  }
  // Sends, then waits for the server to close the connection.
  awaitable<void> send_and_wait(const Frame& frame) {
    const bool sent = co_await conn.send(frame);
    if (sent) co_await until_closed();
  }
};

awaitable<void> flood(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  // Press before joining: cheap for both sides, and counted like any message.
  // Sent in chunks, stopping once the server has closed, so no unread bytes
  // turn its close into a reset that would swallow its last errors.
  // Every message is answered (NotAuthorised, then RateLimited), so the
  // flood waits for a chunk's answers before the next: then the server's
  // close never finds unread bytes, which would make it a reset that
  // swallows the last errors before this client reads them.
  const std::vector<std::string> everyone;
  for (int sent = 0; sent < kFloodMessages && !a.conn.closed(); sent += kFloodChunk) {
    Frame chunk;
    for (int i = 0; i < kFloodChunk; ++i) {
      const Frame f = press_frame(a.conn.link().next_request_id(), everyone, "flood");
      chunk.insert(chunk.end(), f.begin(), f.end());
    }
    const int want = a.errors + kFloodChunk;
    const bool delivered = co_await a.conn.send(chunk);
    if (!delivered) break;
    const Conn::Condition answered = [&a, want] { return a.errors >= want; };
    const Clock::time_point until = std::min(a.give_up, Clock::now() + std::chrono::seconds(2));
    co_await a.conn.wait_until(answered, until);
  }
  co_await a.until_closed();
}

awaitable<void> garbage(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  std::vector<std::uint8_t> body(static_cast<std::size_t>(8 + a.rng() % 248));
  for (std::uint8_t& b : body) b = static_cast<std::uint8_t>(a.rng());
  // Half the time with the right file identifier, so the verifier itself
  // (not the identifier check) has to refuse it.
  if (a.rng() % 2 == 0) std::copy_n("LTW1", 4, body.begin() + 4);
  const Frame frame = with_prefix(static_cast<std::uint32_t>(body.size()), body);
  co_await a.send_and_wait(frame);
}

awaitable<void> oversize_prefix(Attempt& a) {
  const std::uint32_t length = a.rng() % 2 == 0 ? 0u : 0x7fffffffu - static_cast<std::uint32_t>(a.rng() % 1000);
  const Frame prefix_only = with_prefix(length, std::vector<std::uint8_t>());
  co_await a.send_and_wait(prefix_only);
}

awaitable<void> lying_prefix(Attempt& a) {
  // Under the cap, so the decoder waits for the rest, which never comes.
  const Frame start = with_prefix(512 * 1024, std::vector<std::uint8_t>(100, 0x42));
  co_await a.send_and_wait(start);
}

awaitable<void> truncated(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  const Frame f = join_frame(a.conn.link().next_request_id(), random_token(a.rng), "truncated", 0, 0);
  const Frame half(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(f.size() / 2));
  co_await a.conn.send(half);
  a.we_closed = true;
}

awaitable<void> slowloris(Attempt& a) {
  const Frame hello = hello_frame(1, "slowloris", protocol::kProtocolVersion);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  for (std::uint8_t b : hello) {
    const Frame one(1, b);
    const bool sent = co_await a.conn.send(one);
    if (!sent) break;
    timer.expires_after(std::chrono::milliseconds(500));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (Clock::now() >= a.give_up || a.conn.closed()) break;
  }
  co_await a.until_closed();
}

awaitable<void> idle_after_hello(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  co_await a.until_closed();
}

awaitable<void> wrong_token(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  for (int i = 0; i < kWrongTokens && !a.conn.closed() && Clock::now() < a.give_up; ++i) {
    const auto sent = Clock::now();
    const int before = a.errors;
    const Frame guess = join_frame(a.conn.link().next_request_id(), random_token(a.rng), "guess", 0, 0);
    co_await a.expect_error(guess);
    if (a.errors > before) {
      ++a.planned_answers;
      ++a.figures.wrong_token_answers;
      a.figures.wrong_token_max_delay_ms = std::max(
          a.figures.wrong_token_max_delay_ms, std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    }
  }
  a.we_closed = true;
}

// The same guesses from another loopback address, on a socket of its own
// (a Link cannot choose its source address): an attacker elsewhere, whose
// wrong tokens the server must slow down without slowing the players.
class RawClient {
 public:
  explicit RawClient(asio::any_io_executor ex) : socket_(std::make_shared<tcp::socket>(ex)) {}
  awaitable<bool> connect(const std::string& from, const tcp::endpoint& to) {
    boost::system::error_code ec;
    socket_->open(tcp::v4(), ec);
    if (!ec) socket_->bind(tcp::endpoint(asio::ip::make_address(from), 0), ec);
    if (!ec) co_await socket_->async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  awaitable<bool> send(const Frame& frame) {
    boost::system::error_code ec;
    co_await asio::async_write(*socket_, asio::buffer(frame), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  // The next verified envelope's frame, or nullopt on a close, a bad frame
  // or `give_up` (a timer closes the socket then).
  awaitable<std::optional<Frame>> next(Clock::time_point give_up) {
    auto guard = std::make_shared<asio::steady_timer>(socket_->get_executor(), give_up);
    guard->async_wait([socket = socket_, guard](const boost::system::error_code& ec) {
      boost::system::error_code ignored;
      if (!ec) socket->close(ignored);
    });
    std::optional<Frame> out;
    for (;;) {
      if (auto frame = decoder_.next()) {
        if (protocol::verify_envelope(*frame)) out = std::move(*frame);
        break;
      }
      if (decoder_.failed()) break;
      boost::system::error_code ec;
      const std::size_t n =
          co_await socket_->async_read_some(asio::buffer(buffer_), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        closed_ = closed_ || Clock::now() < give_up;
        break;
      }
      decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
    guard->cancel();
    co_return out;
  }
  [[nodiscard]] bool closed_by_peer() const { return closed_; }
  ~RawClient() {
    boost::system::error_code ignored;
    socket_->close(ignored);
  }

 private:
  std::shared_ptr<tcp::socket> socket_;
  protocol::FrameDecoder decoder_;
  std::array<std::uint8_t, 4096> buffer_{};
  bool closed_ = false;
};

awaitable<void> wrong_token_elsewhere(Attempt& a) {
  RawClient client(co_await asio::this_coro::executor);
  const bool connected = co_await client.connect(a.guess_from, a.ph.server);
  a.connected = connected;
  if (!connected) co_return;
  const Frame hello = hello_frame(1, "soak-guesser", protocol::kProtocolVersion);
  const bool said = co_await client.send(hello);
  std::optional<Frame> welcome;
  if (said) welcome = co_await client.next(a.give_up);
  for (int i = 0; welcome && i < kWrongTokens && Clock::now() < a.give_up; ++i) {
    const auto sent = Clock::now();
    const Frame guess = join_frame(static_cast<std::uint32_t>(i + 2), random_token(a.rng), "guess", 0, 0);
    const bool delivered = co_await client.send(guess);
    if (!delivered) break;
    const std::optional<Frame> answer = co_await client.next(a.give_up);
    if (!answer) break;
    a.note(*protocol::verify_envelope(*answer).envelope);
    ++a.planned_answers;
    ++a.figures.wrong_token_answers;
    a.figures.wrong_token_max_delay_ms = std::max(
        a.figures.wrong_token_max_delay_ms, std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
  }
  a.raw_server_closed = client.closed_by_peer();
  a.we_closed = !client.closed_by_peer();
}

Frame too_many_orders(std::uint32_t rid) {
  std::vector<OrderDraft> drafts;
  for (int i = 0; i < kTooManyOrders; ++i) drafts.push_back({"set_intelligence", {{"usd_b", 1.0}}});
  return submit_frame(rid, drafts);
}

awaitable<void> oversized_orders(Attempt& a) {
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  const Frame orders = too_many_orders(a.conn.link().next_request_id());
  co_await a.expect_error(orders);
  a.we_closed = true;
}

// A real seat's token, from a game that is running now.
std::optional<std::string> borrow_token(Attempt& a) {
  std::vector<const SeatState*> seats;
  for (auto& slot : a.slots) {
    const GameRecord* g = slot->current();
    if (g == nullptr || g->ended) continue;
    for (const SeatState& s : g->seats) seats.push_back(&s);
  }
  if (seats.empty()) return std::nullopt;
  return seats[a.rng() % seats.size()]->token;
}

awaitable<void> insider(Attempt& a) {
  const auto token = borrow_token(a);
  if (!token) co_return;
  const bool welcomed = co_await a.hello();
  if (!welcomed) co_return;
  const auto rid = [&] { return a.conn.link().next_request_id(); };
  const Frame join = join_frame(rid(), *token, "abuser", 0, 0);
  const bool sent = co_await a.conn.send(join);
  if (!sent) co_return;
  const Conn::Condition answered = [&a] { return a.joined > 0 || a.errors > 0; };
  co_await a.conn.wait_until(answered, a.give_up);
  if (a.joined == 0) co_return;
  const std::vector<std::string> everyone;
  const std::vector<std::string> nobody = {"no_such_seat"};
  const std::vector<Frame> refused = {press_frame(rid(), everyone, std::string(kTooLongPress, 'y')),
                                      too_many_orders(rid()), command_frame(rid(), wire::Command::Force, ""),
                                      join_frame(rid(), *token, "abuser", 0, 0), press_frame(rid(), nobody, "hello")};
  for (const Frame& f : refused) co_await a.expect_error(f);
  a.we_closed = true;
}

awaitable<void> bad_version(Attempt& a) {
  const Frame hello = hello_frame(1, "soak-abuser", 99);
  co_await a.send_and_wait(hello);
}

awaitable<void> no_hello(Attempt& a) {
  const Frame join = join_frame(1, random_token(a.rng), "no-hello", 0, 0);
  co_await a.send_and_wait(join);
}

// The kind's coroutine (a plain function: no co_await in a switch).
awaitable<void> abuse_of_kind(Attempt& a) {
  switch (a.kind) {
    case AbuseKind::Flood:
      return flood(a);
    case AbuseKind::Garbage:
      return garbage(a);
    case AbuseKind::OversizePrefix:
      return oversize_prefix(a);
    case AbuseKind::LyingPrefix:
      return lying_prefix(a);
    case AbuseKind::Truncated:
      return truncated(a);
    case AbuseKind::Slowloris:
      return slowloris(a);
    case AbuseKind::Idle:
      return a.until_closed();
    case AbuseKind::IdleAfterHello:
      return idle_after_hello(a);
    case AbuseKind::WrongToken:
      return wrong_token(a);
    case AbuseKind::OversizedOrders:
      return oversized_orders(a);
    case AbuseKind::Insider:
      return insider(a);
    case AbuseKind::BadVersion:
      return bad_version(a);
    case AbuseKind::NoHello:
      break;
  }
  return no_hello(a);
}

awaitable<void> attempt(Attempt& a) {
  if (a.kind == AbuseKind::WrongToken && !a.guess_from.empty()) {
    co_await wrong_token_elsewhere(a);
    co_return;
  }
  a.listen();
  const tcp::endpoint server = a.ph.server;
  const bool connected = co_await a.conn.connect(server);
  a.connected = connected;
  if (connected) co_await abuse_of_kind(a);
}

// A connection the phase's end closed before the limit meant for it (the
// 10 s handshake timeout) could act: it proves nothing either way.
bool cut_short(const Attempt& a) {
  const bool waits_for_timeout =
      a.kind == AbuseKind::LyingPrefix || a.kind == AbuseKind::Slowloris || a.kind == AbuseKind::Idle;
  return waits_for_timeout && !a.server_closed() && a.give_up >= a.ph.ends && Clock::now() >= a.ph.ends;
}

bool as_expected(const Attempt& a) {
  const auto saw = [&](const char* label) { return a.seen.contains(label); };
  const bool closed = a.server_closed();
  switch (a.kind) {
    case AbuseKind::Flood:
      return closed && saw("RateLimited: rate limit");
    case AbuseKind::Garbage:
      return closed && (saw("BadFrame: verifier") || saw("BadMessage: verifier"));
    case AbuseKind::OversizePrefix:
      return closed && (saw("BadFrame: frame size cap") || saw("BadFrame: zero length"));
    case AbuseKind::LyingPrefix:
    case AbuseKind::Slowloris:
    case AbuseKind::Idle:
      return closed && saw("BadMessage: handshake timeout");
    case AbuseKind::Truncated:
    case AbuseKind::IdleAfterHello:
      return !closed && a.errors == 0;
    case AbuseKind::WrongToken:
      // Every guess refused, and slowly: the server looks at an address's
      // Joins one at a time, up to 5 s apart, so some guesses are still
      // waiting when the client gives up, and past 8 waiting Joins from
      // the address the rest are refused at once.
      return !closed && std::all_of(a.seen.begin(), a.seen.end(), [](const std::string& s) {
        return s == "UnknownToken: unknown token" || s == "RateLimited: waiting Joins";
      });
    case AbuseKind::OversizedOrders:
      // Refused for want of a Join before anything is counted (the game
      // service owns the per-submission cap; the insider meets it).
      return !closed && saw("NotAuthorised: not joined");
    case AbuseKind::Insider:
      return !closed && a.joined == 1 && saw("BadMessage: press length") &&
             saw("InvalidOrders: orders per submission") && saw("NotAuthorised: facilitator only") &&
             saw("WrongPhase: already joined") && saw("NotFound: unknown seat");
    case AbuseKind::BadVersion:
      return closed && saw("VersionMismatch: protocol version");
    case AbuseKind::NoHello:
      return closed && saw("BadMessage: Hello first");
  }
  return false;
}

std::string verdict(const Attempt& a) {
  if (!a.connected) return "connection failed: " + a.conn.error();
  if (a.server_closed()) {
    return a.conn.last_error()
               ? "closed by the server after " + limit_of(a.conn.last_error()->first, a.conn.last_error()->second)
               : "closed by the server with no error";
  }
  if (a.we_closed) {
    std::string answered;
    for (const std::string& s : a.seen) answered += (answered.empty() ? "" : ", ") + s;
    return "answered [" + answered + "], then left";
  }
  return "held open until the client gave up";
}

AbuseKind pick(Rng& rng) {
  const int total = [] {
    int t = 0;
    for (int w : kWeights) t += w;
    return t;
  }();
  int r = static_cast<int>(rng() % static_cast<std::uint64_t>(total));
  for (int k = 0; k < kAbuseKinds; ++k) {
    r -= kWeights[static_cast<std::size_t>(k)];
    if (r < 0) return static_cast<AbuseKind>(k);
  }
  return AbuseKind::Flood;
}

}  // namespace

const char* abuse_kind_name(AbuseKind kind) {
  static constexpr std::array<const char*, kAbuseKinds> kNames = {
      "flood",     "garbage",     "oversize_prefix",  "lying_prefix", "truncated",
      "slowloris", "idle",        "idle_after_hello", "wrong_token",  "oversized_orders",
      "insider",   "bad_version", "no_hello"};
  return kNames[static_cast<std::size_t>(kind)];
}

int AbuseFigures::connections() const {
  int n = 0;
  for (const auto& [_, t] : by_kind) n += t.connections;
  return n;
}

int AbuseFigures::unexpected() const {
  int n = 0;
  for (const auto& [_, t] : by_kind) n += t.connections - t.as_expected - t.cut_short;
  return n;
}

awaitable<void> abuse(int index, PhaseContext& ph, std::vector<std::unique_ptr<Slot>>& slots, AbuseFigures& figures,
                      std::uint64_t seed, std::string guess_from) {
  Rng rng(seed * 7919 + static_cast<std::uint64_t>(index));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(ph.abuse_from);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  while (!ph.over()) {
    const AbuseKind kind = pick(rng);
    Conn conn(*ph.io, ph.gauge);
    const auto began = Clock::now();
    Attempt a(kind, conn, ph, rng, slots, figures, std::min(ph.ends, began + kGiveUp), guess_from);
    // The connection is closed (and its reader ended) whatever happened.
    try {
      co_await attempt(a);
    } catch (const std::exception& e) {
      figures.by_kind[abuse_kind_name(kind)].unexpected.push_back(std::string("the abuser failed: ") + e.what());
    }
    co_await conn.close();
    // Outcomes once the server is gone say nothing about its limits.
    if (!ph.server_down() && a.connected) {
      AbuseTally& t = figures.by_kind[abuse_kind_name(kind)];
      ++t.connections;
      const std::string v = verdict(a);
      ++t.outcomes[v];
      t.max_close_s = std::max(t.max_close_s, std::chrono::duration<double>(Clock::now() - began).count());
      if (cut_short(a)) {
        ++t.cut_short;
      } else if (as_expected(a)) {
        ++t.as_expected;
      } else if (t.unexpected.size() < 5) {
        std::string saw;
        for (const std::string& s : a.seen) saw += (saw.empty() ? "" : ", ") + s;
        t.unexpected.push_back(v + " (errors seen: [" + saw + "]" +
                               (a.conn.end_reason().empty() ? "" : "; " + a.conn.end_reason()) + ")");
      }
    }
    timer.expires_after(kBetween);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace leadtime::bench::soak

// The clients of a game's person seats and its observers.
#include <fmt/format.h>

#include <algorithm>

#include "bench/soak/players.h"

namespace leadtime::bench::soak {

using asio::awaitable;
using nlohmann::json;

namespace {

// Per round, the chance that a seat's client drops its connection (and
// reconnects a moment later with its token).
constexpr double kDropChance = 0.05;
constexpr double kPressChance = 0.3;
constexpr double kResubmitChance = 0.15;
constexpr double kReadyChance = 0.85;

enum class Drop { None, Clean, MidFrame, InFlight };

// What one connection of a seat's client saw, beside its SeatState.
struct SeatSession {
  bool joined = false;
  bool view_seen = false;
  int view_round = -1;
  std::optional<json> joined_orders;
  std::string joined_member;
};

void note_seat_push(SeatState& seat, SeatSession& session, const wire::Envelope& env) {
  switch (env.message_type()) {
    case wire::Message::RoundResult:
      seat.rounds_seen = std::max(seat.rounds_seen, env.message_as_RoundResult()->round());
      return;
    case wire::Message::ViewMsg: {
      const int round = env.message_as_ViewMsg()->round();
      seat.rounds_seen = std::max(seat.rounds_seen, round);
      if (!session.view_seen) session.view_round = round;
      session.view_seen = true;
      return;
    }
    case wire::Message::Press:
      seat.last_press_seq = std::max(seat.last_press_seq, env.message_as_Press()->seq());
      return;
    case wire::Message::GameEnded:
      seat.ended = true;
      return;
    default:
      return;
  }
}

json wire_orders_json(const flatbuffers::Vector<flatbuffers::Offset<wire::Order>>* orders) {
  json out = json::array();
  if (orders == nullptr) return out;
  for (const wire::Order* o : *orders) {
    json args = json::array();
    if (o->args() != nullptr) {
      for (const wire::Arg* a : *o->args()) {
        if (a->kind() == wire::ArgKind::Number) args.push_back(a->number());
        if (a->kind() == wire::ArgKind::Flag) args.push_back(a->flag() ? 1.0 : 0.0);
        if (a->kind() == wire::ArgKind::Text) args.push_back(text_of(a->text()));
      }
    }
    out.push_back({{"action", text_of(o->action())}, {"args", args}});
  }
  return out;
}

std::vector<int> rejected_indices(const wire::OrdersAccepted& accepted) {
  std::vector<int> out;
  if (accepted.rejected() != nullptr) {
    for (const wire::OrderRejection* r : *accepted.rejected()) out.push_back(r->index());
  }
  return out;
}

// A rejoin in the same round must bring back the last acknowledged orders.
void check_rejoin(SeatState& seat, const SeatSession& session, const std::string& game_id, ClientFigures& figures) {
  if (seat.last_ack && !seat.in_flight && session.joined_orders && session.view_round == seat.last_ack->round) {
    ++figures.rejoin_checks;
    if (*session.joined_orders != seat.last_ack->orders || session.joined_member != seat.last_ack->member) {
      ++figures.rejoin_mismatches;
      figures.note_problem(
          fmt::format("game {} seat {}: rejoined in round {} and got orders {} by '{}', but {} by "
                      "'{}' were acknowledged last",
                      game_id, seat.seat, session.view_round + 1, session.joined_orders->dump(), session.joined_member,
                      seat.last_ack->orders.dump(), seat.last_ack->member));
    }
  }
  // From here the server's word is the baseline.
  seat.last_ack.reset();
  seat.in_flight = false;
}

class SeatPlayer {
 public:
  SeatPlayer(GameRecord& game, SeatState& seat, PlayContext ctx, Conn& conn)
      : game_(game), seat_(seat), ctx_(ctx), ph_(ctx.phase), conn_(conn) {}

  awaitable<void> run();

 private:
  awaitable<bool> join();
  awaitable<void> submit(int round, Drop drop);
  awaitable<void> send_press();
  awaitable<void> ready();
  void unexpected(const std::string& what, const wire::Envelope& env) {
    if (is_wrong_phase(env)) {
      ++ctx_.figures.wrong_phase;
      return;
    }
    ++ctx_.figures.unexpected_errors;
    ctx_.figures.note_problem(fmt::format("game {} seat {}: {}: {}", game_.id, seat_.seat, what, describe_error(env)));
  }
  static bool is_wrong_phase(const wire::Envelope& env) {
    return env.message_type() == wire::Message::Error && env.message_as_Error()->code() == wire::ErrorCode::WrongPhase;
  }
  Drop pick_drop() {
    if (!chance(seat_.rng, kDropChance)) return Drop::None;
    const double r = uniform(seat_.rng, 0, 1);
    return r < 0.4 ? Drop::Clean : r < 0.7 ? Drop::MidFrame : Drop::InFlight;
  }

  GameRecord& game_;
  SeatState& seat_;
  PlayContext ctx_;
  PhaseContext& ph_;
  Conn& conn_;
  SeatSession session_;
  std::string member_;
};

awaitable<bool> SeatPlayer::join() {
  member_ =
      fmt::format("{}-{}-{}", game_.id, ctx_.plan.seat_ids[static_cast<std::size_t>(seat_.seat)], seat_.connections);
  conn_.on_push = [this](const wire::Envelope& env) { note_seat_push(seat_, session_, env); };
  const std::uint32_t rid = conn_.link().next_request_id();
  const Frame join = join_frame(rid, seat_.token, member_, seat_.last_press_seq, seat_.rounds_seen);
  const Clock::time_point sent = Clock::now();
  const auto reply = co_await conn_.request(join, rid, ph_.ends);
  if (!reply) co_return false;
  const wire::Envelope& env = reply->envelope();
  if (env.message_type() == wire::Message::Joined) note_join_wait(ctx_.figures, sent);
  if (env.message_type() != wire::Message::Joined) {
    if (env.message_type() == wire::Message::Error && env.message_as_Error()->code() == wire::ErrorCode::UnknownToken) {
      game_.refused_in_phase = ph_.index;  // looked up in the database after the phase
      game_.lost = true;
      seat_.ended = true;
    } else {
      unexpected("Join", env);
    }
    co_return false;
  }
  const wire::Joined& joined = *env.message_as_Joined();
  session_.joined = true;
  session_.joined_orders = wire_orders_json(joined.orders());
  session_.joined_member = text_of(joined.orders_member());
  if (seat_.connections++ > 0) ++ctx_.figures.rejoins;
  // Joined is followed by the missed rounds and the current view.
  const Conn::Condition viewed = [this] { return session_.view_seen; };
  const Clock::time_point give_up = std::min(ph_.ends, Clock::now() + std::chrono::seconds(10));
  co_await conn_.wait_until(viewed, give_up);
  check_rejoin(seat_, session_, game_.id, ctx_.figures);
  co_return session_.view_seen;
}

awaitable<void> SeatPlayer::submit(int round, Drop drop) {
  const std::vector<OrderDraft> drafts = orders_for(seat_.kind, ++seat_.submissions);
  const std::uint32_t rid = conn_.link().next_request_id();
  const Frame frame = submit_frame(rid, drafts);
  if (drop == Drop::MidFrame) {
    // Half a frame, then gone: the server must drop the partial frame.
    const Frame half(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(frame.size() / 2));
    co_await conn_.send(half);
    co_return;
  }
  seat_.in_flight = true;
  if (drop == Drop::InFlight) {
    co_await conn_.send(frame);  // and close before the answer
    co_return;
  }
  const Clock::time_point sent = Clock::now();
  const auto reply = co_await conn_.request(frame, rid, ph_.ends);
  if (!reply) co_return;  // closed or out of time: the outcome stays unknown (in_flight)
  const wire::Envelope& env = reply->envelope();
  if (env.message_type() != wire::Message::OrdersAccepted) {
    seat_.in_flight = false;  // refused: nothing changed
    unexpected("SubmitOrders", env);
    co_return;
  }
  const Clock::time_point answered = Clock::now();
  const auto rtt = std::chrono::duration_cast<std::chrono::nanoseconds>(answered - sent).count();
  (ph_.abuse_on(sent) ? ctx_.figures.rtt_abuse_ns : ctx_.figures.rtt_calm_ns).push_back(rtt);
  const std::vector<int> rejected = rejected_indices(*env.message_as_OrdersAccepted());
  if (!rejected.empty()) {
    ctx_.figures.orders_rejected += static_cast<int>(rejected.size());
    ctx_.figures.note_problem(
        fmt::format("game {} seat {}: {} valid orders rejected", game_.id, seat_.seat, rejected.size()));
  }
  json content = journal_form(drafts, rejected);
  ++ctx_.figures.orders_acked;
  seat_.in_flight = false;
  seat_.last_ack = SeatState::LastAck{round, member_, content};
  ctx_.ledger.add({Acked::Kind::Orders, game_.id, seat_.seat, member_, std::move(content), ph_.index});
}

awaitable<void> SeatPlayer::send_press() {
  const auto& ids = ctx_.plan.seat_ids;
  std::vector<std::string> to;
  const int addressees = static_cast<int>(uniform(seat_.rng, 0, 3));  // 0: public
  for (int i = 0; i < addressees; ++i) {
    to.push_back(ids[static_cast<std::size_t>(uniform(seat_.rng, 0, static_cast<double>(ids.size()))) % ids.size()]);
  }
  // Unique text, so the journal line can be found exactly.
  std::string text = fmt::format("{} #{}: ", member_, ++seat_.press_sent);
  text.append(static_cast<std::size_t>(uniform(seat_.rng, 20, 400)), 'x');
  const std::uint32_t rid = conn_.link().next_request_id();
  const Frame press = press_frame(rid, to, text);
  const auto reply = co_await conn_.request(press, rid, ph_.ends);
  if (!reply) co_return;
  if (reply->envelope().message_type() != wire::Message::Ack) {
    unexpected("Press", reply->envelope());
    co_return;
  }
  ++ctx_.figures.press_acked;
  ctx_.ledger.add({Acked::Kind::Press, game_.id, seat_.seat, member_, text, ph_.index});
}

awaitable<void> SeatPlayer::ready() {
  const std::uint32_t rid = conn_.link().next_request_id();
  const Frame frame = ready_frame(rid);
  const auto reply = co_await conn_.request(frame, rid, ph_.ends);
  if (!reply) co_return;
  if (reply->envelope().message_type() != wire::Message::Ack) {
    unexpected("Ready", reply->envelope());
    co_return;
  }
  ++ctx_.figures.ready_acked;
  ctx_.ledger.add({Acked::Kind::Ready, game_.id, seat_.seat, member_, nullptr, ph_.index});
}

// One connection: join, then play round after round until the game ends,
// the phase ends, the connection drops, or the client chooses to drop it.
awaitable<void> SeatPlayer::run() {
  const std::string name = "soak-seat";
  const bool opened = co_await conn_.open(ph_.server, name, ph_.ends);
  if (!opened) co_return;
  const bool joined = co_await join();
  if (!joined) co_return;
  const int deadline_s = game_.deadline_s;
  while (!seat_.ended && !ph_.over() && !conn_.closed()) {
    const int round = seat_.rounds_seen;
    const Conn::Condition moved = [this, round] { return seat_.rounds_seen != round || seat_.ended; };
    const auto think_us = static_cast<std::int64_t>(uniform(seat_.rng, 0.02, 0.35) * deadline_s * 1e6);
    const Clock::time_point act_at = std::min(ph_.ends, Clock::now() + std::chrono::microseconds(think_us));
    const bool moved_on = co_await conn_.wait_until(moved, act_at);
    if (moved_on) continue;
    if (ph_.over() || conn_.closed()) break;
    const Drop drop = pick_drop();
    co_await submit(round, drop);
    if (drop != Drop::None) {
      ++ctx_.figures.deliberate_drops;
      co_return;
    }
    if (chance(seat_.rng, kPressChance)) co_await send_press();
    if (!moved() && chance(seat_.rng, kResubmitChance)) co_await submit(round, Drop::None);
    if (!moved() && chance(seat_.rng, kReadyChance)) co_await ready();
    co_await conn_.wait_until(moved, ph_.ends);
  }
}

}  // namespace

awaitable<void> play_seat(GameRecord& game, SeatState& seat, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!ph.over() && !seat.ended && !game.lost) {
    Conn conn(*ph.io, ph.gauge);
    SeatPlayer player(game, seat, ctx, conn);
    try {
      co_await player.run();
    } catch (const std::exception& e) {
      ctx.figures.note_problem(fmt::format("game {} seat {}: client failed: {}", game.id, seat.seat, e.what()));
    }
    const bool dropped = conn.closed() && !conn.closed_by_us();
    if (dropped && !ph.server_down() && !ph.over()) {
      ++ctx.figures.dropped_by_server;
      ctx.figures.note_problem(
          fmt::format("game {} seat {}: dropped by the server: {}{}", game.id, seat.seat, conn.end_reason(),
                      conn.last_error() ? " (last error: " + conn.last_error()->second + ")" : ""));
    }
    co_await conn.close();
    if (ph.over() || seat.ended) break;
    pause.expires_after(std::chrono::milliseconds(static_cast<int>(uniform(seat.rng, 100, 1000))));
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

namespace {

awaitable<void> observe_once(Conn& conn, GameRecord& game, PhaseContext& ph, ClientFigures& figures) {
  const std::string name = "soak-observer";
  const bool opened = co_await conn.open(ph.server, name, ph.ends);
  if (!opened) co_return;
  conn.on_push = [&game](const wire::Envelope& env) {
    if (env.message_type() == wire::Message::RoundResult) {
      game.observer_rounds = std::max(game.observer_rounds, env.message_as_RoundResult()->round());
    }
    if (env.message_type() == wire::Message::Press) {
      game.observer_press_seq = std::max(game.observer_press_seq, env.message_as_Press()->seq());
    }
  };
  const std::uint32_t rid = conn.link().next_request_id();
  const Frame join = join_frame(rid, game.observer_token, "observer", game.observer_press_seq, game.observer_rounds);
  const Clock::time_point sent = Clock::now();
  const auto reply = co_await conn.request(join, rid, ph.ends);
  if (!reply || reply->envelope().message_type() != wire::Message::Joined) co_return;
  note_join_wait(figures, sent);
  const Conn::Condition ended = [&game] { return game.ended; };
  co_await conn.wait_until(ended, ph.ends);
}

}  // namespace

awaitable<void> observe(GameRecord& game, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!ph.over() && !game.ended && !game.lost) {
    Conn conn(*ph.io, ph.gauge);
    try {
      co_await observe_once(conn, game, ph, ctx.figures);
    } catch (const std::exception& e) {
      ctx.figures.note_problem(fmt::format("game {} observer failed: {}", game.id, e.what()));
    }
    co_await conn.close();
    if (ph.over() || game.ended) break;
    pause.expires_after(std::chrono::milliseconds(500));
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

std::vector<OrderDraft> orders_for(ActorKind kind, std::uint64_t n) {
  // The intelligence budget carries the submission's number (0.5 to 1.5 $bn,
  // inside the catalogue's 0-5): unique per member for 100,000 submissions.
  const OrderDraft intelligence{"set_intelligence", {{"usd_b", 0.5 + static_cast<double>(n % 100000) * 1e-5}}};
  const auto step = static_cast<double>(n % 40);
  switch (kind) {
    case ActorKind::Government:
      return {{"set_lab_subsidy", {{"usd_b", 2.0 + 0.1 * step}}}, intelligence};
    case ActorKind::Vendor:
      return {{"set_chip_price", {{"usd_per_h100e", 25000.0 + 100.0 * step}}}, intelligence};
    case ActorKind::Lab:
      break;
  }
  return {{"set_training_share", {{"share", 0.4 + 0.01 * step}}}, intelligence};
}

json journal_form(const std::vector<OrderDraft>& drafts, const std::vector<int>& rejected) {
  json out = json::array();
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    if (std::find(rejected.begin(), rejected.end(), static_cast<int>(i)) != rejected.end()) continue;
    json args = json::array();
    for (const auto& [name, value] : drafts[i].args) {
      if (const double* d = std::get_if<double>(&value)) args.push_back(*d);
    }
    out.push_back({{"action", drafts[i].action}, {"args", args}});
  }
  return out;
}

}  // namespace leadtime::bench::soak

#include "bench/load/echo_load.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "bench/load/pacing.h"
#include "bench/load/phase.h"

namespace leadtime::bench {

namespace {

using asio::awaitable;
using asio::ip::tcp;

constexpr int kNoSeat = -1;

struct EchoClient {
  std::unique_ptr<Link> link;
  int seat = kNoSeat;  // the game seat whose frames it sends; kNoSeat: held idle
  std::vector<std::int64_t> round_trips_ns;
  ThinkTime think{std::chrono::milliseconds(0), 0};
};

// The connections of one would-be game, connected by one coroutine as the
// game run's set-up does.
using EchoGroup = std::vector<EchoClient>;

awaitable<void> connect_group(EchoGroup& group, tcp::endpoint echo) {
  for (EchoClient& c : group) co_await c.link->connect(echo);
}

awaitable<void> echo_once(Link& link, const Frame& frame, std::uint32_t rid) {
  co_await link.send(frame);
  const Received back = co_await link.receive();
  if (back.envelope().request_id() != rid) {
    throw std::runtime_error("echo of request " + std::to_string(back.envelope().request_id()) + ", expected " +
                             std::to_string(rid));
  }
}

// A seat's rounds without the game: the orders frame is timed like the game's
// order round trip, the ready frame only counted.
awaitable<void> echo_seat(EchoClient& c, ActorKind kind, int rounds) {
  for (int round = 1; round <= rounds; ++round) {
    co_await c.think.pause();
    const std::uint32_t orders_rid = c.link->next_request_id();
    const Frame orders = submit_orders_frame(kind, round, orders_rid);
    const Clock::time_point sent = Clock::now();
    co_await echo_once(*c.link, orders, orders_rid);
    c.round_trips_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - sent).count());
    co_await c.think.pause();
    const std::uint32_t ready_rid = c.link->next_request_id();
    co_await echo_once(*c.link, ready_frame(ready_rid), ready_rid);
  }
}

std::vector<EchoGroup> make_groups(asio::io_context& io, ConnectionGauge& gauge, const LoadOptions& options,
                                   const GamePlan& plan) {
  const int non_seats = 1 + plan.observers;
  const int total = non_seats + static_cast<int>(plan.seat_ids.size());
  std::vector<EchoGroup> groups(static_cast<std::size_t>(options.games));
  std::uint64_t seed = 0;  // as the game run's, so both offer the same pauses
  for (EchoGroup& group : groups) {
    group.resize(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) {
      EchoClient& c = group[static_cast<std::size_t>(i)];
      c.link = Link::make(options.transport, io, gauge, options.quick_ack);
      c.seat = i < non_seats ? kNoSeat : i - non_seats;
      c.think = ThinkTime(options.think, ++seed);
    }
  }
  return groups;
}

}  // namespace

RunFigures run_echo_load(const LoadOptions& options, const GamePlan& plan, const tcp::endpoint& echo,
                         const CpuClock& server_cpu) {
  asio::io_context io;
  ConnectionGauge gauge;
  std::vector<EchoGroup> groups = make_groups(io, gauge, options, plan);
  std::vector<Link*> links;
  for (EchoGroup& group : groups) {
    for (EchoClient& c : group) links.push_back(c.link.get());
  }
  RunFigures f;
  f.connections = static_cast<int>(links.size());

  std::vector<PhaseTask> setup;
  for (EchoGroup& group : groups) {
    setup.push_back({group.front().link->executor(), [&group, echo] { return connect_group(group, echo); }});
  }
  const PhaseOutcome set_up =
      run_phase(io, options.client_threads, options.phase_limit, links, std::move(setup), server_cpu);
  f.setup_s = set_up.seconds;
  add_failures(set_up, f);
  if (set_up.failures > 0 || set_up.timed_out) return f;

  const int rounds = options.echo_rounds > 0 ? options.echo_rounds : plan.rounds;
  std::vector<PhaseTask> play;
  for (EchoGroup& group : groups) {
    for (EchoClient& c : group) {
      if (c.seat == kNoSeat) continue;
      const ActorKind kind = plan.seat_kinds[static_cast<std::size_t>(c.seat)];
      play.push_back({c.link->executor(), [&c, kind, rounds] { return echo_seat(c, kind, rounds); }});
    }
  }
  const PhaseOutcome played =
      run_phase(io, options.client_threads, options.phase_limit, links, std::move(play), server_cpu);
  f.play_s = played.seconds;
  f.server_cpu_s = played.server_cpu_s;
  f.peak_open = gauge.peak.load();
  f.open_after_play = gauge.open.load();
  add_failures(played, f);

  std::vector<std::int64_t> round_trips;
  for (EchoGroup& group : groups) {
    for (EchoClient& c : group) {
      f.frames += c.link->frames();
      round_trips.insert(round_trips.end(), c.round_trips_ns.begin(), c.round_trips_ns.end());
    }
  }
  f.round_trip = summarise(std::move(round_trips));
  return f;
}

}  // namespace leadtime::bench

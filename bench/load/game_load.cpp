#include "bench/load/game_load.h"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include "bench/load/pacing.h"
#include "bench/load/phase.h"
#include "protocol/convert.h"

namespace leadtime::bench {

namespace {

namespace proto = leadtime::protocol;
using asio::awaitable;
using asio::ip::tcp;

constexpr int kNoSeat = -1;

// One client connection of a game and what it has seen so far. Only the
// coroutine driving it touches it while a phase runs.
struct Player {
  std::unique_ptr<Link> link;
  int seat = kNoSeat;  // actor index; kNoSeat for the facilitator and observers
  int rounds_seen = 0;
  bool ended = false;
  int rejected_orders = 0;
  std::vector<std::int64_t> order_round_trips_ns;
  ThinkTime think{std::chrono::milliseconds(0), 0};
};

// A game's clients: the facilitator first, then the observers, then one per
// seat in scenario order.
struct GameClients {
  std::string game_id;
  std::vector<Player> players;
  Player& facilitator() { return players.front(); }
};

// --- Frames -------------------------------------------------------------------

Frame hello_frame(std::uint32_t rid) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid, wire::CreateHelloDirect(fbb, proto::kProtocolVersion, "leadtime-bench-load"));
}

// Every seat is a person's ("none"), so a round waits for all eight clients.
Frame create_game_frame(const GamePlan& plan, std::uint64_t seed, std::uint32_t rid) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatBot>> bots;
  for (const std::string& seat : plan.seat_ids) bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), "none"));
  // No deadline: only the ready flags resolve rounds, so the clients set the pace.
  constexpr std::uint32_t kNoDeadline = 0;
  return proto::frame_message(
      fbb, rid, wire::CreateCreateGameDirect(fbb, "", seed, kNoDeadline, &bots, plan.facilitator_key.c_str()));
}

Frame join_frame(const std::string& token, std::uint32_t rid) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid, wire::CreateJoinDirect(fbb, token.c_str(), "bench"));
}

Frame start_frame(const std::string& game_id, std::uint32_t rid) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, rid,
                              wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Start, game_id.c_str()));
}

std::vector<OrderDraft> orders_for(ActorKind kind, int round) {
  // Values move a little each round so every submission is a real change.
  const double step = 0.01 * round;
  const OrderDraft intelligence{"set_intelligence", {{"usd_b", 0.5 + step}}};
  switch (kind) {
    case ActorKind::Government:
      return {{"set_lab_subsidy", {{"usd_b", 2.0 + step}}}, intelligence};
    case ActorKind::Vendor:
      return {{"set_chip_price", {{"usd_per_h100e", 25000.0 + 100 * round}}}, intelligence};
    case ActorKind::Lab:
      break;
  }
  return {{"set_training_share", {{"share", 0.5 + step}}}, intelligence};
}

// --- Requests -----------------------------------------------------------------

// What a client needs from the messages the server pushes on its own; the
// rest (views, summaries, press) it reads and lets go.
void note_push(Player& p, const wire::Envelope& env) {
  switch (env.message_type()) {
    case wire::Message::RoundResult:
      p.rounds_seen = std::max(p.rounds_seen, env.message_as_RoundResult()->round());
      return;
    case wire::Message::GameEnded:
      p.ended = true;
      return;
    case wire::Message::Error: {
      const auto* text = env.message_as_Error()->text();
      throw std::runtime_error("server error (request " + std::to_string(env.request_id()) +
                               "): " + (text ? text->str() : ""));
    }
    default:
      return;
  }
}

// Reads until the answer to request `rid`, noting the pushes before it.
awaitable<Received> await_reply(Player& p, std::uint32_t rid, wire::Message expected) {
  for (;;) {
    Received r = co_await p.link->receive();
    const wire::Envelope& env = r.envelope();
    if (env.request_id() != rid || env.message_type() == wire::Message::Error) {
      note_push(p, env);
      continue;
    }
    if (env.message_type() != expected) {
      throw std::runtime_error(std::string("expected ") + wire::EnumNameMessage(expected) + ", got " +
                               wire::EnumNameMessage(env.message_type()));
    }
    co_return r;
  }
}

awaitable<Received> request(Player& p, std::uint32_t rid, const Frame& frame, wire::Message expected) {
  co_await p.link->send(frame);
  co_return co_await await_reply(p, rid, expected);
}

awaitable<void> connect_and_greet(Player& p, const tcp::endpoint& server) {
  co_await p.link->connect(server);
  const std::uint32_t rid = p.link->next_request_id();
  co_await request(p, rid, hello_frame(rid), wire::Message::Welcome);
}

awaitable<void> join(Player& p, const std::string& token) {
  const std::uint32_t rid = p.link->next_request_id();
  co_await request(p, rid, join_frame(token, rid), wire::Message::Joined);
}

struct GameTokens {
  std::string game_id;
  std::string facilitator;
  std::string observer;
  std::vector<std::string> seats;  // in scenario order
};

GameTokens read_tokens(const GamePlan& plan, const wire::GameCreated& created) {
  GameTokens t;
  t.game_id = created.game_id() ? created.game_id()->str() : "";
  t.facilitator = created.facilitator_token() ? created.facilitator_token()->str() : "";
  t.observer = created.observer_token() ? created.observer_token()->str() : "";
  std::map<std::string, std::string> by_seat;
  if (created.seats() != nullptr) {
    for (const wire::SeatToken* s : *created.seats()) {
      if (s->seat() != nullptr && s->token() != nullptr) by_seat[s->seat()->str()] = s->token()->str();
    }
  }
  for (const std::string& seat : plan.seat_ids) {
    const auto it = by_seat.find(seat);
    if (it == by_seat.end()) throw std::runtime_error("GameCreated has no token for seat '" + seat + "'");
    t.seats.push_back(it->second);
  }
  return t;
}

// Creates the game, connects and joins every client, then starts it: after
// this every connection of the game is open at once.
awaitable<void> set_up_game(GameClients& game, const GamePlan& plan, tcp::endpoint server, std::uint64_t seed) {
  Player& fac = game.facilitator();
  co_await connect_and_greet(fac, server);
  const std::uint32_t create_rid = fac.link->next_request_id();
  const Received created =
      co_await request(fac, create_rid, create_game_frame(plan, seed, create_rid), wire::Message::GameCreated);
  const GameTokens tokens = read_tokens(plan, *created.envelope().message_as_GameCreated());
  game.game_id = tokens.game_id;
  co_await join(fac, tokens.facilitator);
  for (Player& p : game.players) {
    if (&p == &fac) continue;
    co_await connect_and_greet(p, server);
    co_await join(p, p.seat == kNoSeat ? tokens.observer : tokens.seats[static_cast<std::size_t>(p.seat)]);
  }
  const std::uint32_t start_rid = fac.link->next_request_id();
  co_await request(fac, start_rid, start_frame(game.game_id, start_rid), wire::Message::Ack);
}

// --- Play -----------------------------------------------------------------------

// The order round trip issue #4 measures: SubmitOrders out, OrdersAccepted
// back.
awaitable<void> submit_orders(Player& p, ActorKind kind, int round) {
  const std::uint32_t rid = p.link->next_request_id();
  const Frame frame = submit_orders_frame(kind, round, rid);
  const Clock::time_point sent = Clock::now();
  const Received r = co_await request(p, rid, frame, wire::Message::OrdersAccepted);
  p.order_round_trips_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - sent).count());
  const auto* rejected = r.envelope().message_as_OrdersAccepted()->rejected();
  p.rejected_orders += rejected != nullptr ? static_cast<int>(rejected->size()) : 0;
}

awaitable<void> declare_ready(Player& p) {
  const std::uint32_t rid = p.link->next_request_id();
  co_await request(p, rid, ready_frame(rid), wire::Message::Ack);
}

awaitable<void> await_round(Player& p, int round) {
  while (p.rounds_seen < round && !p.ended) {
    const Received r = co_await p.link->receive();
    note_push(p, r.envelope());
  }
}

awaitable<void> play_seat(Player& p, const GamePlan& plan) {
  const ActorKind kind = plan.seat_kinds[static_cast<std::size_t>(p.seat)];
  for (int round = 1; round <= plan.rounds && !p.ended; ++round) {
    co_await p.think.pause();
    co_await submit_orders(p, kind, round);
    co_await p.think.pause();
    co_await declare_ready(p);
    co_await await_round(p, round);
  }
}

// The facilitator and observers only read what the rounds push to them.
awaitable<void> watch(Player& p, const GamePlan& plan) { co_await await_round(p, plan.rounds); }

// --- Phases ---------------------------------------------------------------------

std::vector<GameClients> make_clients(asio::io_context& io, ConnectionGauge& gauge, const LoadOptions& options,
                                      const GamePlan& plan) {
  const int non_seats = 1 + plan.observers;
  const int total = non_seats + static_cast<int>(plan.seat_ids.size());
  std::vector<GameClients> games(static_cast<std::size_t>(options.games));
  std::uint64_t seed = 0;
  for (GameClients& g : games) {
    g.players.resize(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) {
      Player& p = g.players[static_cast<std::size_t>(i)];
      p.link = Link::make(options.transport, io, gauge, options.quick_ack);
      p.seat = i < non_seats ? kNoSeat : i - non_seats;
      p.think = ThinkTime(options.think, ++seed);
    }
  }
  return games;
}

std::vector<Link*> links_of(std::vector<GameClients>& games) {
  std::vector<Link*> links;
  for (GameClients& g : games) {
    for (Player& p : g.players) links.push_back(p.link.get());
  }
  return links;
}

void add_by_type(const ReceivedByType& counts, std::map<std::string, std::uint64_t>& by_name) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) by_name[wire::EnumNamesMessage()[i]] += counts[i];
  }
}

void add_play_figures(std::vector<GameClients>& games, RunFigures& f) {
  std::vector<std::int64_t> round_trips;
  for (GameClients& g : games) {
    f.rounds_resolved += g.facilitator().rounds_seen;
    for (Player& p : g.players) {
      f.frames += p.link->frames();
      add_by_type(p.link->received_by_type(), f.received_by_type);
      f.rejected_orders += p.rejected_orders;
      round_trips.insert(round_trips.end(), p.order_round_trips_ns.begin(), p.order_round_trips_ns.end());
    }
  }
  f.round_trip = summarise(std::move(round_trips));
}

}  // namespace

GamePlan make_plan(const Scenario& scenario, const LoadOptions& options) {
  GamePlan plan;
  for (const Actor& a : scenario.initial.actors) {
    plan.seat_ids.push_back(a.id);
    plan.seat_kinds.push_back(a.kind);
  }
  plan.rounds = options.rounds > 0 ? std::min(options.rounds, scenario.rounds) : scenario.rounds;
  plan.observers = options.observers;
  plan.facilitator_key = options.facilitator_key;
  return plan;
}

Frame submit_orders_frame(ActorKind kind, int round, std::uint32_t request_id) {
  const std::vector<OrderDraft> drafts = orders_for(kind, round);
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_submit_orders(fbb, drafts));
}

Frame ready_frame(std::uint32_t request_id) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, wire::CreateReady(fbb, true));
}

RunFigures run_game_load(const LoadOptions& options, const GamePlan& plan, const tcp::endpoint& server,
                         const CpuClock& server_cpu) {
  asio::io_context io;
  ConnectionGauge gauge;
  std::vector<GameClients> games = make_clients(io, gauge, options, plan);
  const std::vector<Link*> links = links_of(games);
  RunFigures f;
  f.connections = static_cast<int>(links.size());

  std::vector<PhaseTask> setup;
  for (std::size_t i = 0; i < games.size(); ++i) {
    GameClients& g = games[i];
    setup.push_back({g.facilitator().link->executor(),
                     [&g, &plan, server, seed = i + 1] { return set_up_game(g, plan, server, seed); }});
  }
  const PhaseOutcome set_up =
      run_phase(io, options.client_threads, options.phase_limit, links, std::move(setup), server_cpu);
  f.setup_s = set_up.seconds;
  add_failures(set_up, f);
  if (set_up.failures > 0 || set_up.timed_out) return f;

  for (Link* link : links) link->reset_counts();
  std::vector<PhaseTask> play;
  for (GameClients& g : games) {
    for (Player& p : g.players) {
      play.push_back({p.link->executor(), [&p, &plan]() -> awaitable<void> {
                        return p.seat == kNoSeat ? watch(p, plan) : play_seat(p, plan);
                      }});
    }
  }
  const PhaseOutcome played =
      run_phase(io, options.client_threads, options.phase_limit, links, std::move(play), server_cpu);
  f.play_s = played.seconds;
  f.server_cpu_s = played.server_cpu_s;
  f.peak_open = gauge.peak.load();
  f.open_after_play = gauge.open.load();
  add_failures(played, f);
  add_play_figures(games, f);
  return f;
}

}  // namespace leadtime::bench

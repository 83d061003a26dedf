// The facilitator of each game slot: creates the game, starts it, starts its
// seat and observer clients, and keeps the rounds turning.
#include <fmt/format.h>

#include "bench/soak/players.h"

namespace leadtime::bench::soak {

using asio::awaitable;

namespace {

constexpr auto kReconnectPause = std::chrono::milliseconds(300);

Frame create_game_frame(std::uint32_t rid, const GamePlan& plan, const std::vector<bool>& bot, std::uint64_t seed,
                        int deadline_s, const std::string& key) {
  flatbuffers::FlatBufferBuilder fbb;
  // Person seats are named "none"; the others keep the scenario's default bot.
  std::vector<flatbuffers::Offset<wire::SeatBot>> bots;
  for (std::size_t i = 0; i < plan.seat_ids.size(); ++i) {
    if (!bot[i]) bots.push_back(wire::CreateSeatBotDirect(fbb, plan.seat_ids[i].c_str(), "none"));
  }
  return protocol::frame_message(
      fbb, rid,
      wire::CreateCreateGameDirect(fbb, "", seed, static_cast<std::uint32_t>(deadline_s), &bots, key.c_str()));
}

void note_facilitator_push(GameRecord& game, int phase, const wire::Envelope& env) {
  switch (env.message_type()) {
    case wire::Message::RoundResult: {
      const int round = env.message_as_RoundResult()->round();
      while (game.rounds_seen < round) {
        ++game.rounds_seen;
        game.progress[phase].advance(Clock::now());
      }
      return;
    }
    case wire::Message::GameEnded:
      if (!game.ended) game.progress[phase].finished = true;
      game.ended = true;
      return;
    default:
      return;
  }
}

// The delay before an action, as a share of the deadline.
Clock::time_point after_share(Rng& rng, int deadline_s, double lo, double hi) {
  return Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(uniform(rng, lo, hi) * deadline_s * 1e6));
}

}  // namespace

void note_join_wait(ClientFigures& figures, Clock::time_point sent) {
  figures.join_wait_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - sent).count());
}

void PhaseProgress::advance(Clock::time_point t) {
  max_gap_s = std::max(max_gap_s, std::chrono::duration<double>(t - last_advance).count());
  last_advance = t;
  ++rounds;
}

awaitable<void> Slot::run(PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!ph.over()) {
    Conn conn(*ph.io, ph.gauge);
    try {
      co_await facilitate(conn, ctx);
    } catch (const std::exception& e) {
      ctx.figures.note_problem(fmt::format("facilitator {} failed: {}", index_, e.what()));
    }
    co_await conn.close();
    if (ph.over()) break;
    GameRecord* game = current();
    // Straight on to the next game; after a drop or a refusal, a pause.
    if (game != nullptr && game->ended && !game->lost && conn.closed_by_us()) continue;
    pause.expires_after(kReconnectPause);
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

awaitable<void> Slot::facilitate(Conn& conn, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  const std::string name = fmt::format("soak-facilitator-{}", index_);
  const bool opened = co_await conn.open(ph.server, name, ph.ends);
  if (!opened) {
    if (!ph.server_down() && !ph.over()) {
      ++ctx.figures.dropped_by_server;
      ctx.figures.note_problem(name + ": " + conn.error());
    }
    co_await conn.close();
    co_return;
  }
  GameRecord* game = current();
  bool ready = false;
  if (game == nullptr || game->ended) {
    ready = co_await create_game(conn, ctx);
  } else {
    ready = co_await rejoin(conn, *game, ctx);
  }
  game = current();
  if (ready && game != nullptr) {
    start_clients(*game, ctx);
    co_await drive(conn, *game, ctx);
  }
  const bool dropped = conn.closed() && !conn.closed_by_us();
  if (dropped && !ph.server_down() && !ph.over()) {
    ++ctx.figures.dropped_by_server;
    ctx.figures.note_problem(name + " dropped: " + conn.end_reason());
  }
  co_await conn.close();
}

awaitable<bool> Slot::create_game(Conn& conn, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  const GamePlan& plan = ctx.plan;
  const auto seats = static_cast<int>(plan.seat_ids.size());
  // The bot seats move round the table from one game to the next.
  std::vector<bool> bot(plan.seat_ids.size(), false);
  for (int b = 0; b < std::min(ctx.options.bots_per_game, seats); ++b) {
    bot[static_cast<std::size_t>((index_ * 3 + created_ + b * (seats / std::max(1, ctx.options.bots_per_game))) %
                                 seats)] = true;
  }
  const std::uint64_t seed = ctx.options.seed * 1000003u + static_cast<std::uint64_t>(index_) * 1009u +
                             static_cast<std::uint64_t>(created_) + 1;
  ++created_;
  std::uint32_t rid = conn.link().next_request_id();
  const Frame create = create_game_frame(rid, plan, bot, seed, ctx.options.deadline_s, ph.facilitator_key);
  const auto created = co_await conn.request(create, rid, ph.ends);
  if (!created) co_return false;
  if (created->envelope().message_type() != wire::Message::GameCreated) {
    ++ctx.figures.unexpected_errors;
    ctx.figures.note_problem("CreateGame answered by " + describe_error(created->envelope()));
    co_return false;
  }
  const wire::GameCreated& msg = *created->envelope().message_as_GameCreated();
  auto game = std::make_unique<GameRecord>();
  game->id = text_of(msg.game_id());
  game->deadline_s = ctx.options.deadline_s;
  game->facilitator_token = text_of(msg.facilitator_token());
  game->observer_token = text_of(msg.observer_token());
  std::map<std::string, std::string> tokens;
  if (msg.seats() != nullptr) {
    for (const wire::SeatToken* s : *msg.seats()) tokens[text_of(s->seat())] = text_of(s->token());
  }
  for (std::size_t i = 0; i < plan.seat_ids.size(); ++i) {
    if (bot[i]) continue;
    SeatState seat;
    seat.seat = static_cast<int>(i);
    seat.kind = plan.seat_kinds[i];
    seat.token = tokens[plan.seat_ids[i]];
    seat.rng.seed(seed * 31 + i);
    game->seats.push_back(std::move(seat));
  }
  ctx.ledger.add_game(game->id);
  ++ctx.figures.games_created;
  games_.push_back(std::move(game));
  GameRecord& g = *games_.back();

  conn.on_push = [&g, phase = ph.index](const wire::Envelope& env) { note_facilitator_push(g, phase, env); };
  rid = conn.link().next_request_id();
  const Frame join = join_frame(rid, g.facilitator_token, "facilitator", 0, 0);
  const Clock::time_point sent = Clock::now();
  const auto joined = co_await conn.request(join, rid, ph.ends);
  if (!joined || joined->envelope().message_type() != wire::Message::Joined) {
    if (joined) {
      ++ctx.figures.unexpected_errors;
      ctx.figures.note_problem("facilitator Join of new game " + g.id + ": " + describe_error(joined->envelope()));
    } else if (!ph.over() && !ph.server_down()) {
      ++ctx.figures.games_not_started;
      ctx.figures.note_problem(fmt::format("game {}: the facilitator's Join got no answer ({})", g.id,
                                           conn.closed() ? conn.end_reason() : "the phase ended first"));
    }
    g.ended = true;  // not started: the slot goes on with a new game
    co_return false;
  }
  note_join_wait(ctx.figures, sent);
  rid = conn.link().next_request_id();
  const Frame start = command_frame(rid, wire::Command::Start, g.id);
  const auto started = co_await conn.request(start, rid, ph.ends);
  if (!started || started->envelope().message_type() != wire::Message::Ack) {
    if (started) {
      ++ctx.figures.unexpected_errors;
      ctx.figures.note_problem("Start of " + g.id + ": " + describe_error(started->envelope()));
    } else if (!ph.over() && !ph.server_down()) {
      ++ctx.figures.games_not_started;
      ctx.figures.note_problem("game " + g.id + ": Start got no answer");
    }
    g.ended = true;
    co_return false;
  }
  ++ctx.figures.commands_acked;
  ctx.ledger.add({Acked::Kind::Start, g.id, -1, "", nullptr, ph.index});
  g.progress[ph.index].last_advance = Clock::now();
  co_return true;
}

awaitable<bool> Slot::rejoin(Conn& conn, GameRecord& game, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  conn.on_push = [&game, phase = ph.index](const wire::Envelope& env) { note_facilitator_push(game, phase, env); };
  if (!game.progress.contains(ph.index)) game.progress[ph.index].last_advance = ph.started;
  const std::uint32_t rid = conn.link().next_request_id();
  const Frame join = join_frame(rid, game.facilitator_token, "facilitator", 0, game.rounds_seen);
  const Clock::time_point sent = Clock::now();
  const auto joined = co_await conn.request(join, rid, ph.ends);
  if (!joined) co_return false;
  if (joined->envelope().message_type() == wire::Message::Joined) {
    note_join_wait(ctx.figures, sent);
    co_return true;
  }
  const wire::Envelope& env = joined->envelope();
  if (env.message_type() == wire::Message::Error && env.message_as_Error()->code() == wire::ErrorCode::UnknownToken) {
    // Lost, unless it had finished (the server reloads only unfinished
    // games): the run looks it up in the database after the phase.
    game.refused_in_phase = ph.index;
    game.lost = true;
    game.ended = true;
    game.progress.erase(ph.index);  // it did not run in this phase
  } else {
    ++ctx.figures.unexpected_errors;
    ctx.figures.note_problem("facilitator rejoin of " + game.id + ": " + describe_error(env));
  }
  co_return false;
}

void Slot::start_clients(GameRecord& game, PlayContext ctx) {
  if (game.clients_phase == ctx.phase.index) return;
  game.clients_phase = ctx.phase.index;
  asio::io_context& io = *ctx.phase.io;
  const auto ignore = [](std::exception_ptr) {};
  for (SeatState& seat : game.seats) {
    if (seat.ended) continue;
    asio::co_spawn(asio::make_strand(io), play_seat(game, seat, ctx), ignore);
  }
  for (int i = 0; i < ctx.options.observers; ++i) asio::co_spawn(asio::make_strand(io), observe(game, ctx), ignore);
}

// Keeps the rounds turning: in each round, once, after a while, extend the
// deadline a little or (more rarely) force the round.
awaitable<void> Slot::drive(Conn& conn, GameRecord& game, PlayContext ctx) {
  PhaseContext& ph = ctx.phase;
  while (!game.ended && !ph.over() && !conn.closed()) {
    const int round = game.rounds_seen;
    const Conn::Condition moved = [&game, round] { return game.rounds_seen != round || game.ended; };
    const Clock::time_point act_at = std::min(after_share(rng_, game.deadline_s, 0.3, 0.8), ph.ends);
    co_await conn.wait_until(moved, act_at);
    if (!moved() && !ph.over() && !conn.closed()) {
      std::optional<wire::Command> command;
      if (chance(rng_, 0.25)) {
        command = wire::Command::Extend;
      } else if (chance(rng_, 0.1)) {
        command = wire::Command::Force;
      }
      if (command) {
        const std::uint32_t rid = conn.link().next_request_id();
        const Frame frame = command_frame(rid, *command, game.id, 1);
        const auto reply = co_await conn.request(frame, rid, ph.ends);
        if (reply && reply->envelope().message_type() == wire::Message::Ack) {
          ++ctx.figures.commands_acked;
          const auto kind = *command == wire::Command::Extend ? Acked::Kind::Extend : Acked::Kind::Force;
          ctx.ledger.add({kind, game.id, -1, "", nullptr, ph.index});
        } else if (reply) {
          const wire::Envelope& env = reply->envelope();
          if (env.message_type() == wire::Message::Error &&
              env.message_as_Error()->code() == wire::ErrorCode::WrongPhase) {
            ++ctx.figures.wrong_phase;  // the round was resolving already
          } else {
            ++ctx.figures.unexpected_errors;
            ctx.figures.note_problem("facilitator command on " + game.id + ": " + describe_error(env));
          }
        }
      }
    }
    co_await conn.wait_until(moved, ph.ends);
  }
  if (game.ended && !game.lost) ++ctx.figures.games_finished;
}

int mark_finished_games(std::vector<std::unique_ptr<Slot>>& slots, const std::string& db_path) {
  std::vector<std::string> ids;
  for (auto& slot : slots) {
    const GameRecord* g = slot->current();
    if (g != nullptr && !g->ended) ids.push_back(g->id);
  }
  const std::set<std::string> finished = finished_games(db_path, ids);
  for (auto& slot : slots) {
    GameRecord* g = slot->current();
    if (g != nullptr && finished.contains(g->id)) g->ended = true;
  }
  return static_cast<int>(finished.size());
}

void settle_refused_games(std::vector<std::unique_ptr<Slot>>& slots, int phase, const std::string& db_path,
                          ClientFigures& figures) {
  std::vector<GameRecord*> refused;
  std::vector<std::string> ids;
  for (auto& slot : slots) {
    for (const auto& game : slot->games()) {
      if (game->refused_in_phase != phase) continue;
      refused.push_back(game.get());
      ids.push_back(game->id);
    }
  }
  if (refused.empty()) return;
  const std::set<std::string> finished = finished_games(db_path, ids);
  for (GameRecord* game : refused) {
    if (finished.contains(game->id)) {
      ++figures.finished_not_reloaded;
      game->lost = false;
    } else {
      ++figures.unknown_tokens;
      figures.note_problem("game " + game->id + ": unfinished, yet the server refused its tokens");
    }
  }
}

void close_progress(std::vector<std::unique_ptr<Slot>>& slots, const PhaseContext& phase) {
  const Clock::time_point end = std::min(phase.ends, phase.server_down_at());
  for (auto& slot : slots) {
    for (const auto& game : slot->games()) {
      const auto it = game->progress.find(phase.index);
      if (it == game->progress.end() || it->second.finished || game->lost) continue;
      PhaseProgress& p = it->second;
      if (end > p.last_advance) {
        p.max_gap_s = std::max(p.max_gap_s, std::chrono::duration<double>(end - p.last_advance).count());
      }
    }
  }
}

}  // namespace leadtime::bench::soak

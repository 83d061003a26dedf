#include "server/net/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>
#include <random>

#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "protocol/convert.h"
#include "server/net/room.h"
#include "server/net/server.h"

namespace leadtime::server::net {

namespace proto = leadtime::protocol;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

TimePoint now() { return Clock::now(); }

// The reply to send once a change is durable, or the store's error instead.
std::function<void(const store::Outcome&)> ack_when_saved(std::shared_ptr<Session> session, std::uint32_t rid,
                                                          Frame reply) {
  return [session = std::move(session), rid, reply = std::move(reply)](const store::Outcome& outcome) {
    if (outcome) {
      session->deliver(error_frame(rid, wire::ErrorCode::Internal,
                                   "not saved: " + *outcome +
                                       ". The change stands in the running game and the server keeps trying to "
                                       "save it; the facilitator has been told"));
      return;
    }
    session->deliver(reply);
  };
}

std::string text_of(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Frame game_created_frame(std::uint32_t rid, const Game& game, const Tokens& tokens) {
  const State& initial = game.match().state();
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatToken>> seats;
  for (std::size_t i = 0; i < tokens.seats.size(); ++i) {
    if (game.is_bot(static_cast<int>(i))) continue;
    seats.push_back(wire::CreateSeatTokenDirect(fbb, initial.actors[i].id.c_str(), tokens.seats[i].c_str()));
  }
  return proto::frame_message(fbb, rid,
                              wire::CreateGameCreatedDirect(fbb, game.id().c_str(), tokens.facilitator.c_str(),
                                                            tokens.observer.c_str(), &seats));
}

}  // namespace

Session::Session(tcp::socket socket, Server& server, std::string address)
    : socket_(std::move(socket)),
      wake_(socket_.get_executor()),
      watchdog_(socket_.get_executor()),
      join_turn_(socket_.get_executor()),
      server_(server),
      address_(std::move(address)),
      decoder_(server.options().max_frame),
      connected_at_(Clock::now()),
      last_frame_(Clock::now()),
      tokens_(server.options().message_burst),
      refilled_(Clock::now()) {
  wake_.expires_at(Clock::time_point::max());
  asio::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  peer_ = ec ? address_ : address_ + ":" + std::to_string(remote.port());
  // Replies are small and latency matters more than packet count: without
  // this a reply can wait ~40 ms for the peer's delayed ACK (Nagle).
  socket_.set_option(tcp::no_delay(true), ec);
}

void Session::start() {
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->reader(); }, asio::detached);
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->writer(); }, asio::detached);
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->watchdog(); }, asio::detached);
}

void Session::deliver(Frame frame, bool close) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), frame = std::move(frame), close]() mutable {
    self->deliver_here(std::move(frame), close);
  });
}

void Session::stop_soon() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->stop(); });
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
  queue_.push_back(std::move(frame));
  if (close) closing_ = true;
  wake_.cancel();
}

void Session::stop() {
  if (stopped_) return;
  stopped_ = true;
  closing_ = true;
  asio::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  wake_.cancel();
  watchdog_.cancel();
  join_turn_.cancel();
  leave_room();
  server_.forget(this);
  spdlog::debug("{}: closed", peer_);
}

awaitable<void> Session::reader() {
  std::array<std::uint8_t, 16384> buffer{};
  try {
    while (!closing_) {
      const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer), use_awaitable);
      decoder_.feed(std::span<const std::uint8_t>(buffer.data(), n));
      while (!closing_) {
        auto frame = decoder_.next();
        if (!frame) break;
        last_frame_ = Clock::now();
        handle(*frame);
        if (waiting_join_) {
          // Not one more frame from this connection until the Join's turn.
          asio::error_code ec;
          co_await join_turn_.async_wait(asio::redirect_error(use_awaitable, ec));
          if (closing_) break;
          const JoinAsked asked = std::move(*waiting_join_);
          waiting_join_.reset();
          examine_join(asked);
        }
      }
      if (!closing_ && decoder_.failed()) {
        spdlog::warn("{}: bad frame: {}", peer_, decoder_.error().message);
        refuse(0, wire::ErrorCode::BadFrame, decoder_.error().message, true);
      }
    }
  } catch (const std::exception&) {
    stop();  // the peer went away, or we closed the socket
  }
}

awaitable<void> Session::writer() {
  try {
    while (!stopped_) {
      if (queue_.empty()) {
        if (closing_) break;
        asio::error_code ec;
        co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
      } else {
        // Everything queued goes out in one write: one syscall for a burst
        // of pushes instead of one per frame.
        std::vector<asio::const_buffer> buffers;
        const std::size_t n = std::min<std::size_t>(queue_.size(), 64);
        for (std::size_t i = 0; i < n; ++i) buffers.push_back(asio::buffer(queue_[i]));
        co_await asio::async_write(socket_, buffers, use_awaitable);
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      }
    }
  } catch (const std::exception&) {
  }
  stop();
}

// Closes a connection that has not said Hello in time, or has sent no
// complete frame for the idle timeout: a silent peer, or one trickling a
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
    asio::error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

void Session::refuse(std::uint32_t request_id, wire::ErrorCode code, std::string_view text, bool close) {
  deliver_here(error_frame(request_id, code, text), close);
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

void Session::handle(const Frame& frame) {
  const auto verified = proto::verify_envelope(frame);
  if (!verified) {
    // The framing held, but a peer sending buffers that do not verify is
    // broken or hostile: it is told why and not heard further.
    spdlog::warn("{}: refused buffer: {}", peer_, verified.error);
    refuse(0, wire::ErrorCode::BadMessage, verified.error + "; closing the connection", true);
    return;
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
  switch (env.message_type()) {
    case wire::Message::CreateGame:
      return create_game(rid, *env.message_as_CreateGame());
    case wire::Message::ListGames:
      return list_games(rid, *env.message_as_ListGames());
    case wire::Message::Join:
      return join(rid, *env.message_as_Join());
    case wire::Message::SubmitOrders: {
      const auto* orders = env.message_as_SubmitOrders()->orders();
      const std::size_t n = orders ? orders->size() : 0;
      if (n > server_.options().max_orders_per_submission) {
        return refuse(
            rid, wire::ErrorCode::InvalidOrders,
            fmt::format("{} orders in one submission; at most {}", n, server_.options().max_orders_per_submission));
      }
      return submit(rid, proto::drafts_from_wire(*env.message_as_SubmitOrders()));
    }
    case wire::Message::Ready:
      return ready(rid, env.message_as_Ready()->ready());
    case wire::Message::Press:
      return press(rid, *env.message_as_Press());
    case wire::Message::FacilitatorCommand:
      return command(rid, *env.message_as_FacilitatorCommand());
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
  spdlog::info("{}: hello from '{}'", peer_, text_of(msg.client_name()));
  flatbuffers::FlatBufferBuilder fbb;
  deliver_here(proto::frame_message(fbb, rid,
                                    wire::CreateWelcomeDirect(fbb, server_.options().server_version.c_str(),
                                                              proto::kProtocolVersion, idle_timeout_seconds())));
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

bool Session::need_room(std::uint32_t rid) {
  if (room_) return true;
  refuse(rid, wire::ErrorCode::NotAuthorised, "join a game first");
  return false;
}

void Session::leave_room() {
  if (!room_) return;
  asio::post(room_->strand(), [room = room_, self = this] { room->leave(self); });
}

void Session::create_game(std::uint32_t rid, const wire::CreateGame& msg) {
  if (!server_.facilitator_key_ok(text_of(msg.facilitator_key()))) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "creating a game needs the server's facilitator key");
  }
  std::shared_ptr<const Scenario> scenario = server_.default_scenario();
  std::string scenario_path = server_.options().scenario;
  std::string scenario_source = server_.default_scenario_source();
  if (msg.scenario_path() != nullptr && msg.scenario_path()->size() > 0) {
    const auto path = inside(server_.options().scenario_root, msg.scenario_path()->str());
    if (!path) return refuse(rid, wire::ErrorCode::NotFound, "scenario paths are relative, without '..'");
    auto loaded = load_scenario_file(*path);
    if (!loaded.scenario) return refuse(rid, wire::ErrorCode::NotFound, loaded.error);
    scenario = std::make_shared<const Scenario>(std::move(*loaded.scenario));
    scenario_path = *path;
    scenario_source = save::read_text(*path);
  }
  const State& initial = scenario->initial;
  std::vector<std::string> bot_paths = scenario->default_bots;
  bot_paths.resize(initial.actors.size());
  if (msg.bots() != nullptr) {
    for (const wire::SeatBot* b : *msg.bots()) {
      const std::string seat = text_of(b->seat());
      const int actor = initial.find_actor(seat);
      if (actor == kNoActor) return refuse(rid, wire::ErrorCode::NotFound, unknown_seat_text(initial, seat));
      const std::string path = text_of(b->bot_path());
      bot_paths[static_cast<std::size_t>(actor)] = path == "none" ? "" : path;
    }
  }
  GameOptions options;
  options.seed = msg.seed() != 0 ? msg.seed() : std::random_device{}() | 1u;
  options.deadline = msg.deadline_seconds() != 0 ? Seconds{msg.deadline_seconds()} : Seconds{24 * 3600 * 365};
  options.bot_seats.assign(initial.actors.size(), false);
  auto driver_or_error = RoundDriver::load(*scenario, options.seed);
  if (auto* error = std::get_if<std::string>(&driver_or_error)) return refuse(rid, wire::ErrorCode::NotFound, *error);
  RoundDriver& driver = std::get<RoundDriver>(driver_or_error);
  int bot_count = 0;
  for (std::size_t i = 0; i < bot_paths.size(); ++i) {
    if (bot_paths[i].empty()) continue;
    const auto path = inside(server_.options().bot_root, bot_paths[i]);
    if (!path) return refuse(rid, wire::ErrorCode::NotFound, "bot paths are relative, without '..'");
    if (auto error = driver.load_bot(*scenario, options.seed, static_cast<int>(i), *path)) {
      return refuse(rid, wire::ErrorCode::NotFound, "seat " + initial.actors[i].id + ": " + *error);
    }
    options.bot_seats[i] = true;
    ++bot_count;
  }
  options.bot_paths = bot_paths;
  auto room = server_.new_room(server_.next_game_id());
  auto game = std::make_unique<Game>(room->id(), scenario, std::move(options), nullptr);
  const Tokens tokens = game->issue_tokens();
  room->install(std::move(game), std::move(driver),
                {server_.store(), scenario_path, scenario_source, wall_now_ms(), "", -1});
  if (auto refusal = server_.add_room(room, address_)) {
    spdlog::info("{}: CreateGame refused: {}", peer_, *refusal);
    return refuse(rid, wire::ErrorCode::RateLimited, "CreateGame: " + *refusal);
  }
  spdlog::info("game {}: created by {} (scenario '{}' from {}, seed {}, {} bot seats)", room->id(), peer_,
               scenario->name, scenario_path, room->game().match().seed(), bot_count);
  Frame created = game_created_frame(rid, room->game(), tokens);
  store::Store* store = server_.store();
  if (store == nullptr) return deliver_here(std::move(created));
  // The tokens are handed out only once the game is on disk; a game that
  // cannot be stored is not created.
  store->create_game(room->row(), [this_server = &server_, room, self = shared_from_this(), rid,
                                   created = std::move(created)](const store::Outcome& outcome) {
    if (!outcome) return self->deliver(created);
    spdlog::error("game {}: not created: {}", room->id(), *outcome);
    this_server->remove_room(room->id());
    asio::post(room->strand(), [room] { room->abandon(); });
    self->deliver(error_frame(rid, wire::ErrorCode::Internal,
                              "CreateGame: the game could not be stored (" + *outcome + "), so it was not created"));
  });
}

// Each game's summary is built on its own strand; the answer goes out when
// the last one is in.
void Session::list_games(std::uint32_t rid, const wire::ListGames& msg) {
  if (!server_.facilitator_key_ok(text_of(msg.facilitator_key()))) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "listing games needs the server's facilitator key");
  }
  struct Collect {
    std::mutex mutex;
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::GameSummary>> games;
    std::size_t left = 0;
  };
  auto rooms = server_.rooms();
  auto collect = std::make_shared<Collect>();
  collect->left = rooms.size();
  auto finish = [self = shared_from_this(), rid, collect] {
    auto& fbb = collect->fbb;
    self->deliver(proto::frame_message(fbb, rid, wire::CreateGameListDirect(fbb, &collect->games)));
  };
  if (rooms.empty()) return finish();
  for (auto& room : rooms) {
    asio::post(room->strand(), [room, collect, finish] {
      const std::lock_guard lock(collect->mutex);
      collect->games.push_back(build_summary(collect->fbb, room->game(), room->attendance(), now()));
      if (--collect->left == 0) finish();
    });
  }
}

void Session::join(std::uint32_t rid, const wire::Join& msg) {
  if (room_) return refuse(rid, wire::ErrorCode::WrongPhase, "this connection has already joined a game");
  JoinAsked asked{rid, text_of(msg.token()), text_of(msg.member_name()), msg.last_press_seq(), msg.last_round()};
  // After wrong tokens from this address, its Joins are looked at one by
  // one, ever further apart, whichever connection they come on.
  const auto turn = server_.join_turn(address_);
  if (const auto* refusal = std::get_if<std::string>(&turn)) {
    spdlog::warn("{}: join refused: {}", peer_, *refusal);
    return refuse(rid, wire::ErrorCode::RateLimited, *refusal);
  }
  const auto at = std::get<Clock::time_point>(turn);
  if (at <= Clock::now()) return examine_join(asked);
  waiting_join_ = std::move(asked);
  join_turn_.expires_at(at);
  asio::co_spawn(
      socket_.get_executor(), [self = shared_from_this()] { return self->watch_peer_while_waiting(); }, asio::detached);
}

// The reader reads nothing while a Join waits its turn, so without this a
// peer that gave up waiting would hold its connection slot (half closed)
// until the turn came.
awaitable<void> Session::watch_peer_while_waiting() {
  asio::error_code ec;
  co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
  if (ec || !waiting_join_ || stopped_) co_return;
  std::array<std::uint8_t, 1> byte{};
  const std::size_t n = socket_.receive(asio::buffer(byte), tcp::socket::message_peek, ec);
  if (ec || n == 0) {
    spdlog::info("{}: left while its Join waited its turn", peer_);
    stop();
  }
  // Otherwise the peer sent more: the reader takes it after the turn.
}

void Session::examine_join(const JoinAsked& asked) {
  const TokenHash token = hash_token(asked.token);
  auto found = server_.find_by_token(token);
  if (!found) {
    if (auto ended = server_.ended_game_of(token)) {
      spdlog::info("{}: join with a token of game {}, which ended", peer_, *ended);
      return refuse(asked.rid, wire::ErrorCode::NotFound,
                    fmt::format("game {} has ended and this server no longer hosts it; its record stays in the "
                                "server's database (leadtime-cli report --db, leadtime-server export)",
                                *ended));
    }
    const auto wait = server_.note_wrong_token(address_, token);
    spdlog::warn("{}: join with an unknown token", peer_);
    return refuse(asked.rid, wire::ErrorCode::UnknownToken,
                  wait.count() == 0 ? std::string("no game knows that token")
                                    : fmt::format("no game knows that token (too many wrong tokens from {}: its next "
                                                  "Join is looked at in {} ms)",
                                                  address_, wait.count()));
  }
  identity_ = found->identity;
  room_ = found->room;
  member_ = asked.member;
  GameRoom::JoinRequest request{asked.rid, identity_, member_, asked.last_press_seq, asked.last_round};
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), request] { room->join(self, request); });
}

void Session::submit(std::uint32_t rid, std::vector<OrderDraft> drafts) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Seat) return refuse(rid, wire::ErrorCode::NotAuthorised, "only a seat gives orders");
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), rid, who = identity_, member = member_,
                               drafts = std::move(drafts)] {
    auto result = room->game().submit(who.seat, member, drafts, now());
    if (auto* why = std::get_if<Refusal>(&result)) {
      self->deliver(refusal_frame(rid, *why));
      return;
    }
    const auto& v = std::get<ValidatedOrders>(result);
    spdlog::info("game {} seat {}: {} orders accepted, {} rejected (by '{}')", room->id(), room->seat_name(who.seat),
                 v.orders.size(), v.errors.size(), member);
    flatbuffers::FlatBufferBuilder fbb;
    Frame accepted = proto::frame_message(
        fbb, rid, proto::build_orders_accepted(fbb, static_cast<std::uint32_t>(v.orders.size()), v.errors));
    // Acknowledged only once durable.
    room->persist(ack_when_saved(self, rid, std::move(accepted)));
    room->after_change();
  });
}

void Session::ready(std::uint32_t rid, bool ready) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Seat) return refuse(rid, wire::ErrorCode::NotAuthorised, "only a seat can be ready");
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), rid, who = identity_, ready] {
    if (auto why = room->game().set_ready(who.seat, ready, now())) {
      self->deliver(refusal_frame(rid, *why));
      return;
    }
    spdlog::info("game {} seat {}: {}", room->id(), room->seat_name(who.seat), ready ? "ready" : "not ready");
    room->persist(ack_when_saved(self, rid, ack_frame(rid)));
    room->after_change();
  });
}

void Session::press(std::uint32_t rid, const wire::Press& msg) {
  if (!need_room(rid)) return;
  if (identity_.role == Role::Observer) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "observers cannot send press");
  }
  std::string text = text_of(msg.text());
  const std::size_t limit = server_.options().max_message_chars;
  if (text.size() > limit) {
    return refuse(rid, wire::ErrorCode::BadMessage,
                  fmt::format("message of {} characters; at most {}", text.size(), limit));
  }
  std::vector<std::string> to;
  if (msg.to() != nullptr) {
    for (const auto* s : *msg.to()) to.push_back(s->str());
  }
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), rid, who = identity_, to = std::move(to),
                               text = std::move(text)] {
    const State& state = room->game().match().state();
    std::vector<int> seats;
    for (const std::string& id : to) {
      const int a = state.find_actor(id);
      if (a == kNoActor) {
        self->deliver(error_frame(rid, wire::ErrorCode::NotFound, unknown_seat_text(state, id)));
        return;
      }
      seats.push_back(a);
    }
    const int from = who.role == Role::Seat ? who.seat : kNoActor;
    if (auto why = room->game().send(from, seats, text)) {
      self->deliver(refusal_frame(rid, *why));
      return;
    }
    room->persist(ack_when_saved(self, rid, ack_frame(rid)));
    room->relay(room->game().messages().back());
  });
}

namespace {

struct CommandArgs {
  wire::Command command = wire::Command::Start;
  Seconds seconds{0};
  std::string seat;
  std::string event_id;
  std::string bot_path;
};

// The facilitator's commands that the game itself carries out.
Refused run_game_command(GameRoom& room, const CommandArgs& args, TimePoint t) {
  Game& g = room.game();
  switch (args.command) {
    case wire::Command::Start:
      return g.start(t);
    case wire::Command::Pause:
      return g.pause(t);
    case wire::Command::Resume:
      return g.resume(t);
    case wire::Command::Extend:
      return g.move_deadline(args.seconds, t);
    case wire::Command::Shorten:
      return g.move_deadline(-args.seconds, t);
    case wire::Command::Force:
      return g.force(t);
    case wire::Command::End:
      return g.end();
    case wire::Command::Rollback:
      return g.rollback(t);
    case wire::Command::Inject: {
      if (args.event_id.empty()) {
        return Refusal{RefusalCode::Invalid, "Inject needs an event_id from the scenario's event table"};
      }
      Inject inject;
      inject.event_id = args.event_id;
      return g.inject(std::move(inject));
    }
    default:
      break;
  }
  return Refusal{RefusalCode::Invalid, "that command is not supported by this server yet"};
}

Refused run_seat_command(GameRoom& room, const CommandArgs& args, TimePoint t) {
  Game& g = room.game();
  const int seat = g.match().state().find_actor(args.seat);
  if (seat == kNoActor) return Refusal{RefusalCode::NotFound, unknown_seat_text(g.match().state(), args.seat)};
  switch (args.command) {
    case wire::Command::SwapToBot: {
      if (g.phase() == Phase::Resolving) {
        return Refusal{RefusalCode::WrongPhase, "the round is resolving; try again in a moment"};
      }
      std::string path = args.bot_path;
      if (path.empty()) {
        const auto& defaults = g.match().scenario().default_bots;
        if (static_cast<std::size_t>(seat) < defaults.size()) path = defaults[static_cast<std::size_t>(seat)];
      }
      if (path.empty()) {
        return Refusal{RefusalCode::Invalid, "the scenario names no bot for " + args.seat + "; give bot_path"};
      }
      if (auto error = room.load_bot(seat, path)) {
        return Refusal{RefusalCode::Invalid, "bot for " + args.seat + ": " + *error};
      }
      return g.swap(seat, true, path, t);
    }
    case wire::Command::SwapToPerson:
      return g.swap(seat, false, "", t);
    case wire::Command::Kick: {
      if (auto why = g.kick(seat)) return why;
      spdlog::info("game {} seat {}: {} client(s) kicked", room.id(), args.seat, room.kick(seat));
      return std::nullopt;
    }
    default:
      break;
  }
  return Refusal{RefusalCode::Invalid, "that command is not supported by this server yet"};
}

bool is_seat_command(wire::Command c) {
  return c == wire::Command::SwapToBot || c == wire::Command::SwapToPerson || c == wire::Command::Kick;
}

}  // namespace

void Session::command(std::uint32_t rid, const wire::FacilitatorCommand& msg) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Facilitator) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "only the facilitator may send that");
  }
  if (msg.command() == wire::Command::Export) return export_game(rid);
  if (msg.command() == wire::Command::Branch) return branch(rid, msg.round());
  CommandArgs args{msg.command(), Seconds{msg.seconds()}, text_of(msg.seat()), text_of(msg.event_id()),
                   text_of(msg.bot_path())};
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), rid, args = std::move(args)] {
    const TimePoint t = now();
    const Refused why =
        is_seat_command(args.command) ? run_seat_command(*room, args, t) : run_game_command(*room, args, t);
    const char* name = wire::EnumNameCommand(args.command);
    if (why) {
      spdlog::info("game {} seat facilitator: command {} refused: {}", room->id(), name, why->text);
      self->deliver(refusal_frame(rid, *why, std::string(name) + ": "));
      return;
    }
    spdlog::info("game {} seat facilitator: command {}{}", room->id(), name,
                 args.seat.empty() ? std::string() : " " + args.seat);
    room->persist(ack_when_saved(self, rid, ack_frame(rid)));
    room->after_change();
  });
}

void Session::export_game(std::uint32_t rid) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Facilitator) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "only the facilitator may export the game");
  }
  asio::post(room_->strand(), [room = room_, self = shared_from_this(), rid] {
    const std::vector<std::uint8_t> file = save::encode(room->save_data());
    spdlog::info("game {} seat facilitator: exported ({} bytes)", room->id(), file.size());
    flatbuffers::FlatBufferBuilder fbb;
    self->deliver(proto::frame_message(fbb, rid, wire::CreateSaveFileDirect(fbb, room->id().c_str(), &file)));
  });
}

namespace {

// The parent's journal up to the moment its round `round` was resolved (the
// last time, if it was rolled back and played again), or up to its start.
std::optional<std::vector<store::JournalEntry>> journal_until(const Game& parent, const save::SaveData& saved,
                                                              int round) {
  const auto cut = branch_point(parent.changes(), round);
  if (!cut) return std::nullopt;
  return std::vector<store::JournalEntry>(saved.journal.begin(), saved.journal.begin() + *cut + 1);
}

}  // namespace

// A what-if: a new game with the parent's history up to `round`, new
// tokens, and its own future.
void Session::branch(std::uint32_t rid, int round) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Facilitator) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "only the facilitator may branch the game");
  }
  asio::post(room_->strand(), [this_server = &server_, room = room_, self = shared_from_this(), rid, round] {
    Server& server = *this_server;
    const save::SaveData parent = room->save_data();
    const auto prefix = journal_until(room->game(), parent, round);
    if (round < 0 || !prefix) {
      self->deliver(error_frame(rid, wire::ErrorCode::NotFound,
                                fmt::format("Branch: round {} has not been played in game {}", round, room->id())));
      return;
    }
    store::GameRow row = parent.game;
    row.id = server.next_game_id();
    row.parent_id = room->id();
    row.branch_round = round;
    row.finished = false;
    auto rebuilt = server.rebuild_room(row, *prefix, wall_now_ms());
    if (auto* error = std::get_if<std::string>(&rebuilt)) {
      self->deliver(error_frame(rid, wire::ErrorCode::Internal, "Branch: " + *error));
      return;
    }
    const auto child = std::get<Server::Rebuilt>(rebuilt).room;
    // A what-if starts paused: nobody has joined it yet, and its clock must
    // not play its rounds meanwhile.
    if (child->game().phase() == Phase::Orders && !child->game().paused()) (void)child->game().pause(now());
    const Tokens tokens = child->game().issue_tokens();
    if (auto refusal = server.add_room(child, self->address())) {
      self->deliver(error_frame(rid, wire::ErrorCode::RateLimited, "Branch: " + *refusal));
      return;
    }
    spdlog::info("game {}: branched from game {} after round {}", child->id(), room->id(), round);
    Frame created = game_created_frame(rid, child->game(), tokens);
    store::Store* store = server.store();
    if (store == nullptr) {
      self->deliver(std::move(created));
      asio::post(child->strand(), [child] { child->after_change(); });
      return;
    }
    // Its journal copies the parent's up to the branch point, written once
    // the game's row is in; the tokens go out once both are on disk.
    store->create_game(child->row(), [this_server = &server, child, self, rid,
                                      created = std::move(created)](const store::Outcome& outcome) {
      asio::post(child->strand(), [this_server, child, self, rid, created, outcome] {
        auto fail = [this_server, child, self, rid](const std::string& why) {
          spdlog::error("game {}: branch not created: {}", child->id(), why);
          this_server->remove_room(child->id());
          child->abandon();
          self->deliver(error_frame(rid, wire::ErrorCode::Internal,
                                    "Branch: the game could not be stored (" + why + "), so it was not created"));
        };
        if (outcome) return fail(*outcome);
        child->persist([child, self, created, fail](const store::Outcome& saved) {
          if (saved) return fail(*saved);
          self->deliver(created);
          child->after_change();
        });
      });
    });
  });
}

}  // namespace leadtime::server::net

#include "server/net/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <filesystem>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "engine/lua/bot.h"
#include "engine/lua/scenario_loader.h"
#include "protocol/convert.h"
#include "protocol/framing.h"
#include "server/game.h"

namespace leadtime::server::net {

namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Frame = std::vector<std::uint8_t>;
using Strand = asio::strand<asio::io_context::executor_type>;

namespace {

TimePoint now() { return std::chrono::steady_clock::now(); }

Frame error_frame(std::uint32_t request_id, wire::ErrorCode code, std::string_view text) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, proto::build_error(fbb, request_id, code, text));
}

Frame ack_frame(std::uint32_t request_id) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, request_id, wire::CreateAck(fbb, request_id));
}

Frame view_frame(const View& view) {
  flatbuffers::FlatBufferBuilder fbb;
  return proto::frame_message(fbb, 0, proto::build_view(fbb, view));
}

// A path from a client, kept inside `root`: no absolute paths, no "..".
std::optional<std::string> inside(const std::string& root, const std::string& relative) {
  const std::filesystem::path p(relative);
  if (relative.empty() || p.is_absolute()) return std::nullopt;
  for (const auto& part : p) {
    if (part == "..") return std::nullopt;
  }
  return (std::filesystem::path(root) / p).string();
}

wire::Role to_wire(Role role) {
  switch (role) {
    case Role::Seat:
      return wire::Role::Seat;
    case Role::Facilitator:
      return wire::Role::Facilitator;
    case Role::Observer:
      break;
  }
  return wire::Role::Observer;
}

}  // namespace

// --- Session ------------------------------------------------------------------

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server& server)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), server_(server) {
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
    asio::error_code ec;
    const auto remote = socket_.remote_endpoint(ec);
    peer_ = ec ? std::string("?") : remote.address().to_string() + ":" + std::to_string(remote.port());
  }

  void start() {
    asio::co_spawn(
        socket_.get_executor(), [self = shared_from_this()] { return self->reader(); }, asio::detached);
    asio::co_spawn(
        socket_.get_executor(), [self = shared_from_this()] { return self->writer(); }, asio::detached);
  }

  // Thread-safe: queues a frame for the writer (then, if `close`, closes).
  void deliver(Frame frame, bool close = false) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), frame = std::move(frame), close]() mutable {
      self->deliver_here(std::move(frame), close);
    });
  }

  // Thread-safe.
  void stop_soon() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->stop(); });
  }

  [[nodiscard]] const std::string& peer() const { return peer_; }

 private:
  static constexpr std::size_t kMaxQueued = 4096;

  void deliver_here(Frame frame, bool close = false) {
    if (stopped_ || closing_) return;
    if (queue_.size() >= kMaxQueued) {
      // A peer that stops reading must not make the server hoard its frames.
      spdlog::warn("{}: {} frames unsent, closing", peer_, queue_.size());
      stop();
      return;
    }
    queue_.push_back(std::move(frame));
    if (close) closing_ = true;
    timer_.cancel();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    closing_ = true;
    asio::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    timer_.cancel();
    leave_room();
    server_.forget(this);
    spdlog::debug("{}: closed", peer_);
  }

  awaitable<void> reader() {
    std::array<std::uint8_t, 16384> buffer{};
    try {
      while (!closing_) {
        const std::size_t n = co_await socket_.async_read_some(asio::buffer(buffer), use_awaitable);
        decoder_.feed(std::span<const std::uint8_t>(buffer.data(), n));
        while (!closing_) {
          auto frame = decoder_.next();
          if (!frame) break;
          handle(*frame);
        }
        if (!closing_ && decoder_.failed()) {
          spdlog::warn("{}: bad frame: {}", peer_, decoder_.error().message);
          deliver_here(error_frame(0, wire::ErrorCode::BadFrame, decoder_.error().message), true);
        }
      }
    } catch (const std::exception&) {
      stop();  // the peer went away, or we closed the socket
    }
  }

  awaitable<void> writer() {
    try {
      while (!stopped_) {
        if (queue_.empty()) {
          if (closing_) break;
          asio::error_code ec;
          co_await timer_.async_wait(asio::redirect_error(use_awaitable, ec));
        } else {
          co_await asio::async_write(socket_, asio::buffer(queue_.front()), use_awaitable);
          queue_.pop_front();
        }
      }
    } catch (const std::exception&) {
    }
    stop();
  }

  void refuse(std::uint32_t request_id, wire::ErrorCode code, std::string_view text, bool close = false) {
    deliver_here(error_frame(request_id, code, text), close);
  }

  // Runs on the session's strand; anything touching a game is posted to the
  // game's strand.
  void handle(const Frame& frame) {
    const auto verified = proto::verify_envelope(frame);
    if (!verified) {
      spdlog::warn("{}: refused buffer: {}", peer_, verified.error);
      refuse(0, wire::ErrorCode::BadFrame, verified.error, true);
      return;
    }
    const wire::Envelope& env = *verified.envelope;
    const std::uint32_t rid = env.request_id();
    if (!hello_) {
      const wire::Hello* hello = env.message_as_Hello();
      if (hello == nullptr) {
        refuse(rid, wire::ErrorCode::BadMessage, "expected Hello first", true);
        return;
      }
      if (hello->protocol_version() != proto::kProtocolVersion) {
        spdlog::info("{}: version mismatch ({})", peer_, hello->protocol_version());
        refuse(rid, wire::ErrorCode::VersionMismatch, proto::version_mismatch_text(hello->protocol_version()), true);
        return;
      }
      hello_ = true;
      spdlog::info("{}: hello from '{}'", peer_, hello->client_name() ? hello->client_name()->str() : "");
      flatbuffers::FlatBufferBuilder fbb;
      deliver_here(proto::frame_message(
          fbb, rid, wire::CreateWelcomeDirect(fbb, server_.options().server_version.c_str(), proto::kProtocolVersion)));
      return;
    }
    switch (env.message_type()) {
      case wire::Message::CreateGame:
        create_game(rid, *env.message_as_CreateGame());
        return;
      case wire::Message::Join:
        join(rid, *env.message_as_Join());
        return;
      case wire::Message::SubmitOrders:
        submit(rid, proto::drafts_from_wire(*env.message_as_SubmitOrders()));
        return;
      case wire::Message::Ready:
        ready(rid, env.message_as_Ready()->ready());
        return;
      case wire::Message::Press:
        press(rid, *env.message_as_Press());
        return;
      case wire::Message::FacilitatorCommand:
        command(rid, *env.message_as_FacilitatorCommand());
        return;
      default:
        refuse(rid, wire::ErrorCode::BadMessage, "this server does not take that message from a client");
        return;
    }
  }

  void create_game(std::uint32_t rid, const wire::CreateGame& msg);
  void join(std::uint32_t rid, const wire::Join& msg);
  void submit(std::uint32_t rid, std::vector<OrderDraft> drafts);
  void ready(std::uint32_t rid, bool ready);
  void press(std::uint32_t rid, const wire::Press& msg);
  void command(std::uint32_t rid, const wire::FacilitatorCommand& msg);
  void leave_room();
  bool need_room(std::uint32_t rid) {
    if (room_) return true;
    refuse(rid, wire::ErrorCode::NotAuthorised, "join a game first");
    return false;
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Server& server_;
  std::string peer_;
  std::deque<Frame> queue_;
  proto::FrameDecoder decoder_{proto::kDefaultMaxFrame};
  bool hello_ = false;
  bool closing_ = false;  // no more reading; the writer flushes and closes
  bool stopped_ = false;
  std::shared_ptr<GameRoom> room_;
  Identity identity_;
  std::string member_;
};

// --- GameRoom -------------------------------------------------------------------

// One game and the sessions joined to it. Every member function runs on the
// room's strand.
struct GameRoom : std::enable_shared_from_this<GameRoom> {
  struct Member {
    std::weak_ptr<Session> session;
    Identity identity;
  };

  GameRoom(asio::io_context& io, std::string id)
      : strand(asio::make_strand(io)), deadline(strand), game_id(std::move(id)) {}

  Strand strand;
  asio::steady_timer deadline;
  std::string game_id;
  std::unique_ptr<Game> game;
  // Bot seats' Lua bots. They run on the strand for now (TODO: a worker pool
  // so a slow bot never holds up the game's messages).
  std::vector<std::optional<lua::Bot>> bots;
  std::vector<Member> members;
  std::size_t rounds_sent = 0;
  bool stopped = false;

  [[nodiscard]] std::string seat_name(int seat) const {
    if (seat == kNoActor) return "facilitator";
    return game->match().state().actors[static_cast<std::size_t>(seat)].id;
  }

  // Pushes RoundResult and a fresh ViewMsg to every member for each round
  // resolved since the last call, then re-arms the deadline timer.
  void after_change() {
    const Match& match = game->match();
    while (rounds_sent < match.history().size()) {
      const RoundRecord& rec = match.history()[rounds_sent];
      ++rounds_sent;
      spdlog::info("game {}: round {} resolved ({}), hash {:016x}", game_id, rec.round + 1, rec.quarter.str(),
                   rec.hash);
      const PublicIndicators indicators = public_indicators(match.state(), match.scenario().coef);
      const bool latest = rounds_sent == match.history().size();
      for (auto it = members.begin(); it != members.end();) {
        auto s = it->session.lock();
        if (!s) {
          it = members.erase(it);
          continue;
        }
        const Identity& who = it->identity;
        const int viewer = who.role == Role::Seat ? who.seat : kNoActor;
        std::vector<Event> events;
        for (const Event& e : rec.events) {
          if (who.role == Role::Facilitator || may_see(e, viewer)) events.push_back(e);
        }
        flatbuffers::FlatBufferBuilder fbb;
        s->deliver(proto::frame_message(
            fbb, 0, proto::build_round_result(fbb, rec.round + 1, rec.quarter, rec.hash, indicators, events)));
        if (latest && who.role != Role::Facilitator) s->deliver(view_frame(game->view_for(who)));
        ++it;
      }
    }
    arm_deadline();
  }

  void arm_deadline() {
    if (stopped) return;
    deadline.cancel();
    if (game->phase() != Phase::Orders || game->paused()) return;
    deadline.expires_after(game->time_left(now()) + std::chrono::milliseconds(50));
    deadline.async_wait([self = weak_from_this()](const asio::error_code& ec) {
      auto room = self.lock();
      if (ec || !room || room->stopped) return;
      room->game->tick(now());
      room->after_change();
    });
  }

  void stop() {
    stopped = true;
    deadline.cancel();
  }
};

void Session::leave_room() {
  if (!room_) return;
  asio::post(room_->strand, [room = room_, self = this] {
    std::erase_if(room->members, [&](const GameRoom::Member& m) {
      auto s = m.session.lock();
      return !s || s.get() == self;
    });
  });
}

void Session::create_game(std::uint32_t rid, const wire::CreateGame& msg) {
  // TODO(#4): only a facilitator account may create games; for now anyone who
  // said Hello can.
  std::shared_ptr<const Scenario> scenario = server_.default_scenario();
  if (msg.scenario_path() != nullptr && msg.scenario_path()->size() > 0) {
    const auto path = inside(server_.options().scenario_root, msg.scenario_path()->str());
    if (!path) return refuse(rid, wire::ErrorCode::NotFound, "scenario paths are relative, without '..'");
    auto loaded = load_scenario_file(*path);
    if (!loaded.scenario) return refuse(rid, wire::ErrorCode::NotFound, loaded.error);
    scenario = std::make_shared<const Scenario>(std::move(*loaded.scenario));
  }
  const State& initial = scenario->initial;
  std::vector<std::string> bot_paths = scenario->default_bots;
  bot_paths.resize(initial.actors.size());
  if (msg.bots() != nullptr) {
    for (const wire::SeatBot* b : *msg.bots()) {
      const std::string seat = b->seat() ? b->seat()->str() : "";
      const int actor = initial.find_actor(seat);
      if (actor == kNoActor) return refuse(rid, wire::ErrorCode::NotFound, "unknown seat '" + seat + "'");
      const std::string path = b->bot_path() ? b->bot_path()->str() : "";
      bot_paths[static_cast<std::size_t>(actor)] = path == "none" ? "" : path;
    }
  }
  const std::uint64_t seed = msg.seed() != 0 ? msg.seed() : std::random_device{}() | 1u;
  auto room = std::make_shared<GameRoom>(server_.io(), server_.next_game_id());
  GameOptions options;
  options.seed = seed;
  options.deadline = msg.deadline_seconds() != 0 ? Seconds{msg.deadline_seconds()} : Seconds{24 * 3600 * 365};
  options.bot_seats.assign(initial.actors.size(), false);
  room->bots.resize(initial.actors.size());
  for (std::size_t i = 0; i < bot_paths.size(); ++i) {
    if (bot_paths[i].empty()) continue;
    const auto path = inside(server_.options().bot_root, bot_paths[i]);
    if (!path) return refuse(rid, wire::ErrorCode::NotFound, "bot paths are relative, without '..'");
    auto loaded = lua::Bot::load(*path, *scenario, static_cast<int>(i), seed);
    if (auto* error = std::get_if<std::string>(&loaded)) return refuse(rid, wire::ErrorCode::NotFound, *error);
    room->bots[i].emplace(std::move(std::get<lua::Bot>(loaded)));
    options.bot_seats[i] = true;
  }
  GameRoom* raw = room.get();  // the room owns the game, so outlives its callback
  room->game = std::make_unique<Game>(
      room->game_id, scenario, std::move(options), [raw](int seat, const View& view, const State& state) {
        auto& bot = raw->bots[static_cast<std::size_t>(seat)];
        if (!bot) {
          return std::variant<std::vector<OrderDraft>, std::string>(std::string("no bot loaded"));
        }
        return bot->decide(view, state);
      });
  const Tokens tokens = room->game->issue_tokens();
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatToken>> seats;
  for (std::size_t i = 0; i < tokens.seats.size(); ++i) {
    if (room->game->is_bot(static_cast<int>(i))) continue;
    seats.push_back(wire::CreateSeatTokenDirect(fbb, initial.actors[i].id.c_str(), tokens.seats[i].c_str()));
  }
  const auto created = wire::CreateGameCreatedDirect(fbb, room->game_id.c_str(), tokens.facilitator.c_str(),
                                                     tokens.observer.c_str(), &seats);
  spdlog::info("game {}: created by {} (scenario '{}', seed {}, {} bot seats)", room->game_id, peer_, scenario->name,
               seed, std::count_if(room->bots.begin(), room->bots.end(), [](const auto& b) { return b.has_value(); }));
  server_.add_room(room);
  deliver_here(proto::frame_message(fbb, rid, created));
}

void Session::join(std::uint32_t rid, const wire::Join& msg) {
  if (room_) return refuse(rid, wire::ErrorCode::WrongPhase, "this connection has already joined a game");
  const std::string token = msg.token() ? msg.token()->str() : "";
  auto room = server_.find_by_token(token);
  if (!room) return refuse(rid, wire::ErrorCode::UnknownToken, "no game knows that token");
  // Tokens never change after a game is created, so authenticating off the
  // game's strand is safe.
  identity_ = *room->game->authenticate(token);
  room_ = room;
  member_ = msg.member_name() ? msg.member_name()->str() : "";
  asio::post(room->strand, [room, self = shared_from_this(), rid, who = identity_, member = member_] {
    room->members.push_back({self, who});
    spdlog::info("game {} seat {}: joined by '{}' from {}", room->game_id, room->seat_name(who.seat), member,
                 self->peer());
    const std::string seat = who.role == Role::Seat ? room->seat_name(who.seat) : "";
    flatbuffers::FlatBufferBuilder fbb;
    self->deliver(proto::frame_message(
        fbb, rid, wire::CreateJoinedDirect(fbb, room->game_id.c_str(), seat.c_str(), to_wire(who.role))));
    if (who.role != Role::Facilitator) self->deliver(view_frame(room->game->view_for(who)));
    // A (re)joining client gets every message it may read, in order.
    const State& state = room->game->match().state();
    for (const Message& m : room->game->messages_for(who)) {
      flatbuffers::FlatBufferBuilder press;
      std::vector<flatbuffers::Offset<flatbuffers::String>> to_ids;
      for (int t : m.to) to_ids.push_back(press.CreateString(state.actors[static_cast<std::size_t>(t)].id));
      const std::string from_id = m.from == kNoActor ? "" : state.actors[static_cast<std::size_t>(m.from)].id;
      self->deliver(
          proto::frame_message(press, 0, wire::CreatePressDirect(press, &to_ids, m.text.c_str(), from_id.c_str())));
    }
  });
}

void Session::submit(std::uint32_t rid, std::vector<OrderDraft> drafts) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Seat) return refuse(rid, wire::ErrorCode::NotAuthorised, "only a seat gives orders");
  asio::post(room_->strand, [room = room_, self = shared_from_this(), rid, who = identity_, member = member_,
                             drafts = std::move(drafts)] {
    auto result = room->game->submit(who.seat, member, drafts, now());
    if (auto* why = std::get_if<std::string>(&result)) {
      self->deliver(error_frame(rid, wire::ErrorCode::WrongPhase, *why));
      return;
    }
    const auto& v = std::get<ValidatedOrders>(result);
    spdlog::info("game {} seat {}: {} orders accepted, {} rejected", room->game_id, room->seat_name(who.seat),
                 v.orders.size(), v.errors.size());
    flatbuffers::FlatBufferBuilder fbb;
    self->deliver(proto::frame_message(
        fbb, rid, proto::build_orders_accepted(fbb, static_cast<std::uint32_t>(v.orders.size()), v.errors)));
  });
}

void Session::ready(std::uint32_t rid, bool ready) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Seat) return refuse(rid, wire::ErrorCode::NotAuthorised, "only a seat can be ready");
  asio::post(room_->strand, [room = room_, self = shared_from_this(), rid, who = identity_, ready] {
    if (auto why = room->game->set_ready(who.seat, ready, now())) {
      self->deliver(error_frame(rid, wire::ErrorCode::WrongPhase, *why));
      return;
    }
    spdlog::info("game {} seat {}: {}", room->game_id, room->seat_name(who.seat), ready ? "ready" : "not ready");
    self->deliver(ack_frame(rid));
    room->after_change();
  });
}

void Session::press(std::uint32_t rid, const wire::Press& msg) {
  if (!need_room(rid)) return;
  if (identity_.role == Role::Observer)
    return refuse(rid, wire::ErrorCode::NotAuthorised, "observers cannot send press");
  std::vector<std::string> to;
  if (msg.to() != nullptr) {
    for (const auto* s : *msg.to()) to.push_back(s->str());
  }
  std::string text = msg.text() ? msg.text()->str() : "";
  asio::post(room_->strand, [room = room_, self = shared_from_this(), rid, who = identity_, to = std::move(to),
                             text = std::move(text)] {
    const State& state = room->game->match().state();
    std::vector<int> seats;
    for (const std::string& id : to) {
      const int a = state.find_actor(id);
      if (a == kNoActor) {
        self->deliver(error_frame(rid, wire::ErrorCode::NotFound, "unknown seat '" + id + "'"));
        return;
      }
      seats.push_back(a);
    }
    const int from = who.role == Role::Seat ? who.seat : kNoActor;
    if (auto why = room->game->send(from, seats, text)) {
      self->deliver(error_frame(rid, wire::ErrorCode::WrongPhase, *why));
      return;
    }
    self->deliver(ack_frame(rid));
    const std::string from_id = from == kNoActor ? "" : state.actors[static_cast<std::size_t>(from)].id;
    for (auto& m : room->members) {
      auto s = m.session.lock();
      if (!s) continue;
      if (!Game::addressed_to(room->game->messages().back(), m.identity)) continue;
      flatbuffers::FlatBufferBuilder fbb;
      std::vector<flatbuffers::Offset<flatbuffers::String>> to_ids;
      for (const std::string& id : to) to_ids.push_back(fbb.CreateString(id));
      s->deliver(proto::frame_message(fbb, 0, wire::CreatePressDirect(fbb, &to_ids, text.c_str(), from_id.c_str())));
    }
  });
}

void Session::command(std::uint32_t rid, const wire::FacilitatorCommand& msg) {
  if (!need_room(rid)) return;
  if (identity_.role != Role::Facilitator) {
    return refuse(rid, wire::ErrorCode::NotAuthorised, "only the facilitator may send that");
  }
  const wire::Command cmd = msg.command();
  const Seconds seconds{msg.seconds()};
  std::string event_id = msg.event_id() ? msg.event_id()->str() : "";
  asio::post(room_->strand, [room = room_, self = shared_from_this(), rid, cmd, seconds, event_id] {
    Game& g = *room->game;
    const TimePoint t = now();
    Refusal why;
    switch (cmd) {
      case wire::Command::Start:
        why = g.start(t);
        break;
      case wire::Command::Pause:
        why = g.pause(t);
        break;
      case wire::Command::Resume:
        why = g.resume(t);
        break;
      case wire::Command::Extend:
        why = g.move_deadline(seconds, t);
        break;
      case wire::Command::Shorten:
        why = g.move_deadline(-seconds, t);
        break;
      case wire::Command::Force:
        why = g.force(t);
        break;
      case wire::Command::End:
        why = g.end();
        break;
      case wire::Command::Inject: {
        Inject inject;
        inject.event_id = event_id;
        why = g.inject(std::move(inject));
        break;
      }
      default:
        self->deliver(error_frame(rid, wire::ErrorCode::NotFound, "that command is not supported yet"));
        return;
    }
    if (why) {
      self->deliver(error_frame(rid, wire::ErrorCode::WrongPhase, *why));
      return;
    }
    spdlog::info("game {} seat facilitator: command {}", room->game_id, wire::EnumNameCommand(cmd));
    self->deliver(ack_frame(rid));
    room->after_change();
  });
}

// --- Server ---------------------------------------------------------------------

namespace {

std::shared_ptr<const Scenario> load_default(const std::string& path) {
  auto loaded = load_scenario_file(path);
  if (!loaded.scenario) throw std::runtime_error("scenario " + path + ": " + loaded.error);
  return std::make_shared<const Scenario>(std::move(*loaded.scenario));
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options)
    : io_(io), options_(std::move(options)), scenario_(load_default(options_.scenario)), acceptor_(io) {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

Server::~Server() = default;

void Server::start() {
  spdlog::info("listening on {}:{} (scenario '{}')", options_.host, port_, scenario_->name);
  asio::co_spawn(acceptor_.get_executor(), listen(), asio::detached);
}

awaitable<void> Server::listen() {
  for (;;) {
    asio::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::make_strand(io_), asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      spdlog::warn("accept: {}", ec.message());
      continue;
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      const std::lock_guard lock(mutex_);
      if (stopped_) co_return;
      sessions_[session.get()] = session;
    }
    spdlog::info("{}: connected", session->peer());
    session->start();
  }
}

void Server::stop() {
  std::vector<std::shared_ptr<Session>> sessions;
  std::vector<std::shared_ptr<GameRoom>> rooms;
  {
    const std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [_, weak] : sessions_) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
    for (auto& [_, room] : rooms_) rooms.push_back(room);
  }
  spdlog::info("shutting down: {} connections, {} games", sessions.size(), rooms.size());
  asio::post(acceptor_.get_executor(), [this] {
    asio::error_code ec;
    acceptor_.close(ec);
  });
  for (auto& s : sessions) s->stop_soon();
  for (auto& r : rooms) asio::post(r->strand, [r] { r->stop(); });
}

std::shared_ptr<GameRoom> Server::add_room(std::shared_ptr<GameRoom> room) {
  const std::lock_guard lock(mutex_);
  rooms_[room->game_id] = room;
  return room;
}

std::shared_ptr<GameRoom> Server::find_by_token(std::string_view token) {
  const std::lock_guard lock(mutex_);
  for (auto& [_, room] : rooms_) {
    if (room->game->authenticate(token)) return room;
  }
  return nullptr;
}

std::string Server::next_game_id() {
  const std::lock_guard lock(mutex_);
  return "g" + std::to_string(next_id_++);
}

void Server::forget(const Session* session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

}  // namespace leadtime::server::net

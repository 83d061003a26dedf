#include "server/net/server.h"

#include <spdlog/spdlog.h>

#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "server/net/frames.h"
#include "server/net/room.h"
#include "server/net/session.h"

namespace leadtime::server::net {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

std::shared_ptr<const Scenario> load_default(const std::string& path) {
  auto loaded = load_scenario_file(path);
  if (!loaded.scenario) throw std::runtime_error("scenario " + path + ": " + loaded.error);
  return std::make_shared<const Scenario>(std::move(*loaded.scenario));
}

std::unique_ptr<store::Store> open_store(const std::string& path) {
  if (path.empty()) return nullptr;
  auto opened = store::Store::open(path);
  if (auto* error = std::get_if<std::string>(&opened)) throw std::runtime_error(*error);
  return std::get<std::unique_ptr<store::Store>>(std::move(opened));
}

std::string address_of(const tcp::socket& socket) {
  asio::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? std::string("?") : remote.address().to_string();
}

bool out_of_resources(const asio::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
         ec == std::errc::too_many_files_open_in_system;
}

// Refuses a connection over a limit with a frame that says which, then
// closes it; the error frame is small enough to go out in one write.
void turn_away(tcp::socket socket, const std::string& why) {
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  auto frame = std::make_shared<Frame>(error_frame(0, wire::ErrorCode::RateLimited, why));
  asio::async_write(*s, asio::buffer(*frame), [s, frame](const asio::error_code&, std::size_t) {
    asio::error_code ec;
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  });
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options)
    : io_(io),
      options_(std::move(options)),
      scenario_(load_default(options_.scenario)),
      scenario_source_(save::read_text(options_.scenario)),
      store_(open_store(options_.db_path)),
      acceptor_(io),
      guesses_({options_.free_wrong_tokens, options_.wrong_token_delay, options_.max_wrong_token_delay,
                options_.forgive_wrong_tokens, options_.max_waiting_joins}),
      bot_pool_(std::max(1u, options_.bot_threads)) {
  recover();
  const tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

Server::~Server() { bot_pool_.join(); }

// Every unfinished game comes back where it was: same round, submissions,
// ready flags and press; paused games stay paused, and a running deadline
// has the time that was left at the game's last recorded change. A game
// whose journal no longer replays is left in the store and reported.
void Server::recover() {
  if (!store_) return;
  for (const store::GameRow& row : store_->games(false)) {
    next_id_ = std::max(next_id_, save::game_number(row.id) + 1);
    if (row.finished) {
      remember_ended(row.id, save::token_hashes_of(row));
      continue;
    }
    if (auto error = recover_game(row)) spdlog::error("game {}: not recovered: {}", row.id, *error);
  }
}

std::variant<Server::Rebuilt, std::string> Server::rebuild_room(const store::GameRow& row,
                                                                const std::vector<store::JournalEntry>& journal,
                                                                std::int64_t created_ms) {
  auto made = save::make_game(row);
  if (auto* error = std::get_if<std::string>(&made)) return *error;
  auto game = std::get<std::unique_ptr<Game>>(std::move(made));
  // A scenario whose hooks no longer load cannot play on as recorded.
  auto driver = RoundDriver::load(game->match().scenario(), game->match().seed());
  if (auto* error = std::get_if<std::string>(&driver)) return *error;
  auto room = new_room(row.id);
  room->install(std::move(game), std::get<RoundDriver>(std::move(driver)),
                {store_.get(), row.scenario_path, row.scenario_source, created_ms, row.parent_id, row.branch_round});
  // A bot that no longer loads (its file changed or went) costs its seat
  // the bot, not the whole game: the seat keeps its standing orders.
  for (std::size_t i = 0; i < row.bot_paths.size(); ++i) {
    if (!row.bot_paths[i].empty()) room->load_bot_or_note(static_cast<int>(i), row.bot_paths[i]);
  }
  // Bots decide again as the journal is replayed, so their own state carries
  // on; the game itself takes the orders the journal recorded.
  ReplayHooks hooks;
  hooks.bot_swapped = [&room](int seat, const std::string& path) -> std::optional<std::string> {
    room->load_bot_or_note(seat, path);
    return std::nullopt;
  };
  hooks.bots_decide = [&room](const BotOrders&) { room->warm_bots(); };
  hooks.clock = save::steady_time;
  const ReplayResult replayed = save::replay_entries(room->game(), journal, hooks);
  if (!replayed.error.empty()) return replayed.error;
  // A running deadline keeps the time that was left at the last entry.
  room->game().shift_clock(std::chrono::steady_clock::now() - replayed.last_at);
  return Rebuilt{room};
}

std::optional<std::string> Server::recover_game(const store::GameRow& row) {
  auto rebuilt = rebuild_room(row, store_->journal(row.id), row.created_ms);
  if (auto* error = std::get_if<std::string>(&rebuilt)) return *error;
  const auto room = std::get<Rebuilt>(rebuilt).room;
  room->mark_recorded();
  rooms_[row.id] = room;
  ++recovered_;
  const Game& game = room->game();
  spdlog::info("game {}: recovered at round {} ({}, {} s left)", row.id, game.match().state().round,
               phase_name(game.phase(), game.paused()), game.time_left(std::chrono::steady_clock::now()).count());
  return std::nullopt;
}

void Server::start() {
  spdlog::info("listening on {}:{} (scenario '{}')", options_.host, port_, scenario_->name);
  // Recovered games re-arm their deadlines, and bots finish a round that was
  // resolving when the server stopped.
  for (auto& room : rooms()) asio::post(room->strand(), [room] { room->after_change(); });
  asio::co_spawn(acceptor_.get_executor(), listen(), asio::detached);
}

// A failed accept (out of descriptors, or memory) leaves the connection
// waiting in the backlog, so accepting again at once fails again at once:
// the listener pauses, doubling up to a second, and logs once per spell
// rather than once per try.
awaitable<void> Server::pause_accepting(std::string error, int failures) {
  const auto pause = std::chrono::milliseconds(std::min(1000, 10 << std::min(failures, 7)));
  if (failures == 0) {
    spdlog::error("accept: {}; pausing new connections (the open-file limit is `ulimit -n`; --max-connections {})",
                  error, options_.max_connections);
  }
  asio::steady_timer timer(acceptor_.get_executor(), pause);
  asio::error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

awaitable<void> Server::listen() {
  int failures = 0;
  for (;;) {
    asio::error_code ec;
    // Accepting into a socket made beforehand: the form that returns a new
    // socket trips UBSan's vptr check in Asio's error path (a failed accept).
    tcp::socket socket(asio::make_strand(io_));
    co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      if (out_of_resources(ec)) {
        // By value: a coroutine's reference parameters are easy to leave dangling.
        co_await pause_accepting(ec.message(), failures++);
      } else {
        spdlog::debug("accept: {}", ec.message());  // e.g. a peer that gave up in the backlog
      }
      continue;
    }
    if (failures > 0) {
      spdlog::info("accepting connections again after {} failed tries", failures);
      failures = 0;
    }
    const std::string address = address_of(socket);
    std::string refusal;
    std::shared_ptr<Session> session;
    {
      const std::lock_guard lock(mutex_);
      if (stopped_) co_return;
      if (sessions_.size() >= options_.max_connections) {
        refusal = fmt::format("the server holds {} connections, its limit; try again later", sessions_.size());
      } else if (per_address_[address] >= options_.max_connections_per_address) {
        refusal = fmt::format("{} connections from {} already, the limit per address", per_address_[address], address);
      } else {
        session = std::make_shared<Session>(std::move(socket), *this, address);
        sessions_[session.get()] = session;
        address_of_[session.get()] = address;
        ++per_address_[address];
      }
    }
    if (!session) {
      spdlog::warn("{}: connection refused: {}", address, refusal);
      // NOLINTNEXTLINE(bugprone-use-after-move): moved only when a session was made
      turn_away(std::move(socket), refusal);
      continue;
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
  for (auto& r : rooms) asio::post(r->strand(), [r] { r->stop(); });
}

std::shared_ptr<GameRoom> Server::new_room(std::string id) {
  return std::make_shared<GameRoom>(
      io_, bot_pool_, std::move(id),
      GameRoom::Settings{options_.bot_root, options_.save_retry, options_.testing_before_bots});
}

std::optional<std::string> Server::add_room(const std::shared_ptr<GameRoom>& room, const std::string& creator) {
  const std::lock_guard lock(mutex_);
  std::size_t running = 0;
  std::size_t by_creator = 0;
  for (const auto& [id, r] : rooms_) {
    if (r->finished()) continue;
    ++running;
    if (auto it = creators_.find(id); it != creators_.end() && it->second == creator) ++by_creator;
  }
  if (by_creator >= options_.max_games_per_facilitator) {
    return fmt::format(
        "{} already runs {} unfinished game{}, the limit per facilitator (max_games_per_facilitator); end one first",
        creator, by_creator, by_creator == 1 ? "" : "s");
  }
  if (running >= options_.max_games) {
    return fmt::format("the server already runs {} unfinished games, its limit (max_games)", running);
  }
  if (rooms_.size() >= options_.max_games) {
    // Room for one more: unload the oldest finished game nobody is in (it
    // stays in the database). Ids are numbered in order of creation.
    std::shared_ptr<GameRoom> oldest;
    for (const auto& [id, r] : rooms_) {
      if (!r->finished() || r->member_count() > 0) continue;
      if (!oldest || save::game_number(id) < save::game_number(oldest->id())) oldest = r;
    }
    if (!oldest) {
      return fmt::format("the server holds {} games, its limit (max_games), and every finished one is in use",
                         rooms_.size());
    }
    spdlog::info("game {}: unloaded (finished; making room for game {})", oldest->id(), room->id());
    remember_ended(oldest->id(), oldest->game().token_hashes());
    creators_.erase(oldest->id());
    rooms_.erase(oldest->id());
    asio::post(oldest->strand(), [oldest] { oldest->stop(); });
  }
  rooms_[room->id()] = room;
  creators_[room->id()] = creator;
  return std::nullopt;
}

void Server::remove_room(const std::string& id) {
  const std::lock_guard lock(mutex_);
  rooms_.erase(id);
  creators_.erase(id);
}

std::optional<Server::Found> Server::find_by_token(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  for (auto& [_, room] : rooms_) {
    if (auto identity = room->authenticate(token)) return Found{room, *identity};
  }
  return std::nullopt;
}

std::vector<std::shared_ptr<GameRoom>> Server::rooms() {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<GameRoom>> out;
  for (auto& [_, room] : rooms_) out.push_back(room);
  return out;
}

bool Server::facilitator_key_ok(std::string_view key) const {
  if (options_.facilitator_key.empty()) return true;
  return same_hash(hash_token(key), hash_token(options_.facilitator_key));
}

std::string Server::next_game_id() {
  const std::lock_guard lock(mutex_);
  return save::game_id(next_id_++);
}

void Server::forget(const Session* session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (auto it = address_of_.find(session); it != address_of_.end()) {
    if (--per_address_[it->second] == 0) per_address_.erase(it->second);
    address_of_.erase(it);
  }
}

std::chrono::milliseconds Server::note_wrong_token(const std::string& address, const TokenHash& token) {
  return guesses_.note_wrong(address, token, std::chrono::steady_clock::now());
}

std::variant<std::chrono::steady_clock::time_point, std::string> Server::join_turn(const std::string& address) {
  return guesses_.turn(address, std::chrono::steady_clock::now());
}

void Server::remember_ended(const std::string& id, const TokenHashes& hashes) {
  ended_tokens_[hashes.facilitator] = id;
  ended_tokens_[hashes.observer] = id;
  for (const TokenHash& h : hashes.seats) ended_tokens_[h] = id;
  ended_tokens_.erase(TokenHash{});  // a bot's seat has no token
}

std::optional<std::string> Server::ended_game_of(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  const auto it = ended_tokens_.find(token);
  if (it == ended_tokens_.end()) return std::nullopt;
  return it->second;
}

}  // namespace leadtime::server::net

#include "server/app/lobby.h"

#include <spdlog/spdlog.h>

#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "server/app/room.h"

namespace leadtime::server::app {

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

}  // namespace

Lobby::Lobby(asio::io_context& io, const ServerOptions& options)
    : io_(io),
      options_(options),
      scenario_(load_default(options_.scenario)),
      scenario_source_(save::read_text(options_.scenario)),
      store_(open_store(options_.db_path)),
      guesses_({options_.free_wrong_tokens, options_.wrong_token_delay, options_.max_wrong_token_delay,
                options_.forgive_wrong_tokens, options_.max_waiting_joins}),
      bot_pool_(std::max(1u, options_.bot_threads)) {
  recover();
}

Lobby::~Lobby() { bot_pool_.join(); }

void Lobby::start() {
  for (auto& room : rooms()) asio::post(room->strand(), [room] { room->after_change(); });
}

void Lobby::stop() {
  for (auto& r : rooms()) asio::post(r->strand(), [r] { r->stop(); });
}

// Every unfinished game comes back where it was: same round, submissions,
// ready flags and press; paused games stay paused, and a running deadline
// has the time that was left at the game's last recorded change. A game
// whose journal no longer replays is left in the store and reported.
void Lobby::recover() {
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

std::variant<Lobby::Rebuilt, std::string> Lobby::rebuild_room(const store::GameRow& row,
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
  const auto idle = std::chrono::steady_clock::now() - replayed.last_at;
  return Rebuilt{room,
                 std::max(std::chrono::milliseconds{0}, std::chrono::duration_cast<std::chrono::milliseconds>(idle))};
}

std::optional<std::string> Lobby::recover_game(const store::GameRow& row) {
  auto rebuilt = rebuild_room(row, store_->journal(row.id), row.created_ms);
  if (auto* error = std::get_if<std::string>(&rebuilt)) return *error;
  const auto [room, idle] = std::get<Rebuilt>(rebuilt);
  room->mark_recorded();
  // A running deadline keeps the time that was left at the last entry; the
  // restart is recorded (written when the lobby starts) for later replays
  // and the debrief.
  room->game().restarted(idle, std::chrono::steady_clock::now());
  rooms_[row.id] = room;
  ++recovered_;
  const Game& game = room->game();
  spdlog::info("game {}: recovered at round {} ({}, {} s left)", row.id, game.match().state().round,
               phase_name(game.phase(), game.paused()), game.time_left(std::chrono::steady_clock::now()).count());
  return std::nullopt;
}

std::shared_ptr<GameRoom> Lobby::new_room(std::string id) {
  return std::make_shared<GameRoom>(
      io_, bot_pool_, std::move(id),
      GameRoom::Settings{options_.bot_root, options_.save_retry, options_.testing_before_bots});
}

std::optional<std::string> Lobby::add_room(const std::shared_ptr<GameRoom>& room, const std::string& creator) {
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

void Lobby::remove_room(const std::string& id) {
  const std::lock_guard lock(mutex_);
  rooms_.erase(id);
  creators_.erase(id);
}

std::optional<Lobby::Found> Lobby::find_by_token(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  for (auto& [_, room] : rooms_) {
    if (auto identity = room->authenticate(token)) return Found{room, *identity};
  }
  return std::nullopt;
}

std::vector<std::shared_ptr<GameRoom>> Lobby::rooms() {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<GameRoom>> out;
  for (auto& [_, room] : rooms_) out.push_back(room);
  return out;
}

bool Lobby::facilitator_key_ok(std::string_view key) const {
  if (options_.facilitator_key.empty()) return true;
  return same_hash(hash_token(key), hash_token(options_.facilitator_key));
}

std::string Lobby::next_game_id() {
  const std::lock_guard lock(mutex_);
  return save::game_id(next_id_++);
}

std::chrono::milliseconds Lobby::note_wrong_token(const std::string& address, const TokenHash& token) {
  return guesses_.note_wrong(address, token, std::chrono::steady_clock::now());
}

std::variant<std::chrono::steady_clock::time_point, std::string> Lobby::join_turn(const std::string& address) {
  return guesses_.turn(address, std::chrono::steady_clock::now());
}

// Called with mutex_ held, or before the lobby is shared (recovery).
void Lobby::remember_ended(const std::string& id, const TokenHashes& hashes) {
  ended_tokens_[hashes.facilitator] = {id, true};
  ended_tokens_[hashes.observer] = {id, false};
  for (const TokenHash& h : hashes.seats) ended_tokens_[h] = {id, false};
  ended_tokens_.erase(TokenHash{});  // a bot's seat has no token
}

std::optional<std::string> Lobby::ended_game_of(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  const auto it = ended_tokens_.find(token);
  if (it == ended_tokens_.end()) return std::nullopt;
  return it->second.game_id;
}

std::optional<std::string> Lobby::ended_game_facilitated_by(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  const auto it = ended_tokens_.find(token);
  if (it == ended_tokens_.end() || !it->second.facilitator) return std::nullopt;
  return it->second.game_id;
}

}  // namespace leadtime::server::app

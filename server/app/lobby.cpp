#include "server/app/lobby.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "server/app/room.h"
#include "server/app/stored_summary.h"

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
      status_pace_(std::make_shared<StatusPace>(options.status_interval, options.status_lines_per_second)),
      scenario_(load_default(options_.scenario)),
      scenario_source_(save::read_text(options_.scenario)),
      store_(open_store(options_.db_path)),
      guesses_({options_.free_wrong_tokens, options_.wrong_token_delay, options_.max_wrong_token_delay,
                options_.forgive_wrong_tokens, options_.max_waiting_joins}),
      bot_pool_(std::max(1u, options_.bot_threads)),
      sweep_strand_(asio::make_strand(io)),
      unload_sweep_(sweep_strand_) {
  recover();
}

Lobby::~Lobby() { bot_pool_.join(); }

void Lobby::start() {
  for (auto& room : rooms()) asio::post(room->strand(), [room] { room->after_change(); });
  if (store_) asio::post(sweep_strand_, [this] { arm_unload_sweep(); });
}

void Lobby::stop() {
  asio::post(sweep_strand_, [this] {
    stopping_ = true;
    unload_sweep_.cancel();
  });
  for (auto& r : rooms()) asio::post(r->strand(), [r] { r->stop(); });
}

// Looks a few times per unload_finished_after (at most every 10 s), so a
// game leaves memory at most a quarter of that late.
void Lobby::arm_unload_sweep() {
  const auto period =
      std::clamp(options_.unload_finished_after / 4, std::chrono::milliseconds{10}, std::chrono::milliseconds{10'000});
  unload_sweep_.expires_after(period);
  unload_sweep_.async_wait([this](const std::error_code& ec) {
    if (ec || stopping_) return;
    sweep_finished();
    arm_unload_sweep();
  });
}

void Lobby::sweep_finished() {
  for (auto& room : rooms()) {
    if (!room->finished() || room->member_count() > 0) continue;
    asio::post(room->strand(), [this, room] {
      const auto unused = room->unused_for(std::chrono::steady_clock::now());
      if (!unused || *unused < options_.unload_finished_after || !unload_unwanted(room)) return;
      spdlog::info("game {}: unloaded (finished, unused for {:.1f} s; the database keeps it)", room->id(),
                   std::chrono::duration<double>(*unused).count());
      room->stop();
    });
  }
}

bool Lobby::unload_unwanted(const std::shared_ptr<GameRoom>& room) {
  const std::lock_guard lock(mutex_);
  if (room->joins_expected() > 0 || room->member_count() > 0) return false;
  creators_.erase(room->id());
  return rooms_.erase(room->id());
}

// Every unfinished game comes back where it was: same round, submissions,
// ready flags and press; paused games stay paused, and a running deadline
// has the time that was left at the game's last recorded change. A game
// whose journal no longer replays is left in the store and reported.
void Lobby::recover() {
  if (!store_) return;
  // Finished games stay in the store until a Join asks for one.
  for (const std::string& id : store_->game_ids()) next_id_ = std::max(next_id_, save::game_number(id) + 1);
  for (const store::GameRow& row : store_->games(true)) {
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
  room->mark_recorded(row.finished);
  // A running deadline keeps the time that was left at the last entry; the
  // restart is recorded (written when the lobby starts) for later replays
  // and the debrief.
  room->game().restarted(idle, std::chrono::steady_clock::now());
  rooms_.put(room);
  ++recovered_;
  const Game& game = room->game();
  spdlog::info("game {}: recovered at round {} ({}, {} s left)", row.id, game.match().state().round,
               phase_name(game.phase(), game.paused()), game.time_left(std::chrono::steady_clock::now()).count());
  return std::nullopt;
}

std::shared_ptr<GameRoom> Lobby::new_room(std::string id) {
  return std::make_shared<GameRoom>(
      io_, bot_pool_, std::move(id),
      GameRoom::Settings{options_.bot_root, options_.save_retry, status_pace_, options_.testing_before_bots});
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
      if (!r->finished() || r->member_count() > 0 || r->joins_expected() > 0) continue;
      if (!oldest || save::game_number(id) < save::game_number(oldest->id())) oldest = r;
    }
    if (!oldest) {
      return fmt::format("the server holds {} games, its limit (max_games), and every finished one is in use",
                         rooms_.size());
    }
    spdlog::info("game {}: unloaded (finished; making room for game {})", oldest->id(), room->id());
    if (!store_) remember_ended(oldest->id(), oldest->game().token_hashes());
    creators_.erase(oldest->id());
    rooms_.erase(oldest->id());
    asio::post(oldest->strand(), [oldest] { oldest->stop(); });
  }
  rooms_.put(room);
  creators_[room->id()] = creator;
  return std::nullopt;
}

void Lobby::remove_room(const std::string& id) {
  const std::lock_guard lock(mutex_);
  rooms_.erase(id);
  creators_.erase(id);
}

std::optional<Lobby::Found> Lobby::find_locked(const TokenHash& token) {
  auto room = rooms_.by_token(token);
  if (!room) return std::nullopt;
  const auto identity = room->authenticate(token);
  if (!identity) return std::nullopt;
  return Found{std::move(room), *identity};
}

std::optional<Lobby::Found> Lobby::find_by_token(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  return find_locked(token);
}

std::optional<Lobby::Found> Lobby::find_for_join(const TokenHash& token) {
  const std::lock_guard lock(mutex_);
  auto found = find_locked(token);
  if (found) found->room->expect_join();
  return found;
}

std::optional<Lobby::Unloaded> Lobby::unloaded_game_of(const TokenHash& token) {
  if (!store_) {
    const std::lock_guard lock(mutex_);
    const auto it = ended_tokens_.find(token);
    if (it == ended_tokens_.end()) return std::nullopt;
    return Unloaded{it->second.game_id, true, it->second.facilitator};
  }
  try {
    const auto owner = store_->token_owner(token);
    if (!owner) return std::nullopt;
    return Unloaded{owner->game_id, owner->finished, owner->holder == store::TokenOwner::Holder::Facilitator};
  } catch (const std::runtime_error& e) {
    spdlog::error("looking a token up in the store: {}", e.what());
    return std::nullopt;
  }
}

// Rebuilt off the lock (a replay takes milliseconds); a Join that loaded
// the same game meanwhile wins, and this copy is dropped.
std::variant<Lobby::Found, std::string> Lobby::load_for_join(const TokenHash& token, const Unloaded& game) {
  if (!game.finished) {
    return "game " + game.game_id + " is not running: it did not recover when the server started (its log says why)";
  }
  std::variant<Rebuilt, std::string> rebuilt = std::string("the server keeps no store");
  try {
    auto row = store_ ? store_->game(game.game_id) : std::nullopt;
    if (row) rebuilt = rebuild_room(*row, store_->journal(row->id), row->created_ms);
  } catch (const std::runtime_error& e) {
    rebuilt = std::string(e.what());
  }
  if (auto* error = std::get_if<std::string>(&rebuilt))
    return "game " + game.game_id + " could not be loaded: " + *error;
  const auto room = std::get<Rebuilt>(rebuilt).room;
  room->mark_recorded(true);
  const std::lock_guard lock(mutex_);
  const auto kept = rooms_.put_if_absent(room);
  const auto identity = kept->authenticate(token);
  if (!identity) return "game " + game.game_id + " does not know that token";
  if (kept == room) spdlog::info("game {}: loaded from the store for a Join", game.game_id);
  kept->expect_join();
  return Found{kept, *identity};
}

std::vector<Summary> Lobby::finished_elsewhere(std::size_t limit) {
  if (!store_) return {};
  std::vector<store::FinishedGame> stored;
  try {
    stored = store_->finished_games(limit);
  } catch (const std::runtime_error& e) {
    spdlog::error("listing finished games in the store: {}", e.what());
    return {};
  }
  std::vector<Summary> out;
  const std::lock_guard lock(mutex_);
  for (const store::FinishedGame& g : stored) {
    if (rooms_.contains(g.id)) continue;  // its room tells it as it is now
    if (auto summary = summary_from_store(g.summary)) out.push_back(std::move(*summary));
  }
  return out;
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

}  // namespace leadtime::server::app

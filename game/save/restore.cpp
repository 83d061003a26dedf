#include "game/save/restore.h"

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>

#include "engine/lua/scenario_loader.h"

namespace leadtime::game::save {

std::int64_t wall_ms(TimePoint at) {
  const auto wall = std::chrono::system_clock::now() - (std::chrono::steady_clock::now() - at);
  return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

TimePoint steady_time(std::int64_t ms) {
  const auto wall = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  return std::chrono::steady_clock::now() -
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::system_clock::now() - wall);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Appended rather than "g" + std::to_string(...): GCC 12 at -O2 warns about
// that form with a false -Wrestrict.
std::string game_id(std::uint64_t number) {
  std::string id = "g";
  id += std::to_string(number);
  return id;
}

std::uint64_t game_number(const std::string& id) {
  if (id.size() < 2 || id[0] != 'g') return 0;
  return std::strtoull(id.c_str() + 1, nullptr, 10);
}

server::store::JournalEntry entry_of(const Change& change, const WallClock& wall) {
  return journal_entry(change, wall(change.at));
}

server::store::GameRow row_of(const Game& game, const std::string& scenario_path, const std::string& scenario_source,
                              std::int64_t created_ms) {
  server::store::GameRow row;
  row.id = game.id();
  row.scenario_path = scenario_path;
  row.scenario_source = scenario_source;
  row.seed = game.match().seed();
  row.deadline_s = game.options().deadline.count();
  row.bot_paths = game.options().bot_paths;
  row.bot_paths.resize(game.options().bot_seats.size());
  for (std::size_t i = 0; i < row.bot_paths.size(); ++i) {
    if (!game.options().bot_seats[i]) row.bot_paths[i].clear();
  }
  const TokenHashes hashes = game.token_hashes();
  row.facilitator_token_hash.assign(hashes.facilitator.begin(), hashes.facilitator.end());
  row.observer_token_hash.assign(hashes.observer.begin(), hashes.observer.end());
  for (const TokenHash& h : hashes.seats) row.seat_token_hashes.emplace_back(h.begin(), h.end());
  row.finished = game.phase() == Phase::Finished;
  row.created_ms = created_ms;
  return row;
}

namespace {

TokenHash to_hash(const std::vector<std::uint8_t>& bytes) {
  TokenHash h{};
  std::copy_n(bytes.begin(), std::min(bytes.size(), h.size()), h.begin());
  return h;
}

}  // namespace

TokenHashes token_hashes_of(const server::store::GameRow& row) {
  TokenHashes hashes;
  hashes.facilitator = to_hash(row.facilitator_token_hash);
  hashes.observer = to_hash(row.observer_token_hash);
  for (const auto& h : row.seat_token_hashes) hashes.seats.push_back(to_hash(h));
  return hashes;
}

std::variant<std::unique_ptr<Game>, std::string> make_game(const server::store::GameRow& row) {
  // As CreateGame allows (a uint32 of seconds); larger ones overflowed the
  // clock when the game started.
  if (row.deadline_s < 0 || row.deadline_s > std::numeric_limits<std::uint32_t>::max()) {
    return "game " + row.id + ": a deadline of " + std::to_string(row.deadline_s) + " s is out of range";
  }
  auto loaded = load_scenario_source(row.scenario_source, row.scenario_path.empty() ? "scenario" : row.scenario_path);
  if (!loaded.scenario) return "game " + row.id + ": its scenario no longer loads: " + loaded.error;
  auto scenario = std::make_shared<const Scenario>(std::move(*loaded.scenario));
  GameOptions options;
  options.seed = row.seed;
  options.deadline = Seconds{row.deadline_s};
  options.bot_paths = row.bot_paths;
  options.bot_paths.resize(scenario->initial.actors.size());
  for (const std::string& p : options.bot_paths) options.bot_seats.push_back(!p.empty());
  auto game = std::make_unique<Game>(row.id, scenario, std::move(options), nullptr);
  // A game from the store keeps its tokens; one from a save file (which
  // carries none) gets new ones from its importer.
  if (!row.facilitator_token_hash.empty()) game->restore_token_hashes(token_hashes_of(row));
  return game;
}

ReplayResult replay_entries(Game& game, const std::vector<server::store::JournalEntry>& journal,
                            const ReplayHooks& hooks) {
  auto lines = journal_lines(journal);
  if (auto* error = std::get_if<std::string>(&lines)) {
    ReplayResult r;
    r.error = *error;
    return r;
  }
  return replay(game, std::get<std::vector<JournalLine>>(lines), hooks);
}

Rebuilt rebuild(const server::store::GameRow& row, const std::vector<server::store::JournalEntry>& journal,
                const ReplayHooks& hooks) {
  Rebuilt out;
  auto made = make_game(row);
  if (auto* error = std::get_if<std::string>(&made)) {
    out.error = *error;
    return out;
  }
  out.game = std::get<std::unique_ptr<Game>>(std::move(made));
  const ReplayResult r = replay_entries(*out.game, journal, hooks);
  out.error = r.error;
  out.first_mismatch = r.first_mismatch;
  out.last_at = r.last_at;
  return out;
}

}  // namespace leadtime::game::save

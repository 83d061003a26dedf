#include "server/save_tools.h"

#include <ostream>

#include "engine/hash.h"
#include "game/save/restore.h"
#include "server/game_names.h"

namespace leadtime::server::tools {

using namespace leadtime::game::save;  // NOLINT(google-build-using-namespace): the tools are about save files

namespace {

std::variant<SaveData, std::string> load(const std::string& path) {
  auto bytes = read_file(path);
  if (auto* error = std::get_if<std::string>(&bytes)) return *error;
  auto decoded = decode(std::get<std::vector<std::uint8_t>>(bytes));
  if (auto* error = std::get_if<std::string>(&decoded)) return path + ": " + *error;
  return std::get<SaveData>(std::move(decoded));
}

std::variant<std::unique_ptr<store::Store>, std::string> open_db(const std::string& path) {
  return store::Store::open(path);
}

std::string next_id(const store::Store& db) {
  std::uint64_t next = 1;
  for (const store::GameRow& row : db.games(false)) {
    next = std::max(next, game_number(row.id) + 1);
  }
  return game_id(next);
}

}  // namespace

// Re-runs the game from its scenario, seed and journal (bots' orders as
// recorded) and checks every round's hash against the recording.
int replay_command(const std::string& save_path, std::ostream& out, std::ostream& err) {
  auto loaded = load(save_path);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    err << "leadtime-server replay: " << *error << "\n";
    return 2;
  }
  const SaveData& data = std::get<SaveData>(loaded);
  const Rebuilt rebuilt = rebuild(data.game, data.journal);
  if (!rebuilt.game) {
    err << "leadtime-server replay: " << rebuilt.error << "\n";
    return 2;
  }
  const auto& history = rebuilt.game->match().history();
  int first_bad = rebuilt.first_mismatch;
  for (const store::RoundRow& r : data.rounds) {
    const bool played = static_cast<std::size_t>(r.round) <= history.size();
    const bool same = played && history[static_cast<std::size_t>(r.round) - 1].hash == r.hash;
    out << "round " << r.round << " " << r.quarter << " recorded " << hash_hex(r.hash) << " replay "
        << (played ? hash_hex(history[static_cast<std::size_t>(r.round) - 1].hash) : std::string("-")) << " "
        << (same ? "ok" : "DIFFERS") << "\n";
    if (!same && (first_bad < 0 || r.round < first_bad)) first_bad = r.round;
  }
  if (first_bad > 0 || !rebuilt.error.empty()) {
    err << "leadtime-server replay: " << save_path << ": "
        << (first_bad > 0 ? "round " + std::to_string(first_bad) + " is the first that differs" : rebuilt.error)
        << "\n";
    return 1;
  }
  out << save_path << ": " << data.rounds.size() << " rounds replayed, every hash matches\n";
  return 0;
}

int export_command(const std::string& db_path, const std::string& game_id, const std::string& save_path,
                   std::ostream& out, std::ostream& err) {
  auto opened = open_db(db_path);
  if (auto* error = std::get_if<std::string>(&opened)) {
    err << "leadtime-server export: " << *error << "\n";
    return 2;
  }
  const store::Store& db = *std::get<std::unique_ptr<store::Store>>(opened);
  auto row = db.game(game_id);
  if (!row) {
    err << "leadtime-server export: " << db_path << " has no game '" << game_id << "'\n";
    return 2;
  }
  SaveData data{*row, db.journal(game_id), db.rounds(game_id)};
  data.game.facilitator_token_hash.clear();
  data.game.observer_token_hash.clear();
  data.game.seat_token_hashes.clear();
  if (std::string error = write_file(save_path, encode(data)); !error.empty()) {
    err << "leadtime-server export: " << error << "\n";
    return 2;
  }
  out << "game " << game_id << " (" << data.rounds.size() << " rounds, " << data.journal.size()
      << " journal entries) saved to " << save_path << "\n";
  return 0;
}

// Checks the save by replaying it, then stores it as a new game with new
// tokens; a server started on the database picks it up.
int import_command(const std::string& db_path, const std::string& save_path, std::ostream& out, std::ostream& err) {
  auto loaded = load(save_path);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    err << "leadtime-server import: " << *error << "\n";
    return 2;
  }
  SaveData data = std::get<SaveData>(std::move(loaded));
  Rebuilt rebuilt = rebuild(data.game, data.journal);
  if (!rebuilt.error.empty()) {
    err << "leadtime-server import: " << save_path << ": " << rebuilt.error << "\n";
    return 1;
  }
  auto opened = open_db(db_path);
  if (auto* error = std::get_if<std::string>(&opened)) {
    err << "leadtime-server import: " << *error << "\n";
    return 2;
  }
  store::Store& db = *std::get<std::unique_ptr<store::Store>>(opened);
  const Tokens tokens = rebuilt.game->issue_tokens();
  store::GameRow row = row_of(*rebuilt.game, data.game.scenario_path, data.game.scenario_source, data.game.created_ms);
  row.id = next_id(db);
  row.parent_id = data.game.parent_id;
  row.branch_round = data.game.branch_round;
  store::Outcome failed;
  db.create_game(row, [&](const store::Outcome& o) { failed = failed ? failed : o; });
  db.append(row.id, data.journal, data.rounds, [&](const store::Outcome& o) { failed = failed ? failed : o; });
  db.flush();
  if (failed) {
    err << "leadtime-server import: " << *failed << "\n";
    return 2;
  }
  out << "imported " << save_path << " as game " << row.id << " (was " << data.game.id << ", "
      << rebuilt.game->match().history().size() << " rounds)\n";
  out << "facilitator token: " << tokens.facilitator << "\nobserver token:    " << tokens.observer << "\n";
  const State& state = rebuilt.game->match().state();
  for (std::size_t i = 0; i < tokens.seats.size(); ++i) {
    if (!rebuilt.game->is_bot(static_cast<int>(i)))
      out << "seat " << state.actors[i].id << ": " << tokens.seats[i] << "\n";
  }
  return 0;
}

}  // namespace leadtime::server::tools

#include "report/store_source.h"

#include <filesystem>

#include "server/store/store.h"

namespace leadtime::report {

std::variant<game::save::SaveData, std::string> load_from_store(const std::string& db_path,
                                                                const std::string& game_id) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) return db_path + ": no such database file";
  auto opened = server::store::Store::open(db_path);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  const auto& store = std::get<std::unique_ptr<server::store::Store>>(opened);
  try {
    auto row = store->game(game_id);
    if (!row) return db_path + ": no game '" + game_id + "' in it";
    game::save::SaveData data;
    data.game = std::move(*row);
    data.journal = store->journal(game_id);
    data.rounds = store->rounds(game_id);
    return data;
  } catch (const std::exception& e) {
    // Reads throw only when SQLite fails (a damaged file): a message, not a crash.
    return std::string(e.what());
  }
}

}  // namespace leadtime::report

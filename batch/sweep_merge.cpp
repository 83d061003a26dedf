#include "batch/sweep_merge.h"

#include <filesystem>

#include "batch/sweep_store.h"

namespace leadtime::sweep {
namespace {

std::optional<std::string> check_same_sweep(const StoredLayout& a, const std::string& a_path, const StoredLayout& b,
                                            const std::string& b_path) {
  if (a.fingerprint == b.fingerprint) return std::nullopt;
  return b_path + ": results of another sweep than " + a_path + " ('" + b.name + "' vs '" + a.name +
         "', or its spec, scenario or bots changed)";
}

// Copies the runs (and rounds) of one file into the open merged file.
std::optional<std::string> add_file(ResultStore& merged, const std::string& path) {
  const std::string& out = merged.path();
  if (auto error = sql::exec(merged.db(), out, "ATTACH DATABASE " + sql::literal(path) + " AS shard")) return error;
  std::string text = "BEGIN; INSERT OR IGNORE INTO main.runs SELECT * FROM shard.runs;";
  if (!merged.layout().series.empty()) text += " INSERT OR IGNORE INTO main.rounds SELECT * FROM shard.rounds;";
  text += " COMMIT;";
  auto error = sql::exec(merged.db(), out, text);
  if (error) sql::exec(merged.db(), out, "ROLLBACK");
  sql::exec(merged.db(), out, "DETACH DATABASE shard");
  return error;
}

}  // namespace

std::optional<std::string> merge_results(const std::string& out, const std::vector<std::string>& inputs,
                                         MergeReport& report) {
  if (inputs.empty()) return std::string("merge: no result files given");
  std::vector<StoredLayout> layouts;
  for (const std::string& path : inputs) {
    auto opened = ResultStore::open_existing(path);
    if (auto* error = std::get_if<std::string>(&opened)) return *error;
    layouts.push_back(std::get<std::unique_ptr<ResultStore>>(opened)->layout());
    if (auto error = check_same_sweep(layouts.front(), inputs.front(), layouts.back(), path)) return error;
  }
  std::error_code ec;
  const bool out_exists = std::filesystem::exists(out, ec);
  if (!out_exists) {
    // The first file, whole, is the start of the merged one: same schema,
    // same sweep table, same points.
    auto first = ResultStore::open_existing(inputs.front());
    if (auto* error = std::get_if<std::string>(&first)) return *error;
    if (auto error =
            sql::exec(std::get<std::unique_ptr<ResultStore>>(first)->db(), out, "VACUUM INTO " + sql::literal(out))) {
      return error;
    }
  }
  auto opened = ResultStore::open_existing(out);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  ResultStore& merged = *std::get<std::unique_ptr<ResultStore>>(opened);
  if (auto error = check_same_sweep(layouts.front(), inputs.front(), merged.layout(), out)) return error;
  for (std::size_t i = out_exists ? 0 : 1; i < inputs.size(); ++i) {
    if (auto error = add_file(merged, inputs[i])) return error;
  }
  report.runs = merged.finished_count();
  report.total = merged.layout().runs;
  return std::nullopt;
}

}  // namespace leadtime::sweep

#include "batch/sweep_export.h"

#include <sqlite3.h>

#include <fstream>

#include "batch/csv.h"

namespace leadtime::sweep {
namespace {

std::string cell(sqlite3_stmt* s, int column) {
  switch (sqlite3_column_type(s, column)) {
    case SQLITE_NULL:
      return "";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(s, column));
    case SQLITE_FLOAT:
      return number_text(sqlite3_column_double(s, column));
    default:
      return sql::column_text(s, column);
  }
}

// Streams a query's rows into a CSV file under the given header.
std::optional<std::string> dump(const ResultStore& store, const std::string& query,
                                const std::vector<std::string>& header, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return path + ": cannot write";
  sql::Statement statement;
  if (auto error = sql::prepare(store.db(), store.path(), query, statement, false)) return error;
  sqlite3_stmt* s = statement.get();
  out << csv_line(header);
  const int columns = sqlite3_column_count(s);
  std::vector<std::string> fields(static_cast<std::size_t>(columns));
  while (sqlite3_step(s) == SQLITE_ROW) {
    for (int c = 0; c < columns; ++c) fields[static_cast<std::size_t>(c)] = cell(s, c);
    out << csv_line(fields);
  }
  if (!out) return path + ": write failed";
  return std::nullopt;
}

}  // namespace

std::string rounds_csv_path(const std::string& path) {
  const std::string stem = path.ends_with(".csv") ? path.substr(0, path.size() - 4) : path;
  return stem + ".rounds.csv";
}

std::optional<std::string> write_csv(const ResultStore& store, const std::string& path) {
  const StoredLayout& l = store.layout();
  std::vector<std::string> header{"run", "point", "seed_index", "seed"};
  std::string query = "SELECT r.run, r.point, r.seed_index, r.seed";
  for (const std::string& p : l.parameters) {
    header.push_back(p);
    query += ", p." + sql::identifier(p);
  }
  for (const std::string& o : l.outcomes) {
    header.push_back(o);
    query += ", r." + sql::identifier(o);
  }
  for (const std::string& seat : l.seats) {
    header.push_back("score_" + seat);
    query += ", r." + sql::identifier("score_" + seat);
  }
  header.emplace_back("faults");
  header.emplace_back("error");
  header.emplace_back("time_limited");
  query += ", r.faults, r.error, r.time_limited FROM runs r JOIN points p ON p.point = r.point ORDER BY r.run";
  if (auto error = dump(store, query, header, path)) return error;
  if (l.series.empty()) return std::nullopt;
  std::vector<std::string> round_header{"run", "round", "quarter"};
  for (const std::string& q : l.series) round_header.push_back(q);
  for (const std::string& seat : l.seats) round_header.push_back("score_" + seat);
  return dump(store, "SELECT * FROM rounds ORDER BY run, round", round_header, rounds_csv_path(path));
}

}  // namespace leadtime::sweep

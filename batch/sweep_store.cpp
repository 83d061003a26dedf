#include "batch/sweep_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/hash.h"
#include "files/files.h"
#include "server/store/sqlite_util.h"

namespace leadtime::sweep {
namespace {

constexpr std::string_view kFormat = "leadtime-sweep-1";
// Added after the format's first files were written: last, with a default,
// so files without it gain it on opening (ResultStore::add_new_columns) and
// readers that name their columns never notice.
constexpr char kTimeLimitedColumn[] = "time_limited INTEGER NOT NULL DEFAULT 0";

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ",?";
  return out;
}

std::string score_column(const std::string& seat) { return "score_" + seat; }

std::string json_list(const std::vector<std::string>& names) { return nlohmann::json(names).dump(); }

std::string runs_schema(const StoredLayout& l) {
  std::string sql =
      "CREATE TABLE runs (run INTEGER PRIMARY KEY, point INTEGER NOT NULL, seed_index INTEGER NOT NULL, "
      "seed INTEGER NOT NULL";
  for (const std::string& o : l.outcomes) sql += ", " + sql::identifier(o) + " REAL";
  for (const std::string& s : l.seats) sql += ", " + sql::identifier(score_column(s)) + " REAL";
  return sql + ", faults INTEGER NOT NULL, error TEXT, " + kTimeLimitedColumn + ")";
}

std::string rounds_schema(const StoredLayout& l) {
  std::string sql = "CREATE TABLE rounds (run INTEGER NOT NULL, round INTEGER NOT NULL, quarter TEXT NOT NULL";
  for (const std::string& q : l.series) sql += ", " + sql::identifier(q) + " REAL";
  for (const std::string& s : l.seats) sql += ", " + sql::identifier(score_column(s)) + " REAL";
  return sql + ", PRIMARY KEY (run, round)) WITHOUT ROWID";
}

std::string points_schema(const SweepPlan& plan) {
  std::string sql = "CREATE TABLE points (point INTEGER PRIMARY KEY";
  for (const ParamTarget& t : plan.targets) {
    sql += ", " + sql::identifier(t.name) + (t.kind == TargetKind::BotChoice ? " TEXT" : " REAL");
  }
  return sql + ")";
}

StoredLayout layout_of(const SweepPlan& plan) {
  StoredLayout l;
  l.name = plan.spec.name;
  l.fingerprint = plan.fingerprint;
  l.runs = plan.runs();
  l.points = plan.design.size();
  l.seeds = plan.spec.seeds;
  for (const ParamTarget& t : plan.targets) l.parameters.push_back(t.name);
  for (const Outcome& o : plan.spec.outcomes) l.outcomes.push_back(o.name);
  l.seats = plan.seats;
  if (plan.spec.series) l.series = plan.series_names;
  l.start = plan.spec.scenario->start;
  return l;
}

}  // namespace

struct ResultStore::Statements {
  sql::Statement run;
  sql::Statement round;
};

ResultStore::ResultStore(sql::Connection db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

ResultStore::~ResultStore() {
  statements_.reset();  // statements before their connection
}

namespace {

std::variant<sql::Connection, std::string> open_db(const std::string& path, bool create) {
  sql::Connection db;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (auto error = sql::open(path, flags, db)) return *error;
  // One writer per file; a rollback journal (not WAL) also works on the
  // network file systems clusters share, and batched transactions keep it fast.
  sqlite3_busy_timeout(db.get(), 5000);
  if (auto error = sql::exec(db.get(), path, "PRAGMA synchronous=NORMAL")) return *error;
  return db;
}

}  // namespace

std::optional<std::string> ResultStore::read_layout() {
  std::map<std::string, std::string> meta;
  {
    sql::Statement s;
    if (sql::prepare(db(), path_, "SELECT key, value FROM sweep", s, false)) {
      return path_ + ": not a Leadtime sweep results file (no sweep table)";
    }
    while (sqlite3_step(s.get()) == SQLITE_ROW) meta[sql::column_text(s.get(), 0)] = sql::column_text(s.get(), 1);
  }
  if (meta["format"] != kFormat) {
    return path_ + ": results format '" + meta["format"] + "', this build reads '" + std::string(kFormat) + "'";
  }
  try {
    layout_.name = meta["name"];
    layout_.fingerprint = std::stoull(meta["fingerprint"], nullptr, 16);
    layout_.runs = std::stoull(meta["runs"]);
    layout_.points = std::stoull(meta["points"]);
    layout_.seeds = std::stoull(meta["seeds"]);
    layout_.parameters = nlohmann::json::parse(meta["parameters"]).get<std::vector<std::string>>();
    layout_.outcomes = nlohmann::json::parse(meta["outcomes"]).get<std::vector<std::string>>();
    layout_.seats = nlohmann::json::parse(meta["seats"]).get<std::vector<std::string>>();
    layout_.series = nlohmann::json::parse(meta["series"]).get<std::vector<std::string>>();
    const std::optional<Quarter> start = Quarter::parse(meta["start"]);
    if (!start) return path_ + ": bad start quarter '" + meta["start"] + "' in the sweep table";
    layout_.start = *start;
  } catch (const std::exception& e) {
    return path_ + ": damaged sweep table (" + e.what() + ")";
  }
  return std::nullopt;
}

std::optional<std::string> ResultStore::create(const SweepPlan& plan) {
  layout_ = layout_of(plan);
  std::string text = "BEGIN; CREATE TABLE sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL); " + points_schema(plan) +
                     "; " + runs_schema(layout_) + ";";
  if (!layout_.series.empty()) text += rounds_schema(layout_) + ";";
  if (auto error = sql::exec(db(), path_, text)) return error;
  const std::pair<std::string, std::string> meta[] = {
      {"format", std::string(kFormat)},
      {"name", layout_.name},
      {"fingerprint", hash_hex(layout_.fingerprint)},
      {"spec_path", plan.spec.path},
      {"spec", files::read_file(plan.spec.path).value_or("")},
      {"scenario", plan.spec.scenario_path},
      {"start", layout_.start.str()},
      {"master_seed", std::to_string(plan.spec.master_seed)},
      {"seeds", std::to_string(layout_.seeds)},
      {"points", std::to_string(layout_.points)},
      {"runs", std::to_string(layout_.runs)},
      {"parameters", json_list(layout_.parameters)},
      {"outcomes", json_list(layout_.outcomes)},
      {"seats", json_list(layout_.seats)},
      {"series", json_list(layout_.series)},
  };
  sql::Statement put;
  if (auto error = sql::prepare(db(), path_, "INSERT INTO sweep (key, value) VALUES (?, ?)", put, false)) return error;
  for (const auto& [key, value] : meta) {
    const sql::ResetOnExit reset(put.get());
    sql::bind_text(put.get(), 1, key);
    sql::bind_text(put.get(), 2, value);
    if (sqlite3_step(put.get()) != SQLITE_DONE) return sql::error_text(path_, db());
  }
  sql::Statement point;
  if (auto error = sql::prepare(
          db(), path_, "INSERT INTO points VALUES (" + placeholders(plan.targets.size() + 1) + ")", point, false)) {
    return error;
  }
  for (std::uint64_t i = 0; i < plan.design.size(); ++i) {
    const Point values = plan.design.point(i);
    const sql::ResetOnExit reset(point.get());
    sqlite3_bind_int64(point.get(), 1, static_cast<sqlite3_int64>(i));
    for (std::size_t j = 0; j < values.size(); ++j) {
      const int column = static_cast<int>(j) + 2;
      if (const auto* d = std::get_if<double>(&values[j])) {
        sql::bind_real(point.get(), column, *d);
      } else {
        sql::bind_text(point.get(), column, std::get<std::string>(values[j]));
      }
    }
    if (sqlite3_step(point.get()) != SQLITE_DONE) return sql::error_text(path_, db());
  }
  return sql::exec(db(), path_, "COMMIT");
}

std::optional<std::string> ResultStore::add_new_columns() {
  sql::Statement probe;
  if (!sql::prepare(db(), path_, "SELECT time_limited FROM runs LIMIT 0", probe, false)) return std::nullopt;
  return sql::exec(db(), path_, std::string("ALTER TABLE runs ADD COLUMN ") + kTimeLimitedColumn);
}

std::optional<std::string> ResultStore::prepare_inserts() {
  statements_ = std::make_unique<Statements>();
  const std::size_t run_columns = 4 + layout_.outcomes.size() + layout_.seats.size() + 3;
  if (auto error = sql::prepare(db(), path_, "INSERT OR IGNORE INTO runs VALUES (" + placeholders(run_columns) + ")",
                                statements_->run)) {
    return error;
  }
  if (layout_.series.empty()) return std::nullopt;
  const std::size_t round_columns = 3 + layout_.series.size() + layout_.seats.size();
  return sql::prepare(db(), path_, "INSERT OR IGNORE INTO rounds VALUES (" + placeholders(round_columns) + ")",
                      statements_->round);
}

std::variant<std::unique_ptr<ResultStore>, std::string> ResultStore::open_for(const std::string& path,
                                                                              const SweepPlan& plan) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
  auto opened = open_db(path, true);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  std::unique_ptr<ResultStore> store(new ResultStore(std::move(std::get<sql::Connection>(opened)), path));
  if (!exists) {
    if (auto error = store->create(plan)) {
      sql::exec(store->db(), path, "ROLLBACK");
      return *error;
    }
  } else {
    if (auto error = store->read_layout()) return *error;
    if (store->layout_.fingerprint != plan.fingerprint) {
      return path + ": holds the results of another sweep (its spec, scenario or bot files differ: fingerprint " +
             hash_hex(store->layout_.fingerprint) + ", this sweep " + hash_hex(plan.fingerprint) +
             "); write to a new file with --out";
    }
    if (auto error = store->add_new_columns()) return *error;
  }
  if (auto error = store->prepare_inserts()) return *error;
  return store;
}

std::variant<std::unique_ptr<ResultStore>, std::string> ResultStore::open_existing(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return path + ": no such file";
  auto opened = open_db(path, false);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  std::unique_ptr<ResultStore> store(new ResultStore(std::move(std::get<sql::Connection>(opened)), path));
  if (auto error = store->read_layout()) return *error;
  if (auto error = store->add_new_columns()) return *error;
  if (auto error = store->prepare_inserts()) return *error;
  return store;
}

std::vector<bool> ResultStore::finished() const {
  std::vector<bool> out(layout_.runs, false);
  sql::Statement s;
  if (sql::prepare(db(), path_, "SELECT run FROM runs", s, false)) return out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    const auto run = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
    if (run < out.size()) out[run] = true;
  }
  return out;
}

std::uint64_t ResultStore::finished_count() const {
  sql::Statement s;
  if (sql::prepare(db(), path_, "SELECT count(*) FROM runs", s, false) || sqlite3_step(s.get()) != SQLITE_ROW) return 0;
  return static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
}

namespace {

bool insert_run(sqlite3_stmt* s, const RunRow& row) {
  const sql::ResetOnExit reset(s);
  int c = 1;
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.run));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.point));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.seed_index));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.seed));
  for (double v : row.outcomes) sql::bind_real(s, c++, v);
  for (double v : row.scores) sql::bind_real(s, c++, v);
  sqlite3_bind_int64(s, c++, row.faults);
  if (row.error.empty()) {
    sqlite3_bind_null(s, c++);
  } else {
    sql::bind_text(s, c++, row.error);
  }
  sqlite3_bind_int64(s, c++, row.time_limited);
  return sqlite3_step(s) == SQLITE_DONE;
}

bool insert_rounds(sqlite3_stmt* s, const RunRow& row, const StoredLayout& l) {
  const std::size_t width = l.series.size() + l.seats.size();
  if (width == 0) return true;
  const std::size_t rounds = row.series.size() / width;
  for (std::size_t r = 0; r < rounds; ++r) {
    const sql::ResetOnExit reset(s);
    const std::string quarter = l.start.plus(static_cast<int>(r)).str();  // bound without a copy
    int c = 1;
    sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.run));
    sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(r + 1));
    sql::bind_text(s, c++, quarter);
    for (std::size_t k = 0; k < width; ++k) sql::bind_real(s, c++, row.series[r * width + k]);
    if (sqlite3_step(s) != SQLITE_DONE) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ResultStore::write(std::span<const RunRow> rows) {
  if (rows.empty()) return std::nullopt;
  if (auto error = sql::exec(db(), path_, "BEGIN")) return error;
  for (const RunRow& row : rows) {
    const bool ok = insert_run(statements_->run.get(), row) &&
                    (!statements_->round || insert_rounds(statements_->round.get(), row, layout_));
    if (!ok) {
      std::string error = sql::error_text(path_, db());
      sql::exec(db(), path_, "ROLLBACK");
      return error;
    }
  }
  return sql::exec(db(), path_, "COMMIT");
}

}  // namespace leadtime::sweep

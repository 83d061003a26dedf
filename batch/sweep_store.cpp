#include "batch/sweep_store.h"

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

namespace leadtime::sweep {
namespace {

constexpr std::string_view kFormat = "leadtime-sweep-1";
// Added after the format's first files were written: last, with a default,
// so files without it gain it on opening (ResultStore::add_new_columns) and
// readers that name their columns never notice.
constexpr char kTimeLimitedColumn[] = "time_limited INTEGER NOT NULL DEFAULT 0";

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string error_of(sqlite3* db, const std::string& path) { return path + ": " + sqlite3_errmsg(db); }

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) { sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void bind_number(sqlite3_stmt* s, int column, double v) {
  if (std::isnan(v)) {
    sqlite3_bind_null(s, column);
  } else {
    sqlite3_bind_double(s, column, v);
  }
}

void bind_text(sqlite3_stmt* s, int column, const std::string& text) {
  sqlite3_bind_text(s, column, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

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
  for (const std::string& o : l.outcomes) sql += ", " + sql_name(o) + " REAL";
  for (const std::string& s : l.seats) sql += ", " + sql_name(score_column(s)) + " REAL";
  return sql + ", faults INTEGER NOT NULL, error TEXT, " + kTimeLimitedColumn + ")";
}

std::string rounds_schema(const StoredLayout& l) {
  std::string sql = "CREATE TABLE rounds (run INTEGER NOT NULL, round INTEGER NOT NULL, quarter TEXT NOT NULL";
  for (const std::string& q : l.series) sql += ", " + sql_name(q) + " REAL";
  for (const std::string& s : l.seats) sql += ", " + sql_name(score_column(s)) + " REAL";
  return sql + ", PRIMARY KEY (run, round)) WITHOUT ROWID";
}

std::string points_schema(const SweepPlan& plan) {
  std::string sql = "CREATE TABLE points (point INTEGER PRIMARY KEY";
  for (const ParamTarget& t : plan.targets) {
    sql += ", " + sql_name(t.name) + (t.kind == TargetKind::BotChoice ? " TEXT" : " REAL");
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
  std::unique_ptr<Statement> run;
  std::unique_ptr<Statement> round;
};

std::string sql_name(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::optional<std::string> exec_sql(sqlite3* db, const std::string& sql, const std::string& path) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return std::nullopt;
  std::string error = path + ": " + (message ? message : "SQLite error");
  sqlite3_free(message);
  return error;
}

ResultStore::ResultStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

ResultStore::~ResultStore() {
  statements_.reset();
  sqlite3_close(db_);
}

namespace {

std::variant<sqlite3*, std::string> open_db(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string error = db ? error_of(db, path) : path + ": cannot open";
    sqlite3_close(db);
    return error;
  }
  // One writer per file; a rollback journal (not WAL) also works on the
  // network file systems clusters share, and batched transactions keep it fast.
  sqlite3_busy_timeout(db, 5000);
  if (auto error = exec_sql(db, "PRAGMA synchronous=NORMAL", path)) {
    sqlite3_close(db);
    return *error;
  }
  return db;
}

}  // namespace

std::optional<std::string> ResultStore::read_layout() {
  std::map<std::string, std::string> meta;
  {
    Statement s(db_, "SELECT key, value FROM sweep");
    if (!s) return path_ + ": not a Leadtime sweep results file (no sweep table)";
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      const auto* k = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
      const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
      meta[k ? k : ""] = v ? v : "";
    }
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
  std::string sql = "BEGIN; CREATE TABLE sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL); " + points_schema(plan) +
                    "; " + runs_schema(layout_) + ";";
  if (!layout_.series.empty()) sql += rounds_schema(layout_) + ";";
  if (auto error = exec_sql(db_, sql, path_)) return error;
  const std::pair<std::string, std::string> meta[] = {
      {"format", std::string(kFormat)},
      {"name", layout_.name},
      {"fingerprint", hex(layout_.fingerprint)},
      {"spec_path", plan.spec.path},
      {"spec", read_text(plan.spec.path).value_or("")},
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
  Statement put(db_, "INSERT INTO sweep (key, value) VALUES (?, ?)");
  for (const auto& [key, value] : meta) {
    bind_text(put.get(), 1, key);
    bind_text(put.get(), 2, value);
    if (sqlite3_step(put.get()) != SQLITE_DONE) return error_of(db_, path_);
    sqlite3_reset(put.get());
  }
  Statement point(db_, "INSERT INTO points VALUES (" + placeholders(plan.targets.size() + 1) + ")");
  if (!point) return error_of(db_, path_);
  for (std::uint64_t i = 0; i < plan.design.size(); ++i) {
    const Point values = plan.design.point(i);
    sqlite3_bind_int64(point.get(), 1, static_cast<sqlite3_int64>(i));
    for (std::size_t j = 0; j < values.size(); ++j) {
      const int column = static_cast<int>(j) + 2;
      if (const auto* d = std::get_if<double>(&values[j])) {
        bind_number(point.get(), column, *d);
      } else {
        bind_text(point.get(), column, std::get<std::string>(values[j]));
      }
    }
    if (sqlite3_step(point.get()) != SQLITE_DONE) return error_of(db_, path_);
    sqlite3_reset(point.get());
  }
  return exec_sql(db_, "COMMIT", path_);
}

std::optional<std::string> ResultStore::add_new_columns() {
  if (Statement(db_, "SELECT time_limited FROM runs LIMIT 0")) return std::nullopt;
  return exec_sql(db_, std::string("ALTER TABLE runs ADD COLUMN ") + kTimeLimitedColumn, path_);
}

std::optional<std::string> ResultStore::prepare_inserts() {
  statements_ = std::make_unique<Statements>();
  const std::size_t run_columns = 4 + layout_.outcomes.size() + layout_.seats.size() + 3;
  statements_->run =
      std::make_unique<Statement>(db_, "INSERT OR IGNORE INTO runs VALUES (" + placeholders(run_columns) + ")");
  if (!*statements_->run) return error_of(db_, path_);
  if (layout_.series.empty()) return std::nullopt;
  const std::size_t round_columns = 3 + layout_.series.size() + layout_.seats.size();
  statements_->round =
      std::make_unique<Statement>(db_, "INSERT OR IGNORE INTO rounds VALUES (" + placeholders(round_columns) + ")");
  if (!*statements_->round) return error_of(db_, path_);
  return std::nullopt;
}

std::variant<std::unique_ptr<ResultStore>, std::string> ResultStore::open_for(const std::string& path,
                                                                              const SweepPlan& plan) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
  auto opened = open_db(path, true);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  std::unique_ptr<ResultStore> store(new ResultStore(std::get<sqlite3*>(opened), path));
  if (!exists) {
    if (auto error = store->create(plan)) {
      exec_sql(store->db_, "ROLLBACK", path);
      return *error;
    }
  } else {
    if (auto error = store->read_layout()) return *error;
    if (store->layout_.fingerprint != plan.fingerprint) {
      return path + ": holds the results of another sweep (its spec, scenario or bot files differ: fingerprint " +
             hex(store->layout_.fingerprint) + ", this sweep " + hex(plan.fingerprint) +
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
  std::unique_ptr<ResultStore> store(new ResultStore(std::get<sqlite3*>(opened), path));
  if (auto error = store->read_layout()) return *error;
  if (auto error = store->add_new_columns()) return *error;
  if (auto error = store->prepare_inserts()) return *error;
  return store;
}

std::vector<bool> ResultStore::finished() const {
  std::vector<bool> out(layout_.runs, false);
  Statement s(db_, "SELECT run FROM runs");
  while (s && sqlite3_step(s.get()) == SQLITE_ROW) {
    const auto run = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
    if (run < out.size()) out[run] = true;
  }
  return out;
}

std::uint64_t ResultStore::finished_count() const {
  Statement s(db_, "SELECT count(*) FROM runs");
  if (!s || sqlite3_step(s.get()) != SQLITE_ROW) return 0;
  return static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
}

namespace {

bool insert_run(sqlite3_stmt* s, const RunRow& row) {
  int c = 1;
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.run));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.point));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.seed_index));
  sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.seed));
  for (double v : row.outcomes) bind_number(s, c++, v);
  for (double v : row.scores) bind_number(s, c++, v);
  sqlite3_bind_int64(s, c++, row.faults);
  if (row.error.empty()) {
    sqlite3_bind_null(s, c++);
  } else {
    bind_text(s, c++, row.error);
  }
  sqlite3_bind_int64(s, c++, row.time_limited);
  const bool ok = sqlite3_step(s) == SQLITE_DONE;
  sqlite3_reset(s);
  return ok;
}

bool insert_rounds(sqlite3_stmt* s, const RunRow& row, const StoredLayout& l) {
  const std::size_t width = l.series.size() + l.seats.size();
  if (width == 0) return true;
  const std::size_t rounds = row.series.size() / width;
  for (std::size_t r = 0; r < rounds; ++r) {
    int c = 1;
    sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(row.run));
    sqlite3_bind_int64(s, c++, static_cast<sqlite3_int64>(r + 1));
    bind_text(s, c++, l.start.plus(static_cast<int>(r)).str());
    for (std::size_t k = 0; k < width; ++k) bind_number(s, c++, row.series[r * width + k]);
    const bool ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ResultStore::write(std::span<const RunRow> rows) {
  if (rows.empty()) return std::nullopt;
  if (auto error = exec_sql(db_, "BEGIN", path_)) return error;
  for (const RunRow& row : rows) {
    const bool ok = insert_run(statements_->run->get(), row) &&
                    (!statements_->round || insert_rounds(statements_->round->get(), row, layout_));
    if (!ok) {
      std::string error = error_of(db_, path_);
      exec_sql(db_, "ROLLBACK", path_);
      return error;
    }
  }
  return exec_sql(db_, "COMMIT", path_);
}

}  // namespace leadtime::sweep

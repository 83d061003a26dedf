#pragma once

// A sweep's results in one SQLite file:
//
//   sweep   (key TEXT PRIMARY KEY, value TEXT)   what the file holds: name,
//           fingerprint, spec text, seeds, counts, column lists (JSON)
//   points  (point INTEGER PRIMARY KEY, "<parameter>" REAL|TEXT, ...)
//   runs    (run INTEGER PRIMARY KEY, point, seed_index, seed,
//            "<outcome>" REAL ..., "score_<seat>" REAL ..., faults, error,
//            time_limited: calls the sandbox's CPU-time limit stopped, so
//            when not 0 the run is not reproducible; files written before
//            it existed gain it, as 0, when opened)
//   rounds  (run, round, quarter, "<quantity>" REAL ..., "score_<seat>" REAL ...)
//           only when the spec asks for series
//
// Rows are written in batched transactions (one per flush, never one per
// run). A file is tied to its sweep by the fingerprint: reopening it with the
// same sweep resumes it (finished runs are skipped); another sweep is refused.
// No row holds a time or anything else that depends on how the sweep ran.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "batch/sweep_run.h"
#include "engine/quarter.h"
#include "server/store/sqlite_util.h"

namespace leadtime::sweep {

// The shape of a results file, read back from its sweep table: all merge,
// summaries and CSV export need, without the spec.
struct StoredLayout {
  std::string name;
  std::uint64_t fingerprint = 0;
  std::uint64_t runs = 0;
  std::uint64_t points = 0;
  std::uint64_t seeds = 0;
  std::vector<std::string> parameters;
  std::vector<std::string> outcomes;
  std::vector<std::string> seats;
  std::vector<std::string> series;  // empty without series
  Quarter start;                    // of round 1, for the rounds table
};

class ResultStore {
 public:
  // Creates the file with its schema and every point, or reopens the file of
  // an earlier run of the same sweep.
  static std::variant<std::unique_ptr<ResultStore>, std::string> open_for(const std::string& path,
                                                                          const SweepPlan& plan);
  // Opens a finished (or partial) results file to read or merge.
  static std::variant<std::unique_ptr<ResultStore>, std::string> open_existing(const std::string& path);

  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  [[nodiscard]] const StoredLayout& layout() const { return layout_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] sqlite3* db() const { return db_.get(); }

  // One flag per run index: already in the file.
  [[nodiscard]] std::vector<bool> finished() const;
  [[nodiscard]] std::uint64_t finished_count() const;

  // Writes the rows in one transaction.
  std::optional<std::string> write(std::span<const RunRow> rows);

 private:
  ResultStore(sql::Connection db, std::string path);
  std::optional<std::string> read_layout();
  std::optional<std::string> create(const SweepPlan& plan);
  // Gives a file written before a column existed that column, with its default.
  std::optional<std::string> add_new_columns();
  std::optional<std::string> prepare_inserts();

  sql::Connection db_;
  std::string path_;
  StoredLayout layout_;
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

}  // namespace leadtime::sweep

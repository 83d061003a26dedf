#pragma once

// Shared set-up for the sweep tests: a scratch directory, spec files written
// on the fly, quiet sweeps, and the rows of a results file as text so two
// files compare exactly.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "batch/sweep_exec.h"
#include "batch/sweep_params.h"
#include "server/store/sqlite_util.h"
#include "tests/support/temp_dir.h"

namespace leadtime::testing {

inline std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE_MESSAGE(out.good(), "cannot write " << path);
  return path;
}

// Short matches (3 of the scenario's 10 rounds) keep the suite fast under
// the sanitizers; 4 points x 3 seeds = 12 runs. The us seat reads two
// parameters, one of which the sweep varies, beside a coefficient.
inline const char* kSmallSpec = R"(return {
  name = "small",
  scenario = "scenarios/2028.lua",
  rounds = 3,
  seed = 11,
  seeds = 3,
  bots = { us = "tests/batch/data/us_param.lua" },
  parameters = {
    { name = "distill_k", values = { 0.3, 0.7 } },
    { name = "bot.us.enforcement_usd_b", min = 0, max = 8, levels = 2 },
  },
  outcomes = { "lead_months", "min_lead_months", "smuggled_h100e", "share_ROW_CN" },
  series = true,
})";

struct SweepRun {
  int code = 0;
  std::string out;
  std::string err;
  sweep::SweepStats stats;
};

inline SweepRun run_sweep_quietly(sweep::SweepOptions options) {
  options.progress = false;
  std::ostringstream out;
  std::ostringstream err;
  SweepRun r;
  r.code = sweep::run_sweep(options, out, err, &r.stats);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline sweep::SweepOptions sweep_options(const std::string& spec, const std::string& out, unsigned threads) {
  sweep::SweepOptions o;
  o.spec_path = spec;
  o.out = out;
  o.threads = threads;
  o.summary = false;
  return o;
}

// Every row of a table in key order, each as one line of exact values.
inline std::vector<std::string> table_rows(const std::string& db_path, const std::string& table,
                                           const std::string& order) {
  sql::Connection db;
  const auto opened = sql::open(db_path, SQLITE_OPEN_READONLY, db);
  REQUIRE_MESSAGE(!opened, opened.value_or(""));
  sql::Statement statement;
  const auto prepared =
      sql::prepare(db.get(), db_path, "SELECT * FROM " + table + " ORDER BY " + order, statement, false);
  REQUIRE_MESSAGE(!prepared, prepared.value_or(""));
  sqlite3_stmt* s = statement.get();
  std::vector<std::string> rows;
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string line;
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      line += c == 0 ? "" : "|";
      switch (sqlite3_column_type(s, c)) {
        case SQLITE_NULL:
          line += "NULL";
          break;
        case SQLITE_FLOAT:
          line += sweep::number_text(sqlite3_column_double(s, c));
          break;
        default:
          line += sql::column_text(s, c);
      }
    }
    rows.push_back(line);
  }
  return rows;
}

// The points, runs and rounds of a results file: what must be identical
// however the sweep ran.
inline std::vector<std::string> result_rows(const std::string& db_path) {
  std::vector<std::string> all;
  for (const std::string& r : table_rows(db_path, "points", "point")) all.push_back("points " + r);
  for (const std::string& r : table_rows(db_path, "runs", "run")) all.push_back("runs " + r);
  for (const std::string& r : table_rows(db_path, "rounds", "run, round")) all.push_back("rounds " + r);
  return all;
}

inline void exec(const std::string& db_path, const std::string& text) {
  sql::Connection db;
  const auto opened = sql::open(db_path, SQLITE_OPEN_READWRITE, db);
  REQUIRE_MESSAGE(!opened, opened.value_or(""));
  const auto error = sql::exec(db.get(), db_path, text);
  REQUIRE_MESSAGE(!error, error.value_or(""));
}

}  // namespace leadtime::testing

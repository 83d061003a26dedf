// `run --experiments` (batch/experiments.h): a table of runs in, a row of
// results per run out, the same results a sweep gives for the same values
// and seeds; bad tables are refused before anything runs.
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>

#include "batch/csv.h"
#include "batch/experiments.h"
#include "batch/sweep_spec.h"
#include "files/files.h"
#include "tests/batch/sweep_helpers.h"

namespace lt = leadtime;
namespace sw = leadtime::sweep;

namespace {

struct Played {
  int code = 0;
  std::string out;
  std::string err;
};

Played run_table(sw::ExperimentsOptions options) {
  options.progress = false;
  options.threads = 2;
  std::ostringstream out;
  std::ostringstream err;
  Played p;
  p.code = sw::run_experiments(options, out, err);
  p.out = out.str();
  p.err = err.str();
  return p;
}

sw::CsvTable csv_of(const std::string& text) {
  auto parsed = sw::parse_csv(text, "output");
  if (auto* error = std::get_if<std::string>(&parsed)) FAIL(*error);
  return std::get<sw::CsvTable>(std::move(parsed));
}

}  // namespace

TEST_CASE("an experiments table gives the sweep's results for the same values and seeds") {
  lt::testing::TempDir dir;
  const std::string spec = lt::testing::write_file(dir.file("small.lua"), lt::testing::kSmallSpec);
  auto sweep = lt::testing::sweep_options(spec, dir.file("small.db"), 2);
  sweep.csv = dir.file("small.csv");
  REQUIRE(lt::testing::run_sweep_quietly(sweep).code == 0);
  const sw::CsvTable swept = csv_of(*leadtime::files::read_file(sweep.csv));
  // The table an exploratory-modelling tool would write: its own id column,
  // the seed, and the parameters, in its own column order.
  std::string table = "policy,bot.us.enforcement_usd_b,seed,distill_k\n";
  for (const auto& row : swept.rows) table += "p" + row[0] + "," + row[5] + "," + row[3] + "," + row[4] + "\n";
  sw::ExperimentsOptions options;
  options.table = lt::testing::write_file(dir.file("experiments.csv"), table);
  options.spec = spec;
  options.keep = {"policy"};
  const Played played = run_table(options);
  REQUIRE_MESSAGE(played.code == 0, played.err);
  const sw::CsvTable results = csv_of(played.out);
  REQUIRE(results.rows.size() == swept.rows.size());
  CHECK(results.header[0] == "policy");
  CHECK(results.header[4] == "lead_months");
  CHECK(results.header[results.header.size() - 2] == "error");
  CHECK(results.header.back() == "time_limited");
  for (std::size_t i = 0; i < results.rows.size(); ++i) {
    CHECK(results.rows[i][0] == "p" + std::to_string(i));  // input order kept
    // lead_months .. faults of the table equal the sweep's, digit for digit.
    const std::vector<std::string> got(results.rows[i].begin() + 4, results.rows[i].end());
    const std::vector<std::string> want(swept.rows[i].begin() + 6, swept.rows[i].end());
    CHECK(got == want);
  }
}

TEST_CASE("an experiments table needs a seed column and known parameters") {
  lt::testing::TempDir dir;
  sw::ExperimentsOptions options;
  options.table = lt::testing::write_file(dir.file("t.csv"), "seed,distill_k,scenario\n1,0.5,a\n");
  Played played = run_table(options);
  CHECK(played.code == sw::kExitBadInput);
  CHECK(played.err.find("column 'scenario': unknown parameter 'scenario'") != std::string::npos);
  CHECK(played.err.find("--keep scenario") != std::string::npos);
  CHECK(played.out.empty());

  options.table = lt::testing::write_file(dir.file("t.csv"), "distill_k\n0.5\n");
  played = run_table(options);
  CHECK(played.err.find("no 'seed' column") != std::string::npos);

  options.table = lt::testing::write_file(dir.file("t.csv"), "seed,distill_k\n1,0.5\n2,abc\n");
  played = run_table(options);
  CHECK(played.err.find("t.csv:3: column 'distill_k': expected a number from 0 to ") != std::string::npos);

  options.table = lt::testing::write_file(dir.file("t.csv"), "seed,bot.us.licences\n1,3\n");
  played = run_table(options);
  CHECK(played.err.find("column 'bot.us.licences': seat us: scripts/bots/us_hawk.lua: no parameter 'licences'") !=
        std::string::npos);
}

TEST_CASE("experiments may choose each run's bot and take outcomes from the command line") {
  lt::testing::TempDir dir;
  sw::ExperimentsOptions options;
  options.table = lt::testing::write_file(
      dir.file("t.csv"), "seed,bot.cn\n4,scripts/bots/cn_builder.lua\n4,scripts/bots/cn_shortcut.lua\n");
  options.outcomes = {"smuggled_h100e"};
  const Played played = run_table(options);
  REQUIRE_MESSAGE(played.code == 0, played.err);
  const sw::CsvTable results = csv_of(played.out);
  REQUIRE(results.rows.size() == 2);
  CHECK(results.header[2] == "smuggled_h100e");
  // The builder smuggles far less than the shortcut taker.
  CHECK(std::stod(results.rows[0][2]) < std::stod(results.rows[1][2]));
}

TEST_CASE("--experiments - reads the table from standard input") {
  std::istringstream table("seed,distill_k\n3,0.4\n");
  std::streambuf* saved = std::cin.rdbuf(table.rdbuf());
  sw::ExperimentsOptions options;
  options.table = "-";
  options.outcomes = {"lead_months"};
  const Played played = run_table(options);
  std::cin.rdbuf(saved);
  REQUIRE_MESSAGE(played.code == 0, played.err);
  const sw::CsvTable results = csv_of(played.out);
  REQUIRE(results.rows.size() == 1);
  CHECK(results.rows[0][0] == "3");
  CHECK_FALSE(results.rows[0][2].empty());
}

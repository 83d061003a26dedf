// Sweeps end to end (batch/sweep_exec.h): rows that do not depend on threads
// or shards, resuming, merging, CSV and the summary.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "batch/csv.h"
#include "batch/headless.h"
#include "batch/sweep_export.h"
#include "batch/sweep_merge.h"
#include "batch/sweep_spec.h"
#include "batch/sweep_store.h"
#include "batch/sweep_summary.h"
#include "batch/sweep_wire.h"
#include "files/files.h"
#include "tests/batch/sweep_helpers.h"

namespace lt = leadtime;
namespace sw = leadtime::sweep;
using lt::testing::result_rows;
using lt::testing::run_sweep_quietly;
using lt::testing::sweep_options;

namespace {

// The small sweep played once on one thread: the reference the other ways of
// running it must match row for row.
struct Reference {
  lt::testing::TempDir dir;
  std::string spec = lt::testing::write_file(dir.file("small.lua"), lt::testing::kSmallSpec);
  std::string db = dir.file("one-thread.db");
  std::vector<std::string> rows;
  Reference() {
    const auto run = run_sweep_quietly(sweep_options(spec, db, 1));
    REQUIRE_MESSAGE(run.code == 0, run.err);
    rows = result_rows(db);
  }
};

const Reference& reference() {
  static const Reference r;
  return r;
}

sw::SweepPlan plan_of(const std::string& spec) {
  auto loaded = sw::load_sweep_spec(spec);
  if (auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  return sw::SweepPlan(std::get<sw::SweepSpec>(std::move(loaded)));
}

}  // namespace

TEST_CASE("a sweep writes every point, run and round") {
  const auto& rows = reference().rows;
  const auto count = [&](const std::string& prefix) {
    return std::count_if(rows.begin(), rows.end(), [&](const std::string& r) { return r.starts_with(prefix); });
  };
  CHECK(count("points ") == 4);
  CHECK(count("runs ") == 12);
  CHECK(count("rounds ") == 12 * 3);
  CHECK(rows.front() == "points 0|0.3|0");
}

TEST_CASE("two threads write the same rows as one") {
  lt::testing::TempDir dir;
  const auto run = run_sweep_quietly(sweep_options(reference().spec, dir.file("two.db"), 2));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.stats.played == 12);
  CHECK(result_rows(dir.file("two.db")) == reference().rows);
}

TEST_CASE("a run's row is the match play_bots plays with the run's seed and the point's values") {
  const sw::SweepPlan plan = plan_of(reference().spec);
  // Run 7: point 2 (distill_k 0.7, enforcement 0), seed index 1.
  const sw::Point point = plan.design.point(2);
  auto scenario = std::make_shared<lt::Scenario>(*plan.spec.scenario);
  scenario->coef.distill_k = 0.7;
  std::vector<std::string> bots = plan.spec.bots;
  lt::lua::BotLimits limits;
  limits.seat_params.resize(1);
  limits.seat_params[0] = {{"enforcement_usd_b", 0}};
  const auto played = lt::play_bots(scenario, sw::run_seed(plan.spec, 7), bots, nullptr, limits);
  REQUIRE(played.match);
  const sw::RunRow row = sw::play_run(plan, 7);
  CHECK(row.point == 2);
  CHECK(row.seed_index == 1);
  CHECK(std::get<double>(point[0]) == 0.7);
  CHECK(row.outcomes[0] == played.match->state().outcomes.lead_months);
  CHECK(row.scores == played.match->state().outcomes.scores);
}

TEST_CASE("the parameters reach the runs: enforcement cuts smuggling") {
  const sw::SweepPlan plan = plan_of(reference().spec);
  // Points 0 and 1 differ only in the US bot's enforcement (0 vs 8).
  double smuggled_lax = 0;
  double smuggled_tight = 0;
  for (std::uint64_t s = 0; s < 3; ++s) {
    smuggled_lax += sw::play_run(plan, s).outcomes[2];
    smuggled_tight += sw::play_run(plan, 3 + s).outcomes[2];
  }
  CHECK(smuggled_tight < smuggled_lax);
}

TEST_CASE("rerunning an interrupted sweep plays only the missing runs") {
  lt::testing::TempDir dir;
  const std::string db = dir.file("resumed.db");
  REQUIRE(run_sweep_quietly(sweep_options(reference().spec, db, 2)).code == 0);
  // As if interrupted: a third of the runs never made it to the file.
  lt::testing::exec(db, "DELETE FROM runs WHERE run % 3 = 0; DELETE FROM rounds WHERE run % 3 = 0");
  const auto rerun = run_sweep_quietly(sweep_options(reference().spec, db, 2));
  REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
  CHECK(rerun.stats.played == 4);
  CHECK(rerun.stats.skipped == 8);
  CHECK(result_rows(db) == reference().rows);
  const auto again = run_sweep_quietly(sweep_options(reference().spec, db, 2));
  CHECK(again.stats.played == 0);
}

TEST_CASE("the results file of another sweep is refused, not resumed") {
  lt::testing::TempDir dir;
  const std::string db = dir.file("taken.db");
  REQUIRE(run_sweep_quietly(sweep_options(reference().spec, db, 1)).code == 0);
  std::string other = lt::testing::kSmallSpec;
  other.replace(other.find("seeds = 3"), 9, "seeds = 2");
  const std::string spec = lt::testing::write_file(dir.file("other.lua"), other);
  const auto run = run_sweep_quietly(sweep_options(spec, db, 1));
  CHECK(run.code == sw::kExitBadInput);
  CHECK(run.err.find("holds the results of another sweep") != std::string::npos);
}

TEST_CASE("two shards merged give the rows of one process") {
  lt::testing::TempDir dir;
  std::vector<std::string> shards;
  for (std::uint64_t i = 0; i < 2; ++i) {
    auto options = sweep_options(reference().spec, dir.file("shard" + std::to_string(i) + ".db"), 1);
    options.shard = {i, 2};
    const auto run = run_sweep_quietly(options);
    REQUIRE_MESSAGE(run.code == 0, run.err);
    CHECK(run.stats.played == 6);
    shards.push_back(options.out);
  }
  // A shard holds every point but only its own runs.
  CHECK(lt::testing::table_rows(shards[1], "runs", "run").size() == 6);
  sw::MergeReport report;
  const std::string merged = dir.file("merged.db");
  const auto error = sw::merge_results(merged, shards, report);
  REQUIRE_MESSAGE(!error, *error);
  CHECK(report.runs == 12);
  CHECK(report.total == 12);
  CHECK(result_rows(merged) == reference().rows);
  CHECK(lt::testing::table_rows(merged, "sweep", "key") == lt::testing::table_rows(reference().db, "sweep", "key"));
}

TEST_CASE("merge refuses the results of another sweep") {
  lt::testing::TempDir dir;
  std::string other = lt::testing::kSmallSpec;
  other.replace(other.find("seed = 11"), 9, "seed = 12");
  const std::string spec = lt::testing::write_file(dir.file("other.lua"), other);
  auto options = sweep_options(spec, dir.file("other.db"), 2);
  options.shard = {0, 4};
  REQUIRE(run_sweep_quietly(options).code == 0);
  sw::MergeReport report;
  const auto error = sw::merge_results(dir.file("m.db"), {reference().db, dir.file("other.db")}, report);
  REQUIRE(error);
  CHECK(error->find("results of another sweep") != std::string::npos);
}

TEST_CASE("shards: --shard I/N and Slurm array variables") {
  auto shard = sw::parse_shard("3/8");
  REQUIRE(std::holds_alternative<sw::Shard>(shard));
  CHECK(std::get<sw::Shard>(shard).index == 3);
  CHECK(std::get<sw::Shard>(shard).count == 8);
  CHECK(std::holds_alternative<std::string>(sw::parse_shard("8/8")));
  CHECK(std::holds_alternative<std::string>(sw::parse_shard("x")));

  std::map<std::string, std::string> env;
  const sw::EnvFn getenv = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  CHECK_FALSE(std::get<std::optional<sw::Shard>>(sw::shard_from_env(getenv)));
  env = {{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "4"}};
  auto from_env = std::get<std::optional<sw::Shard>>(sw::shard_from_env(getenv));
  REQUIRE(from_env);
  CHECK(from_env->index == 1);
  CHECK(from_env->count == 4);
  env["SLURM_ARRAY_TASK_ID"] = "9";
  CHECK(std::holds_alternative<std::string>(sw::shard_from_env(getenv)));
  // Shards cover every run once.
  const std::vector<bool> none(10, false);
  CHECK(sw::todo_runs(10, none, {1, 3}) == std::vector<std::uint64_t>{1, 4, 7});
}

TEST_CASE("--csv writes the runs with their parameters, value for value") {
  lt::testing::TempDir dir;
  auto options = sweep_options(reference().spec, dir.file("csv.db"), 2);
  options.csv = dir.file("runs.csv");
  REQUIRE(run_sweep_quietly(options).code == 0);
  auto parsed = sw::parse_csv(*leadtime::files::read_file(options.csv), options.csv);
  REQUIRE(std::holds_alternative<sw::CsvTable>(parsed));
  const sw::CsvTable& csv = std::get<sw::CsvTable>(parsed);
  REQUIRE(csv.header.size() == 4 + 2 + 4 + 8 + 3);
  CHECK(csv.header.back() == "time_limited");
  CHECK(csv.header[4] == "distill_k");
  CHECK(csv.header[5] == "bot.us.enforcement_usd_b");
  CHECK(csv.header[6] == "lead_months");
  CHECK(csv.header[10] == "score_us");
  REQUIRE(csv.rows.size() == 12);
  const auto runs = lt::testing::table_rows(options.out, "runs", "run");
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(csv.rows[i][0] == std::to_string(i));
    // The lead in the CSV is the stored double, digit for digit.
    CHECK(runs[i].find("|" + csv.rows[i][6] + "|") != std::string::npos);
    CHECK(csv.rows[i].back() == "0");  // no bot call needed the time limit
  }
  CHECK(csv.rows[3][4] == "0.3");
  CHECK(csv.rows[3][5] == "8");
  auto rounds = sw::parse_csv(*leadtime::files::read_file(dir.file("runs.rounds.csv")), "rounds");
  REQUIRE(std::holds_alternative<sw::CsvTable>(rounds));
  CHECK(std::get<sw::CsvTable>(rounds).rows.size() == 36);
  CHECK(std::get<sw::CsvTable>(rounds).rows[0][2] == "2026Q3");
}

TEST_CASE("a run the sandbox's time limit stopped is marked in the results file and the CSV") {
  lt::testing::TempDir dir;
  const sw::SweepPlan plan = plan_of(reference().spec);
  const std::string db = dir.file("marked.db");
  {
    auto opened = sw::ResultStore::open_for(db, plan);
    REQUIRE(std::holds_alternative<std::unique_ptr<sw::ResultStore>>(opened));
    std::vector<sw::RunRow> rows{sw::play_run(plan, 0), sw::play_run(plan, 1)};
    CHECK(rows[0].time_limited == 0);
    rows[1].time_limited = 2;
    REQUIRE_FALSE(std::get<std::unique_ptr<sw::ResultStore>>(opened)->write(rows));
  }
  const auto runs = lt::testing::table_rows(db, "runs", "run");
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].ends_with("|0"));
  CHECK(runs[1].ends_with("|2"));
  auto opened = sw::ResultStore::open_existing(db);
  REQUIRE(std::holds_alternative<std::unique_ptr<sw::ResultStore>>(opened));
  const std::string csv_path = dir.file("marked.csv");
  REQUIRE_FALSE(sw::write_csv(*std::get<std::unique_ptr<sw::ResultStore>>(opened), csv_path));
  auto parsed = sw::parse_csv(*leadtime::files::read_file(csv_path), csv_path);
  REQUIRE(std::holds_alternative<sw::CsvTable>(parsed));
  const sw::CsvTable& csv = std::get<sw::CsvTable>(parsed);
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[0].back() == "0");
  CHECK(csv.rows[1].back() == "2");
}

TEST_CASE("a results file from before the time_limited column gains it and resumes") {
  lt::testing::TempDir dir;
  const std::string db = dir.file("old.db");
  REQUIRE(run_sweep_quietly(sweep_options(reference().spec, db, 1)).code == 0);
  // The file as an older build wrote it, interrupted.
  lt::testing::exec(db,
                    "ALTER TABLE runs DROP COLUMN time_limited; DELETE FROM runs WHERE run % 2 = 0; "
                    "DELETE FROM rounds WHERE run % 2 = 0");
  const auto rerun = run_sweep_quietly(sweep_options(reference().spec, db, 1));
  REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
  CHECK(rerun.stats.played == 6);
  CHECK(result_rows(db) == reference().rows);
}

TEST_CASE("percentiles interpolate between order statistics (type 7)") {
  std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(sw::percentile(v, 0.05) == doctest::Approx(1.45));
  CHECK(sw::percentile(v, 0.5) == doctest::Approx(5.5));
  CHECK(sw::percentile(v, 0.95) == doctest::Approx(9.55));
  CHECK(sw::percentile({4}, 0.95) == 4);
  const sw::Stats s = sw::stats_of({3, std::nan(""), 1, 2});
  CHECK(s.n == 3);
  CHECK(s.mean == 2);
  CHECK(s.p50 == 2);
  CHECK(s.p5 == doctest::Approx(1.1));
}

TEST_CASE("the summary gives each point's mean and percentiles of its runs") {
  auto opened = sw::ResultStore::open_existing(reference().db);
  REQUIRE(std::holds_alternative<std::unique_ptr<sw::ResultStore>>(opened));
  const sw::ResultStore& store = *std::get<std::unique_ptr<sw::ResultStore>>(opened);
  auto summary = sw::summarize(store);
  REQUIRE(std::holds_alternative<std::vector<sw::PointSummary>>(summary));
  const auto& points = std::get<std::vector<sw::PointSummary>>(summary);
  REQUIRE(points.size() == 4);
  // Point 1's leads, straight from its three runs.
  const sw::SweepPlan plan = plan_of(reference().spec);
  std::vector<double> leads;
  for (std::uint64_t run = 3; run < 6; ++run) leads.push_back(sw::play_run(plan, run).outcomes[0]);
  std::sort(leads.begin(), leads.end());
  const sw::Stats& s = points[1].outcomes[0];
  CHECK(points[1].runs == 3);
  CHECK(points[1].parameters == std::vector<std::string>{"0.3", "8"});
  CHECK(s.mean == doctest::Approx((leads[0] + leads[1] + leads[2]) / 3));
  CHECK(s.p50 == leads[1]);
  CHECK(s.p5 == doctest::Approx(leads[0] + 0.1 * (leads[1] - leads[0])));
  CHECK(s.p95 == doctest::Approx(leads[1] + 0.9 * (leads[2] - leads[1])));
  std::ostringstream out;
  sw::print_summary(out, store.layout(), points, 12, 1);
  CHECK(out.str().find("summary of 'small': 12 of 12 runs, 4 of 4 points") != std::string::npos);
  CHECK(out.str().find("min_lead_months") != std::string::npos);
  CHECK(out.str().find("... 3 more points") != std::string::npos);
}

TEST_CASE("rows survive the trip between MPI ranks bit for bit") {
  const sw::SweepPlan plan = plan_of(reference().spec);
  std::vector<sw::RunRow> rows{sw::play_run(plan, 4), sw::play_run(plan, 9)};
  rows[1].error = "a, \"quoted\" error";
  rows[1].outcomes[1] = std::nan("");
  rows[1].time_limited = 3;
  const auto bytes = sw::encode_rows(rows);
  const auto back = sw::decode_rows(bytes);
  REQUIRE(back);
  REQUIRE(back->size() == 2);
  CHECK((*back)[0] == rows[0]);
  CHECK(std::isnan((*back)[1].outcomes[1]));
  CHECK((*back)[1].error == rows[1].error);
  CHECK((*back)[1].series == rows[1].series);
  CHECK((*back)[1].time_limited == 3);
  CHECK_FALSE(sw::decode_rows(std::span(bytes).first(bytes.size() - 1)));
}

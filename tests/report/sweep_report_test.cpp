// The sweep report of a small sweep played in the test: its fan charts hold
// the percentiles of each point's rounds, its outcome charts the
// percentiles of the runs at each parameter value (both checked against a
// computation of their own from the file), and a file without per-round
// rows says so.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "batch/sweep_report.h"
#include "report/html.h"
#include "tests/batch/sweep_helpers.h"
#include "tests/report/page_probe.h"

namespace sw = leadtime::sweep;
namespace rp = leadtime::report;
using namespace leadtime::testing;

namespace {

// Hyndman and Fan type 7, written out again so the test does not check the
// report's percentiles with the report's own function.
double type7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const double lo = std::floor(h);
  const double hi = std::min(lo + 1, static_cast<double>(v.size()) - 1);
  return v[static_cast<std::size_t>(lo)] +
         (h - lo) * (v[static_cast<std::size_t>(hi)] - v[static_cast<std::size_t>(lo)]);
}

void check_quantiles(const rp::Quantiles& q, std::size_t i, const std::vector<double>& values) {
  REQUIRE_FALSE(values.empty());
  CHECK(q.p5[i] == doctest::Approx(type7(values, 0.05)));
  CHECK(q.p25[i] == doctest::Approx(type7(values, 0.25)));
  CHECK(q.p50[i] == doctest::Approx(type7(values, 0.50)));
  CHECK(q.p75[i] == doctest::Approx(type7(values, 0.75)));
  CHECK(q.p95[i] == doctest::Approx(type7(values, 0.95)));
}

// Rows of a query as numbers.
std::vector<std::vector<double>> rows_of(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
  std::vector<std::vector<double>> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::vector<double> row;
    for (int c = 0; c < sqlite3_column_count(s); ++c) row.push_back(sqlite3_column_double(s, c));
    out.push_back(std::move(row));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

struct SmallSweep {
  TempDir dir;
  std::string db;
  std::unique_ptr<sw::ResultStore> store;
};

std::unique_ptr<SmallSweep> play(const std::string& spec_text) {
  auto s = std::make_unique<SmallSweep>();
  const std::string spec = write_file(s->dir.file("small.lua"), spec_text);
  s->db = s->dir.file("small.db");
  const SweepRun r = run_sweep_quietly(sweep_options(spec, s->db, 2));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto opened = sw::ResultStore::open_existing(s->db);
  REQUIRE(std::holds_alternative<std::unique_ptr<sw::ResultStore>>(opened));
  s->store = std::get<std::unique_ptr<sw::ResultStore>>(std::move(opened));
  return s;
}

std::string page_of(const sw::ResultStore& store) {
  auto page = sw::sweep_report_html(store, {});
  REQUIRE_MESSAGE(std::holds_alternative<sw::SweepPage>(page), std::get<std::string>(page));
  return std::get<sw::SweepPage>(page).html;
}

}  // namespace

TEST_CASE("sweep report: fan charts hold the percentiles of the lead over each point's rounds") {
  const auto s = play(kSmallSpec);
  auto read = sw::read_fans(*s->store, 24);
  REQUIRE(std::holds_alternative<sw::SweepFans>(read));
  const sw::SweepFans& fans = std::get<sw::SweepFans>(read);
  CHECK(fans.quantity == "lead_months");
  CHECK(fans.quarters == std::vector<std::string>{"2026Q3", "2026Q4", "2027Q1"});
  REQUIRE(fans.points.size() == 4);
  CHECK(fans.all.runs == 12);
  const auto rows = rows_of(s->db, "SELECT r.point, d.round, d.lead_months FROM rounds d JOIN runs r USING (run)");
  std::map<std::pair<int, int>, std::vector<double>> by_point;
  std::map<int, std::vector<double>> by_round;
  for (const auto& row : rows) {
    by_point[{static_cast<int>(row[0]), static_cast<int>(row[1])}].push_back(row[2]);
    by_round[static_cast<int>(row[1])].push_back(row[2]);
  }
  for (const sw::Fan& fan : fans.points) {
    CHECK(fan.runs == 3);
    REQUIRE(fan.q.p50.size() == 3);
    for (int round = 1; round <= 3; ++round) {
      INFO("point " << fan.point << " round " << round);
      check_quantiles(fan.q, static_cast<std::size_t>(round - 1), by_point[{static_cast<int>(fan.point), round}]);
    }
  }
  for (int round = 1; round <= 3; ++round)
    check_quantiles(fans.all.q, static_cast<std::size_t>(round - 1), by_round[round]);

  const std::string html = page_of(*s->store);
  for (const std::string id : {"fan-all", "fan-point-0", "fan-point-1", "fan-point-2", "fan-point-3"}) {
    const std::string svg = svg_by_id(html, id);
    INFO(id);
    REQUIRE_FALSE(svg.empty());
    CHECK(count_of(svg, "class=\"ribbon\"") == 2);
    CHECK(point_tips(svg, "median").size() == 3);
    const auto legend = texts_of_class(svg, "legend-label");
    CHECK(std::find(legend.begin(), legend.end(), "p5–p95") != legend.end());
    CHECK(std::find(legend.begin(), legend.end(), "p25–p75") != legend.end());
  }
  const rp::Axis months{"", std::nullopt, std::nullopt, rp::Format::Number, " months"};
  const std::string tip = point_tips(svg_by_id(html, "fan-point-2"), "median").at(2);
  CHECK(tip == "R3 · median " + rp::value_text(months, fans.points[2].q.p50[2]) + "; p25–p75 " +
                   rp::value_text(months, fans.points[2].q.p25[2]) + " to " +
                   rp::value_text(months, fans.points[2].q.p75[2]) + "; p5–p95 " +
                   rp::value_text(months, fans.points[2].q.p5[2]) + " to " +
                   rp::value_text(months, fans.points[2].q.p95[2]));
  CHECK(html.find("no per-round rows") == std::string::npos);
}

TEST_CASE(
    "sweep report: each outcome against each varied parameter, split by the other factor, with the "
    "percentiles at each value") {
  const auto s = play(kSmallSpec);
  auto read = sw::read_effects(*s->store);
  REQUIRE(std::holds_alternative<std::vector<sw::ParameterEffect>>(read));
  const auto& effects = std::get<std::vector<sw::ParameterEffect>>(read);
  REQUIRE(effects.size() == 2 * 4);  // two parameters, four outcomes
  const sw::ParameterEffect& e = effects[0];
  CHECK(e.parameter == "distill_k");
  CHECK(e.outcome == "lead_months");
  // One group per value of the other parameter, never the two pooled.
  CHECK(e.split_by == std::vector<std::string>{"bot.us.enforcement_usd_b"});
  CHECK(e.pooled.empty());
  REQUIRE(e.groups.size() == 2);
  const auto rows = rows_of(
      s->db,
      "SELECT p.distill_k, p.\"bot.us.enforcement_usd_b\", r.lead_months FROM runs r JOIN points p USING (point)");
  std::map<double, std::map<double, std::vector<double>>> by_group;  // enforcement -> distill_k -> lead
  for (const auto& row : rows) by_group[row[1]][row[0]].push_back(row[2]);
  REQUIRE(by_group.size() == 2);
  std::vector<std::string> labels;
  for (const sw::EffectGroup& g : e.groups) {
    INFO(g.label);
    labels.push_back(g.label);
    REQUIRE(g.label.starts_with("bot.us.enforcement_usd_b "));
    const double enforcement = std::stod(g.label.substr(std::string("bot.us.enforcement_usd_b ").size()));
    auto& values = by_group.at(enforcement);
    CHECK(g.points.size() == 6);
    for (const auto& p : g.points) CHECK(p.tip.starts_with(g.label + " · point "));
    REQUIRE(g.at == std::vector<double>{0.3, 0.7});
    check_quantiles(g.q, 0, values.at(0.3));
    check_quantiles(g.q, 1, values.at(0.7));
  }
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"bot.us.enforcement_usd_b 0", "bot.us.enforcement_usd_b 8"});

  const std::string html = page_of(*s->store);
  for (std::size_t i = 0; i < effects.size(); ++i) {
    const std::string svg = svg_by_id(html, "effect-" + std::to_string(i));
    INFO("effect " << i);
    REQUIRE_FALSE(svg.empty());
    CHECK(texts_of_class(svg, "chart-title").at(0) ==
          rp::escape(effects[i].outcome + " against " + effects[i].parameter));
    CHECK(count_of(svg, "class=\"point\"") == 12);
    CHECK(texts_of_class(svg, "axis-label") == std::vector<std::string>{effects[i].outcome, effects[i].parameter});
    // A median line and a colour per group, each named in the legend.
    CHECK(count_of(svg, "data-name=\"median\"") == 2);
    const auto legend = texts_of_class(svg, "legend-label");
    for (const sw::EffectGroup& g : effects[i].groups) {
      CHECK(std::find(legend.begin(), legend.end(), rp::escape(g.label)) != legend.end());
      CHECK(count_of(svg, "class=\"point\" data-group=\"" + rp::escape(g.label) + "\"") == 6);
    }
  }
  // The summary table of `leadtime-batch summary`.
  CHECK(html.find("<h2>Summary per point</h2>") != std::string::npos);
}

TEST_CASE("sweep report: a factor with too many values to split by stays pooled, and the chart says so") {
  const auto s = play(R"(return {
    name = "sampled", rounds = 2, seed = 5, seeds = 1,
    design = { kind = "lhs", points = 12 },
    parameters = {
      { name = "distill_k", min = 0.2, max = 0.8 },
      { name = "smuggling_markup", min = 1.2, max = 3 },
      { name = "bot.us", values = { "scripts/bots/us_hawk.lua", "scripts/bots/us_dealmaker.lua" } },
    },
    outcomes = { "lead_months" },
  })");
  auto read = sw::read_effects(*s->store);
  REQUIRE(std::holds_alternative<std::vector<sw::ParameterEffect>>(read));
  const auto& effects = std::get<std::vector<sw::ParameterEffect>>(read);
  REQUIRE(effects.size() == 3);
  // distill_k: the sampled markup has 12 values and is pooled; the bot
  // choice has two and splits the runs.
  const sw::ParameterEffect& e = effects[0];
  CHECK(e.split_by == std::vector<std::string>{"bot.us"});
  CHECK(e.pooled == std::vector<std::string>{"smuggling_markup"});
  REQUIRE(e.groups.size() == 2);
  std::vector<std::string> labels{e.groups[0].label, e.groups[1].label};
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"bot.us us_dealmaker", "bot.us us_hawk"});
  CHECK(e.groups[0].points.size() + e.groups[1].points.size() == 12);
  const std::string svg = svg_by_id(page_of(*s->store), "effect-0");
  const std::string note = texts_of_class(svg, "chart-note").at(0);
  CHECK(note.starts_with("a colour per bot.us"));
  CHECK(note.ends_with("; pooled: smuggling_markup (too many values)"));
}

TEST_CASE("sweep report: without per-round rows the page says so, and bot choices are categories") {
  const auto s = play(R"(return {
    name = "bots", rounds = 2, seed = 3, seeds = 2,
    bots = { us = { "scripts/bots/us_hawk.lua", "scripts/bots/us_dealmaker.lua" } },
    outcomes = { "lead_months" },
  })");
  const std::string html = page_of(*s->store);
  CHECK(html.find("no per-round rows") != std::string::npos);
  CHECK(svg_by_id(html, "fan-all").empty());
  const std::string svg = svg_by_id(html, "effect-0");
  REQUIRE_FALSE(svg.empty());
  const auto ticks = texts_of_class(svg, "tick-label");
  CHECK(std::find(ticks.begin(), ticks.end(), "us_hawk") != ticks.end());
  CHECK(std::find(ticks.begin(), ticks.end(), "us_dealmaker") != ticks.end());
  CHECK(count_of(svg, "class=\"box\"") == 2);
}

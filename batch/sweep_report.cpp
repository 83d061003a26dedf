#include "batch/sweep_report.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "batch/sweep_summary.h"
#include "report/html.h"

namespace leadtime::sweep {

namespace rp = leadtime::report;

namespace {

// Dots per scatter chart: enough to see the cloud, few enough for a browser.
constexpr std::size_t kMaxDots = 3000;

// A read of the results file: the statement, or why it could not be made.
class Query {
 public:
  Query(const ResultStore& store, const std::string& text) {
    if (auto error = sql::prepare(store.db(), store.path(), text, stmt_, false)) error_ = *error;
  }
  [[nodiscard]] const std::string& error() const { return error_; }
  bool step() { return stmt_ && sqlite3_step(stmt_.get()) == SQLITE_ROW; }
  [[nodiscard]] std::int64_t integer(int c) const { return sqlite3_column_int64(stmt_.get(), c); }
  [[nodiscard]] double number(int c) const { return sql::column_real(stmt_.get(), c); }
  [[nodiscard]] bool is_text(int c) const { return sqlite3_column_type(stmt_.get(), c) == SQLITE_TEXT; }
  [[nodiscard]] std::string text(int c) const { return sql::column_text(stmt_.get(), c); }
  // As the summary prints it (six significant digits).
  [[nodiscard]] std::string label(int c) const { return summary_cell(stmt_.get(), c); }

 private:
  sql::Statement stmt_;
  std::string error_;
};

rp::Quantiles quantiles_of(std::vector<std::vector<double>>& per_x) {
  rp::Quantiles q;
  for (std::vector<double>& values : per_x) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    std::sort(values.begin(), values.end());
    const auto at = [&](double p) { return values.empty() ? std::nan("") : percentile(values, p); };
    q.p5.push_back(at(0.05));
    q.p25.push_back(at(0.25));
    q.p50.push_back(at(0.50));
    q.p75.push_back(at(0.75));
    q.p95.push_back(at(0.95));
  }
  return q;
}

void add_value(std::vector<std::vector<double>>& per_round, std::int64_t round, double v) {
  if (round < 1) return;
  const auto r = static_cast<std::size_t>(round);
  if (per_round.size() < r) per_round.resize(r);
  per_round[r - 1].push_back(v);
}

struct PointRow {
  std::vector<std::string> labels;  // per parameter
  std::vector<double> numbers;      // per parameter (NaN for text)
  std::vector<std::string> texts;   // per parameter ("" for numbers)
};

std::variant<std::map<std::uint64_t, PointRow>, std::string> read_points(const ResultStore& store) {
  const StoredLayout& l = store.layout();
  std::string sql = "SELECT point";
  for (const std::string& p : l.parameters) sql += ", " + sql::identifier(p);
  Query q(store, sql + " FROM points ORDER BY point");
  if (!q.error().empty()) return q.error();
  std::map<std::uint64_t, PointRow> out;
  while (q.step()) {
    PointRow row;
    for (std::size_t j = 0; j < l.parameters.size(); ++j) {
      const int c = static_cast<int>(j) + 1;
      row.labels.push_back(q.label(c));
      row.numbers.push_back(q.is_text(c) ? std::nan("") : q.number(c));
      row.texts.push_back(q.is_text(c) ? q.text(c) : "");
    }
    out[static_cast<std::uint64_t>(q.integer(0))] = std::move(row);
  }
  return out;
}

std::map<std::uint64_t, std::uint64_t> runs_per_point(const ResultStore& store) {
  std::map<std::uint64_t, std::uint64_t> out;
  Query q(store, "SELECT point, count(*) FROM runs GROUP BY point ORDER BY point");
  while (q.step()) out[static_cast<std::uint64_t>(q.integer(0))] = static_cast<std::uint64_t>(q.integer(1));
  return out;
}

}  // namespace

std::variant<SweepFans, std::string> read_fans(const ResultStore& store, std::size_t max_points) {
  const StoredLayout& l = store.layout();
  SweepFans out;
  const auto runs = runs_per_point(store);
  out.points_with_runs = runs.size();
  if (l.series.empty()) return out;
  const bool has_lead = std::find(l.series.begin(), l.series.end(), "lead_months") != l.series.end();
  out.quantity = has_lead ? "lead_months" : l.series.front();
  auto points = read_points(store);
  if (auto* error = std::get_if<std::string>(&points)) return *error;
  const auto& point_rows = std::get<std::map<std::uint64_t, PointRow>>(points);

  // The first `max_points` points with runs get a fan of their own.
  std::map<std::uint64_t, std::vector<std::vector<double>>> shown;
  for (const auto& [point, n] : runs) {
    if (shown.size() >= max_points) break;
    shown[point];
  }
  std::vector<std::vector<double>> all;
  Query q(store, "SELECT r.point, d.round, d." + sql::identifier(out.quantity) +
                     " FROM rounds d JOIN runs r ON r.run = d.run ORDER BY r.point, d.run, d.round");
  if (!q.error().empty()) return q.error();
  while (q.step()) {
    const auto point = static_cast<std::uint64_t>(q.integer(0));
    const std::int64_t round = q.integer(1);
    const double v = q.number(2);
    add_value(all, round, v);
    if (auto it = shown.find(point); it != shown.end()) add_value(it->second, round, v);
  }
  for (std::size_t i = 0; i < all.size(); ++i) out.quarters.push_back(l.start.plus(static_cast<int>(i)).str());
  std::uint64_t total = 0;
  for (const auto& [point, n] : runs) total += n;
  out.all.runs = total;
  out.all.q = quantiles_of(all);
  for (auto& [point, per_round] : shown) {
    Fan fan;
    fan.point = point;
    if (auto it = point_rows.find(point); it != point_rows.end()) fan.parameters = it->second.labels;
    fan.runs = runs.at(point);
    per_round.resize(all.size());
    fan.q = quantiles_of(per_round);
    out.points.push_back(std::move(fan));
  }
  return out;
}

namespace {

struct RunOutcomes {
  std::uint64_t point = 0;
  std::int64_t seed = 0;
  std::vector<double> outcomes;
};

std::variant<std::vector<RunOutcomes>, std::string> read_runs(const ResultStore& store) {
  const StoredLayout& l = store.layout();
  std::string sql = "SELECT point, seed";
  for (const std::string& o : l.outcomes) sql += ", " + sql::identifier(o);
  Query q(store, sql + " FROM runs ORDER BY run");
  if (!q.error().empty()) return q.error();
  std::vector<RunOutcomes> out;
  while (q.step()) {
    RunOutcomes r{static_cast<std::uint64_t>(q.integer(0)), q.integer(1), {}};
    for (std::size_t k = 0; k < l.outcomes.size(); ++k) r.outcomes.push_back(q.number(static_cast<int>(k) + 2));
    out.push_back(std::move(r));
  }
  return out;
}

// x of every point for parameter j: the value, or the index of its category.
std::map<std::uint64_t, double> x_of_points(const std::map<std::uint64_t, PointRow>& points, std::size_t j,
                                            std::vector<std::string>& categories) {
  std::map<std::uint64_t, double> out;
  for (const auto& [point, row] : points) {
    if (row.texts[j].empty() && !std::isnan(row.numbers[j])) {
      out[point] = row.numbers[j];
      continue;
    }
    auto it = std::find(categories.begin(), categories.end(), row.texts[j]);
    if (it == categories.end()) it = categories.insert(categories.end(), row.texts[j]);
    out[point] = static_cast<double>(it - categories.begin());
  }
  return out;
}

// How the runs of a chart for parameter j split: the other factors with few
// enough values to split by (in the layout's order, while the combinations
// stay within kMaxEffectGroups) and, per point, the index of its group.
struct Split {
  std::vector<std::size_t> factors;  // indices of the parameters split by
  std::vector<std::size_t> pooled;   // indices of the other parameters pooled
  std::vector<std::string> labels;   // per group
  std::map<std::uint64_t, std::size_t> group_of;
};

Split split_for(const StoredLayout& l, const std::map<std::uint64_t, PointRow>& points, std::size_t j) {
  Split out;
  std::size_t combinations = 1;
  for (std::size_t f = 0; f < l.parameters.size(); ++f) {
    if (f == j) continue;
    std::set<std::string> values;
    for (const auto& [point, row] : points) values.insert(row.labels[f]);
    if (values.size() <= 1) continue;  // constant over the file: nothing to split
    if (combinations * values.size() <= kMaxEffectGroups) {
      combinations *= values.size();
      out.factors.push_back(f);
    } else {
      out.pooled.push_back(f);
    }
  }
  // Groups in order of first appearance over the points (the design's order).
  std::map<std::vector<std::string>, std::size_t> index;
  for (const auto& [point, row] : points) {
    std::vector<std::string> key;
    for (std::size_t f : out.factors) key.push_back(row.labels[f]);
    auto [it, added] = index.try_emplace(key, out.labels.size());
    if (added) {
      std::string label;
      for (std::size_t k = 0; k < key.size(); ++k) {
        const std::string& value = row.texts[out.factors[k]].empty() ? key[k] : bot_label(key[k]);
        label += (label.empty() ? "" : " · ") + l.parameters[out.factors[k]] + " " + value;
      }
      out.labels.push_back(label);
    }
    out.group_of[point] = it->second;
  }
  if (out.labels.empty()) out.labels.emplace_back();
  return out;
}

ParameterEffect effect_of(const StoredLayout& l, std::size_t j, std::size_t k, const std::vector<RunOutcomes>& runs,
                          const std::map<std::uint64_t, double>& x, const std::vector<std::string>& categories,
                          const Split& split) {
  ParameterEffect e;
  e.parameter = l.parameters[j];
  e.outcome = l.outcomes[k];
  e.categories = categories;
  for (std::size_t f : split.factors) e.split_by.push_back(l.parameters[f]);
  for (std::size_t f : split.pooled) e.pooled.push_back(l.parameters[f]);
  e.groups.resize(split.labels.size());
  for (std::size_t g = 0; g < split.labels.size(); ++g) e.groups[g].label = split.labels[g];
  const std::size_t stride = std::max<std::size_t>(1, (runs.size() + kMaxDots - 1) / kMaxDots);
  std::vector<std::map<double, std::vector<double>>> by_x(e.groups.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunOutcomes& r = runs[i];
    const auto it = x.find(r.point);
    const auto group = split.group_of.find(r.point);
    const double y = r.outcomes[k];
    if (it == x.end() || group == split.group_of.end() || std::isnan(y)) continue;
    EffectGroup& g = e.groups[group->second];
    by_x[group->second][it->second].push_back(y);
    if (i % stride != 0) continue;
    g.points.push_back({it->second, y,
                        (g.label.empty() ? "" : g.label + " · ") + "point " + std::to_string(r.point) + " · seed " +
                            std::to_string(r.seed) + " · " + e.outcome + " " + rp::significant(y, 4)});
  }
  for (std::size_t g = 0; g < e.groups.size(); ++g) {
    if (by_x[g].size() > kMaxSummarisedValues) continue;
    std::vector<std::vector<double>> values;
    for (auto& [value, ys] : by_x[g]) {
      e.groups[g].at.push_back(value);
      values.push_back(std::move(ys));
    }
    e.groups[g].q = quantiles_of(values);
  }
  return e;
}

}  // namespace

std::string bot_label(const std::string& path) {
  if (path.empty()) return "(none)";
  std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? path : stem;
}

std::variant<std::vector<ParameterEffect>, std::string> read_effects(const ResultStore& store) {
  const StoredLayout& l = store.layout();
  auto points = read_points(store);
  if (auto* error = std::get_if<std::string>(&points)) return *error;
  auto runs = read_runs(store);
  if (auto* error = std::get_if<std::string>(&runs)) return *error;
  const auto& point_rows = std::get<std::map<std::uint64_t, PointRow>>(points);
  const auto& run_rows = std::get<std::vector<RunOutcomes>>(runs);
  std::vector<ParameterEffect> out;
  for (std::size_t j = 0; j < l.parameters.size(); ++j) {
    std::vector<std::string> categories;
    const auto x = x_of_points(point_rows, j, categories);
    const Split split = split_for(l, point_rows, j);
    for (std::size_t k = 0; k < l.outcomes.size(); ++k) {
      out.push_back(effect_of(l, j, k, run_rows, x, categories, split));
    }
  }
  return out;
}

}  // namespace leadtime::sweep

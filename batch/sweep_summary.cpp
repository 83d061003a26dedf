#include "batch/sweep_summary.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/text.h"

namespace leadtime::sweep {

double percentile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Stats stats_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  Stats s;
  s.n = values.size();
  if (values.empty()) {
    s.mean = s.p5 = s.p50 = s.p95 = std::nan("");
    return s;
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;  // ascending order: a fixed summation order, so the mean is reproducible
  s.mean = sum / static_cast<double>(values.size());
  s.p5 = percentile(values, 0.05);
  s.p50 = percentile(values, 0.50);
  s.p95 = percentile(values, 0.95);
  return s;
}

namespace {

// Closes a point's accumulated values into its summary.
void close_point(PointSummary& point, std::vector<std::vector<double>>& values, std::vector<PointSummary>& out) {
  for (std::vector<double>& v : values) {
    point.outcomes.push_back(stats_of(std::move(v)));
    v.clear();
  }
  out.push_back(std::move(point));
}

}  // namespace

std::string summary_cell(sqlite3_stmt* s, int column) {
  switch (sqlite3_column_type(s, column)) {
    case SQLITE_NULL:
      return "";
    case SQLITE_FLOAT:
      // Six significant digits: a sampled design's values are for reading
      // here; the file and the CSV keep them exactly.
      return format_number(sqlite3_column_double(s, column));
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(s, column));
    default:
      return sql::column_text(s, column);
  }
}

std::variant<std::vector<PointSummary>, std::string> summarize(const ResultStore& store) {
  const StoredLayout& l = store.layout();
  std::string text = "SELECT r.point";
  for (const std::string& p : l.parameters) text += ", p." + sql::identifier(p);
  for (const std::string& o : l.outcomes) text += ", r." + sql::identifier(o);
  text += " FROM runs r JOIN points p ON p.point = r.point ORDER BY r.point, r.run";
  sql::Statement statement;
  if (auto error = sql::prepare(store.db(), store.path(), text, statement, false)) return *error;
  sqlite3_stmt* s = statement.get();
  std::vector<PointSummary> out;
  PointSummary current;
  bool open = false;  // `current` holds a point's first runs
  std::vector<std::vector<double>> values(l.outcomes.size());
  const int first_outcome = 1 + static_cast<int>(l.parameters.size());
  while (sqlite3_step(s) == SQLITE_ROW) {
    const auto point = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
    if (open && current.point != point) {
      close_point(current, values, out);
      open = false;
    }
    if (!open) {
      current = PointSummary{};
      current.point = point;
      for (std::size_t j = 0; j < l.parameters.size(); ++j) {
        current.parameters.push_back(summary_cell(s, 1 + static_cast<int>(j)));
      }
      open = true;
    }
    current.runs += 1;
    for (std::size_t k = 0; k < l.outcomes.size(); ++k) {
      values[k].push_back(sql::column_real(s, first_outcome + static_cast<int>(k)));
    }
  }
  if (open) close_point(current, values, out);
  return out;
}

namespace {

std::string stat_text(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

using Row = std::vector<std::string>;

void print_rows(std::ostream& out, const std::vector<Row>& rows, std::size_t numeric_from) {
  std::vector<std::size_t> width;
  for (const Row& r : rows) {
    width.resize(std::max(width.size(), r.size()));
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::string pad(width[c] - r[c].size(), ' ');
      // Numbers align right, names left.
      line += (c == 0 ? "" : "  ") + (c >= numeric_from ? pad + r[c] : r[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

}  // namespace

void print_summary(std::ostream& out, const StoredLayout& layout, const std::vector<PointSummary>& points,
                   std::uint64_t runs_in_file, std::size_t max_points) {
  out << "summary of '" << layout.name << "': " << runs_in_file << " of " << layout.runs << " runs, " << points.size()
      << " of " << layout.points << " points\n";
  std::vector<Row> rows;
  Row header{"point"};
  for (const std::string& p : layout.parameters) header.push_back(p);
  for (const char* h : {"runs", "outcome", "mean", "p5", "p50", "p95"}) header.emplace_back(h);
  rows.push_back(header);
  const std::size_t shown = max_points == 0 ? points.size() : std::min(points.size(), max_points);
  for (std::size_t i = 0; i < shown; ++i) {
    const PointSummary& p = points[i];
    for (std::size_t k = 0; k < layout.outcomes.size(); ++k) {
      const bool first = k == 0;
      Row r{first ? std::to_string(p.point) : ""};
      for (const std::string& v : p.parameters) r.push_back(first ? v : "");
      r.push_back(first ? std::to_string(p.runs) : "");
      r.push_back(layout.outcomes[k]);
      const Stats& s = p.outcomes[k];
      for (double v : {s.mean, s.p5, s.p50, s.p95}) r.push_back(stat_text(v));
      rows.push_back(std::move(r));
    }
  }
  print_rows(out, rows, 3 + layout.parameters.size());
  if (shown < points.size()) {
    out << "... " << points.size() - shown
        << " more points (`leadtime-batch summary FILE --all` prints them; the runs table has every row)\n";
  }
}

}  // namespace leadtime::sweep

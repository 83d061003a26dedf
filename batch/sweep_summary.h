#pragma once

// The summary printed at the end of a sweep (and by `leadtime-batch summary`):
// per point, the mean and the 5th, 50th and 95th percentiles of each outcome
// over the point's runs in the file. Percentiles interpolate linearly between
// order statistics (Hyndman and Fan's type 7, the default of R and NumPy), so
// the figures can be checked against either.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "batch/sweep_store.h"

namespace leadtime::sweep {

// `sorted` ascending and non-empty; p in [0, 1].
double percentile(const std::vector<double>& sorted, double p);

struct Stats {
  std::uint64_t n = 0;  // runs with a value (a run that failed has none)
  double mean = 0;
  double p5 = 0;
  double p50 = 0;
  double p95 = 0;
};

// NaN values (runs without outcomes) are left out.
Stats stats_of(std::vector<double> values);

struct PointSummary {
  std::uint64_t point = 0;
  std::vector<std::string> parameters;  // as text, in the layout's order
  std::uint64_t runs = 0;
  std::vector<Stats> outcomes;  // in the layout's order
};

// A column's value as the summary and the report print it: numbers to six
// significant digits, NULL as "".
std::string summary_cell(sqlite3_stmt* statement, int column);

// Every point with at least one run in the file, in point order.
std::variant<std::vector<PointSummary>, std::string> summarize(const ResultStore& store);

// The table for people; at most `max_points` points (0: all), then a note
// saying how many more there are.
void print_summary(std::ostream& out, const StoredLayout& layout, const std::vector<PointSummary>& points,
                   std::uint64_t runs_in_file, std::size_t max_points);

}  // namespace leadtime::sweep

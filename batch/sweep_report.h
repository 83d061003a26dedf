#pragma once

// `leadtime-batch report RESULTS.db -o sweep.html`: a sweep's results as one
// self-contained HTML page (report/html.h, report/chart.h). Per point, a fan
// chart of the lead over rounds (p5 to p95, p25 to p75 and the median over
// the point's runs) when the file holds per-round rows (`series = true` in
// the spec); each outcome against each varied parameter (every run a dot,
// with the percentiles of the runs at each value); and the summary table.
// Percentiles are sweep_summary.h's (Hyndman and Fan type 7).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "batch/sweep_store.h"
#include "report/chart.h"

namespace leadtime::sweep {

// One fan: the percentiles of a per-round quantity over a set of runs.
struct Fan {
  std::uint64_t point = 0;
  std::vector<std::string> parameters;  // as text, in the layout's order
  std::uint64_t runs = 0;
  report::Quantiles q;  // one entry per round
};

struct SweepFans {
  std::string quantity;  // "lead_months" when recorded, else the first series quantity; "" without series
  std::vector<std::string> quarters;
  Fan all;                  // every run of the file
  std::vector<Fan> points;  // the first `max_points` points with runs
  std::uint64_t points_with_runs = 0;
};

std::variant<SweepFans, std::string> read_fans(const ResultStore& store, std::size_t max_points);

// The runs of one combination of the other varied factors: their dots and,
// per distinct value of the parameter (when there are few enough), the
// percentiles of their runs.
struct EffectGroup {
  std::string label;  // "bot.us us_hawk · smuggling_markup 1.5"; "" when nothing else varies
  std::vector<report::ScatterPoint> points;
  std::vector<double> at;
  report::Quantiles q;
};

// One outcome against one parameter, split by the other varied factors
// (one group per combination of their values), so a band is the spread of
// runs that differ only in seed, never a mixture of other settings.
// Factors with too many values to split by (a sampled design's) are pooled
// and named in `pooled`.
struct ParameterEffect {
  std::string parameter;
  std::string outcome;
  std::vector<std::string> categories;  // a bot choice: the bots, and x is their index
  std::vector<std::string> split_by;    // the other factors the groups are combinations of
  std::vector<std::string> pooled;      // the other factors left pooled
  std::vector<EffectGroup> groups;
};

// Up to this many distinct values a parameter gets per-value percentiles.
inline constexpr std::size_t kMaxSummarisedValues = 20;
// At most this many groups (combinations of the other factors) per chart.
inline constexpr std::size_t kMaxEffectGroups = 8;

std::variant<std::vector<ParameterEffect>, std::string> read_effects(const ResultStore& store);

// A bot file's name without its folder and extension ("us_hawk"); "(none)"
// for no bot.
std::string bot_label(const std::string& path);

struct SweepReportOptions {
  std::size_t max_points = 24;  // fan charts and summary rows
  std::string generated_by;
};

struct SweepPage {
  std::string html;
};
std::variant<SweepPage, std::string> sweep_report_html(const ResultStore& store, const SweepReportOptions& options);

// The page for a results file, written to `out`; the error names the file.
std::optional<std::string> write_sweep_report(const std::string& results, const std::string& out,
                                              const SweepReportOptions& options);

}  // namespace leadtime::sweep

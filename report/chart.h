#pragma once

// Charts as inline SVG, drawn here so a report needs nothing from the
// network: line charts over rounds (with shaded ranges, reference lines,
// vertical markers and fan ribbons), scatter plots with per-x percentile
// summaries, and an event timeline. Every chart carries its title, axis
// labels, tick labels and a legend as SVG text, and every data point a
// <title> the browser shows on hover.
//
// Charts over rounds share one horizontal geometry (kRoundLeft, kRoundRight
// and the width), so on a page the rounds of every chart and of the
// timeline sit in the same columns.
#include <optional>
#include <string>
#include <vector>

namespace leadtime::report {

inline constexpr int kRoundLeft = 124;  // room for the y axis, or the timeline's lane names
inline constexpr int kRoundRight = 28;
inline constexpr int kRoundWidth = 1000;

enum class Format { Number, Compact, Percent };

struct Axis {
  std::string label;
  std::optional<double> min;  // the range includes these; otherwise it fits the data
  std::optional<double> max;
  Format format = Format::Number;
  std::string unit;  // after values in tooltips, e.g. " months"
};

// Tick and tooltip text of a value on an axis.
std::string axis_text(const Axis& axis, double v, double step);
std::string value_text(const Axis& axis, double v);

// The x axis of a chart over rounds: round n sits at x = n (1-based).
struct RoundAxis {
  std::vector<std::string> labels;  // "R1", ...
  std::vector<std::string> subs;    // "2026Q3", ... (may be empty)
  std::string label = "round";
};

struct Series {
  std::string name;
  std::vector<double> y;  // one per round (or per x); NaN leaves a gap
  std::string color;
  bool dashed = false;
  bool dots = true;
  std::vector<std::string> tips;  // per point; empty: "name: value"
  bool in_legend = true;          // false: the chart's `keys` explain it instead
  double opacity = 1;             // below 1: a lighter line, e.g. a branch's parent
};

// A legend entry of its own, not tied to one series: "dashed: the parent".
struct LegendKey {
  std::string label;
  std::string color;
  bool dashed = false;
};

// A shaded area between two lines (a fan chart's percentile band).
struct Ribbon {
  std::string name;
  std::vector<double> lo;
  std::vector<double> hi;
  std::string color;
  double opacity = 0.2;
};

// A horizontal range shaded across the plot (the 12 to 24 month lead).
struct Band {
  double lo = 0;
  double hi = 0;
  std::string label;
  std::string color = "#0f766e";
};

struct RefLine {
  double y = 0;
  std::string label;
};

// A vertical line at an x value (a branch point).
struct Marker {
  double x = 0;
  std::string label;
};

struct RoundChart {
  std::string id;
  std::string title;
  std::string note;  // one line under the title
  RoundAxis x;
  Axis y;
  std::vector<Ribbon> ribbons;
  std::vector<Series> series;
  std::vector<Band> bands;
  std::vector<RefLine> refs;
  std::vector<Marker> markers;
  std::vector<LegendKey> keys;  // after the series' entries
  int width = kRoundWidth;
  int left = kRoundLeft;  // narrower charts in a grid may take less
  int plot_height = 230;
  // The y range fits the series and ribbons (and y.min/max) alone: a band
  // or reference line outside it is drawn where it overlaps the range, or
  // marked at the plot's edge with an arrow, instead of stretching the axis
  // (a 3 to 5 month lead is not squashed under a 12 to 24 month band).
  bool fit_to_data = false;
  // Non-empty: each round's column gets id="<prefix><round>", a target for
  // links into the page ("#round-3").
  std::string column_id_prefix;
};

std::string render(const RoundChart& chart);

// Percentiles per x, for fan charts and summaries.
struct Quantiles {
  std::vector<double> p5, p25, p50, p75, p95;
};

// A fan: p5-p95 and p25-p75 ribbons and the median line, in one colour.
void add_fan(RoundChart& chart, const std::string& name, const Quantiles& q, const std::string& color);

struct ScatterPoint {
  double x = 0;
  double y = 0;
  std::string tip;
};

// One group of a scatter chart's points (the runs of one combination of a
// sweep's other varied factors), in its own colour with its own summary.
struct ScatterGroup {
  std::string name;  // in the legend; "" for a chart of one group
  std::string color;
  std::vector<ScatterPoint> points;
  std::vector<double> at;
  Quantiles summary;
};

struct ScatterChart {
  std::string id;
  std::string title;
  std::string note;
  Axis x;
  Axis y;
  // Non-empty: x is the index of a category (0-based), labelled with these.
  std::vector<std::string> categories;
  std::vector<ScatterPoint> points;
  std::string color = "#1f5fbf";
  // Optional summary of the points at each x in `at`: percentile bands and
  // the median (boxes for categories).
  std::vector<double> at;
  Quantiles summary;
  // Non-empty: the points are these groups, each with its colour, median
  // and p25–p75 band (`points`, `color`, `at` and `summary` are unused).
  std::vector<ScatterGroup> groups;
  int width = 520;
  int plot_height = 250;
};

std::string render(const ScatterChart& chart);

struct Lane {
  std::string name;
  std::string color;
};

struct TimelineMark {
  int round = 1;  // 1-based
  int lane = 0;
  std::string tip;
};

// Events by kind (one lane each) over the same round columns as the charts;
// marks in one lane and round merge into one with a count.
struct Timeline {
  std::string id;
  std::string title;
  std::string note;
  RoundAxis x;
  std::vector<Lane> lanes;
  std::vector<TimelineMark> marks;
  std::vector<Marker> markers;
  int width = kRoundWidth;
};

std::string render(const Timeline& timeline);

// Evenly spaced "nice" ticks (steps of 1, 2 or 5 times a power of ten)
// covering [lo, hi]; exposed for the tests.
struct Ticks {
  double lo = 0;
  double hi = 1;
  double step = 1;
  std::vector<double> values;
};
Ticks nice_ticks(double lo, double hi, int target = 5);

}  // namespace leadtime::report

#pragma once

// What the chart kinds share: number formatting for SVG coordinates, the
// plot frame (data to pixels), the legend, the axes and the chart's title
// block. Internal to report/.
#include <string>
#include <vector>

#include "report/chart.h"

namespace leadtime::report::svg {

// A coordinate with two decimals at most: compact and exact enough.
std::string num(double v);

// The plot rectangle in pixels and the data range it shows.
struct Frame {
  double left = 0, top = 0, right = 0, bottom = 0;  // pixels
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;            // data
  [[nodiscard]] double px(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  [[nodiscard]] double py(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

enum class Swatch { Line, Dashed, Area, Dot, Box };

struct LegendItem {
  std::string label;
  std::string color;
  Swatch swatch = Swatch::Line;
  double opacity = 1;
};

// The title, note and legend rows from y = 0, returning the SVG and setting
// `height` to where the plot may begin.
std::string head(const std::string& title, const std::string& note, const std::vector<LegendItem>& legend, double left,
                 double width, double& height);

// Horizontal grid lines, tick labels and the rotated axis label.
std::string y_axis(const Frame& f, const Axis& axis, const Ticks& ticks);
// Tick labels (and second lines) at given x positions, and the axis label.
std::string x_axis(const Frame& f, const std::vector<double>& at, const std::vector<std::string>& labels,
                   const std::vector<std::string>& subs, const std::string& label);
// Height the x axis needs below the plot.
double x_axis_height(bool subs);

// "M x y L x y ..." through the finite points; NaN starts a new piece.
std::string polyline(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys);
// A closed area between lo and hi, split where either is NaN.
std::string area(const Frame& f, const std::vector<double>& xs, const std::vector<double>& lo,
                 const std::vector<double>& hi);

// The data range of everything drawn, widened by the axis's min/max.
Ticks value_ticks(const Axis& axis, std::vector<double> values);

// The opening <svg> tag and its <title>.
std::string open(const std::string& id, const std::string& title, double width, double height,
                 const std::string& css_class);

}  // namespace leadtime::report::svg

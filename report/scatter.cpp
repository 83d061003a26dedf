// Scatter plots of an outcome against a parameter, with the percentiles of
// the runs at each parameter value.
#include <algorithm>
#include <cmath>

#include "report/chart.h"
#include "report/html.h"
#include "report/svg.h"

namespace leadtime::report {

using svg::num;

namespace {

constexpr double kLeft = 74;
constexpr double kRight = 18;
// Beyond this many points a chart shows an even sample: the browser stays
// quick and the cloud looks the same.
constexpr std::size_t kMaxPoints = 3000;

bool has_summary(const ScatterChart& c) { return !c.at.empty() && c.summary.p50.size() == c.at.size(); }

std::vector<svg::LegendItem> legend_of(const ScatterChart& c) {
  std::vector<svg::LegendItem> out{{"runs", c.color, svg::Swatch::Dot, 0.5}};
  if (!has_summary(c)) return out;
  out.push_back({"median", "#14202e", svg::Swatch::Line, 1});
  if (c.categories.empty()) {
    out.push_back({"p25–p75", "#0f766e", svg::Swatch::Area, 0.3});
    out.push_back({"p5–p95", "#0f766e", svg::Swatch::Area, 0.12});
  } else {
    out.push_back({"p25–p75 box, p5–p95 whiskers", "#14202e", svg::Swatch::Box, 1});
  }
  return out;
}

// A fixed spread inside a category's column, so runs with one value stay
// visible side by side (the golden ratio spreads indices evenly).
double jitter(std::size_t i) {
  const double frac = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0);
  return (frac - 0.5) * 0.4;
}

std::string summary_tip(const ScatterChart& c, std::size_t i) {
  const double x = c.at[i];
  std::string where;
  if (!c.categories.empty()) {
    const auto k = static_cast<std::size_t>(std::lround(x));
    where = k < c.categories.size() ? c.categories[k] : num(x);
  } else {
    where = value_text(c.x, x);
  }
  const auto at = [&](const std::vector<double>& v) { return i < v.size() ? value_text(c.y, v[i]) : "–"; };
  return c.x.label + " " + where + " · median " + at(c.summary.p50) + "; p25–p75 " + at(c.summary.p25) + " to " +
         at(c.summary.p75) + "; p5–p95 " + at(c.summary.p5) + " to " + at(c.summary.p95);
}

std::string bands_numeric(const svg::Frame& f, const ScatterChart& c) {
  const Quantiles& q = c.summary;
  std::string out = "<g class=\"summary\">";
  out += "<path class=\"ribbon\" data-name=\"p5–p95\" d=\"" + svg::area(f, c.at, q.p5, q.p95) +
         "\" fill=\"#0f766e\" fill-opacity=\"0.1\"/>";
  out += "<path class=\"ribbon\" data-name=\"p25–p75\" d=\"" + svg::area(f, c.at, q.p25, q.p75) +
         "\" fill=\"#0f766e\" fill-opacity=\"0.22\"/>";
  out += "<path class=\"line\" data-name=\"median\" d=\"" + svg::polyline(f, c.at, q.p50) +
         "\" fill=\"none\" stroke=\"#14202e\" stroke-width=\"2.4\"/>";
  for (std::size_t i = 0; i < c.at.size(); ++i) {
    if (!std::isfinite(q.p50[i])) continue;
    out += "<circle class=\"dot median\" cx=\"" + num(f.px(c.at[i])) + "\" cy=\"" + num(f.py(q.p50[i])) +
           "\" r=\"3.5\" fill=\"#14202e\"><title>" + escape(summary_tip(c, i)) + "</title></circle>";
  }
  return out + "</g>";
}

std::string boxes(const svg::Frame& f, const ScatterChart& c) {
  const Quantiles& q = c.summary;
  const double half = (f.px(1) - f.px(0)) * 0.22;
  std::string out = "<g class=\"summary\">";
  for (std::size_t i = 0; i < c.at.size(); ++i) {
    if (!std::isfinite(q.p50[i])) continue;
    const double x = f.px(c.at[i]);
    out += "<g class=\"box\"><title>" + escape(summary_tip(c, i)) + "</title>";
    out += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.py(q.p5[i])) + "\" y2=\"" +
           num(f.py(q.p95[i])) + "\" stroke=\"#14202e\" stroke-width=\"1.5\"/>";
    out += "<rect x=\"" + num(x - half) + "\" y=\"" + num(f.py(q.p75[i])) + "\" width=\"" + num(2 * half) +
           "\" height=\"" + num(std::max(1.0, f.py(q.p25[i]) - f.py(q.p75[i]))) +
           "\" fill=\"#14202e\" fill-opacity=\"0.12\" stroke=\"#14202e\" stroke-width=\"1.2\"/>";
    out += "<line x1=\"" + num(x - half) + "\" x2=\"" + num(x + half) + "\" y1=\"" + num(f.py(q.p50[i])) + "\" y2=\"" +
           num(f.py(q.p50[i])) + "\" stroke=\"#14202e\" stroke-width=\"3\"/></g>";
  }
  return out + "</g>";
}

std::vector<double> y_values(const ScatterChart& c) {
  std::vector<double> v;
  for (const ScatterPoint& p : c.points) v.push_back(p.y);
  if (has_summary(c)) {
    for (const auto* list : {&c.summary.p5, &c.summary.p95}) v.insert(v.end(), list->begin(), list->end());
  }
  return v;
}

}  // namespace

std::string render(const ScatterChart& c) {
  const double width = c.width;
  const std::size_t stride = (c.points.size() + kMaxPoints - 1) / kMaxPoints;
  std::string note = c.note;
  if (stride > 1) {
    note += (note.empty() ? "" : " ") + std::string("(dots: 1 in ") + std::to_string(stride) + " of " +
            std::to_string(c.points.size()) + " runs)";
  }
  double head_height = 0;
  const std::string head = svg::head(c.title, note, legend_of(c), kLeft, width, head_height);
  svg::Frame f;
  f.left = kLeft;
  f.right = width - kRight;
  f.top = head_height + 8;
  f.bottom = f.top + c.plot_height;
  const Ticks yt = svg::value_ticks(c.y, y_values(c));
  f.y0 = yt.lo;
  f.y1 = yt.hi;
  std::vector<double> tick_at;
  std::vector<std::string> tick_labels;
  if (!c.categories.empty()) {
    f.x0 = -0.5;
    f.x1 = static_cast<double>(c.categories.size()) - 0.5;
    for (std::size_t i = 0; i < c.categories.size(); ++i) {
      tick_at.push_back(static_cast<double>(i));
      tick_labels.push_back(c.categories[i]);
    }
  } else {
    std::vector<double> xs;
    for (const ScatterPoint& p : c.points) xs.push_back(p.x);
    xs.insert(xs.end(), c.at.begin(), c.at.end());
    const Ticks xt = svg::value_ticks(c.x, xs);
    f.x0 = xt.lo;
    f.x1 = xt.hi;
    for (double v : xt.values) {
      tick_at.push_back(v);
      tick_labels.push_back(axis_text(c.x, v, xt.step));
    }
  }
  const double height = f.bottom + svg::x_axis_height(false);
  std::string out = "<figure class=\"chart scatter-chart\">" + svg::open(c.id, c.title, width, height, "chart-svg");
  out += head + svg::y_axis(f, c.y, yt);
  if (has_summary(c)) out += c.categories.empty() ? bands_numeric(f, c) : boxes(f, c);
  out += "<g class=\"points\">";
  const std::string color = escape(c.color);
  for (std::size_t i = 0; i < c.points.size(); i += std::max<std::size_t>(stride, 1)) {
    const ScatterPoint& p = c.points[i];
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    const double x = c.categories.empty() ? p.x : p.x + jitter(i);
    out += "<circle class=\"point\" cx=\"" + num(f.px(x)) + "\" cy=\"" + num(f.py(p.y)) + "\" r=\"3\" fill=\"" + color +
           "\" fill-opacity=\"0.45\">" + (p.tip.empty() ? "" : "<title>" + escape(p.tip) + "</title>") + "</circle>";
  }
  out += "</g>";
  out += svg::x_axis(f, tick_at, tick_labels, {}, c.x.label);
  return out + "</svg></figure>";
}

}  // namespace leadtime::report

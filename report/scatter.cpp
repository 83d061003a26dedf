// Scatter plots of an outcome against a parameter, with the percentiles of
// the runs at each parameter value; runs split into groups (the
// combinations of a sweep's other factors) get a colour, median and band
// each.
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
constexpr const char* kInk = "#14202e";
constexpr const char* kBand = "#0f766e";

bool has_summary(const ScatterGroup& g) { return !g.at.empty() && g.summary.p50.size() == g.at.size(); }

// The chart's points as groups: its own groups, or one made of its points.
std::vector<ScatterGroup> groups_of(const ScatterChart& c) {
  if (!c.groups.empty()) return c.groups;
  return {ScatterGroup{"", c.color, c.points, c.at, c.summary}};
}

bool single(const std::vector<ScatterGroup>& groups) { return groups.size() == 1 && groups[0].name.empty(); }

std::vector<svg::LegendItem> legend_of(const ScatterChart& c, const std::vector<ScatterGroup>& groups) {
  const bool summarised = std::any_of(groups.begin(), groups.end(), has_summary);
  if (single(groups)) {
    std::vector<svg::LegendItem> out{{"runs", groups[0].color, svg::Swatch::Dot, 0.5}};
    if (!summarised) return out;
    out.push_back({"median", kInk, svg::Swatch::Line, 1});
    if (c.categories.empty()) {
      out.push_back({"p25–p75", kBand, svg::Swatch::Area, 0.3});
      out.push_back({"p5–p95", kBand, svg::Swatch::Area, 0.12});
    } else {
      out.push_back({"p25–p75 box, p5–p95 whiskers", kInk, svg::Swatch::Box, 1});
    }
    return out;
  }
  std::vector<svg::LegendItem> out;
  for (const ScatterGroup& g : groups) out.push_back({g.name, g.color, svg::Swatch::Line, 1});
  if (summarised) {
    out.push_back(c.categories.empty()
                      ? svg::LegendItem{"each: runs, median line, p25–p75 band", kInk, svg::Swatch::Area, 0.15}
                      : svg::LegendItem{"each: p25–p75 box, p5–p95 whiskers", kInk, svg::Swatch::Box, 1});
  }
  return out;
}

// A fixed spread inside a category's column, so runs with one value stay
// visible side by side (the golden ratio spreads indices evenly); -0.5..0.5.
double jitter(std::size_t i) {
  const double frac = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0);
  return frac - 0.5;
}

std::string summary_tip(const ScatterChart& c, const ScatterGroup& g, std::size_t i) {
  const double x = g.at[i];
  std::string where;
  if (!c.categories.empty()) {
    const auto k = static_cast<std::size_t>(std::lround(x));
    where = k < c.categories.size() ? c.categories[k] : num(x);
  } else {
    where = value_text(c.x, x);
  }
  const auto at = [&](const std::vector<double>& v) { return i < v.size() ? value_text(c.y, v[i]) : "–"; };
  return (g.name.empty() ? "" : g.name + " · ") + c.x.label + " " + where + " · median " + at(g.summary.p50) +
         "; p25–p75 " + at(g.summary.p25) + " to " + at(g.summary.p75) + "; p5–p95 " + at(g.summary.p5) + " to " +
         at(g.summary.p95);
}

std::string group_attr(const ScatterGroup& g) {
  return g.name.empty() ? std::string() : " data-group=\"" + escape(g.name) + "\"";
}

// Bands and the median over a numeric x: one group in the chart's ink and
// teal with a p5–p95 band; several each in its colour, p25–p75 only.
std::string bands_numeric(const svg::Frame& f, const ScatterChart& c, const ScatterGroup& g, bool alone) {
  const Quantiles& q = g.summary;
  const std::string band = alone ? kBand : escape(g.color);
  const std::string ink = alone ? kInk : escape(g.color);
  std::string out = "<g class=\"summary\"" + group_attr(g) + ">";
  if (alone) {
    out += "<path class=\"ribbon\" data-name=\"p5–p95\" d=\"" + svg::area(f, g.at, q.p5, q.p95) + "\" fill=\"" + band +
           "\" fill-opacity=\"0.1\"/>";
  }
  out += "<path class=\"ribbon\" data-name=\"p25–p75\" d=\"" + svg::area(f, g.at, q.p25, q.p75) + "\" fill=\"" + band +
         "\" fill-opacity=\"" + (alone ? "0.22" : "0.14") + "\"/>";
  out += "<path class=\"line\" data-name=\"median\" d=\"" + svg::polyline(f, g.at, q.p50) +
         "\" fill=\"none\" stroke=\"" + ink + "\" stroke-width=\"2.4\"/>";
  for (std::size_t i = 0; i < g.at.size(); ++i) {
    if (!std::isfinite(q.p50[i])) continue;
    out += "<circle class=\"dot median\" cx=\"" + num(f.px(g.at[i])) + "\" cy=\"" + num(f.py(q.p50[i])) +
           "\" r=\"3.5\" fill=\"" + ink + "\"><title>" + escape(summary_tip(c, g, i)) + "</title></circle>";
  }
  return out + "</g>";
}

// Boxes over categories; a group's boxes sit in its slot of each column
// (`offset` from the column's centre, `slot` wide, in category units).
std::string boxes(const svg::Frame& f, const ScatterChart& c, const ScatterGroup& g, bool alone, double offset,
                  double slot) {
  const Quantiles& q = g.summary;
  const std::string ink = alone ? kInk : escape(g.color);
  const double half = (f.px(1) - f.px(0)) * slot * 0.55;
  std::string out = "<g class=\"summary\"" + group_attr(g) + ">";
  for (std::size_t i = 0; i < g.at.size(); ++i) {
    if (!std::isfinite(q.p50[i])) continue;
    const double x = f.px(g.at[i] + offset);
    out += "<g class=\"box\"><title>" + escape(summary_tip(c, g, i)) + "</title>";
    out += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.py(q.p5[i])) + "\" y2=\"" +
           num(f.py(q.p95[i])) + "\" stroke=\"" + ink + "\" stroke-width=\"1.5\"/>";
    out += "<rect x=\"" + num(x - half) + "\" y=\"" + num(f.py(q.p75[i])) + "\" width=\"" + num(2 * half) +
           "\" height=\"" + num(std::max(1.0, f.py(q.p25[i]) - f.py(q.p75[i]))) + "\" fill=\"" + ink +
           "\" fill-opacity=\"0.12\" stroke=\"" + ink + "\" stroke-width=\"1.2\"/>";
    out += "<line x1=\"" + num(x - half) + "\" x2=\"" + num(x + half) + "\" y1=\"" + num(f.py(q.p50[i])) + "\" y2=\"" +
           num(f.py(q.p50[i])) + "\" stroke=\"" + ink + "\" stroke-width=\"3\"/></g>";
  }
  return out + "</g>";
}

std::vector<double> y_values(const std::vector<ScatterGroup>& groups) {
  std::vector<double> v;
  for (const ScatterGroup& g : groups) {
    for (const ScatterPoint& p : g.points) v.push_back(p.y);
    if (has_summary(g)) {
      for (const auto* list : {&g.summary.p5, &g.summary.p95}) v.insert(v.end(), list->begin(), list->end());
    }
  }
  return v;
}

}  // namespace

std::string render(const ScatterChart& c) {
  const std::vector<ScatterGroup> groups = groups_of(c);
  const bool alone = single(groups);
  const double width = c.width;
  std::size_t total = 0;
  for (const ScatterGroup& g : groups) total += g.points.size();
  const std::size_t stride = std::max<std::size_t>(1, (total + kMaxPoints - 1) / kMaxPoints);
  std::string note = c.note;
  if (stride > 1) {
    note += (note.empty() ? "" : " ") + std::string("(dots: 1 in ") + std::to_string(stride) + " of " +
            std::to_string(total) + " runs)";
  }
  double head_height = 0;
  const std::string head = svg::head(c.title, note, legend_of(c, groups), kLeft, width, head_height);
  svg::Frame f;
  f.left = kLeft;
  f.right = width - kRight;
  f.top = head_height + 8;
  f.bottom = f.top + c.plot_height;
  const Ticks yt = svg::value_ticks(c.y, y_values(groups));
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
    for (const ScatterGroup& g : groups) {
      for (const ScatterPoint& p : g.points) xs.push_back(p.x);
      xs.insert(xs.end(), g.at.begin(), g.at.end());
    }
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
  // Over categories each group has a slot of the column (0.8 of it shared).
  const double slot = 0.8 / static_cast<double>(groups.size());
  const auto offset = [&](std::size_t g) {
    return groups.size() == 1 ? 0.0 : -0.4 + slot * (static_cast<double>(g) + 0.5);
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!has_summary(groups[g])) continue;
    out += c.categories.empty() ? bands_numeric(f, c, groups[g], alone)
                                : boxes(f, c, groups[g], alone, offset(g), std::min(slot, 0.4));
  }
  out += "<g class=\"points\">";
  std::size_t index = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string color = escape(groups[g].color);
    for (const ScatterPoint& p : groups[g].points) {
      const std::size_t i = index++;
      if (i % stride != 0 || !std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      const double x = c.categories.empty() ? p.x : p.x + offset(g) + jitter(i) * std::min(slot, 0.4);
      out += "<circle class=\"point\"" + group_attr(groups[g]) + " cx=\"" + num(f.px(x)) + "\" cy=\"" + num(f.py(p.y)) +
             "\" r=\"3\" fill=\"" + color + "\" fill-opacity=\"0.45\">" +
             (p.tip.empty() ? "" : "<title>" + escape(p.tip) + "</title>") + "</circle>";
    }
  }
  out += "</g>";
  out += svg::x_axis(f, tick_at, tick_labels, {}, c.x.label);
  return out + "</svg></figure>";
}

}  // namespace leadtime::report

// Line and fan charts over rounds.
#include <algorithm>
#include <cmath>

#include "report/chart.h"
#include "report/html.h"
#include "report/svg.h"

namespace leadtime::report {

using svg::num;

namespace {

std::vector<svg::LegendItem> legend_of(const RoundChart& c) {
  std::vector<svg::LegendItem> out;
  for (const Ribbon& r : c.ribbons) {
    if (!r.name.empty()) out.push_back({r.name, r.color, svg::Swatch::Area, r.opacity});
  }
  for (const Series& s : c.series) {
    if (!s.name.empty() && s.in_legend) {
      out.push_back({s.name, s.color, s.dashed ? svg::Swatch::Dashed : svg::Swatch::Line, s.opacity});
    }
  }
  for (const LegendKey& k : c.keys)
    out.push_back({k.label, k.color, k.dashed ? svg::Swatch::Dashed : svg::Swatch::Line, 1});
  for (const Band& b : c.bands) out.push_back({b.label, b.color, svg::Swatch::Area, 0.16});
  return out;
}

std::vector<double> data_values(const RoundChart& c) {
  std::vector<double> v;
  for (const Series& s : c.series) v.insert(v.end(), s.y.begin(), s.y.end());
  for (const Ribbon& r : c.ribbons) {
    v.insert(v.end(), r.lo.begin(), r.lo.end());
    v.insert(v.end(), r.hi.begin(), r.hi.end());
  }
  return v;
}

// The y ticks. By default the range holds bands and reference lines too;
// fitted to the data, it is padded so no point sits on the frame, with
// room at an edge where a band or line off the range is noted.
Ticks y_ticks(const RoundChart& c) {
  std::vector<double> v = data_values(c);
  if (!c.fit_to_data) {
    for (const Band& b : c.bands) v.insert(v.end(), {b.lo, b.hi});
    for (const RefLine& r : c.refs) v.push_back(r.y);
    return svg::value_ticks(c.y, std::move(v));
  }
  double lo = INFINITY;
  double hi = -INFINITY;
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (!std::isfinite(lo)) return svg::value_ticks(c.y, {});
  const double span = hi > lo ? hi - lo : std::max(1.0, std::fabs(hi) * 0.1);
  int above = 0;
  int below = 0;
  for (const Band& b : c.bands) {
    above += std::min(b.lo, b.hi) > hi ? 1 : 0;
    below += std::max(b.lo, b.hi) < lo ? 1 : 0;
  }
  for (const RefLine& r : c.refs) {
    above += r.y > hi ? 1 : 0;
    below += r.y < lo ? 1 : 0;
  }
  return svg::value_ticks(c.y, {lo - span * (0.06 + 0.1 * below), hi + span * (0.06 + 0.1 * above)});
}

// Transparent columns, one per round, that the page's script lights up.
std::string round_columns(const svg::Frame& f, std::size_t rounds, const std::string& id_prefix) {
  std::string out = "<g class=\"cols\">";
  for (std::size_t i = 0; i < rounds; ++i) {
    const double x0 = f.px(static_cast<double>(i) + 0.5);
    const double x1 = f.px(static_cast<double>(i) + 1.5);
    const std::string round = std::to_string(i + 1);
    out += "<rect class=\"col\"" + (id_prefix.empty() ? "" : " id=\"" + escape(id_prefix) + round + "\"") +
           " data-round=\"" + round + "\" x=\"" + num(x0) + "\" y=\"" + num(f.top) + "\" width=\"" + num(x1 - x0) +
           "\" height=\"" + num(f.bottom - f.top) + "\"/>";
  }
  return out + "</g>";
}

// A band or line off the plotted range, noted at the edge it lies beyond.
struct OffRange {
  bool above = false;
  std::string text;
  std::string color;
};

std::string off_range_notes(const svg::Frame& f, const std::vector<OffRange>& notes) {
  std::string out;
  int stacked[2] = {0, 0};
  for (const OffRange& n : notes) {
    const int depth = stacked[n.above ? 1 : 0]++;
    const double edge = n.above ? f.top : f.bottom;
    out += "<g class=\"off-range\" data-side=\"" + std::string(n.above ? "above" : "below") + "\">";
    if (depth == 0) {
      out += "<rect x=\"" + num(f.left) + "\" y=\"" + num(n.above ? edge : edge - 4) + "\" width=\"" +
             num(f.right - f.left) + "\" height=\"4\" fill=\"" + escape(n.color) + "\" fill-opacity=\"0.45\"/>";
    }
    const double y = n.above ? edge + 17 + 15 * depth : edge - 9 - 15 * depth;
    out += "<text class=\"off-range-label\" x=\"" + num(f.right - 6) + "\" y=\"" + num(y) + "\" text-anchor=\"end\">" +
           escape(std::string(n.above ? "▲ above this range: " : "▼ below this range: ") + n.text) + "</text></g>";
  }
  return out;
}

// Bands clipped to the plotted range; one wholly outside it is noted at the edge.
std::string bands(const svg::Frame& f, const std::vector<Band>& list, std::vector<OffRange>& off) {
  std::string out;
  for (const Band& b : list) {
    const double band_lo = std::min(b.lo, b.hi);
    const double band_hi = std::max(b.lo, b.hi);
    if (band_lo > f.y1 || band_hi < f.y0) {
      off.push_back({band_lo > f.y1, b.label, b.color});
      continue;
    }
    const double top = f.py(std::min(band_hi, f.y1));
    const double bottom = f.py(std::max(band_lo, f.y0));
    const std::string color = escape(b.color);
    out += "<g class=\"band-group\"><rect class=\"band\" x=\"" + num(f.left) + "\" y=\"" + num(top) + "\" width=\"" +
           num(f.right - f.left) + "\" height=\"" + num(bottom - top) + "\" fill=\"" + color +
           "\" fill-opacity=\"0.09\"/>";
    // Dashed edges keep the range readable under fan ribbons of another
    // colour; an edge past the plotted range is not drawn.
    for (const double v : {band_hi, band_lo}) {
      if (v > f.y1 || v < f.y0) continue;
      const double y = f.py(v);
      out += "<line class=\"band-edge\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.right) + "\" y1=\"" + num(y) +
             "\" y2=\"" + num(y) + "\" stroke=\"" + color + "\" stroke-opacity=\"0.55\" stroke-dasharray=\"2 3\"/>";
    }
    const bool room = bottom - top >= 18;
    out += "<text class=\"band-label\" x=\"" + num(f.right - 6) + "\" y=\"" + num(room ? top + 14 : top - 4) +
           "\" text-anchor=\"end\">" + escape(b.label) + "</text></g>";
  }
  return out;
}

std::string refs(const svg::Frame& f, const Axis& axis, const std::vector<RefLine>& list, std::vector<OffRange>& off) {
  std::string out;
  for (const RefLine& r : list) {
    if (r.y > f.y1 || r.y < f.y0) {
      off.push_back({r.y > f.y1, r.label + " (" + value_text(axis, r.y) + ")", "#7b8794"});
      continue;
    }
    const double y = f.py(r.y);
    out += "<g class=\"ref-group\"><line class=\"ref\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.right) + "\" y1=\"" +
           num(y) + "\" y2=\"" + num(y) + "\" stroke=\"#7b8794\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>";
    out += "<text class=\"ref-label\" x=\"" + num(f.left + 6) + "\" y=\"" + num(y - 5) + "\">" + escape(r.label) +
           "</text></g>";
  }
  return out;
}

std::string markers(const svg::Frame& f, const std::vector<Marker>& list) {
  std::string out;
  for (const Marker& m : list) {
    const double x = f.px(m.x);
    const bool near_right = x > f.right - 160;
    out += "<g class=\"marker-group\"><line class=\"marker\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" +
           num(f.top - 16) + "\" y2=\"" + num(f.bottom) + "\" stroke=\"#3e4c59\" stroke-width=\"1.5\" " +
           "stroke-dasharray=\"3 3\"/>";
    out += "<text class=\"marker-label\" x=\"" + num(near_right ? x - 5 : x + 5) + "\" y=\"" + num(f.top - 5) +
           "\" text-anchor=\"" + (near_right ? "end" : "start") + "\">" + escape(m.label) + "</text></g>";
  }
  return out;
}

std::string default_tip(const RoundChart& c, const Series& s, std::size_t i) {
  std::string where = i < c.x.labels.size() ? c.x.labels[i] : "R" + std::to_string(i + 1);
  if (i < c.x.subs.size() && !c.x.subs[i].empty()) where += " (" + c.x.subs[i] + ")";
  return where + " · " + s.name + ": " + value_text(c.y, s.y[i]);
}

std::string series_svg(const svg::Frame& f, const RoundChart& c, const Series& s, const std::vector<double>& xs) {
  const std::string color = escape(s.color);
  const std::string opacity = s.opacity < 1 ? " opacity=\"" + num(s.opacity) + "\"" : "";
  std::string out = "<g class=\"series\" data-name=\"" + escape(s.name) + "\">";
  out += "<path class=\"line\"" + opacity + " d=\"" + svg::polyline(f, xs, s.y) + "\" fill=\"none\" stroke=\"" + color +
         "\" stroke-width=\"" + (s.dashed ? "2.2" : "2.6") + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
         (s.dashed ? " stroke-dasharray=\"7 5\"" : "") + "/>";
  if (s.dots) {
    for (std::size_t i = 0; i < s.y.size() && i < xs.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const std::string tip = i < s.tips.size() && !s.tips[i].empty() ? s.tips[i] : default_tip(c, s, i);
      out += "<circle class=\"dot\"" + opacity + " data-round=\"" + std::to_string(i + 1) + "\" cx=\"" +
             num(f.px(xs[i])) + "\" cy=\"" + num(f.py(s.y[i])) + "\" r=\"4\" fill=\"" +
             (s.dashed ? std::string("#ffffff") : color) + "\" stroke=\"" + color + "\" stroke-width=\"1.8\"><title>" +
             escape(tip) + "</title></circle>";
    }
  }
  return out + "</g>";
}

}  // namespace

std::string render(const RoundChart& c) {
  const double width = c.width;
  double head_height = 0;
  const std::string head = svg::head(c.title, c.note, legend_of(c), c.left, width, head_height);
  const std::size_t rounds = c.x.labels.size();
  svg::Frame f;
  f.left = c.left;
  f.right = width - kRoundRight;
  // Marker labels sit in a strip above the plot, clear of lines and labels inside it.
  f.top = head_height + 8 + (c.markers.empty() ? 0 : 16);
  f.bottom = f.top + c.plot_height;
  f.x0 = 0.5;
  f.x1 = static_cast<double>(std::max<std::size_t>(rounds, 1)) + 0.5;
  const Ticks ticks = y_ticks(c);
  f.y0 = ticks.lo;
  f.y1 = ticks.hi;
  const double height = f.bottom + svg::x_axis_height(!c.x.subs.empty());

  std::vector<double> xs(rounds);
  for (std::size_t i = 0; i < rounds; ++i) xs[i] = static_cast<double>(i + 1);

  std::string out = "<figure class=\"chart round-chart\">" + svg::open(c.id, c.title, width, height, "chart-svg");
  out += head;
  out += round_columns(f, rounds, c.column_id_prefix);
  std::vector<OffRange> off;
  out += bands(f, c.bands, off);
  out += svg::y_axis(f, c.y, ticks);
  for (const Ribbon& r : c.ribbons) {
    out += "<path class=\"ribbon\" data-name=\"" + escape(r.name) + "\" d=\"" + svg::area(f, xs, r.lo, r.hi) +
           "\" fill=\"" + escape(r.color) + "\" fill-opacity=\"" + num(r.opacity) + "\"/>";
  }
  out += refs(f, c.y, c.refs, off);
  out += markers(f, c.markers);
  // Dashed lines (a branch's parent) under solid ones: where the two games
  // share rounds, the solid line shows.
  for (const bool dashed : {true, false}) {
    for (const Series& s : c.series) {
      if (s.dashed == dashed) out += series_svg(f, c, s, xs);
    }
  }
  out += off_range_notes(f, off);
  out += svg::x_axis(f, xs, c.x.labels, c.x.subs, c.x.label);
  if (rounds == 0) {
    out += "<text class=\"chart-note\" x=\"" + num((f.left + f.right) / 2) + "\" y=\"" + num((f.top + f.bottom) / 2) +
           "\" text-anchor=\"middle\">No rounds resolved yet</text>";
  }
  return out + "</svg></figure>";
}

void add_fan(RoundChart& chart, const std::string& name, const Quantiles& q, const std::string& color) {
  const std::string prefix = name.empty() ? "" : name + " ";
  chart.ribbons.push_back({prefix + "p5–p95", q.p5, q.p95, color, 0.14});
  chart.ribbons.push_back({prefix + "p25–p75", q.p25, q.p75, color, 0.3});
  Series median{prefix + "median", q.p50, color, false, true, {}};
  for (std::size_t i = 0; i < q.p50.size(); ++i) {
    std::string where = i < chart.x.labels.size() ? chart.x.labels[i] : "R" + std::to_string(i + 1);
    if (i < chart.x.subs.size() && !chart.x.subs[i].empty()) where += " (" + chart.x.subs[i] + ")";
    const auto at = [&](const std::vector<double>& v) { return i < v.size() ? value_text(chart.y, v[i]) : "–"; };
    median.tips.push_back(where + " · median " + at(q.p50) + "; p25–p75 " + at(q.p25) + " to " + at(q.p75) +
                          "; p5–p95 " + at(q.p5) + " to " + at(q.p95));
  }
  chart.series.push_back(std::move(median));
}

}  // namespace leadtime::report

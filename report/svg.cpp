#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/html.h"

namespace leadtime::report {

namespace {

// Decimals that show every tick of this step exactly (0.25 -> 2).
int decimals_for(double step) {
  int d = 0;
  double scaled = std::fabs(step);
  while (d < 6 && std::fabs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, scaled)) {
    scaled *= 10;
    ++d;
  }
  return d;
}

std::string without_trailing_zeros(std::string s) {
  if (s.find('.') == std::string::npos || s.find('e') != std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string axis_text(const Axis& axis, double v, double step) {
  switch (axis.format) {
    case Format::Compact:
      return compact(v);
    case Format::Percent:
      return percent(v, decimals_for(step * 100));
    case Format::Number:
      break;
  }
  return fixed(v, decimals_for(step));
}

std::string value_text(const Axis& axis, double v) {
  switch (axis.format) {
    case Format::Compact:
      return compact(v) + axis.unit;
    case Format::Percent:
      return percent(v, 1);
    case Format::Number:
      break;
  }
  return without_trailing_zeros(significant(v, 3)) + axis.unit;
}

Ticks nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  Ticks t;
  t.step = step;
  t.lo = std::floor(lo / step + 1e-9) * step;
  t.hi = std::ceil(hi / step - 1e-9) * step;
  const int n = static_cast<int>(std::lround((t.hi - t.lo) / step));
  for (int i = 0; i <= n; ++i) {
    double v = std::round((t.lo + i * step) / step) * step;
    if (std::fabs(v) < step * 1e-9) v = 0;  // no "-0"
    t.values.push_back(v);
  }
  return t;
}

namespace svg {

std::string num(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return without_trailing_zeros(buf);
}

namespace {

constexpr double kLegendRow = 21;
constexpr double kSwatchWidth = 24;

// About the advance of 12.5 px system-ui text per character; a legend
// that wraps a little early is fine, one that overruns is not.
double text_width(const std::string& text) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  return 7.0 * static_cast<double>(chars);
}

// Squeezes a line of text into `room` pixels when it would not fit (at
// about `advance` pixels a character), rather than letting the SVG clip it.
std::string fit(const std::string& text, double advance, double room) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  if (advance * static_cast<double>(chars) <= room) return {};
  return " textLength=\"" + num(room) + "\" lengthAdjust=\"spacingAndGlyphs\"";
}

std::string swatch(const LegendItem& item, double x, double baseline) {
  const std::string color = escape(item.color);
  const double mid = baseline - 4.5;
  switch (item.swatch) {
    case Swatch::Line:
    case Swatch::Dashed:
      return "<line x1=\"" + num(x) + "\" y1=\"" + num(mid) + "\" x2=\"" + num(x + kSwatchWidth) + "\" y2=\"" +
             num(mid) + "\" stroke=\"" + color + "\" stroke-width=\"3\"" +
             (item.swatch == Swatch::Dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    case Swatch::Area:
      return "<rect x=\"" + num(x) + "\" y=\"" + num(mid - 6) + "\" width=\"" + num(kSwatchWidth) +
             "\" height=\"12\" fill=\"" + color + "\" fill-opacity=\"" + num(item.opacity) + "\"/>";
    case Swatch::Dot:
      return "<circle cx=\"" + num(x + kSwatchWidth / 2) + "\" cy=\"" + num(mid) + "\" r=\"4\" fill=\"" + color +
             "\" fill-opacity=\"" + num(item.opacity) + "\"/>";
    case Swatch::Box:
      return "<rect x=\"" + num(x + 4) + "\" y=\"" + num(mid - 6) + "\" width=\"" + num(kSwatchWidth - 8) +
             "\" height=\"12\" fill=\"" + color + "\" fill-opacity=\"0.3\" stroke=\"" + color + "\"/>";
  }
  return {};
}

}  // namespace

std::string head(const std::string& title, const std::string& note, const std::vector<LegendItem>& legend, double left,
                 double width, double& height) {
  std::string out = "<text class=\"chart-title\" x=\"" + num(left) + "\" y=\"22\"" + fit(title, 9.2, width - left - 8) +
                    ">" + escape(title) + "</text>";
  double baseline = 22;
  if (!note.empty()) {
    baseline += 18;
    out += "<text class=\"chart-note\" x=\"" + num(left) + "\" y=\"" + num(baseline) + "\"" +
           fit(note, 6.4, width - left - 8) + ">" + escape(note) + "</text>";
  }
  if (!legend.empty()) {
    baseline += 24;
    out += "<g class=\"legend\">";
    double x = left;
    for (const LegendItem& item : legend) {
      const double w = kSwatchWidth + 6 + text_width(item.label) + 18;
      if (x > left && x + w > width - 8) {
        x = left;
        baseline += kLegendRow;
      }
      out += "<g class=\"legend-item\">" + swatch(item, x, baseline) + "<text class=\"legend-label\" x=\"" +
             num(x + kSwatchWidth + 6) + "\" y=\"" + num(baseline) + "\">" + escape(item.label) + "</text></g>";
      x += w;
    }
    out += "</g>";
  }
  height = baseline + 16;
  return out;
}

std::string y_axis(const Frame& f, const Axis& axis, const Ticks& ticks) {
  std::string out = "<g class=\"axis y-axis\">";
  for (double v : ticks.values) {
    const double y = f.py(v);
    out += "<line class=\"grid\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.right) + "\" y1=\"" + num(y) + "\" y2=\"" +
           num(y) + "\"/>";
    out += "<text class=\"tick-label\" x=\"" + num(f.left - 8) + "\" y=\"" + num(y) +
           "\" dy=\"0.32em\" text-anchor=\"end\">" + escape(axis_text(axis, v, ticks.step)) + "</text>";
  }
  out += "<line class=\"axis-line\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.left) + "\" y1=\"" + num(f.top) +
         "\" y2=\"" + num(f.bottom) + "\"/>";
  if (!axis.label.empty()) {
    const double cy = (f.top + f.bottom) / 2;
    out += "<text class=\"axis-label\" transform=\"translate(" + num(18) + " " + num(cy) +
           ") rotate(-90)\" text-anchor=\"middle\">" + escape(axis.label) + "</text>";
  }
  return out + "</g>";
}

double x_axis_height(bool subs) { return subs ? 62 : 46; }

std::string x_axis(const Frame& f, const std::vector<double>& at, const std::vector<std::string>& labels,
                   const std::vector<std::string>& subs, const std::string& label) {
  std::string out = "<g class=\"axis x-axis\">";
  out += "<line class=\"axis-line\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.right) + "\" y1=\"" + num(f.bottom) +
         "\" y2=\"" + num(f.bottom) + "\"/>";
  for (std::size_t i = 0; i < at.size() && i < labels.size(); ++i) {
    const double x = f.px(at[i]);
    out += "<line class=\"axis-line\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.bottom) + "\" y2=\"" +
           num(f.bottom + 5) + "\"/>";
    out += "<text class=\"tick-label\" x=\"" + num(x) + "\" y=\"" + num(f.bottom + 19) + "\" text-anchor=\"middle\">" +
           escape(labels[i]) + "</text>";
    if (i < subs.size() && !subs[i].empty()) {
      out += "<text class=\"tick-sub\" x=\"" + num(x) + "\" y=\"" + num(f.bottom + 33) + "\" text-anchor=\"middle\">" +
             escape(subs[i]) + "</text>";
    }
  }
  if (!label.empty()) {
    out += "<text class=\"axis-label\" x=\"" + num((f.left + f.right) / 2) + "\" y=\"" +
           num(f.bottom + x_axis_height(!subs.empty()) - 8) + "\" text-anchor=\"middle\">" + escape(label) + "</text>";
  }
  return out + "</g>";
}

std::string polyline(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys) {
  std::string d;
  bool pen = false;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (!std::isfinite(ys[i])) {
      pen = false;
      continue;
    }
    d += (pen ? "L" : (d.empty() ? "M" : " M")) + num(f.px(xs[i])) + " " + num(f.py(ys[i]));
    pen = true;
  }
  return d;
}

std::string area(const Frame& f, const std::vector<double>& xs, const std::vector<double>& lo,
                 const std::vector<double>& hi) {
  std::string d;
  const std::size_t n = std::min({xs.size(), lo.size(), hi.size()});
  std::size_t i = 0;
  while (i < n) {
    while (i < n && !(std::isfinite(lo[i]) && std::isfinite(hi[i]))) ++i;
    const std::size_t first = i;
    while (i < n && std::isfinite(lo[i]) && std::isfinite(hi[i])) ++i;
    if (i == first) break;
    for (std::size_t k = first; k < i; ++k) d += (k == first ? "M" : "L") + num(f.px(xs[k])) + " " + num(f.py(hi[k]));
    for (std::size_t k = i; k-- > first;) d += "L" + num(f.px(xs[k])) + " " + num(f.py(lo[k]));
    d += "Z";
  }
  return d;
}

Ticks value_ticks(const Axis& axis, std::vector<double> values) {
  if (axis.min) values.push_back(*axis.min);
  if (axis.max) values.push_back(*axis.max);
  double lo = INFINITY;
  double hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  return nice_ticks(lo, hi);
}

std::string open(const std::string& id, const std::string& title, double width, double height,
                 const std::string& css_class) {
  const std::string title_id = escape(id) + "-title";
  return "<svg class=\"" + escape(css_class) + "\" id=\"" + escape(id) + "\" viewBox=\"0 0 " + num(width) + " " +
         num(height) + "\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" role=\"img\" aria-labelledby=\"" + title_id + "\"><title id=\"" + title_id + "\">" + escape(title) +
         "</title>";
}

}  // namespace svg
}  // namespace leadtime::report

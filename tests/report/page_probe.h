#pragma once

// Reading a report page back the way a test needs it: the SVG charts by id,
// their text elements by class, a series' points by name. Plain string
// scanning over the page the report wrote (it writes one element per tag,
// attributes in double quotes), not a general HTML parser.
#include <cstdlib>
#include <string>
#include <vector>

namespace leadtime::testing {

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Every <svg ...>...</svg> of the page.
inline std::vector<std::string> svgs(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 4)) {
    const std::size_t end = html.find("</svg>", at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at, end + 6 - at));
  }
  return out;
}

inline std::string svg_by_id(const std::string& html, const std::string& id) {
  for (const std::string& s : svgs(html)) {
    if (s.find("id=\"" + id + "\"") < s.find('>')) return s;
  }
  return {};
}

// The value of attribute `name` in the first tag of `element`.
inline std::string attribute(const std::string& element, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t at = element.find(key);
  if (at == std::string::npos || at > element.find('>')) return {};
  const std::size_t from = at + key.size();
  return element.substr(from, element.find('"', from) - from);
}

// The contents of every <tag ...>...</tag> whose opening tag contains `marker`.
inline std::vector<std::string> inner_of(const std::string& text, const std::string& tag, const std::string& marker) {
  std::vector<std::string> out;
  const std::string open = "<" + tag;
  const std::string close = "</" + tag + ">";
  for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at + open.size())) {
    const std::size_t head_end = text.find('>', at);
    if (head_end == std::string::npos) break;
    if (text.substr(at, head_end - at).find(marker) == std::string::npos) continue;
    const std::size_t end = text.find(close, head_end);
    if (end == std::string::npos) break;
    out.push_back(text.substr(head_end + 1, end - head_end - 1));
  }
  return out;
}

inline std::vector<std::string> texts_of_class(const std::string& svg, const std::string& css_class) {
  return inner_of(svg, "text", "class=\"" + css_class + "\"");
}

// The <g class="series" data-name="NAME"> group of a chart.
inline std::string series_group(const std::string& svg, const std::string& name) {
  const std::string head = "<g class=\"series\" data-name=\"" + name + "\">";
  const std::size_t at = svg.find(head);
  if (at == std::string::npos) return {};
  return svg.substr(at, svg.find("</g>", at) + 4 - at);
}

// The tooltips of a series' points, in round order.
inline std::vector<std::string> point_tips(const std::string& svg, const std::string& series) {
  return inner_of(series_group(svg, series), "title", "");
}

// The number after the last ": " of a tooltip ("R3 (2027Q1) · lead: 14.2 months" -> 14.2),
// with the compact suffixes read back ("31.3M H100e" -> 3.13e7).
inline double tip_value(const std::string& tip) {
  const std::size_t at = tip.rfind(": ");
  if (at == std::string::npos) return 0;
  char* end = nullptr;
  const double v = std::strtod(tip.c_str() + at + 2, &end);
  switch (*end) {
    case 'k':
      return v * 1e3;
    case 'M':
      return v * 1e6;
    case 'G':
      return v * 1e9;
    default:
      return v;
  }
}

}  // namespace leadtime::testing

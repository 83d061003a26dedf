// The event timeline: one lane per kind of event, in the round columns the
// line charts use, so an event sits under the point where its effect shows.
#include <map>

#include "report/chart.h"
#include "report/html.h"
#include "report/svg.h"

namespace leadtime::report {

using svg::num;

namespace {

constexpr double kLane = 32;

std::string lanes_svg(const svg::Frame& f, const std::vector<Lane>& lanes) {
  std::string out = "<g class=\"lanes\">";
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const double mid = f.top + (static_cast<double>(i) + 0.5) * kLane;
    const double bottom = f.top + static_cast<double>(i + 1) * kLane;
    out += "<line class=\"grid\" x1=\"" + num(f.left) + "\" x2=\"" + num(f.right) + "\" y1=\"" + num(bottom) +
           "\" y2=\"" + num(bottom) + "\"/>";
    out += "<text class=\"lane-label\" x=\"" + num(f.left - 10) + "\" y=\"" + num(mid) +
           "\" dy=\"0.32em\" text-anchor=\"end\">" + escape(lanes[i].name) + "</text>";
  }
  return out + "</g>";
}

std::string columns_svg(const svg::Frame& f, std::size_t rounds) {
  std::string out = "<g class=\"cols\">";
  for (std::size_t i = 0; i < rounds; ++i) {
    const double x0 = f.px(static_cast<double>(i) + 0.5);
    const double x1 = f.px(static_cast<double>(i) + 1.5);
    out += "<rect class=\"col\" data-round=\"" + std::to_string(i + 1) + "\" x=\"" + num(x0) + "\" y=\"" + num(f.top) +
           "\" width=\"" + num(x1 - x0) + "\" height=\"" + num(f.bottom - f.top) + "\"/>";
    if (i > 0) {
      out += "<line class=\"grid\" x1=\"" + num(x0) + "\" x2=\"" + num(x0) + "\" y1=\"" + num(f.top) + "\" y2=\"" +
             num(f.bottom) + "\"/>";
    }
  }
  return out + "</g>";
}

std::string marks_svg(const svg::Frame& f, const Timeline& t) {
  // Marks of one lane and round merge: one circle, its count, all the tips.
  std::map<std::pair<int, int>, std::vector<const TimelineMark*>> cells;
  for (const TimelineMark& m : t.marks) {
    if (m.lane < 0 || static_cast<std::size_t>(m.lane) >= t.lanes.size()) continue;
    cells[{m.lane, m.round}].push_back(&m);
  }
  std::string out = "<g class=\"marks\">";
  for (const auto& [key, marks] : cells) {
    const auto [lane, round] = key;
    const double x = f.px(round);
    const double y = f.top + (lane + 0.5) * kLane;
    std::string tip;
    for (const TimelineMark* m : marks) tip += (tip.empty() ? "" : "\n") + m->tip;
    const std::string color = escape(t.lanes[static_cast<std::size_t>(lane)].color);
    out += "<g class=\"mark\" data-round=\"" + std::to_string(round) + "\" data-count=\"" +
           std::to_string(marks.size()) + "\"><title>" + escape(tip) + "</title>";
    out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"" + (marks.size() > 1 ? "10" : "7.5") +
           "\" fill=\"" + color + "\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>";
    if (marks.size() > 1) {
      out += "<text x=\"" + num(x) + "\" y=\"" + num(y) +
             "\" dy=\"0.34em\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"700\" style=\"fill:#ffffff\">" +
             std::to_string(marks.size()) + "</text>";
    }
    out += "</g>";
  }
  return out + "</g>";
}

}  // namespace

std::string render(const Timeline& t) {
  const double width = t.width;
  double head_height = 0;
  const std::string head = svg::head(t.title, t.note, {}, kRoundLeft, width, head_height);
  const std::size_t rounds = t.x.labels.size();
  svg::Frame f;
  f.left = kRoundLeft;
  f.right = width - kRoundRight;
  f.top = head_height + 6;
  f.bottom = f.top + kLane * static_cast<double>(std::max<std::size_t>(t.lanes.size(), 1));
  f.x0 = 0.5;
  f.x1 = static_cast<double>(std::max<std::size_t>(rounds, 1)) + 0.5;
  const double height = f.bottom + svg::x_axis_height(!t.x.subs.empty());
  std::vector<double> xs(rounds);
  for (std::size_t i = 0; i < rounds; ++i) xs[i] = static_cast<double>(i + 1);

  std::string out = "<figure class=\"chart timeline\">" + svg::open(t.id, t.title, width, height, "chart-svg");
  out += head + columns_svg(f, rounds) + lanes_svg(f, t.lanes);
  for (const Marker& m : t.markers) {
    const double x = f.px(m.x);
    out += "<line class=\"marker\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(f.top) + "\" y2=\"" +
           num(f.bottom) + "\" stroke=\"#3e4c59\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"><title>" +
           escape(m.label) + "</title></line>";
  }
  out += marks_svg(f, t);
  out += svg::x_axis(f, xs, t.x.labels, t.x.subs, t.x.label);
  return out + "</svg></figure>";
}

}  // namespace leadtime::report

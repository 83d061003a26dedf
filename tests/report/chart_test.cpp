// The page toolkit on its own: escaping, number formats, nice ticks, and
// the SVG the chart kinds draw (axes, legends, gaps, bands, fans, scatter
// summaries, timeline merging).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "report/chart.h"
#include "report/html.h"
#include "tests/report/page_probe.h"

namespace rp = leadtime::report;
using namespace leadtime::testing;

TEST_CASE("report: escape makes any text safe in content and attributes") {
  CHECK(rp::escape("<a href=\"x\">Tom & 'Jerry'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  CHECK(rp::escape("Zürich · 中文 ✓") == "Zürich · 中文 ✓");  // valid UTF-8 passes through
  CHECK(rp::escape(std::string("bad \xff\xfe byte")) == "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
  CHECK(rp::escape(std::string("overlong \xC0\xAF slash")) == "overlong \xEF\xBF\xBD\xEF\xBF\xBD slash");
  CHECK(rp::escape(std::string("cut \xE4\xB8", 6)) == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(rp::escape(std::string("nul\0bell\a", 9)) ==
        "nul\xEF\xBF\xBD"
        "bell\xEF\xBF\xBD");
  CHECK(rp::escape("line\nbreak\ttab\r") == "line\nbreak\ttab");
}

TEST_CASE("report: numbers for people") {
  CHECK(rp::fixed(14.25, 1) == "14.2");
  CHECK(rp::fixed(-0.04, 1) == "0.0");
  CHECK(rp::fixed(NAN, 2) == "–");
  CHECK(rp::significant(14.234) == "14.2");
  CHECK(rp::significant(0.012345) == "0.0123");
  CHECK(rp::significant(1234.6) == "1235");
  CHECK(rp::compact(1234567) == "1.23M");
  CHECK(rp::compact(45000) == "45k");
  CHECK(rp::compact(950) == "950");
  CHECK(rp::percent(0.423) == "42%");
  CHECK(rp::value_text({"", std::nullopt, std::nullopt, rp::Format::Number, " months"}, 12.0) == "12 months");
}

TEST_CASE("report: nice ticks cover the range in steps of 1, 2 or 5") {
  const rp::Ticks a = rp::nice_ticks(0, 23.4);
  CHECK(a.step == 5);
  CHECK(a.lo == 0);
  CHECK(a.hi == 25);
  CHECK(a.values.size() == 6);
  const rp::Ticks b = rp::nice_ticks(-3.2, 17.9);
  CHECK(b.step == 5);
  CHECK(b.lo == -5);
  CHECK(b.hi == 20);
  const rp::Ticks c = rp::nice_ticks(0.31, 0.69);
  CHECK(c.step == doctest::Approx(0.1));
  CHECK(c.values.front() == doctest::Approx(0.3));
  const rp::Ticks flat = rp::nice_ticks(7, 7);
  CHECK(flat.lo < 7);
  CHECK(flat.hi > 7);
}

TEST_CASE("report: a line chart has its title, axes, legend, band, gap and a tooltip per point") {
  rp::RoundChart c;
  c.id = "t1";
  c.title = "Lead <test>";
  c.x.labels = {"R1", "R2", "R3", "R4"};
  c.x.subs = {"2026Q3", "2026Q4", "2027Q1", "2027Q2"};
  c.y = {"months", std::nullopt, std::nullopt, rp::Format::Number, " months"};
  c.series.push_back({"lead & more", {1, 2, NAN, 4}, "#123456", false, true, {}});
  c.bands.push_back({12, 24, "band", "#0f766e"});
  c.markers.push_back({2.5, "branched"});
  const std::string svg = rp::render(c);
  CHECK(svg.find("<title id=\"t1-title\">Lead &lt;test&gt;</title>") != std::string::npos);
  CHECK(texts_of_class(svg, "legend-label") == std::vector<std::string>{"lead &amp; more", "band"});
  const auto path = inner_of(svg, "g", "data-name=\"lead &amp; more\"");
  REQUIRE(path.size() == 1);
  CHECK(count_of(path[0], "M") == 2);  // the NaN splits the line
  CHECK(point_tips(svg, "lead &amp; more") == std::vector<std::string>{"R1 (2026Q3) · lead &amp; more: 1 months",
                                                                       "R2 (2026Q4) · lead &amp; more: 2 months",
                                                                       "R4 (2027Q2) · lead &amp; more: 4 months"});
  // The band widens the axis to 24.
  const auto ticks = texts_of_class(svg, "tick-label");
  CHECK(std::find(ticks.begin(), ticks.end(), "25") != ticks.end());
  CHECK(count_of(svg, "class=\"col\" data-round=") == 4);
  CHECK(texts_of_class(svg, "marker-label") == std::vector<std::string>{"branched"});
}

TEST_CASE("report: a chart fitted to its data draws a band where it overlaps and marks one off the range") {
  rp::RoundChart c;
  c.id = "fit";
  c.title = "Lead";
  c.x.labels = {"R1", "R2", "R3"};
  c.y = {"months", std::nullopt, std::nullopt, rp::Format::Number, " months"};
  c.series.push_back({"lead", {3, 4.2, 5}, "#0072B2", false, true, {}});
  c.bands.push_back({12, 24, "band", "#009E73"});
  c.refs.push_back({0, "parity"});
  c.fit_to_data = true;
  c.column_id_prefix = "round-";
  const std::string tight = rp::render(c);
  const auto ticks = texts_of_class(inner_of(tight, "g", "class=\"axis y-axis\"").at(0), "tick-label");
  REQUIRE_FALSE(ticks.empty());
  CHECK(std::stod(ticks.front()) >= 2);
  CHECK(std::stod(ticks.back()) <= 6);
  CHECK(count_of(tight, "class=\"band\"") == 0);
  CHECK(texts_of_class(tight, "off-range-label") ==
        std::vector<std::string>{"▲ above this range: band", "▼ below this range: parity (0 months)"});
  CHECK(count_of(tight, "id=\"round-") == 3);
  CHECK(tight.find("<rect class=\"col\" id=\"round-2\" data-round=\"2\"") != std::string::npos);

  // A lead that reaches into the band: the band is drawn, clipped to the
  // range, with only its lower edge; parity is on the axis.
  c.series[0].y = {1, 9, 15};
  const std::string crossing = rp::render(c);
  CHECK(count_of(crossing, "class=\"band\"") == 1);
  CHECK(count_of(crossing, "class=\"band-edge\"") == 1);
  CHECK(count_of(crossing, "class=\"ref\"") == 1);
  CHECK(texts_of_class(crossing, "off-range-label").empty());
  const auto crossing_ticks = texts_of_class(inner_of(crossing, "g", "class=\"axis y-axis\"").at(0), "tick-label");
  CHECK(std::stod(crossing_ticks.back()) < 24);

  // Without fitting, the band and parity stretch the axis, as before.
  c.fit_to_data = false;
  c.series[0].y = {3, 4.2, 5};
  const std::string stretched = rp::render(c);
  const auto wide = texts_of_class(inner_of(stretched, "g", "class=\"axis y-axis\"").at(0), "tick-label");
  CHECK(wide.front() == "0");
  CHECK(std::stod(wide.back()) >= 24);
  CHECK(count_of(stretched, "id=\"round-") == 3);
}

TEST_CASE("report: series left out of the legend and legend keys of their own") {
  rp::RoundChart c;
  c.id = "keys";
  c.title = "Compute";
  c.x.labels = {"R1", "R2"};
  c.y = {"H100e", 0.0, std::nullopt, rp::Format::Compact, ""};
  rp::Series mine{"US (this game, g2)", {1, 2}, "#0072B2", false, true, {}};
  mine.in_legend = false;
  rp::Series theirs{"US (parent g1)", {1, 3}, "#0072B2", true, true, {}};
  theirs.in_legend = false;
  theirs.opacity = 0.8;
  c.series = {mine, theirs};
  c.keys = {{"US", "#0072B2", false}, {"this game, g2", "#3E4C59", false}, {"parent g1", "#3E4C59", true}};
  const std::string svg = rp::render(c);
  CHECK(texts_of_class(svg, "legend-label") == std::vector<std::string>{"US", "this game, g2", "parent g1"});
  const auto items = inner_of(svg, "g", "class=\"legend-item\"");
  REQUIRE(items.size() == 3);
  CHECK(items[2].find("stroke-dasharray") != std::string::npos);
  CHECK(items[1].find("stroke-dasharray") == std::string::npos);
  CHECK(series_group(svg, "US (parent g1)").find("<path class=\"line\" opacity=\"0.8\"") != std::string::npos);
  CHECK(series_group(svg, "US (this game, g2)").find("opacity=") == std::string::npos);
}

TEST_CASE("report: a fan chart has both percentile ribbons and the median with its figures") {
  rp::RoundChart c;
  c.id = "fan";
  c.title = "Fan";
  c.x.labels = {"R1", "R2"};
  c.y = {"lead", std::nullopt, std::nullopt, rp::Format::Number, ""};
  rp::Quantiles q{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
  rp::add_fan(c, "", q, "#1f5fbf");
  const std::string svg = rp::render(c);
  CHECK(count_of(svg, "class=\"ribbon\"") == 2);
  CHECK(texts_of_class(svg, "legend-label") == std::vector<std::string>{"p5–p95", "p25–p75", "median"});
  CHECK(point_tips(svg, "median").at(1) == "R2 · median 6; p25–p75 4 to 8; p5–p95 2 to 10");
}

TEST_CASE("report: a scatter chart summarises each value, as boxes for categories") {
  rp::ScatterChart s;
  s.id = "sc";
  s.title = "lead against bot";
  s.x = {"bot.us", std::nullopt, std::nullopt, rp::Format::Number, ""};
  s.y = {"lead", std::nullopt, std::nullopt, rp::Format::Number, ""};
  s.categories = {"us_hawk", "us_dealmaker"};
  s.points = {{0, 10, "a"}, {0, 12, "b"}, {1, 2, "c"}, {1, 3, "d"}};
  s.at = {0, 1};
  s.summary = {{10.1, 2.05}, {10.5, 2.25}, {11, 2.5}, {11.5, 2.75}, {11.9, 2.95}};
  const std::string svg = rp::render(s);
  CHECK(count_of(svg, "class=\"point\"") == 4);
  CHECK(count_of(svg, "class=\"box\"") == 2);
  const auto ticks = texts_of_class(svg, "tick-label");
  CHECK(std::find(ticks.begin(), ticks.end(), "us_dealmaker") != ticks.end());
  CHECK(texts_of_class(svg, "axis-label") == std::vector<std::string>{"lead", "bot.us"});
  CHECK(inner_of(svg, "title", "")[1].find("bot.us us_hawk · median 11") == 0);
}

TEST_CASE("report: timeline marks of one lane and round merge into one with a count") {
  rp::Timeline t;
  t.id = "tl";
  t.title = "Timeline";
  t.x.labels = {"R1", "R2", "R3"};
  t.lanes = {{"Smuggling", "#c8312f"}, {"Injects", "#7c3aed"}};
  t.marks = {{2, 0, "case one"}, {2, 0, "case <two>"}, {3, 1, "inject"}, {9, 5, "no such lane"}};
  const std::string svg = rp::render(t);
  const auto marks = inner_of(svg, "g", "class=\"mark\"");
  REQUIRE(marks.size() == 2);
  CHECK(marks[0].find("<title>case one\ncase &lt;two&gt;</title>") == 0);
  CHECK(count_of(svg, "data-count=\"2\"") == 1);
  CHECK(texts_of_class(svg, "lane-label") == std::vector<std::string>{"Smuggling", "Injects"});
}

TEST_CASE("report: a page is self-contained") {
  const std::string html = rp::page("Title <x>", "<p>body</p>");
  CHECK(html.find("<title>Title &lt;x&gt;</title>") != std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(count_of(html, "<script>") == 1);
  CHECK(html.find(std::string(rp::page_script())) != std::string::npos);
  // A link to "#round-N" lights round N when the page opens and when the hash changes.
  CHECK(std::string(rp::page_script()).find("addEventListener('hashchange'") != std::string::npos);
  CHECK(html.find("http:") == std::string::npos);
  CHECK(html.find("https:") == std::string::npos);
}

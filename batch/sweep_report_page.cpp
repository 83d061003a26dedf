// The sweep report page: header, fan charts, outcome-against-parameter
// charts and the summary table (data from sweep_report.cpp).
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "batch/sweep_report.h"
#include "batch/sweep_summary.h"
#include "report/html.h"

namespace leadtime::sweep {

namespace rp = leadtime::report;

namespace {

constexpr const char* kFanColor = "#1f5fbf";
constexpr const char* kDotColor = "#1f5fbf";

std::map<std::string, std::string> sweep_meta(const ResultStore& store) {
  std::map<std::string, std::string> out;
  sql::Statement s;
  if (sql::prepare(store.db(), store.path(), "SELECT key, value FROM sweep", s, false)) return out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) out[sql::column_text(s.get(), 0)] = sql::column_text(s.get(), 1);
  return out;
}

std::string card(const std::string& label, const std::string& value, const std::string& sub) {
  return "<div class=\"card\"><div class=\"label\">" + rp::escape(label) + "</div><div class=\"value\">" +
         rp::escape(value) + "</div>" + (sub.empty() ? "" : "<div class=\"sub\">" + rp::escape(sub) + "</div>") +
         "</div>";
}

std::string header(const ResultStore& store, const SweepFans& fans, std::uint64_t runs_in_file) {
  const StoredLayout& l = store.layout();
  auto meta = sweep_meta(store);
  std::string out = "<header class=\"top\"><div class=\"wrap\"><p class=\"kicker\">Leadtime sweep report</p>";
  out += "<h1>Sweep " + rp::escape(l.name) + "</h1>";
  out += "<p>" +
         rp::escape("Scenario " + meta["scenario"] + " · spec " + meta["spec_path"] + " · master seed " +
                    meta["master_seed"] + " · results file " + store.path()) +
         "</p>";
  out += "<div class=\"cards\">";
  out += card("Runs in the file", std::to_string(runs_in_file), "of " + std::to_string(l.runs) + " planned");
  out += card("Points", std::to_string(fans.points_with_runs),
              std::to_string(l.seeds) + " seeds each, " + std::to_string(l.points) + " planned");
  out += card("Parameters varied", std::to_string(l.parameters.size()),
              std::to_string(l.outcomes.size()) + " outcomes recorded");
  if (!fans.quantity.empty() && !fans.all.q.p50.empty()) {
    const std::size_t last = fans.all.q.p50.size() - 1;
    out += card(fans.quantity + " at the end", rp::significant(fans.all.q.p50[last], 3),
                "median of all runs; p5 " + rp::significant(fans.all.q.p5[last], 3) + ", p95 " +
                    rp::significant(fans.all.q.p95[last], 3));
  }
  return out + "</div></div></header>";
}

std::string point_label(const StoredLayout& l, const Fan& fan) {
  std::string out;
  for (std::size_t j = 0; j < l.parameters.size() && j < fan.parameters.size(); ++j) {
    out += (out.empty() ? "" : " · ") + l.parameters[j] + " " + fan.parameters[j];
  }
  return out;
}

rp::RoundChart fan_chart(const SweepFans& fans, const Fan& fan, const std::string& id, const std::string& title,
                         const std::string& note, bool wide) {
  rp::RoundChart c;
  c.id = id;
  c.title = title;
  c.note = note;
  for (std::size_t i = 0; i < fan.q.p50.size(); ++i) {
    c.x.labels.push_back("R" + std::to_string(i + 1));
    if (wide && i < fans.quarters.size()) c.x.subs.push_back(fans.quarters[i]);
  }
  const bool lead = fans.quantity == "lead_months";
  c.y = {lead ? "lead (months)" : fans.quantity, std::nullopt, std::nullopt, rp::Format::Number, lead ? " months" : ""};
  if (lead) {
    c.bands.push_back({12, 24, "12 to 24 months: the tight line's lead in the paper", "#0f766e"});
    c.refs.push_back({0, "parity"});
  }
  if (!wide) {
    c.width = 560;
    c.left = 66;
    c.plot_height = 200;
  }
  rp::add_fan(c, "", fan.q, kFanColor);
  return c;
}

std::string fans_section(const ResultStore& store, const SweepFans& fans) {
  const StoredLayout& l = store.layout();
  std::string out = "<section id=\"fans\"><h2>The lead over rounds</h2>";
  if (fans.quantity.empty()) {
    return out +
           "<div class=\"notice\">This results file has no per-round rows, so there are no fan charts: the sweep "
           "was run without <code>series = true</code> in its spec. Add it and run the sweep again into a new file "
           "to see how the lead moved round by round; the outcome charts below use the final values.</div>"
           "</section>";
  }
  out += "<p class=\"lede\">Fan charts of <code>" + rp::escape(fans.quantity) +
         "</code> over rounds: the median line, the p25–p75 band (half the runs) and the p5–p95 band (nine runs "
         "in ten). Point at a round for its figures.</p>";
  out += rp::render(fan_chart(fans, fans.all, "fan-all", "All runs",
                              std::to_string(fans.all.runs) + " runs of every point together", true));
  out += "<div class=\"grid2\">";
  for (const Fan& fan : fans.points) {
    out += rp::render(fan_chart(fans, fan, "fan-point-" + std::to_string(fan.point),
                                "Point " + std::to_string(fan.point) + " (" + std::to_string(fan.runs) + " runs)",
                                point_label(l, fan), false));
  }
  out += "</div>";
  if (fans.points.size() < fans.points_with_runs) {
    out += "<p class=\"muted\">Showing the first " + std::to_string(fans.points.size()) + " of " +
           std::to_string(fans.points_with_runs) + " points (<code>--max-points</code> shows more).</p>";
  }
  return out + "</section>";
}

// Colours for the groups of an outcome chart, told apart also in grey
// (Okabe and Ito's palette for colour-blind readers, then two more).
constexpr const char* kGroupColors[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                        "#e69f00", "#56b4e9", "#6b4c9a", "#555555"};

rp::ScatterChart effect_chart(const ParameterEffect& e, std::size_t index) {
  rp::ScatterChart c;
  c.id = "effect-" + std::to_string(index);
  c.title = e.outcome + " against " + e.parameter;
  const bool summarised =
      std::any_of(e.groups.begin(), e.groups.end(), [](const EffectGroup& g) { return !g.at.empty(); });
  const auto joined = [](const std::vector<std::string>& names, const char* sep) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : sep) + n;
    return out;
  };
  // One short line: the title block does not wrap.
  if (!e.split_by.empty()) {
    c.note = "a colour per " + joined(e.split_by, " × ") + (summarised ? "; median and p25–p75 per value" : "");
  } else if (!e.pooled.empty()) {
    c.note = "every run a dot";
  } else {
    c.note = summarised ? "every run a dot; per value: median, p25–p75 and p5–p95 of its runs"
                        : "every run a dot; too many distinct values for per-value percentiles";
  }
  if (!e.pooled.empty()) c.note += "; pooled: " + joined(e.pooled, ", ") + " (too many values)";
  c.x = {e.parameter, std::nullopt, std::nullopt, rp::Format::Number, ""};
  c.y = {e.outcome, std::nullopt, std::nullopt, rp::Format::Number, ""};
  for (const std::string& cat : e.categories) c.categories.push_back(bot_label(cat));
  if (e.groups.size() == 1 && e.groups[0].label.empty()) {
    c.points = e.groups[0].points;
    c.color = kDotColor;
    c.at = e.groups[0].at;
    c.summary = e.groups[0].q;
  } else {
    for (std::size_t g = 0; g < e.groups.size(); ++g) {
      const EffectGroup& group = e.groups[g];
      c.groups.push_back({group.label, kGroupColors[g % std::size(kGroupColors)], group.points, group.at, group.q});
    }
  }
  c.width = 540;
  c.plot_height = 230;
  return c;
}

std::string effects_section(const StoredLayout& l, const std::vector<ParameterEffect>& effects) {
  std::string out = "<section id=\"effects\"><h2>Outcomes against parameters</h2>";
  if (l.parameters.empty()) return out + "<p class=\"muted\">This sweep varies no parameter.</p></section>";
  out +=
      "<p class=\"lede\">Each recorded outcome (its value at the end of the match, or its min, max or mean over "
      "the rounds) against each varied parameter. The runs are split by the other varied factors, one colour per "
      "combination of their values, so a band holds runs that differ only in their seed.</p>";
  std::string current;
  for (std::size_t i = 0; i < effects.size(); ++i) {
    const ParameterEffect& e = effects[i];
    if (e.parameter != current) {
      if (!current.empty()) out += "</div>";
      current = e.parameter;
      out += "<h3><code>" + rp::escape(current) + "</code></h3><div class=\"grid2\">";
    }
    out += rp::render(effect_chart(e, i));
  }
  if (!current.empty()) out += "</div>";
  return out + "</section>";
}

std::string summary_section(const StoredLayout& l, const std::vector<PointSummary>& points, std::size_t max_points) {
  rp::Table t;
  t.css_class = "summary";
  t.header = {"Point"};
  for (const std::string& p : l.parameters) t.header.push_back(p);
  for (const char* h : {"Runs", "Outcome", "Mean", "p5", "p50", "p95"}) t.header.emplace_back(h);
  t.numeric.assign(t.header.size(), false);
  const std::size_t first_stat = 3 + l.parameters.size();
  for (std::size_t c = first_stat; c < t.numeric.size(); ++c) t.numeric[c] = true;
  t.numeric[1 + l.parameters.size()] = true;
  const std::size_t shown = std::min(points.size(), max_points);
  for (std::size_t i = 0; i < shown; ++i) {
    const PointSummary& p = points[i];
    for (std::size_t k = 0; k < l.outcomes.size() && k < p.outcomes.size(); ++k) {
      rp::Table::Row row;
      const bool first = k == 0;
      row.cells.push_back(rp::Cell::text(first ? std::to_string(p.point) : ""));
      for (const std::string& v : p.parameters) row.cells.push_back(rp::Cell::text(first ? v : ""));
      row.cells.push_back(rp::Cell::text(first ? std::to_string(p.runs) : ""));
      row.cells.push_back(rp::Cell::raw("<code>" + rp::escape(l.outcomes[k]) + "</code>"));
      const Stats& s = p.outcomes[k];
      for (double v : {s.mean, s.p5, s.p50, s.p95}) row.cells.push_back(rp::Cell::text(rp::significant(v, 4)));
      t.rows.push_back(std::move(row));
    }
  }
  std::string out =
      "<section id=\"summary\"><h2>Summary per point</h2><p class=\"lede\">As "
      "<code>leadtime-batch summary</code> prints it: mean and percentiles of each outcome over the "
      "point's runs.</p>" +
      rp::render(t);
  if (shown < points.size()) {
    out += "<p class=\"muted\">" + std::to_string(points.size() - shown) +
           " more points are in the file (<code>leadtime-batch summary FILE --all</code>).</p>";
  }
  return out + "</section>";
}

}  // namespace

std::variant<SweepPage, std::string> sweep_report_html(const ResultStore& store, const SweepReportOptions& options) {
  auto fans = read_fans(store, options.max_points);
  if (auto* error = std::get_if<std::string>(&fans)) return *error;
  auto effects = read_effects(store);
  if (auto* error = std::get_if<std::string>(&effects)) return *error;
  auto summary = summarize(store);
  if (auto* error = std::get_if<std::string>(&summary)) return *error;
  const SweepFans& f = std::get<SweepFans>(fans);
  const StoredLayout& l = store.layout();
  std::string body = header(store, f, store.finished_count());
  body += "<main class=\"wrap\">";
  if (store.finished_count() == 0) body += "<div class=\"notice\">The file holds no runs yet.</div>";
  body += fans_section(store, f);
  body += effects_section(l, std::get<std::vector<ParameterEffect>>(effects));
  body += summary_section(l, std::get<std::vector<PointSummary>>(summary), options.max_points);
  body += "</main><footer class=\"wrap\">" +
          rp::escape(
              "Percentiles interpolate linearly between order statistics (Hyndman and Fan type 7, as R's "
              "quantile and NumPy's percentile)." +
              (options.generated_by.empty() ? std::string() : " " + options.generated_by)) +
          "</footer>";
  return SweepPage{rp::page("Leadtime sweep report: " + l.name, body)};
}

std::optional<std::string> write_sweep_report(const std::string& results, const std::string& out,
                                              const SweepReportOptions& options) {
  auto opened = ResultStore::open_existing(results);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  auto page = sweep_report_html(*std::get<std::unique_ptr<ResultStore>>(opened), options);
  if (auto* error = std::get_if<std::string>(&page)) return *error;
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (!file) return out + ": cannot write it";
  file << std::get<SweepPage>(page).html;
  if (!file.flush()) return out + ": write failed (disk full?)";
  return std::nullopt;
}

}  // namespace leadtime::sweep

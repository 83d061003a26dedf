// The game report's charts: the lead with its band, the event timeline in
// the same round columns, the compute ratio, compute by bloc and the
// market shares; a branch's parent dashed on the same axes.
#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/visibility.h"
#include "report/game_parts.h"
#include "report/html.h"

namespace leadtime::report::after_action {

const std::vector<Lane>& lanes() {
  static const std::vector<Lane> kLanes = {
      {"Smuggling", kVermilion},   {"Thefts & leaks", kReddishPurple},
      {"Milestones", kBlue},       {"Scenario events", kBluishGreen},
      {"Injects", kOrange},        {"Bot faults", kSlate},
      {"Other events", "#9AA5B1"}, {"Facilitator", kSkyBlue},
  };
  return kLanes;
}

int event_lane(const GameRecord& g, const RoundRecord& round, const Event& e) {
  const std::string& k = e.kind;
  if (k == "bot_fault") return BotFaults;
  // An injected event belongs to the facilitator's hand whatever it does.
  for (const Inject& inject : round.injects) {
    if (inject.event_id == k || (inject.event_id.empty() && inject.custom.id == k)) return Injects;
  }
  if (k == "smuggling_case") return Smuggling;
  if (k == "weight_theft" || k == "distillation_detected" || k.find("leak") != std::string::npos ||
      k.find("open_weights") != std::string::npos) {
    return Leaks;
  }
  if (k == "self_improvement" || k == "euv_breakthrough") return Milestones;
  if (std::find(g.scenario_events.begin(), g.scenario_events.end(), k) != g.scenario_events.end()) {
    return ScenarioEvents;
  }
  return OtherEvents;
}

RoundAxis round_axis(const GameReportInput& in) {
  std::size_t n = in.game.rounds.size();
  if (in.parent) n = std::max(n, in.parent->rounds.size());
  RoundAxis axis;
  for (std::size_t i = 0; i < n; ++i) {
    axis.labels.push_back("R" + std::to_string(i + 1));
    axis.subs.push_back(in.game.start.plus(static_cast<int>(i)).str());
  }
  return axis;
}

std::string round_where(const GameRecord& g, int round) {
  return "R" + std::to_string(round) + " (" + g.start.plus(round - 1).str() + ")";
}

namespace {

using Getter = std::function<double(const RoundRecord&)>;

std::vector<double> values(const GameRecord& g, std::size_t n, const Getter& get) {
  std::vector<double> out(n, std::nan(""));
  for (std::size_t i = 0; i < n && i < g.rounds.size(); ++i) out[i] = get(g.rounds[i]);
  return out;
}

// The name of a line: plain for a lone game, with the game id beside a parent.
std::string name_of(const GameReportInput& in, const std::string& what, bool parent) {
  if (!in.parent) return what;
  const std::string who = game_label(in, parent);
  return what.empty() ? who : what + " (" + who + ")";
}

// Adds the game's line and its parent's: dashed and fainter. A chart whose
// colours stand for blocs names the blocs and the two line styles in its
// legend once (`by_colour`), rather than every bloc twice.
void add_lines(RoundChart& c, const GameReportInput& in, const std::string& what, const std::string& color,
               const std::string& parent_color, const Getter& get, bool by_colour = false) {
  const std::size_t n = c.x.labels.size();
  Series mine{name_of(in, what, false), values(in.game, n, get), color, false, true, {}};
  mine.in_legend = !(by_colour && in.parent);
  c.series.push_back(std::move(mine));
  if (!in.parent) return;
  Series theirs{name_of(in, what, true), values(*in.parent, n, get), parent_color, true, true, {}};
  theirs.opacity = kParentOpacity;
  theirs.in_legend = !by_colour;
  c.series.push_back(std::move(theirs));
  if (by_colour) c.keys.push_back({what, color, false});
}

// The two line styles, after the blocs' colours.
void add_style_keys(RoundChart& c, const GameReportInput& in) {
  if (!in.parent) return;
  c.keys.push_back({game_label(in, false), kSlate, false});
  c.keys.push_back({game_label(in, true), kSlate, true});
}

std::vector<Marker> branch_markers(const GameReportInput& in) {
  if (in.game.branch_round < 0 || in.game.parent_id.empty()) return {};
  return {{in.game.branch_round + 0.5,
           "branched from " + in.game.parent_id + " after R" + std::to_string(in.game.branch_round)}};
}

RoundChart lead_chart(const GameReportInput& in, const GameReportOptions& options) {
  RoundChart c;
  c.id = "chart-lead";
  c.title = "US lead over China";
  c.note = "Months by which the best US lab's model leads the best Chinese lab's (below 0: China ahead)";
  c.x = round_axis(in);
  c.y = {"lead (months)", std::nullopt, std::nullopt, Format::Number, " months"};
  // The axis fits the race: a 3 to 5 month lead is not squashed under the
  // band, which is drawn where it fits or marked at the edge.
  c.fit_to_data = true;
  c.column_id_prefix = "round-";
  c.bands.push_back({options.band_lo_months, options.band_hi_months,
                     fixed(options.band_lo_months, 0) + " to " + fixed(options.band_hi_months, 0) +
                         " months: the tight line's lead in the paper",
                     "#0f766e"});
  c.refs.push_back({0, "parity"});
  c.markers = branch_markers(in);
  add_lines(c, in, in.parent ? "" : "lead", kGameColor, kParentColor,
            [](const RoundRecord& r) { return r.outcomes.lead_months; });
  // What the teams saw: the public, noisy estimate of the same lead; thin
  // and grey, and solid, since dashes mean the parent.
  Series seen{name_of(in, "public estimate the teams saw", false),
              values(in.game, c.x.labels.size(), [](const RoundRecord& r) { return r.indicators.lead_months; }),
              kGrey,
              false,
              false,
              {}};
  seen.opacity = 0.7;
  c.series.push_back(std::move(seen));
  return c;
}

RoundChart ratio_chart(const GameReportInput& in) {
  RoundChart c;
  c.id = "chart-ratio";
  c.title = "US : China compute ratio";
  c.note = "AI compute of US labs over Chinese labs, installed and rented offshore";
  c.x = round_axis(in);
  c.y = {"US : CN", 0.0, std::nullopt, Format::Number, ":1"};
  c.refs.push_back({11, "about 11 : 1, the paper's figure for tightened controls"});
  c.markers = branch_markers(in);
  add_lines(c, in, in.parent ? "" : "US : CN", kGameColor, kParentColor,
            [](const RoundRecord& r) { return r.outcomes.compute_ratio_us_cn; });
  return c;
}

bool bloc_has_compute(const GameReportInput& in, int bloc) {
  const auto any = [bloc](const GameRecord& g) {
    return std::any_of(g.rounds.begin(), g.rounds.end(),
                       [bloc](const RoundRecord& r) { return r.outcomes.compute_h100e[bloc] > 0; });
  };
  return any(in.game) || (in.parent && any(*in.parent));
}

RoundChart compute_chart(const GameReportInput& in) {
  RoundChart c;
  c.id = "chart-compute";
  c.title = "AI compute by bloc";
  c.note = "Compute of each bloc's labs (H100-equivalents), installed and rented";
  c.x = round_axis(in);
  c.y = {"compute (H100e)", 0.0, std::nullopt, Format::Compact, " H100e"};
  c.markers = branch_markers(in);
  for (int b = 0; b < kBlocCount; ++b) {
    if (!bloc_has_compute(in, b)) continue;
    add_lines(
        c, in, b == bloc_index(Bloc::SEA) ? "SEA hubs" : kBlocNames[b], kBlocColors[b], kBlocColors[b],
        [b](const RoundRecord& r) { return r.outcomes.compute_h100e[b]; }, true);
  }
  add_style_keys(c, in);
  return c;
}

constexpr std::array<const char*, kMarketCount> kMarketTitles = {"US market", "Chinese market", "European market",
                                                                 "Rest of the world"};

RoundChart share_chart(const GameReportInput& in, int market) {
  RoundChart c;
  c.id = "chart-share-" + std::string(kMarketNames[market]);
  c.title = kMarketTitles[market];
  c.note = "Share held by each bloc's AI stack";
  c.x = round_axis(in);
  c.x.subs.clear();  // half-width charts: round numbers only
  c.y = {"share", 0.0, 1.0, Format::Percent, ""};
  c.width = 560;
  c.left = 66;
  c.plot_height = 190;
  c.markers = branch_markers(in);
  for (int s = 0; s < kStackCount; ++s) {
    add_lines(
        c, in, std::string(kStackNames[s]) + " stack", kBlocColors[s], kBlocColors[s],
        [market, s](const RoundRecord& r) { return r.outcomes.shares[market][s]; }, true);
  }
  add_style_keys(c, in);
  return c;
}

Timeline timeline(const GameReportInput& in) {
  const GameRecord& g = in.game;
  Timeline t;
  t.id = "timeline";
  t.title = "Timeline";
  t.note = "Each mark is an event of that round; hover for the text. Private events show here too.";
  t.x = round_axis(in);
  t.markers = branch_markers(in);
  std::vector<TimelineMark> marks;
  for (const RoundRecord& r : g.rounds) {
    for (const Event& e : r.events) {
      marks.push_back(
          {r.round + 1, event_lane(g, r, e),
           round_where(g, r.round + 1) + " · " + e.kind + " (" + visibility_name(e.visibility) + "): " + e.text});
    }
  }
  const int rounds = static_cast<int>(t.x.labels.size());
  for (const FacilitatorAction& a : g.actions) {
    if (a.kind == "injected" || a.round > rounds) continue;  // an inject shows as its event
    marks.push_back({a.round, Facilitator, round_where(g, a.round) + " · facilitator " + a.text});
  }
  // The main lanes always show (an empty lane says "none"); the others only when used.
  std::vector<int> index(lanes().size(), -1);
  for (int lane = 0; lane < static_cast<int>(lanes().size()); ++lane) {
    const bool used = std::any_of(marks.begin(), marks.end(), [lane](const TimelineMark& m) { return m.lane == lane; });
    if (lane <= Injects || used) {
      index[static_cast<std::size_t>(lane)] = static_cast<int>(t.lanes.size());
      t.lanes.push_back(lanes()[static_cast<std::size_t>(lane)]);
    }
  }
  for (TimelineMark& m : marks) {
    m.lane = index[static_cast<std::size_t>(m.lane)];
    t.marks.push_back(std::move(m));
  }
  return t;
}

RoundChart score_chart(const GameReportInput& in, std::size_t seat) {
  const Seat& s = in.game.seats[seat];
  RoundChart c;
  c.id = "chart-score-" + s.id;
  c.title = s.id + " · " + s.name;
  c.note = "Score against the seat's objectives, after each round";
  c.x = round_axis(in);
  c.x.subs.clear();  // half-width charts: round numbers only
  c.y = {"score", std::nullopt, std::nullopt, Format::Number, ""};
  c.width = 560;
  c.left = 66;
  c.plot_height = 150;
  c.markers = branch_markers(in);
  // One line per game: the seat's bloc colour alone, the branch's blue and
  // the parent's orange beside a parent, as on the lead chart.
  const char* color = in.parent ? kGameColor : kBlocColors[static_cast<std::size_t>(s.bloc)];
  add_lines(c, in, in.parent ? "" : "score", color, kParentColor, [seat](const RoundRecord& r) {
    return seat < r.outcomes.scores.size() ? r.outcomes.scores[seat] : std::nan("");
  });
  return c;
}

}  // namespace

std::string game_label(const GameReportInput& in, bool parent) {
  if (!in.parent) return {};
  return parent ? "parent " + in.parent->id : "this game, " + in.game.id;
}

std::string branch_key(const GameReportInput& in) {
  if (!in.parent) return {};
  return "<span class=\"line-key\"><span class=\"key-line solid\"></span>" + escape(game_label(in, false)) +
         "</span><span class=\"line-key\"><span class=\"key-line dashed\"></span>" + escape(game_label(in, true)) +
         "</span>";
}

std::string score_charts(const GameReportInput& in) {
  std::string out = "<div class=\"grid2 scores\">";
  for (std::size_t seat = 0; seat < in.game.seats.size(); ++seat) out += render(score_chart(in, seat));
  return out + "</div>";
}

std::string race_section(const GameReportInput& in, const GameReportOptions& options) {
  std::string out = "<section id=\"race\"><h2>The race, round by round</h2>";
  out += "<p class=\"lede\">One round is one quarter. Every chart and the timeline share the same round columns; ";
  out += "point at a round to light it up everywhere on the page.";
  if (in.parent) {
    out += " Solid lines are this game (" + escape(in.game.id) + "), dashed and fainter lines its parent (" +
           escape(in.parent->id) + ").";
  }
  out += "</p>";
  if (in.parent) out += "<p class=\"keys\">" + branch_key(in) + "</p>";
  out += render(lead_chart(in, options));
  out += render(timeline(in));
  out += render(ratio_chart(in));
  out += render(compute_chart(in));
  return out + "</section>";
}

std::string markets_section(const GameReportInput& in) {
  std::string out = "<section id=\"markets\"><h2>Markets</h2>";
  out += "<p class=\"lede\">Who the world buys its AI from: each market's share by stack.</p>";
  if (in.parent) out += "<p class=\"keys\">" + branch_key(in) + "</p>";
  out += "<div class=\"grid2\">";
  for (int m = 0; m < kMarketCount; ++m) out += render(share_chart(in, m));
  return out + "</div></section>";
}

}  // namespace leadtime::report::after_action

// The key moments at the top of the game report: the largest swings of the
// lead, the lead crossing parity or the band's edges, the facilitator's
// injects, milestones, exposed smuggling cases, thefts and leaks, and a
// branch's point of departure; each linked to its round's column on the
// lead chart ("#round-N"), and an event to its row in the events table.
#include <algorithm>
#include <cmath>
#include <iterator>

#include "report/game_parts.h"
#include "report/html.h"

namespace leadtime::report::after_action {

namespace {

// In the order moments of one round are listed.
enum class Kind { Branch, Swing, Threshold, Inject, Milestone, Smuggling, Theft };

struct Moment {
  int round = 1;  // 1-based
  Kind kind = Kind::Swing;
  std::string text;
  std::string event_anchor;  // "event-3-2", "" when the moment is no event
};

// More than this many events of one recurring kind (smuggling cases,
// thefts) share one line with a link per round, so they do not bury the
// swings and injects.
constexpr std::size_t kRecurring = 3;

struct Moments {
  std::vector<Moment> by_round;
  std::vector<std::vector<Moment>> recurring;  // one line each, all of one kind
};

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Branch:
      return "Branch";
    case Kind::Swing:
      return "Lead swing";
    case Kind::Threshold:
      return "Threshold";
    case Kind::Inject:
      return "Inject";
    case Kind::Milestone:
      return "Milestone";
    case Kind::Smuggling:
      return "Smuggling exposed";
    case Kind::Theft:
      return "Theft or leak";
  }
  return "";
}

const char* kind_color(Kind k) {
  switch (k) {
    case Kind::Branch:
    case Kind::Swing:
      return kSlate;
    case Kind::Threshold:
      return kSkyBlue;
    case Kind::Inject:
      return kOrange;
    case Kind::Milestone:
      return kBlue;
    case Kind::Smuggling:
      return kVermilion;
    case Kind::Theft:
      return kReddishPurple;
  }
  return kGrey;
}

std::string months(double v) { return fixed(v, 1) + " months"; }

// The three largest round-to-round changes of the true lead.
void add_swings(const GameRecord& g, std::vector<Moment>& out) {
  struct Swing {
    std::size_t index;
    double by;
  };
  std::vector<Swing> swings;
  for (std::size_t i = 1; i < g.rounds.size(); ++i) {
    const double by = g.rounds[i].outcomes.lead_months - g.rounds[i - 1].outcomes.lead_months;
    if (std::isfinite(by) && std::fabs(by) >= 0.05) swings.push_back({i, by});
  }
  std::stable_sort(swings.begin(), swings.end(),
                   [](const Swing& a, const Swing& b) { return std::fabs(a.by) > std::fabs(b.by); });
  if (swings.size() > 3) swings.resize(3);
  for (std::size_t k = 0; k < swings.size(); ++k) {
    const Swing& s = swings[k];
    const double from = g.rounds[s.index - 1].outcomes.lead_months;
    const double to = g.rounds[s.index].outcomes.lead_months;
    std::string text = std::string("The US lead ") + (s.by > 0 ? "grew" : "shrank") + " by " + months(std::fabs(s.by)) +
                       ", from " + fixed(from, 1) + " to " + fixed(to, 1);
    if (k == 0) text += " (the largest swing of the game)";
    out.push_back({static_cast<int>(s.index) + 1, Kind::Swing, std::move(text), {}});
  }
}

// The lead crossing parity or an edge of the paper's band.
void add_thresholds(const GameRecord& g, const GameReportOptions& options, std::vector<Moment>& out) {
  for (std::size_t i = 1; i < g.rounds.size(); ++i) {
    const double before = g.rounds[i - 1].outcomes.lead_months;
    const double now = g.rounds[i].outcomes.lead_months;
    const int round = static_cast<int>(i) + 1;
    if (before >= 0 && now < 0)
      out.push_back({round, Kind::Threshold, "China took the lead (" + months(now) + ")", {}});
    if (before < 0 && now >= 0) {
      out.push_back({round, Kind::Threshold, "The US took the lead back (" + months(now) + ")", {}});
    }
    const std::string band =
        fixed(options.band_lo_months, 0) + " to " + fixed(options.band_hi_months, 0) + " month band";
    if (before >= options.band_lo_months && now < options.band_lo_months) {
      out.push_back({round, Kind::Threshold, "The lead fell below the " + band + " (" + months(now) + ")", {}});
    }
    if (before < options.band_lo_months && now >= options.band_lo_months && now <= options.band_hi_months) {
      out.push_back({round, Kind::Threshold, "The lead rose into the " + band + " (" + months(now) + ")", {}});
    }
    if (before <= options.band_hi_months && now > options.band_hi_months) {
      out.push_back({round, Kind::Threshold, "The lead rose above the " + band + " (" + months(now) + ")", {}});
    }
  }
}

void add_events(const GameRecord& g, std::vector<Moment>& out) {
  for (const RoundRecord& r : g.rounds) {
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const Event& e = r.events[i];
      Kind kind;
      std::string text = e.text;
      switch (event_lane(g, r, e)) {
        case Injects:
          kind = Kind::Inject;
          text = "The facilitator injected " + e.kind + ": " + e.text;
          break;
        case Milestones:
          kind = Kind::Milestone;
          break;
        case Smuggling:
          kind = Kind::Smuggling;
          break;
        case Leaks:
          kind = Kind::Theft;
          break;
        default:
          continue;
      }
      out.push_back(
          {r.round + 1, kind, std::move(text), "event-" + std::to_string(r.round + 1) + "-" + std::to_string(i + 1)});
    }
  }
}

Moments moments_of(const GameReportInput& in, const GameReportOptions& options) {
  const GameRecord& g = in.game;
  std::vector<Moment> all;
  if (!g.parent_id.empty() && g.branch_round >= 0 && g.branch_round < static_cast<int>(g.rounds.size())) {
    all.push_back({g.branch_round + 1,
                   Kind::Branch,
                   "This game parts from " + g.parent_id + ": rounds 1 to " + std::to_string(g.branch_round) +
                       " are the parent's, this round is the first of the what-if",
                   {}});
  }
  add_swings(g, all);
  add_thresholds(g, options, all);
  add_events(g, all);
  std::stable_sort(all.begin(), all.end(), [](const Moment& a, const Moment& b) {
    return a.round != b.round ? a.round < b.round : static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  Moments out;
  for (const Kind kind : {Kind::Smuggling, Kind::Theft}) {
    const auto of_kind = [kind](const Moment& m) { return m.kind == kind; };
    if (static_cast<std::size_t>(std::count_if(all.begin(), all.end(), of_kind)) <= kRecurring) continue;
    std::vector<Moment> line;
    std::copy_if(all.begin(), all.end(), std::back_inserter(line), of_kind);
    all.erase(std::remove_if(all.begin(), all.end(), of_kind), all.end());
    out.recurring.push_back(std::move(line));
  }
  out.by_round = std::move(all);
  return out;
}

std::string kind_tag(Kind kind) {
  return "<span class=\"tag moment-kind\" style=\"border-color:" + std::string(kind_color(kind)) +
         "\"><span class=\"swatch\" style=\"background:" + kind_color(kind) + "\"></span>" + escape(kind_name(kind)) +
         "</span>";
}

std::string recurring_line(const GameRecord& g, const std::vector<Moment>& line) {
  const Kind kind = line.front().kind;
  std::string out = "<li class=\"moment recurring\" data-kind=\"" + escape(kind_name(kind)) + "\">";
  out += "<span class=\"round-span\">R" + std::to_string(line.front().round) + "–R" +
         std::to_string(line.back().round) + "</span>" + kind_tag(kind);
  out += "<span class=\"what\">" + std::to_string(line.size()) +
         (kind == Kind::Smuggling ? " cases exposed" : " thefts and leaks") + ", in ";
  for (std::size_t i = 0; i < line.size(); ++i) {
    const std::string round = std::to_string(line[i].round);
    out += "<a class=\"round-chip\" href=\"#round-" + round + "\" data-round=\"" + round + "\" data-event=\"" +
           escape(line[i].event_anchor) + "\" title=\"" + escape(round_where(g, line[i].round) + ": " + line[i].text) +
           "\">R" + round + "</a>";
  }
  out += " <span class=\"muted\">(point at a round for its case; the events table has them all)</span></span></li>";
  return out;
}

}  // namespace

std::string key_moments_section(const GameReportInput& in, const GameReportOptions& options) {
  const GameRecord& g = in.game;
  std::string out = "<section id=\"key-moments\"><h2>Key moments</h2>";
  const Moments moments = moments_of(in, options);
  if (moments.by_round.empty() && moments.recurring.empty()) {
    return out + "<p class=\"muted\">" +
           (g.rounds.empty() ? "No round has been resolved yet." : "No swings, thresholds or notable events.") +
           "</p></section>";
  }
  out +=
      "<p class=\"lede\">The largest swings of the lead, the lines it crossed, the facilitator's injects, "
      "milestones, exposed smuggling cases and thefts, round by round. A round links to its place on the "
      "charts; an event to its row in the events table.</p><ol class=\"moments\">";
  for (const Moment& m : moments.by_round) {
    const std::string round = std::to_string(m.round);
    out += "<li class=\"moment\" data-round=\"" + round + "\" data-kind=\"" + escape(kind_name(m.kind)) + "\">";
    out += "<a class=\"round-link\" href=\"#round-" + round + "\">R" + round + " <span class=\"quarter\">" +
           escape(g.start.plus(m.round - 1).str()) + "</span></a>";
    out += kind_tag(m.kind);
    out += m.event_anchor.empty()
               ? "<span class=\"what\">" + escape(m.text) + "</span>"
               : "<a class=\"what\" href=\"#" + escape(m.event_anchor) + "\">" + escape(m.text) + "</a>";
    out += "</li>";
  }
  for (const std::vector<Moment>& line : moments.recurring) out += recurring_line(g, line);
  return out + "</ol></section>";
}

}  // namespace leadtime::report::after_action

// The after-action report as a debrief (issue #19): the lead axis fits the
// race, each seat's score over the rounds, the policies in force per seat
// per round, the key moments at the top linked to their rounds, a branch
// told apart from its parent by colour, dash and legend, in a palette that
// people with a colour-vision deficiency can read.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/catalogue.h"
#include "engine/orders.h"
#include "report/game_report.h"
#include "report/html.h"
#include "report/policies.h"
#include "tests/report/page_probe.h"
#include "tests/report/report_fixture.h"

namespace lt = leadtime;
namespace rp = leadtime::report;
using namespace leadtime::testing;

namespace {

rp::GameReportInput input_of(const save::SaveData& game, const save::SaveData* parent) {
  auto in = rp::game_report_input(game, parent);
  REQUIRE_MESSAGE(std::holds_alternative<rp::GameReportInput>(in), std::get<std::string>(in));
  return std::get<rp::GameReportInput>(std::move(in));
}

const std::string& game_page() {
  static const std::string html = rp::render_game_report(input_of(known_game().parent, nullptr));
  return html;
}

const std::string& branch_page() {
  static const std::string html = rp::render_game_report(input_of(known_game().branch, &known_game().parent));
  return html;
}

std::vector<double> numbers(const std::vector<std::string>& texts) {
  std::vector<double> out;
  for (const std::string& t : texts) out.push_back(std::stod(t));
  return out;
}

// The part of the page from `from` to the next "</section>".
std::string section(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("<section id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("</section>", at) - at);
}

// The <li> of the key moments, each whole.
std::vector<std::string> moments(const std::string& html) {
  std::vector<std::string> out;
  const std::string list = section(html, "key-moments");
  for (std::size_t at = list.find("<li "); at != std::string::npos; at = list.find("<li ", at + 1)) {
    out.push_back(list.substr(at, list.find("</li>", at) + 5 - at));
  }
  return out;
}

// The policy table of one seat, and a row of it by its name ("set_enforcement").
std::string policy_table(const std::string& html, const std::string& seat) {
  const std::size_t at = html.find("<details open id=\"policies-" + seat + "\"");
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("</details>", at) - at);
}

std::vector<std::string> policy_cells(const std::string& table, const std::string& row) {
  const std::size_t at = table.find("<tr data-policy=\"" + row + "\">");
  if (at == std::string::npos) return {};
  return inner_of(table.substr(at, table.find("</tr>", at) - at), "td", "data-round=");
}

std::vector<std::string> policy_cell_tags(const std::string& table, const std::string& row) {
  std::vector<std::string> out;
  const std::size_t at = table.find("<tr data-policy=\"" + row + "\">");
  if (at == std::string::npos) return out;
  const std::string tr = table.substr(at, table.find("</tr>", at) - at);
  for (std::size_t td = tr.find("<td "); td != std::string::npos; td = tr.find("<td ", td + 1)) {
    out.push_back(tr.substr(td, tr.find('>', td) + 1 - td));
  }
  return out;
}

// The colour-blind-safe palette of Okabe and Ito, and the greys.
const std::set<std::string>& palette() {
  static const std::set<std::string> kColors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                                                "#F0E442", "#000000", "#3E4C59", "#7B8794", "#9AA5B1", "#52606D"};
  return kColors;
}

std::vector<std::string> attribute_values(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  const std::string key = " " + name + "=\"";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    const std::size_t from = at + key.size();
    out.push_back(text.substr(from, text.find('"', from) - from));
  }
  return out;
}

}  // namespace

TEST_CASE("debrief: the lead axis of a 3 to 5 month race fits it, with the 12 to 24 month band marked at the edge") {
  // The known game with its lead (true and public) rewritten to a tight race.
  auto read = rp::read_game(known_game().parent);
  REQUIRE(std::holds_alternative<rp::GameRecord>(read));
  rp::GameReportInput in;
  in.game = std::get<rp::GameRecord>(std::move(read));
  for (std::size_t i = 0; i < in.game.rounds.size(); ++i) {
    in.game.rounds[i].outcomes.lead_months = 3.0 + 2.0 * static_cast<double>(i % 5) / 4.0;  // 3 .. 5
    in.game.rounds[i].indicators.lead_months = 3.4 + 0.1 * static_cast<double>(i % 3);
  }
  const std::string html = rp::render_game_report(in);
  const std::string lead = svg_by_id(html, "chart-lead");
  REQUIRE_FALSE(lead.empty());
  const std::vector<double> ticks =
      numbers(texts_of_class(inner_of(lead, "g", "class=\"axis y-axis\"").at(0), "tick-label"));
  REQUIRE(ticks.size() >= 3);
  INFO("ticks " << ticks.front() << " to " << ticks.back());
  CHECK(ticks.front() >= 2);
  CHECK(ticks.front() <= 3);
  CHECK(ticks.back() >= 5);
  CHECK(ticks.back() <= 6);
  // The race fills the plot: 3 to 5 months is at least half the axis.
  CHECK(2.0 / (ticks.back() - ticks.front()) >= 0.5);
  // The band and parity are off the range: noted at the edges, not drawn.
  CHECK(count_of(lead, "class=\"band\"") == 0);
  CHECK(count_of(lead, "class=\"ref\"") == 0);
  const auto notes = texts_of_class(lead, "off-range-label");
  REQUIRE(notes.size() == 2);
  CHECK(notes[0] == "▲ above this range: 12 to 24 months: the tight line&#39;s lead in the paper");
  CHECK(notes[1] == "▼ below this range: parity (0 months)");
  // The band is still in the legend.
  const auto legend = texts_of_class(lead, "legend-label");
  CHECK(std::find(legend.begin(), legend.end(), "12 to 24 months: the tight line&#39;s lead in the paper") !=
        legend.end());
}

TEST_CASE("debrief: each seat's score over the rounds, one chart per seat") {
  const KnownGame& k = known_game();
  const std::string& html = game_page();
  const auto& actors = default_scenario()->initial.actors;
  for (std::size_t seat = 0; seat < actors.size(); ++seat) {
    INFO("seat " << actors[seat].id);
    const std::string chart = svg_by_id(html, "chart-score-" + actors[seat].id);
    REQUIRE_FALSE(chart.empty());
    CHECK(texts_of_class(chart, "chart-title").at(0).find(actors[seat].id + " · ") == 0);
    const std::vector<std::string> tips = point_tips(chart, "score");
    REQUIRE(tips.size() == k.parent_rounds.size());
    for (std::size_t r = 0; r < tips.size(); ++r) {
      const double score = k.parent_rounds[r].outcomes.scores.at(seat);
      CHECK(tips[r].find("R" + std::to_string(r + 1) + " · score: ") == 0);
      CHECK(std::fabs(tip_value(tips[r]) - score) <= 0.006 * std::max(1.0, std::fabs(score)));
    }
  }
  // The last point is the final score the seats table shows.
  CHECK(html.find("<h2>Seats and scores</h2>") != std::string::npos);
  // Beside its parent, a branch's score charts carry both games.
  const std::string branch_us = svg_by_id(branch_page(), "chart-score-us");
  CHECK(point_tips(branch_us, "this game, g2").size() == k.branch_rounds.size());
  CHECK(point_tips(branch_us, "parent g1").size() == k.parent_rounds.size());
}

TEST_CASE("debrief: the policies in force, every seat in every round, changes marked") {
  const KnownGame& k = known_game();
  const std::string& html = game_page();
  const std::size_t rounds = k.parent_rounds.size();
  // us sets enforcement to 1 + round every round: a change each round.
  const std::string us = policy_table(html, "us");
  REQUIRE_FALSE(us.empty());
  const auto enforcement = policy_cells(us, "set_enforcement");
  REQUIRE(enforcement.size() == rounds);
  for (std::size_t r = 0; r < rounds; ++r) CHECK(enforcement[r] == "$" + std::to_string(r + 2) + "B");
  for (const std::string& tag : policy_cell_tags(us, "set_enforcement"))
    CHECK(tag.find("class=\"chg ord\"") != std::string::npos);
  // The export ban on China, ordered every round: in force every round.
  const auto tier = policy_cells(us, "set_export_tier target=CN");
  REQUIRE(tier.size() == rounds);
  for (const std::string& v : tier) CHECK(v == "0 ban");
  // cn's smuggling budget is set once to 8 and stays: in force every round,
  // marked as a change only where it changed.
  const std::string cn = policy_table(html, "cn");
  const auto smuggling = policy_cells(cn, "set_smuggling");
  REQUIRE(smuggling.size() == rounds);
  for (const std::string& v : smuggling) CHECK(v == "$8B");
  const auto smuggling_tags = policy_cell_tags(cn, "set_smuggling");
  for (std::size_t r = 1; r < rounds; ++r) CHECK(smuggling_tags[r].find("class=\"same ord\"") != std::string::npos);
  CHECK(policy_cells(cn, "set_cyber_operations").at(0) == "$4B · us_lab");

  // In the branch, the bots send nothing after round 3: their seats' policies
  // still show in every round, unchanged, from what the match held.
  auto read = rp::read_game(k.branch);
  REQUIRE(std::holds_alternative<rp::GameRecord>(read));
  const rp::GameRecord& g = std::get<rp::GameRecord>(read);
  const std::string& branch = branch_page();
  for (std::size_t seat = 0; seat < g.seats.size(); ++seat) {
    if (k.bot_paths[seat].empty()) continue;
    INFO("seat " << g.seats[seat].id);
    const rp::SeatPolicies p = rp::seat_policies(g, seat);
    REQUIRE_FALSE(p.rows.empty());
    const std::string table = policy_table(branch, g.seats[seat].id);
    for (const rp::PolicyRow& row : p.rows) {
      const std::string name = row.key.empty() ? row.action : row.action + " " + row.key;
      const auto cells = policy_cells(table, rp::escape(name));
      REQUIRE(cells.size() == g.rounds.size());
      for (std::size_t r = kBranchRound; r < g.rounds.size(); ++r) {
        CHECK(cells[r] == cells[kBranchRound - 1]);
        CHECK_FALSE(row.changed[r]);
        CHECK_FALSE(row.ordered[r]);
      }
      // What the row shows is what the match held after each round.
      for (std::size_t r = 0; r < g.rounds.size(); ++r) {
        CHECK(rp::standing_args(g.played[r][seat].policy, row.slot) ==
              rp::standing_args(g.played[std::min<std::size_t>(r, kBranchRound - 1)][seat].policy, row.slot));
      }
    }
  }
  // The branch's us opened chips to China from round 4.
  const auto branch_tier = policy_cells(policy_table(branch, "us"), "set_export_tier target=CN");
  REQUIRE(branch_tier.size() == k.branch_rounds.size());
  CHECK(branch_tier[kBranchRound - 1] == "0 ban");
  CHECK(branch_tier[kBranchRound] == "3 open");
}

TEST_CASE("debrief: every action of the catalogue reads back from a policy as the order that set it") {
  const auto actors = default_scenario()->initial.actors;
  auto read = rp::read_game(known_game().parent);
  REQUIRE(std::holds_alternative<rp::GameRecord>(read));
  const rp::GameRecord& g = std::get<rp::GameRecord>(read);
  const auto all = lt::catalogue();
  for (std::size_t a = 0; a < all.size(); ++a) {
    const lt::ActionSpec& spec = all[a];
    INFO("action " << spec.name);
    // An order with every argument away from the default: the top of each
    // range, the last actor of the right kind, the last bloc or market.
    lt::Order order{static_cast<int>(a), {}};
    for (const lt::ParamSpec& p : spec.params) {
      switch (p.type) {
        case lt::ParamType::Actor: {
          int last = -1;
          for (std::size_t i = 0; i < actors.size(); ++i) {
            if ((p.actor_kinds & lt::kind_bit(actors[i].kind)) != 0) last = static_cast<int>(i);
          }
          REQUIRE(last >= 0);
          order.args.push_back(last);
          break;
        }
        case lt::ParamType::Bool:
          order.args.push_back(1);
          break;
        case lt::ParamType::Int:
          order.args.push_back(std::max(p.min, p.max - 1));
          break;
        case lt::ParamType::Real:
          order.args.push_back(p.min + 0.75 * (p.max - p.min));
          break;
        case lt::ParamType::Market:
        case lt::ParamType::Bloc:
          order.args.push_back(p.max);
          break;
      }
    }
    lt::Policy policy;
    spec.apply(policy, order);
    const int k = rp::key_param(spec);
    const rp::PolicySlot slot{static_cast<int>(a),
                              k < 0 ? -1 : static_cast<int>(order.args[static_cast<std::size_t>(k)])};
    CHECK(rp::standing_args(policy, slot) == order.args);
    // Some seat of the game may use it, and that seat's slots include this one.
    bool offered = false;
    for (std::size_t seat = 0; seat < g.seats.size(); ++seat) {
      const auto slots = rp::policy_slots(g, seat);
      offered = offered || std::any_of(slots.begin(), slots.end(), [&](const rp::PolicySlot& s) {
                  return s.action == slot.action && s.key == slot.key;
                });
    }
    CHECK(offered);
  }
}

TEST_CASE("debrief: the key moments come first, each linked to its round, the inject named in its round") {
  const KnownGame& k = known_game();
  const std::string& html = game_page();
  const std::size_t top = html.find("<section id=\"key-moments\"");
  REQUIRE(top != std::string::npos);
  CHECK(top < html.find("<section id=\"race\""));
  const std::vector<std::string> list = moments(html);
  REQUIRE_FALSE(list.empty());
  // Every moment links to its round, and every round it names has its anchor
  // (a column of the lead chart) once on the page.
  for (const std::string& m : list) {
    const std::string round = attribute(m, "data-round");
    if (round.empty()) {
      // A line of recurring events: a link per round instead.
      CHECK(m.find("<li class=\"moment recurring\"") == 0);
      CHECK(count_of(m, "class=\"round-chip\" href=\"#round-") > 3);
      continue;
    }
    CHECK(m.find("<a class=\"round-link\" href=\"#round-" + round + "\">R" + round + " ") != std::string::npos);
    CHECK(count_of(html, "id=\"round-" + round + "\"") == 1);
  }
  for (std::size_t r = 1; r <= k.parent_rounds.size(); ++r) {
    CHECK(count_of(html, "id=\"round-" + std::to_string(r) + "\"") == 1);
  }
  CHECK(svg_by_id(html, "chart-lead").find("id=\"round-1\"") != std::string::npos);

  // The inject of round 3, by name, linked to round 3 and to its event's row.
  int injects = 0;
  for (const std::string& m : list) {
    if (attribute(m, "data-kind") != "Inject") continue;
    ++injects;
    CHECK(attribute(m, "data-round") == "3");
    CHECK(m.find("R3 <span class=\"quarter\">" + k.parent_rounds[2].quarter.str() + "</span>") != std::string::npos);
    CHECK(m.find("injected euv_breakthrough") != std::string::npos);
    const std::string link = "<a class=\"what\" href=\"#";
    const std::size_t href = m.find(link + "event-3-");
    REQUIRE(href != std::string::npos);
    const std::size_t from = href + link.size();
    const std::string anchor = m.substr(from, m.find('"', from) - from);
    CHECK(html.find("id=\"" + anchor + "\" data-round=\"3\" data-kind=\"euv_breakthrough\"") != std::string::npos);
  }
  CHECK(injects == 1);

  // The largest swing of the lead, where the match had it.
  std::size_t largest = 1;
  for (std::size_t i = 1; i < k.parent_rounds.size(); ++i) {
    const auto swing = [&](std::size_t j) {
      return std::fabs(k.parent_rounds[j].outcomes.lead_months - k.parent_rounds[j - 1].outcomes.lead_months);
    };
    if (swing(i) > swing(largest)) largest = i;
  }
  int swings = 0;
  for (const std::string& m : list) {
    if (attribute(m, "data-kind") != "Lead swing") continue;
    ++swings;
    if (m.find("(the largest swing of the game)") != std::string::npos) {
      CHECK(attribute(m, "data-round") == std::to_string(largest + 1));
      const double from = k.parent_rounds[largest - 1].outcomes.lead_months;
      const double to = k.parent_rounds[largest].outcomes.lead_months;
      CHECK(m.find("from " + rp::fixed(from, 1) + " to " + rp::fixed(to, 1)) != std::string::npos);
    }
  }
  CHECK(swings >= 1);
  CHECK(swings <= 3);

  // Every exposed smuggling case, theft and milestone is a moment of its
  // round: a line of its own, or (smuggling cases and thefts, when there are
  // more than three) a link to its round on one line of its kind.
  std::size_t expected = 0;
  std::size_t recurring = 0;
  for (const lt::RoundRecord& r : k.parent_rounds) {
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const std::string& kind = r.events[i].kind;
      const bool key = kind == "smuggling_case" || kind == "weight_theft" || kind == "self_improvement" ||
                       kind == "euv_breakthrough" || kind == "distillation_detected";
      if (!key) continue;
      ++expected;
      const std::string anchor = "#event-" + std::to_string(r.round + 1) + "-" + std::to_string(i + 1);
      const std::string round = std::to_string(r.round + 1);
      const bool listed = std::any_of(list.begin(), list.end(), [&](const std::string& m) {
        return m.find("href=\"" + anchor + "\"") != std::string::npos && attribute(m, "data-round") == round;
      });
      const bool chip = std::any_of(list.begin(), list.end(), [&](const std::string& m) {
        return m.find("<a class=\"round-chip\" href=\"#round-" + round + "\" data-round=\"" + round +
                      "\" data-event=\"" + anchor.substr(1) + "\"") != std::string::npos;
      });
      CHECK_MESSAGE(listed != chip, kind << " " << anchor);
      recurring += chip ? 1 : 0;
    }
  }
  CHECK(expected > 0);
  // The known game exposes a smuggling case in nine rounds: one line for them.
  CHECK(recurring >= 9);
  CHECK(count_of(section(html, "key-moments"), "data-kind=\"Smuggling exposed\"") == 1);
}

TEST_CASE("debrief: a branch and its parent differ in colour, dash and legend") {
  const std::string& html = branch_page();
  const std::string lead = svg_by_id(html, "chart-lead");
  const std::string mine = series_group(lead, "this game, g2");
  const std::string theirs = series_group(lead, "parent g1");
  REQUIRE_FALSE(mine.empty());
  REQUIRE_FALSE(theirs.empty());
  CHECK(attribute(mine.substr(mine.find("<path")), "stroke") == "#0072B2");
  CHECK(attribute(theirs.substr(theirs.find("<path")), "stroke") == "#E69F00");
  CHECK(attribute(mine.substr(mine.find("<path")), "stroke-dasharray").empty());
  CHECK_FALSE(attribute(theirs.substr(theirs.find("<path")), "stroke-dasharray").empty());
  CHECK(attribute(theirs.substr(theirs.find("<path")), "opacity") == "0.8");
  // The legend names both, the parent's swatch dashed.
  const auto items = inner_of(lead, "g", "class=\"legend-item\"");
  bool solid = false;
  bool dashed = false;
  for (const std::string& item : items) {
    if (item.find(">this game, g2<") != std::string::npos) solid = item.find("stroke-dasharray") == std::string::npos;
    if (item.find(">parent g1<") != std::string::npos) dashed = item.find("stroke-dasharray") != std::string::npos;
  }
  CHECK(solid);
  CHECK(dashed);

  // Charts coloured by bloc: each bloc once in the legend, then the two line
  // styles; every parent line dashed and fainter.
  const std::string compute = svg_by_id(html, "chart-compute");
  const auto legend = texts_of_class(compute, "legend-label");
  REQUIRE(legend.size() >= 4);
  CHECK(legend[legend.size() - 2] == "this game, g2");
  CHECK(legend[legend.size() - 1] == "parent g1");
  for (const std::string& label : legend) CHECK(label.find("(parent") == std::string::npos);
  for (const char* bloc : {"US", "CN", "EU"}) {
    CHECK(std::find(legend.begin(), legend.end(), bloc) != legend.end());
    const std::string parent_line = series_group(compute, std::string(bloc) + " (parent g1)");
    REQUIRE_FALSE(parent_line.empty());
    CHECK_FALSE(attribute(parent_line.substr(parent_line.find("<path")), "stroke-dasharray").empty());
    CHECK(attribute(parent_line.substr(parent_line.find("<path")), "opacity") == "0.8");
  }
  // A key above the charts says which line is which.
  CHECK(html.find("<span class=\"key-line dashed\"></span>parent g1") != std::string::npos);
  CHECK(html.find("<span class=\"key-line solid\"></span>this game, g2") != std::string::npos);
  // The moment the branch parts from its parent is a key moment.
  bool branch_moment = false;
  for (const std::string& m : moments(html)) {
    branch_moment = branch_moment || (attribute(m, "data-kind") == "Branch" &&
                                      attribute(m, "data-round") == std::to_string(kBranchRound + 1));
  }
  CHECK(branch_moment);
}

TEST_CASE("debrief: every line, lane and swatch is in the colour-blind-safe palette") {
  for (const std::string* page : {&game_page(), &branch_page()}) {
    std::size_t checked = 0;
    for (const std::string& svg : svgs(*page)) {
      for (const std::string& group : inner_of(svg, "g", "class=\"series\"")) {
        for (const std::string& c : attribute_values(group, "stroke")) {
          if (c == "#ffffff") continue;
          ++checked;
          CHECK_MESSAGE(palette().count(c) == 1, attribute(svg, "id") << ": " << c);
        }
      }
      for (const std::string& mark : inner_of(svg, "g", "class=\"mark\"")) {
        for (const std::string& c : attribute_values(mark, "fill")) CHECK_MESSAGE(palette().count(c) == 1, c);
      }
    }
    CHECK(checked > 50);
    const std::string swatch = "class=\"swatch\" style=\"background:";
    std::size_t swatches = 0;
    for (std::size_t at = page->find(swatch); at != std::string::npos; at = page->find(swatch, at + 1)) {
      const std::size_t from = at + swatch.size();
      const std::string c = page->substr(from, page->find('"', from) - from);
      ++swatches;
      CHECK_MESSAGE(palette().count(c) == 1, c);
    }
    CHECK(swatches > 20);
  }
}

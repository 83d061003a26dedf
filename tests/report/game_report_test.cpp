// The after-action report of a known game (tests/report/report_fixture.h):
// the page holds the match's numbers round by round, the seats with their
// players and bot paths, every event on the timeline and in the events
// table, escaped player text, charts with axes, labels and legends, and a
// branch drawn beside its parent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "report/game_report.h"
#include "report/html.h"
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

// LEADTIME_REPORT_DUMP_DIR=DIR keeps the pages the tests make, to look at.
void dump(const std::string& html, const std::string& name) {
  const char* dir = std::getenv("LEADTIME_REPORT_DUMP_DIR");
  if (dir != nullptr && *dir != '\0') std::ofstream(std::string(dir) + "/" + name) << html;
}

const std::string& parent_page() {
  static const std::string html = rp::render_game_report(input_of(known_game().parent, nullptr));
  dump(html, "known-game.html");
  return html;
}

const std::string& branch_page() {
  static const std::string html = rp::render_game_report(input_of(known_game().branch, &known_game().parent));
  dump(html, "known-branch.html");
  return html;
}

// Three significant digits, as the tooltips print values.
void check_close(double shown, double actual) {
  CHECK_MESSAGE(std::fabs(shown - actual) <= 0.006 * std::max(1.0, std::fabs(actual)),
                "shown " << shown << ", match " << actual);
}

void check_series(const std::string& svg, const std::string& series, const std::vector<lt::RoundRecord>& rounds,
                  double (*value)(const lt::RoundRecord&)) {
  const std::vector<std::string> tips = point_tips(svg, series);
  INFO("series " << series);
  REQUIRE(tips.size() == rounds.size());
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    CHECK(tips[i].find("R" + std::to_string(i + 1) + " (" + rounds[i].quarter.str() + ")") == 0);
    check_close(tip_value(tips[i]), value(rounds[i]));
  }
}

double lead_of(const lt::RoundRecord& r) { return r.outcomes.lead_months; }
double ratio_of(const lt::RoundRecord& r) { return r.outcomes.compute_ratio_us_cn; }
double us_compute_of(const lt::RoundRecord& r) { return r.outcomes.compute_h100e[0]; }

}  // namespace

TEST_CASE("report: a game read back from its save file is the game that was played") {
  const KnownGame& k = known_game();
  auto read = rp::read_game(k.parent);
  REQUIRE_MESSAGE(std::holds_alternative<rp::GameRecord>(read), std::get<std::string>(read));
  const rp::GameRecord& g = std::get<rp::GameRecord>(read);
  CHECK(g.warnings.empty());
  REQUIRE(g.rounds.size() == k.parent_rounds.size());
  for (std::size_t i = 0; i < g.rounds.size(); ++i) CHECK(g.rounds[i].hash == k.parent_rounds[i].hash);
  CHECK(g.final_scores == k.parent_scores);
  const int us = 0;
  const int eu = 2;
  REQUIRE(g.seats[us].id == "us");
  REQUIRE(g.seats[eu].id == "eu");
  CHECK(g.played[0][us].member == kUsMember);
  CHECK_FALSE(g.played[0][us].bot);
  CHECK(g.played[0][eu].bot_path == k.bot_paths[eu]);
  CHECK(g.played[3][eu].bot_path == "scripts/bots/eu_aligner.lua");  // swapped before round 4
  CHECK(g.played[0][us].orders.at(0) == "set_export_tier target=CN tier=0");
  REQUIRE(g.press.size() == 2);
  CHECK(g.press[1].text == kPress);
  CHECK(g.press[1].round == 2);
}

TEST_CASE("report: the page names the scenario and every seat with its players and bot paths") {
  const KnownGame& k = known_game();
  const std::string& html = parent_page();
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("Game g1 · scenario 2028") != std::string::npos);
  CHECK(html.find("seed 2028") != std::string::npos);
  for (const lt::Actor& a : default_scenario()->initial.actors) {
    CHECK_MESSAGE(html.find("<strong>" + a.id + "</strong>") != std::string::npos, a.id);
  }
  for (const std::string& path : k.bot_paths) {
    if (!path.empty()) CHECK_MESSAGE(html.find("<code>" + path + "</code>") != std::string::npos, path);
  }
  CHECK(html.find("scripts/bots/eu_aligner.lua</code> <span class=\"muted\">R4–R10</span>") != std::string::npos);
  CHECK(html.find(rp::escape(kUsMember)) != std::string::npos);
  CHECK(html.find(rp::escape(kCnMember)) != std::string::npos);
  // The final scores, each seat's.
  for (double score : k.parent_scores) CHECK(html.find(">" + rp::fixed(score, 2) + "<") != std::string::npos);
}

TEST_CASE("report: the charts hold the match's values round by round") {
  const KnownGame& k = known_game();
  const std::string& html = parent_page();
  const std::string lead = svg_by_id(html, "chart-lead");
  REQUIRE_FALSE(lead.empty());
  check_series(lead, "lead", k.parent_rounds, lead_of);
  check_series(svg_by_id(html, "chart-ratio"), "US : CN", k.parent_rounds, ratio_of);
  const std::string compute = svg_by_id(html, "chart-compute");
  for (const char* bloc : {"US", "CN", "EU"}) CHECK(!series_group(compute, bloc).empty());
  const auto us_tips = point_tips(compute, "US");
  REQUIRE(us_tips.size() == k.parent_rounds.size());
  for (const char* market : {"US", "CN", "EU", "ROW"}) {
    const std::string chart = svg_by_id(html, std::string("chart-share-") + market);
    for (const char* stack : {"US stack", "CN stack", "EU stack"}) {
      CHECK_MESSAGE(point_tips(chart, stack).size() == k.parent_rounds.size(), market << " " << stack);
    }
  }
  // The axis fits this game's lead of 0 to 4 months: the 12 to 24 month
  // band lies above it and is noted at the top edge; parity is on it.
  CHECK(count_of(lead, "class=\"band\"") == 0);
  CHECK(texts_of_class(lead, "off-range-label").at(0).find("▲ above this range: 12 to 24 months") == 0);
  CHECK(texts_of_class(lead, "ref-label").at(0) == "parity");
  // The headline figure is the last round's lead.
  CHECK(html.find(">" + rp::fixed(k.parent_rounds.back().outcomes.lead_months, 1) + "<span class=\"unit\"> months") !=
        std::string::npos);
}

TEST_CASE("report: every event is on the timeline and in the events table, bot faults and injects included") {
  const KnownGame& k = known_game();
  const std::string& html = parent_page();
  const std::string timeline = svg_by_id(html, "timeline");
  REQUIRE_FALSE(timeline.empty());
  const std::vector<std::string> marks = inner_of(timeline, "g", "class=\"mark\"");
  std::string all_tips;
  std::size_t counted = 0;
  for (const std::string& m : marks) all_tips += m;
  for (std::size_t at = timeline.find("data-count=\""); at != std::string::npos;
       at = timeline.find("data-count=\"", at + 1)) {
    counted += std::stoul(timeline.substr(at + 12));
  }
  std::size_t events = 0;
  bool fault = false;
  bool inject = false;
  for (const lt::RoundRecord& r : k.parent_rounds) {
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const lt::Event& e = r.events[i];
      ++events;
      const std::string id = "event-" + std::to_string(r.round + 1) + "-" + std::to_string(i + 1);
      INFO("event " << id << " " << e.kind);
      CHECK(html.find("id=\"" + id + "\" data-round=\"" + std::to_string(r.round + 1) + "\" data-kind=\"" +
                      rp::escape(e.kind) + "\"") != std::string::npos);
      CHECK(html.find(rp::escape(e.text)) != std::string::npos);
      CHECK(all_tips.find(rp::escape(e.kind + " (")) != std::string::npos);
      fault = fault || (e.kind == "bot_fault" && e.text.find(kFaultText) != std::string::npos && r.round == 1);
      inject = inject || (e.kind == "euv_breakthrough" && r.round == 2);
    }
  }
  CHECK(events > 3);
  CHECK(fault);
  CHECK(inject);
  // One facilitator action shows on the timeline: the swap (the inject shows as its event).
  CHECK(counted == events + 1);
  const std::vector<std::string> lanes = texts_of_class(timeline, "lane-label");
  for (const char* lane : {"Smuggling", "Thefts &amp; leaks", "Milestones", "Injects", "Bot faults", "Facilitator"}) {
    CHECK_MESSAGE(std::find(lanes.begin(), lanes.end(), lane) != lanes.end(), lane);
  }
  CHECK(html.find("handed eu to the bot scripts/bots/eu_aligner.lua") != std::string::npos);
  CHECK(html.find("injected euv_breakthrough") != std::string::npos);
}

TEST_CASE("report: player text is escaped everywhere on the page") {
  const std::string& html = parent_page();
  CHECK(count_of(html, "<script") == 1);  // the page's own
  CHECK(html.find("<b>Lee</b>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; meet at &#39;noon&#39; &amp; bring "
                  "&quot;charts&quot;") != std::string::npos);
  CHECK(html.find("Wei &amp; &quot;Co&quot;") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
}

TEST_CASE("report: every chart has a title, both axes with ticks and labels, and a legend") {
  for (const std::string* page : {&parent_page(), &branch_page()}) {
    const std::vector<std::string> charts = svgs(*page);
    // lead, timeline, ratio, compute, a score chart per seat, four markets
    REQUIRE(charts.size() == 8 + default_scenario()->initial.actors.size());
    for (const std::string& svg : charts) {
      const std::string id = attribute(svg, "id");
      INFO("chart " << id);
      CHECK_FALSE(inner_of(svg, "title", "id=\"" + id + "-title\"").empty());
      CHECK(texts_of_class(svg, "chart-title").size() == 1);
      CHECK(count_of(svg, "class=\"axis x-axis\"") == 1);
      CHECK(texts_of_class(svg, "tick-label").size() >= 4);
      const auto axis_labels = texts_of_class(svg, "axis-label");
      CHECK(std::find(axis_labels.begin(), axis_labels.end(), "round") != axis_labels.end());
      if (id == "timeline") {
        CHECK(texts_of_class(svg, "lane-label").size() >= 5);
        continue;
      }
      CHECK(count_of(svg, "class=\"axis y-axis\"") == 1);
      CHECK(axis_labels.size() == 2);
      CHECK(count_of(svg, "class=\"legend\"") == 1);
      CHECK_FALSE(texts_of_class(svg, "legend-label").empty());
    }
  }
}

TEST_CASE("report: a branch and its parent are drawn on the same charts") {
  const KnownGame& k = known_game();
  const std::string& html = branch_page();
  const std::string lead = svg_by_id(html, "chart-lead");
  check_series(lead, "this game, g2", k.branch_rounds, lead_of);
  check_series(lead, "parent g1", k.parent_rounds, lead_of);
  check_series(svg_by_id(html, "chart-compute"), "US (parent g1)", k.parent_rounds, us_compute_of);
  check_series(svg_by_id(html, "chart-compute"), "US (this game, g2)", k.branch_rounds, us_compute_of);
  const auto legend = texts_of_class(lead, "legend-label");
  CHECK(std::find(legend.begin(), legend.end(), "this game, g2") != legend.end());
  CHECK(std::find(legend.begin(), legend.end(), "parent g1") != legend.end());
  CHECK(texts_of_class(lead, "marker-label").at(0) == "branched from g1 after R3");
  // The shared rounds are the same rounds; after the branch point the lines part.
  for (int r = 0; r < kBranchRound; ++r) CHECK(k.branch_rounds[r].hash == k.parent_rounds[r].hash);
  CHECK(k.branch_rounds.back().hash != k.parent_rounds.back().hash);
  CHECK(html.find("<th class=\"num\">Parent g1</th>") != std::string::npos);
  CHECK(html.find("branch of g1 after round 3") != std::string::npos);

  // A record that does not name its parent takes the one given, branching
  // where the state hashes part.
  save::SaveData unnamed = known_game().branch;
  unnamed.game.parent_id.clear();
  unnamed.game.branch_round = -1;
  const rp::GameReportInput linked = input_of(unnamed, &known_game().parent);
  CHECK(linked.game.parent_id == "g1");
  CHECK(linked.game.branch_round == kBranchRound);
  CHECK(linked.game.warnings.empty());

  // Without its parent the page says why the parent is missing.
  const std::string alone = rp::render_game_report(input_of(known_game().branch, nullptr));
  CHECK(alone.find("its parent is not on the charts") != std::string::npos);
  CHECK(point_tips(svg_by_id(alone, "chart-lead"), "lead").size() == k.branch_rounds.size());
}

TEST_CASE("report: the facilitator's log tells a server restart, in the round it happened") {
  save::SaveData save = known_game().parent;
  // A restart recorded just after round 3 resolved, as a recovered server writes it.
  std::size_t after = 0;
  for (std::size_t i = 0; i < save.journal.size(); ++i) {
    if (save.journal[i].kind == "resolved" && nlohmann::json::parse(save.journal[i].payload).value("round", 0) == 3) {
      after = i;
    }
  }
  REQUIRE(after > 0);
  store::JournalEntry restart = save.journal[after];
  restart.kind = "recovered";
  restart.seat = lt::kNoActor;
  restart.payload = R"({"downtime_ms":420000})";
  save.journal.insert(save.journal.begin() + static_cast<std::ptrdiff_t>(after) + 1, restart);
  for (std::size_t i = 0; i < save.journal.size(); ++i) save.journal[i].seq = i + 1;

  auto read = rp::read_game(save);
  REQUIRE_MESSAGE(std::holds_alternative<rp::GameRecord>(read), std::get<std::string>(read));
  const rp::GameRecord& record = std::get<rp::GameRecord>(read);
  const auto it = std::find_if(record.actions.begin(), record.actions.end(),
                               [](const rp::FacilitatorAction& a) { return a.kind == "recovered"; });
  REQUIRE(it != record.actions.end());
  CHECK(it->round == 4);
  CHECK(it->text.find("the server restarted") != std::string::npos);
  CHECK(it->text.find("down 7 min") != std::string::npos);
  const std::string html = rp::render_game_report(input_of(save, nullptr));
  CHECK(html.find("the server restarted; the game went on from its record") != std::string::npos);
}

// The game report page: header and key figures, seats and final scores, the
// charts (game_charts.cpp), each seat's orders, the events, the press and
// the facilitator's log.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include "report/game_parts.h"
#include "report/html.h"
#include "report/policies.h"

namespace leadtime::report {

using after_action::round_where;

namespace {

std::string utc_text(std::int64_t ms, const char* format) {
  if (ms <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

const RoundRecord* last_round(const GameRecord& g) { return g.rounds.empty() ? nullptr : &g.rounds.back(); }

std::string card(const std::string& label, const std::string& value, const std::string& unit, const std::string& sub) {
  return "<div class=\"card\"><div class=\"label\">" + escape(label) + "</div><div class=\"value\">" + escape(value) +
         (unit.empty() ? "" : "<span class=\"unit\"> " + escape(unit) + "</span>") + "</div>" +
         (sub.empty() ? "" : "<div class=\"sub\">" + escape(sub) + "</div>") + "</div>";
}

int count_events(const GameRecord& g, const std::string& kind) {
  int n = 0;
  for (const RoundRecord& r : g.rounds) {
    n += static_cast<int>(
        std::count_if(r.events.begin(), r.events.end(), [&](const Event& e) { return e.kind == kind; }));
  }
  return n;
}

std::string cards(const GameReportInput& in) {
  const GameRecord& g = in.game;
  const RoundRecord* last = last_round(g);
  if (last == nullptr) return "";
  const RoundRecord* parent_last = in.parent ? last_round(*in.parent) : nullptr;
  const std::string when = "after " + round_where(g, last->round + 1);
  std::string parent_lead;
  if (parent_last != nullptr) {
    parent_lead = "parent " + in.parent->id + ": " + fixed(parent_last->outcomes.lead_months, 1) + " after R" +
                  std::to_string(parent_last->round + 1);
  }
  double smuggled = 0;
  for (const RoundRecord& r : g.rounds) smuggled += r.flows.smuggled_h100e;
  // The rest of the world, where the paper says the race for adoption is decided.
  const auto& row = last->outcomes.shares[static_cast<std::size_t>(market_index(Bloc::ROW))];
  const auto leader = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
  std::string others;
  for (std::size_t s = 0; s < row.size(); ++s) {
    if (s != leader) others += (others.empty() ? "" : " · ") + std::string(kStackNames[s]) + " " + percent(row[s]);
  }
  std::string out = "<div class=\"cards\">";
  out += card("US lead over China", fixed(last->outcomes.lead_months, 1), "months",
              parent_lead.empty() ? when : parent_lead);
  out += card("US : China compute", fixed(last->outcomes.compute_ratio_us_cn, 1) + " : 1", "", when);
  out += card("Rest-of-world leader", std::string(kStackNames[leader]) + " " + percent(row[leader]), "", others);
  out += card("Smuggling cases exposed", std::to_string(count_events(g, "smuggling_case")), "",
              compact(smuggled) + " H100e smuggled in all");
  out += card("Model thefts", std::to_string(last->outcomes.thefts_total), "",
              std::to_string(count_events(g, "distillation_detected")) + " distillation campaigns detected");
  return out + "</div>";
}

std::string header(const GameReportInput& in) {
  const GameRecord& g = in.game;
  std::string out = "<header class=\"top\"><div class=\"wrap\"><p class=\"kicker\">Leadtime after-action report</p>";
  out += "<h1>Game " + escape(g.id) + " · scenario " + escape(g.scenario_name) + "</h1>";
  if (!g.scenario_description.empty()) out += "<p>" + escape(g.scenario_description) + "</p>";
  std::string facts = std::to_string(g.rounds.size()) + " of " + std::to_string(g.rounds_planned) + " rounds played";
  if (!g.rounds.empty()) {
    facts += " (" + g.start.str() + " to " + g.start.plus(static_cast<int>(g.rounds.size()) - 1).str() + ")";
  }
  facts += g.finished ? ", finished" : ", not finished";
  facts += " · seed " + std::to_string(g.seed);
  if (!g.parent_id.empty()) {
    facts += " · branch of " + g.parent_id + " after round " + std::to_string(g.branch_round);
  }
  out += "<p>" + escape(facts) + "</p>";
  out += cards(in);
  return out + "</div></header>";
}

std::string notices(const GameReportInput& in) {
  std::string out;
  for (const std::string& w : in.game.warnings) out += "<div class=\"notice\">" + escape(w) + "</div>";
  if (!in.game.parent_id.empty() && !in.parent) {
    std::string text = "This game is a branch of " + in.game.parent_id + " after round " +
                       std::to_string(in.game.branch_round) + "; its parent is not on the charts";
    text += in.parent_note.empty() ? "." : " (" + in.parent_note + ").";
    out += "<div class=\"notice\">" + escape(text) + "</div>";
  }
  if (in.parent) {
    for (const std::string& w : in.parent->warnings) {
      out += "<div class=\"notice\">Parent " + escape(in.parent->id) + ": " + escape(w) + "</div>";
    }
  }
  return out;
}

std::string bot_tag(const std::string& path) {
  return "<span class=\"tag bot\">bot</span> <code>" + escape(path) + "</code>";
}

// Runs of rounds in which one bot, or people, played the seat.
std::string played_by(const GameRecord& g, std::size_t seat) {
  struct Run {
    std::string key;
    int first = 0;
    int last = 0;
    std::set<std::string> members;
  };
  std::vector<Run> runs;
  for (std::size_t r = 0; r < g.played.size(); ++r) {
    if (seat >= g.played[r].size()) continue;
    const SeatPlay& p = g.played[r][seat];
    const std::string key = p.bot ? "bot:" + p.bot_path : "person";
    const int round = static_cast<int>(r) + 1;
    if (runs.empty() || runs.back().key != key) runs.push_back({key, round, round, {}});
    runs.back().last = round;
    if (!p.bot && !p.member.empty()) runs.back().members.insert(p.member);
  }
  if (runs.empty()) {
    const Seat& s = g.seats[seat];
    return s.bot_at_start ? bot_tag(s.bot_path_at_start) : "<span class=\"tag person\">people</span>";
  }
  std::string out;
  for (const Run& run : runs) {
    if (!out.empty()) out += "<br>";
    if (run.key.rfind("bot:", 0) == 0) {
      out += bot_tag(run.key.substr(4));
    } else {
      out += "<span class=\"tag person\">people</span>";
      std::string names;
      for (const std::string& m : run.members) names += (names.empty() ? "" : ", ") + m;
      out += names.empty() ? " <span class=\"muted\">(no orders sent)</span>" : " " + escape(names);
    }
    if (runs.size() > 1) {
      out += " <span class=\"muted\">R" + std::to_string(run.first) +
             (run.last > run.first ? "–R" + std::to_string(run.last) : "") + "</span>";
    }
  }
  return out;
}

double score_of(const GameRecord& g, std::size_t seat) {
  return seat < g.final_scores.size() ? g.final_scores[seat] : std::nan("");
}

std::string seats_section(const GameReportInput& in) {
  const GameRecord& g = in.game;
  Table t;
  t.css_class = "seats";
  t.header = {"Seat", "Role", "Played by", "Final score"};
  t.numeric = {false, false, false, true};
  if (in.parent) {
    t.header.push_back("Parent " + in.parent->id);
    t.numeric.push_back(true);
  }
  for (std::size_t i = 0; i < g.seats.size(); ++i) {
    const Seat& s = g.seats[i];
    const std::string dot = "<span class=\"swatch\" style=\"background:" +
                            std::string(after_action::kBlocColors[static_cast<std::size_t>(s.bloc)]) + "\"></span>";
    Table::Row row;
    row.cells.push_back(Cell::raw(dot + "<strong>" + escape(s.id) + "</strong>"));
    row.cells.push_back(Cell::text(s.name + " · " + kActorKindNames[static_cast<std::size_t>(s.kind)] + ", " +
                                   kBlocNames[static_cast<std::size_t>(s.bloc)]));
    row.cells.push_back(Cell::raw(played_by(g, i)));
    row.cells.push_back(Cell::number(fixed(score_of(g, i), 2)));
    if (in.parent) row.cells.push_back(Cell::number(fixed(score_of(*in.parent, i), 2)));
    t.rows.push_back(std::move(row));
  }
  std::string out =
      "<section id=\"seats\"><h2>Seats and scores</h2><p class=\"lede\">Who played each seat, and each "
      "seat's score against the objectives the scenario gave it, at the end and round by round (scores compare "
      "within a seat, not across seats: each chart has its own scale).</p>" +
      render(t);
  if (in.parent) out += "<p class=\"keys\">" + after_action::branch_key(in) + "</p>";
  return out + after_action::score_charts(in) + "</section>";
}

// One seat's policies, a row each, a column per round: the value in force
// every round, a change marked where it happened.
std::string policy_table(const GameRecord& g, std::size_t seat, const SeatPolicies& p) {
  // Columns of one width whatever the values, so the rounds of every seat's
  // table line up; a long game scrolls sideways rather than squeezing them.
  const std::string min_width = std::to_string(250 + 66 * g.rounds.size());
  std::string out = "<div class=\"scroll\"><table class=\"policies\" style=\"min-width:" + min_width +
                    "px\"><colgroup><col class=\"policy-name\"></colgroup><thead><tr><th>Policy</th>";
  for (std::size_t r = 0; r < g.rounds.size(); ++r) {
    const std::string round = std::to_string(r + 1);
    out += "<th class=\"num\" data-round=\"" + round + "\">R" + round + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const PolicyRow& row : p.rows) {
    const std::string name = row.key.empty() ? row.action : row.action + " " + row.key;
    out += "<tr data-policy=\"" + escape(name) + "\"><th scope=\"row\" title=\"" + escape(row.help) + "\"><code>" +
           escape(row.action) + "</code>" +
           (row.key.empty() ? "" : " <span class=\"key\">" + escape(row.key) + "</span>") + "</th>";
    for (std::size_t r = 0; r < row.values.size(); ++r) {
      const int round = static_cast<int>(r) + 1;
      std::string css = row.changed[r] ? "chg" : "same";
      if (row.ordered[r]) css += " ord";
      const std::string how = row.changed[r]   ? (row.ordered[r] ? "changed by an order" : "changed")
                              : row.ordered[r] ? "ordered again, unchanged"
                                               : "in force, unchanged";
      out += "<td class=\"" + css + "\" data-round=\"" + std::to_string(round) + "\" title=\"" +
             escape(round_where(g, round) + " · " + g.seats[seat].id + " " + name + ": " + row.values[r] + " (" + how +
                    ")") +
             "\">" + escape(row.values[r]) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  if (!p.at_defaults.empty()) {
    std::string names;
    for (const std::string& n : p.at_defaults) names += (names.empty() ? "" : "; ") + n;
    out += "<p class=\"defaults muted\">At their defaults all game: " + escape(names) + ".</p>";
  }
  return out;
}

std::string policies_section(const GameRecord& g) {
  std::string out =
      "<section id=\"policies\"><h2>Policies in force, seat by seat</h2><p class=\"lede\">Every standing "
      "policy a seat set, or held other than the default, and its value in every round, as the order that sets it. "
      "<span class=\"chg-sample\">Bold on a tint</span>: changed that round; a plain value stayed in force.</p>";
  if (g.rounds.empty()) return out + "<p class=\"muted\">No round has been resolved yet.</p></section>";
  for (std::size_t seat = 0; seat < g.seats.size(); ++seat) {
    const Seat& s = g.seats[seat];
    const SeatPolicies p = seat_policies(g, seat);
    out += "<details open id=\"policies-" + escape(s.id) + "\"><summary>" + escape(s.id) + " · " + escape(s.name) +
           "</summary>";
    out += p.rows.empty() ? "<p class=\"muted\">Every policy at its default all game.</p>" : policy_table(g, seat, p);
    out += "</details>";
  }
  return out + "</section>";
}

std::string orders_cell(const SeatPlay& p) {
  if (p.orders.empty()) return "<span class=\"muted\">standing orders</span>";
  std::string out = "<ul class=\"orders\">";
  for (const std::string& o : p.orders) out += "<li><code>" + escape(o) + "</code></li>";
  return out + "</ul>";
}

SeatPlay play_of(const GameRecord& g, std::size_t round, std::size_t seat) {
  return seat < g.played[round].size() ? g.played[round][seat] : SeatPlay{};
}

bool same_player(const SeatPlay& a, const SeatPlay& b) {
  return a.bot == b.bot && a.bot_path == b.bot_path && a.member == b.member;
}

Cell player_cell(const SeatPlay& p) {
  if (p.bot) return Cell::raw(bot_tag(p.bot_path));
  return Cell::raw("<span class=\"tag person\">people</span> " +
                   (p.member.empty() ? std::string("<span class=\"muted\">nobody</span>") : escape(p.member)));
}

// One row per round with new orders; consecutive rounds on standing orders
// with the same player share a row, so a quiet bot takes one line, not ten.
Table seat_orders(const GameRecord& g, std::size_t seat) {
  Table t;
  t.css_class = "orders";
  t.header = {"Round", "Played by", "Orders"};
  for (std::size_t r = 0; r < g.played.size();) {
    const SeatPlay p = play_of(g, r, seat);
    std::size_t last = r;
    while (p.orders.empty() && last + 1 < g.played.size() && play_of(g, last + 1, seat).orders.empty() &&
           same_player(p, play_of(g, last + 1, seat))) {
      ++last;
    }
    const int first_round = static_cast<int>(r) + 1;
    const int last_round = static_cast<int>(last) + 1;
    Table::Row row;
    std::string when = round_where(g, first_round);
    if (last_round > first_round) {
      when = "R" + std::to_string(first_round) + "–R" + std::to_string(last_round) + " (" +
             g.start.plus(first_round - 1).str() + "–" + g.start.plus(last_round - 1).str() + ")";
    } else {
      row.attributes = "data-round=\"" + std::to_string(first_round) + "\"";
    }
    row.cells.push_back(Cell::text(when));
    row.cells.push_back(player_cell(p));
    row.cells.push_back(Cell::raw(orders_cell(p)));
    t.rows.push_back(std::move(row));
    r = last + 1;
  }
  return t;
}

std::string orders_section(const GameRecord& g) {
  std::string out =
      "<section id=\"orders\"><h2>Orders, seat by seat</h2><p class=\"lede\">The orders that resolved "
      "each round. A seat that sent nothing kept its standing orders (policies stay in force until "
      "changed).</p>";
  for (std::size_t seat = 0; seat < g.seats.size(); ++seat) {
    const Seat& s = g.seats[seat];
    out += "<details open id=\"orders-" + escape(s.id) + "\"><summary>" + escape(s.id) + " · " + escape(s.name) +
           "</summary>" + render(seat_orders(g, seat)) + "</details>";
  }
  return out + "</section>";
}

std::string events_section(const GameRecord& g) {
  Table t;
  t.css_class = "events";
  t.header = {"Round", "Kind", "Event", "Seen by", "What happened"};
  for (const RoundRecord& r : g.rounds) {
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const Event& e = r.events[i];
      const Lane& lane = after_action::lanes()[static_cast<std::size_t>(after_action::event_lane(g, r, e))];
      std::string seen = leadtime::visibility_name(e.visibility);
      std::string seen_html = "<span class=\"tag " + seen + "\">" + seen + "</span>";
      for (int a : e.audience) seen_html += " " + escape(g.seat_id(a));
      Table::Row row;
      row.attributes = "id=\"event-" + std::to_string(r.round + 1) + "-" + std::to_string(i + 1) + "\" data-round=\"" +
                       std::to_string(r.round + 1) + "\" data-kind=\"" + escape(e.kind) + "\"";
      row.cells.push_back(Cell::text(round_where(g, r.round + 1)));
      row.cells.push_back(Cell::raw("<span class=\"swatch\" style=\"background:" + escape(lane.color) + "\"></span>" +
                                    escape(lane.name)));
      row.cells.push_back(Cell::raw("<code>" + escape(e.kind) + "</code>"));
      row.cells.push_back(Cell::raw(seen_html));
      row.cells.push_back(Cell::text(e.text));
      t.rows.push_back(std::move(row));
    }
  }
  std::string out =
      "<section id=\"events\"><h2>Events</h2><p class=\"lede\">Every event of every round, as the "
      "facilitator sees them: public ones everyone saw, private ones only the seats named.</p>";
  out += t.rows.empty() ? "<p class=\"muted\">No events.</p>" : render(t);
  return out + "</section>";
}

std::string press_section(const GameRecord& g) {
  std::string out = "<section id=\"press\"><h2>Press</h2>";
  if (g.press.empty()) return out + "<p class=\"muted\">No messages were sent.</p></section>";
  Table t;
  t.css_class = "press";
  t.header = {"Round", "From", "To", "Message"};
  for (const PressItem& p : g.press) {
    Table::Row row;
    row.attributes = "data-round=\"" + std::to_string(p.round) + "\"";
    row.cells = {Cell::text(round_where(g, p.round)), Cell::text(p.from), Cell::text(p.to), Cell::text(p.text)};
    t.rows.push_back(std::move(row));
  }
  return out + "<p class=\"lede\">Every message, public and private, in the round it was sent.</p>" + render(t) +
         "</section>";
}

std::string actions_section(const GameRecord& g) {
  std::string out = "<section id=\"facilitator\"><h2>Facilitator's log</h2>";
  if (g.actions.empty()) return out + "<p class=\"muted\">No facilitator actions.</p></section>";
  Table t;
  t.css_class = "actions";
  t.header = {"Round", "Time (UTC)", "Action"};
  for (const FacilitatorAction& a : g.actions) {
    Table::Row row;
    row.attributes = "data-round=\"" + std::to_string(a.round) + "\"";
    row.cells = {Cell::text(round_where(g, a.round)), Cell::text(utc_text(a.at_ms, "%H:%M:%S")), Cell::text(a.text)};
    t.rows.push_back(std::move(row));
  }
  return out + render(t) + "</section>";
}

// Rounds at the start of both games with the same state hash.
int shared_rounds(const GameRecord& a, const GameRecord& b) {
  std::size_t n = 0;
  while (n < a.rounds.size() && n < b.rounds.size() && a.rounds[n].hash == b.rounds[n].hash) ++n;
  return static_cast<int>(n);
}

std::string footer(const GameRecord& g, const GameReportOptions& options) {
  std::string text = "Scenario file " + (g.scenario_path.empty() ? std::string("(none)") : g.scenario_path) +
                     " · game created " + utc_text(g.created_ms, "%Y-%m-%d %H:%M UTC");
  if (!options.generated_by.empty()) text += " · " + options.generated_by;
  return "<footer class=\"wrap\">" + escape(text) + "</footer>";
}

}  // namespace

void link_branch(GameRecord& game, const GameRecord& parent) {
  if (!game.parent_id.empty() && game.parent_id != parent.id) {
    game.warnings.push_back("This game names " + game.parent_id + " as its parent, but the parent given is " +
                            parent.id + ".");
    return;
  }
  if (game.parent_id.empty()) {
    // A record that does not name its parent: the branch point is where the
    // two games' state hashes part (identical rounds are the same rounds).
    game.parent_id = parent.id;
    game.branch_round = shared_rounds(game, parent);
  }
}

std::string render_game_report(const GameReportInput& in, const GameReportOptions& options) {
  const GameRecord& g = in.game;
  std::string body = header(in);
  body += "<main class=\"wrap\">";
  body += notices(in);
  if (g.rounds.empty()) {
    body += "<div class=\"notice\">No round of this game has been resolved yet: the charts are empty.</div>";
  }
  body += after_action::key_moments_section(in, options);
  body += after_action::race_section(in, options);
  body += seats_section(in);
  body += after_action::markets_section(in);
  body += policies_section(g);
  body += orders_section(g);
  body += events_section(g);
  body += press_section(g);
  body += actions_section(g);
  body += "</main>" + footer(g, options);
  return page("Leadtime report: game " + g.id + " (" + g.scenario_name + ")", body);
}

std::variant<GameReportInput, std::string> game_report_input(const game::save::SaveData& game,
                                                             const game::save::SaveData* parent,
                                                             std::string parent_note) {
  auto read = read_game(game);
  if (auto* error = std::get_if<std::string>(&read)) return *error;
  GameReportInput in;
  in.game = std::get<GameRecord>(std::move(read));
  in.parent_note = std::move(parent_note);
  if (parent != nullptr) {
    auto read_parent = read_game(*parent);
    if (auto* error = std::get_if<std::string>(&read_parent)) return "parent " + parent->game.id + ": " + *error;
    in.parent = std::get<GameRecord>(std::move(read_parent));
    link_branch(in.game, *in.parent);
  }
  return in;
}

}  // namespace leadtime::report

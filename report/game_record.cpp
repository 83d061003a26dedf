#include "report/game_record.h"

#include <map>

#include "engine/orders.h"
#include "game/journal.h"
#include "game/save/restore.h"

namespace leadtime::report {

namespace save = game::save;
namespace store = server::store;

std::string GameRecord::seat_id(int seat) const {
  if (seat < 0 || static_cast<std::size_t>(seat) >= seats.size()) return "facilitator";
  return seats[static_cast<std::size_t>(seat)].id;
}

namespace {

void describe_game(const save::SaveData& data, const Match& match, GameRecord& r) {
  const store::GameRow& row = data.game;
  const Scenario& sc = match.scenario();
  r.id = row.id;
  r.scenario_name = sc.name;
  r.scenario_description = sc.description;
  r.scenario_path = row.scenario_path;
  r.seed = row.seed;
  r.start = sc.start;
  r.rounds_planned = sc.rounds;
  for (const ScenarioEvent& e : sc.events) r.scenario_events.push_back(e.id);
  r.parent_id = row.parent_id;
  r.branch_round = row.branch_round;
  r.finished = row.finished;
  r.created_ms = row.created_ms;
  for (std::size_t i = 0; i < sc.initial.actors.size(); ++i) {
    const Actor& a = sc.initial.actors[i];
    const std::string path = i < row.bot_paths.size() ? row.bot_paths[i] : "";
    r.seats.push_back({a.id, a.name, a.kind, a.bloc, !path.empty(), path, a.policy});
  }
}

std::string to_text(const GameRecord& r, const std::vector<int>& to) {
  if (to.empty()) return "everyone";
  std::string out;
  for (const int seat : to) out += (out.empty() ? "" : ", ") + r.seat_id(seat);
  return out;
}

std::string scenario_event_text(const Scenario& sc, const std::string& id) {
  for (const ScenarioEvent& e : sc.events) {
    if (e.id == id) return e.text;
  }
  return {};
}

// One journal line as a facilitator action, or "" when it is not one.
struct ActionText {
  const GameRecord& r;
  const Scenario& sc;
  const std::string seat;
  int open_round;

  std::string operator()(const game::change::Injected& c) const {
    const std::string id = game::injected_id(c);
    if (!c.engine_id.empty()) return "injected " + format_order({id, c.args});
    const std::string text = scenario_event_text(sc, id);
    return "injected " + id + (text.empty() ? "" : ": " + text);
  }
  std::string operator()(const game::change::Swapped& c) const {
    return c.to_bot ? "handed " + seat + " to the bot " + c.bot_path : "gave " + seat + " back to its players";
  }
  std::string operator()(const game::change::RolledBack&) const {
    return "rolled back round " + std::to_string(open_round - 1);
  }
  std::string operator()(const game::change::Kicked&) const { return "disconnected whoever held " + seat; }
  std::string operator()(const game::change::Recovered& c) const {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(c.downtime).count();
    return "the server restarted; the game went on from its record, nothing accepted lost (down " +
           (seconds < 120 ? std::to_string(seconds) + " s" : std::to_string(seconds / 60) + " min") +
           ", the deadline moved by as much)";
  }
  std::string operator()(const game::change::Forced&) const { return "forced the round to resolve"; }
  std::string operator()(const game::change::Paused&) const { return "paused the clock"; }
  std::string operator()(const game::change::Resumed&) const { return "resumed the clock"; }
  std::string operator()(const game::change::DeadlineMoved& c) const {
    const long long by = c.by.count();
    return std::string(by >= 0 ? "extended" : "shortened") + " the deadline by " + std::to_string(by >= 0 ? by : -by) +
           " s";
  }
  std::string operator()(const game::change::Ended&) const {
    return open_round <= r.rounds_planned ? "ended the game" : "";
  }
  template <typename Other>
  std::string operator()(const Other&) const {
    return {};
  }
};

// The facilitator's actions and the press, each in the round that was open.
std::optional<std::string> read_journal(const save::SaveData& data, const Scenario& sc, GameRecord& r) {
  auto lines = game::journal_lines(data.journal);
  if (auto* error = std::get_if<std::string>(&lines)) return *error;
  int open_round = 1;
  for (const game::JournalLine& line : std::get<std::vector<game::JournalLine>>(lines)) {
    if (const auto* resolved = std::get_if<game::change::Resolved>(&line.change)) {
      open_round = resolved->round + 1;
      continue;
    }
    if (const auto* message = std::get_if<game::change::Message>(&line.change)) {
      r.press.push_back({open_round, r.seat_id(line.seat), to_text(r, message->to), message->text, line.at_ms});
      continue;
    }
    const std::string seat = line.seat >= 0 ? r.seat_id(line.seat) : "";
    std::string text = std::visit(ActionText{r, sc, seat, open_round}, line.change);
    if (std::holds_alternative<game::change::RolledBack>(line.change)) open_round = std::max(1, open_round - 1);
    if (text.empty()) continue;
    r.actions.push_back(
        {open_round, std::string(game::kind_name(game::kind_of(line.change))), seat, std::move(text), line.at_ms});
  }
  return std::nullopt;
}

}  // namespace

std::variant<GameRecord, std::string> read_game(const save::SaveData& data) {
  auto made = save::make_game(data.game);
  if (auto* error = std::get_if<std::string>(&made)) return *error;
  std::unique_ptr<game::Game> game = std::get<std::unique_ptr<game::Game>>(std::move(made));
  // Who played each seat is known only while the round resolves; the
  // replay keeps the last resolution of each round (after rollbacks).
  std::map<int, std::vector<SeatPlay>> played;
  game::Game* g = game.get();
  g->on_round([g, &played](const Match& match) {
    std::vector<SeatPlay> seats;
    const auto& by = g->last_played();
    for (std::size_t i = 0; i < by.size(); ++i) {
      const Policy& policy = match.state().actors[i].policy;
      seats.push_back({by[i].bot, by[i].bot ? g->bot_path(static_cast<int>(i)) : "", by[i].member, {}, policy});
    }
    played[match.state().round] = std::move(seats);
  });
  const game::ReplayResult replayed = save::replay_entries(*g, data.journal);

  GameRecord r;
  describe_game(data, g->match(), r);
  if (!replayed.error.empty()) {
    r.warnings.push_back("The replay of the journal stopped: " + replayed.error +
                         ". The report shows the rounds before that point.");
  }
  r.rounds = g->match().history();
  if (data.rounds.size() > r.rounds.size()) {
    r.warnings.push_back("The save file records " + std::to_string(data.rounds.size()) + " rounds; the replay gave " +
                         std::to_string(r.rounds.size()) + ".");
  }
  const State& state = g->match().state();
  for (const RoundRecord& rec : r.rounds) {
    auto it = played.find(rec.round + 1);
    std::vector<SeatPlay> seats = it != played.end() ? it->second : std::vector<SeatPlay>(r.seats.size());
    seats.resize(r.seats.size());
    for (std::size_t i = 0; i < seats.size() && i < rec.orders.size(); ++i) {
      for (const Order& o : rec.orders[i]) seats[i].orders.push_back(describe(state, o));
    }
    r.played.push_back(std::move(seats));
  }
  r.final_scores = g->match().state().outcomes.scores;
  if (auto error = read_journal(data, g->match().scenario(), r)) return *error;
  return r;
}

std::variant<save::SaveData, std::string> load_save_file(const std::string& path) {
  auto bytes = save::read_file(path);
  if (auto* error = std::get_if<std::string>(&bytes)) return *error;  // it names the file
  auto decoded = save::decode(std::get<std::vector<std::uint8_t>>(bytes));
  if (auto* error = std::get_if<std::string>(&decoded)) return path + ": " + *error;
  return std::get<save::SaveData>(std::move(decoded));
}

}  // namespace leadtime::report

#include "game/round_driver.h"

#include <iterator>

#include "engine/events.h"

namespace leadtime::game {

RoundDriver::RoundDriver(lua::ScenarioHooks hooks, lua::BotLimits limits, std::size_t seats, lua::Bot::Restart restart)
    : hooks_(std::move(hooks)), limits_(std::move(limits)), seats_(seats), restart_(restart) {}

namespace {

lua::ScenarioHooks::Restart hooks_restart(lua::Bot::Restart restart) {
  return restart == lua::Bot::Restart::Offer ? lua::ScenarioHooks::Restart::Offer : lua::ScenarioHooks::Restart::No;
}

}  // namespace

std::variant<RoundDriver, std::string> RoundDriver::load(const Scenario& scenario, std::uint64_t seed,
                                                         lua::BotLimits limits, lua::Bot::Restart restart) {
  auto hooks = lua::ScenarioHooks::load(scenario, seed, hooks_restart(restart));
  if (auto* error = std::get_if<std::string>(&hooks)) return *error;
  return RoundDriver(std::get<lua::ScenarioHooks>(std::move(hooks)), std::move(limits), scenario.initial.actors.size(),
                     restart);
}

std::optional<std::string> RoundDriver::restart(const Scenario& scenario, std::uint64_t seed, lua::BotLimits limits) {
  if (hooks_.can_restart(scenario)) {
    if (auto error = hooks_.restart(seed)) return error;
  } else {
    auto hooks = lua::ScenarioHooks::load(scenario, seed, hooks_restart(restart_));
    if (auto* error = std::get_if<std::string>(&hooks)) return *error;
    hooks_ = std::get<lua::ScenarioHooks>(std::move(hooks));
  }
  limits_ = std::move(limits);
  seats_.resize(scenario.initial.actors.size());
  for (Seat& s : seats_) {
    Seat next;
    next.spare = s.bot ? std::move(s.bot) : std::move(s.spare);
    s = std::move(next);
  }
  return std::nullopt;
}

std::optional<std::string> RoundDriver::load_bot(const Scenario& scenario, std::uint64_t seed, int seat,
                                                 const std::string& path) {
  Seat& s = seats_.at(static_cast<std::size_t>(seat));
  if (s.spare && s.spare->can_restart(path, limits_)) {
    if (auto error = s.spare->restart(scenario, seat, seed, limits_)) return error;
    std::optional<lua::Bot> bot = std::move(s.spare);
    s = Seat{};
    s.bot = std::move(bot);
    return std::nullopt;
  }
  auto loaded = lua::Bot::load(path, scenario, seat, seed, limits_, restart_);
  if (auto* error = std::get_if<std::string>(&loaded)) return *error;
  s = Seat{};
  s.bot.emplace(std::get<lua::Bot>(std::move(loaded)));
  return std::nullopt;
}

void RoundDriver::bot_missing(int seat, std::string path, std::string why) {
  Seat& s = seats_.at(static_cast<std::size_t>(seat));
  s = Seat{};
  s.missing_path = std::move(path);
  s.missing_why = std::move(why);
}

bool RoundDriver::has_bot(int seat) const { return seats_.at(static_cast<std::size_t>(seat)).bot.has_value(); }

// Every bot that played the last round hears how it went before any
// decides, so each bot's notes come in seat order.
void RoundDriver::tell_results(const State& state, const Scenario& scenario, BotOrders& out) {
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    Seat& s = seats_[i];
    if (!s.played_last || !s.bot || state.round == 0) continue;
    if (auto note = lua::tell_result(*s.bot, state, scenario.coef, static_cast<int>(i))) {
      out.faults.push_back(note->custom.text);
      out.notes.push_back(std::move(*note));
    }
  }
}

void RoundDriver::run_hooks(const State& state, const Scenario& scenario, BotOrders& out) {
  auto fired = hooks_.on_round(state, scenario);
  if (auto* error = std::get_if<std::string>(&fired)) {
    out.faults.push_back(*error);
    return;
  }
  for (Inject& i : std::get<std::vector<Inject>>(fired)) out.notes.push_back(std::move(i));
}

BotOrders RoundDriver::decide(const State& state, const Scenario& scenario, const std::vector<bool>& bot_seats) {
  BotOrders out;
  out.orders.resize(state.actors.size());
  tell_results(state, scenario, out);
  run_hooks(state, scenario, out);
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    Seat& s = seats_[i];
    const bool bot_seat = i < bot_seats.size() && bot_seats[i];
    const int seat = static_cast<int>(i);
    if (bot_seat && !s.bot && !s.missing_why.empty()) {
      // Worded as the engine words a bot's faults (lua::take_turn).
      std::string text = "bot " + s.missing_path + " (seat " + state.actors[i].id + ") round " +
                         std::to_string(state.round + 1) + ": " + s.missing_why;
      out.faults.push_back(text);
      out.notes.push_back(private_note(state, seat, "bot_fault", std::move(text)));
    }
    s.played_last = bot_seat && s.bot;
    if (!s.played_last) continue;
    lua::BotTurn turn = lua::take_turn(*s.bot, state, scenario.coef, seat);
    out.faults.insert(out.faults.end(), turn.faults.begin(), turn.faults.end());
    std::move(turn.notes.begin(), turn.notes.end(), std::back_inserter(out.notes));
    out.orders[i] = std::move(turn.orders);
  }
  return out;
}

void RoundDriver::finish(const State& state, const Scenario& scenario, std::vector<std::string>& faults) {
  BotOrders told;
  tell_results(state, scenario, told);
  faults.insert(faults.end(), told.faults.begin(), told.faults.end());
  for (Seat& s : seats_) s.played_last = false;
}

std::uint64_t RoundDriver::time_limit_trips() const {
  std::uint64_t trips = hooks_.time_limit_trips();
  for (const Seat& s : seats_) trips += s.bot ? s.bot->time_limit_trips() : 0;
  return trips;
}

const RoundRecord& resolve_round(Match& match, RoundInputs inputs, BotOrders bots) {
  RoundOrders& orders = inputs.orders;
  orders.resize(match.state().actors.size());
  for (std::size_t i = 0; i < orders.size() && i < bots.orders.size(); ++i) {
    orders[i].insert(orders[i].end(), std::make_move_iterator(bots.orders[i].begin()),
                     std::make_move_iterator(bots.orders[i].end()));
  }
  std::vector<Inject>& injects = inputs.injects;
  std::move(bots.notes.begin(), bots.notes.end(), std::back_inserter(injects));
  return match.play_round(std::move(orders), std::move(injects));
}

}  // namespace leadtime::game

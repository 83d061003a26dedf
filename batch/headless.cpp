#include "batch/headless.h"

#include "engine/views.h"
#include "game/round_driver.h"

namespace leadtime {

RoundOrders validate_round(const State& state, const std::vector<std::vector<OrderDraft>>& drafts,
                           std::vector<std::string>& errors) {
  RoundOrders orders(state.actors.size());
  for (std::size_t a = 0; a < drafts.size() && a < state.actors.size(); ++a) {
    ValidatedOrders v = validate_orders(state, static_cast<int>(a), drafts[a]);
    for (const OrderError& e : v.errors) errors.push_back(state.actors[a].id + ": " + e.message);
    orders[a] = std::move(v.orders);
  }
  return orders;
}

// A line is a match with no bots: one runner, so lines and bot matches can
// never drift apart.
LineResult play_line(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, const OrderLine* line) {
  const std::vector<std::string> no_bots(scenario->initial.actors.size());
  BotMatchResult played = play_bots(std::move(scenario), seed, no_bots, line);
  LineResult result{std::move(played.match), std::move(played.faults)};
  if (!played.error.empty()) result.errors.insert(result.errors.begin(), played.error);
  return result;
}

namespace {

// The line's orders for the state's round: its opening orders in round 0,
// its dated orders in their rounds.
RoundOrders line_orders(const State& state, const OrderLine* line, std::vector<std::string>& errors) {
  RoundOrders orders(state.actors.size());
  if (!line) return orders;
  if (state.round == 0) orders = validate_round(state, line->at_start, errors);
  for (const auto& [at, drafts] : line->later) {
    if (at != state.round) continue;
    RoundOrders more = validate_round(state, drafts, errors);
    for (std::size_t a = 0; a < more.size(); ++a) orders[a].insert(orders[a].end(), more[a].begin(), more[a].end());
  }
  return orders;
}

// One match on a driver: a new one, or (`kept` given) the runner's last,
// restarted. A driver that failed to ready is not kept.
BotMatchResult play_match(std::shared_ptr<const Scenario> scenario, std::uint64_t seed,
                          const std::vector<std::string>& bot_paths, const OrderLine* line, lua::BotLimits limits,
                          std::span<const ScriptedInject> scripted, std::optional<game::RoundDriver>* kept) {
  BotMatchResult result;
  const std::size_t seats = scenario->initial.actors.size();
  std::optional<game::RoundDriver> fresh;
  std::optional<game::RoundDriver>& slot = kept ? *kept : fresh;
  if (slot) {
    if (auto error = slot->restart(*scenario, seed, std::move(limits))) {
      slot.reset();
      result.error = *error;
      return result;
    }
  } else {
    auto loaded = game::RoundDriver::load(*scenario, seed, std::move(limits),
                                          kept ? lua::Bot::Restart::Offer : lua::Bot::Restart::No);
    if (auto* error = std::get_if<std::string>(&loaded)) {
      result.error = *error;
      return result;
    }
    slot.emplace(std::get<game::RoundDriver>(std::move(loaded)));
  }
  game::RoundDriver& driver = *slot;
  std::vector<bool> bot_seats(seats, false);
  for (std::size_t i = 0; i < seats && i < bot_paths.size(); ++i) {
    if (bot_paths[i].empty()) continue;
    if (auto error = driver.load_bot(*scenario, seed, static_cast<int>(i), bot_paths[i])) {
      result.error = "seat " + scenario->initial.actors[i].id + ": " + *error;
      return result;
    }
    bot_seats[i] = true;
  }
  result.match = std::make_unique<Match>(scenario, seed);
  Match& match = *result.match;
  while (!match.finished()) {
    const State& state = match.state();
    game::RoundInputs inputs;
    std::vector<std::string> line_errors;
    inputs.orders = line_orders(state, line, line_errors);
    for (const std::string& e : line_errors) result.faults.push_back("order line: " + e);
    for (const ScriptedInject& si : scripted) {
      if (si.round == state.round) inputs.injects.push_back(si.inject);
    }
    game::BotOrders bots = driver.decide(state, *scenario, bot_seats);
    result.faults.insert(result.faults.end(), bots.faults.begin(), bots.faults.end());
    game::resolve_round(match, std::move(inputs), std::move(bots));
  }
  driver.finish(match.state(), *scenario, result.faults);
  result.time_limited = static_cast<std::uint32_t>(driver.time_limit_trips());
  return result;
}

}  // namespace

std::variant<std::vector<std::string>, std::string> assign_bots(const Scenario& scenario,
                                                                const std::vector<std::string>& assignments) {
  std::vector<std::string> paths = scenario.default_bots;
  paths.resize(scenario.initial.actors.size());
  for (const std::string& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == a.size()) {
      return "--bot '" + a + "': expected SEAT=PATH, e.g. us=scripts/bots/us_hawk.lua";
    }
    const std::string seat = a.substr(0, eq);
    const int actor = scenario.initial.find_actor(seat);
    if (actor == kNoActor) {
      std::string seats;
      for (const Actor& x : scenario.initial.actors) seats += (seats.empty() ? "" : ", ") + x.id;
      return "--bot '" + a + "': unknown seat '" + seat + "' (seats: " + seats + ")";
    }
    const std::string path = a.substr(eq + 1);
    paths[static_cast<std::size_t>(actor)] = path == "none" ? "" : path;
  }
  return paths;
}

BotMatchResult play_bots(std::shared_ptr<const Scenario> scenario, std::uint64_t seed,
                         const std::vector<std::string>& bot_paths, const OrderLine* line, lua::BotLimits limits,
                         std::span<const ScriptedInject> scripted) {
  return play_match(std::move(scenario), seed, bot_paths, line, std::move(limits), scripted, nullptr);
}

BotMatchResult BotMatchRunner::play(std::shared_ptr<const Scenario> scenario, std::uint64_t seed,
                                    const std::vector<std::string>& bot_paths, const OrderLine* line,
                                    lua::BotLimits limits, std::span<const ScriptedInject> injects) {
  return play_match(std::move(scenario), seed, bot_paths, line, std::move(limits), injects, &driver_);
}

}  // namespace leadtime

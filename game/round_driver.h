#pragma once

// The one round driver. A round is played the same way wherever it is
// played (a served game, a headless match or sweep, a fuzz target, a
// replay): when it falls due, the bots that played the last round hear how
// it went, the scenario's hooks name the events they fire, and the bot seats
// decide; then the round resolves with every seat's orders and the injects
// in one fixed order (the facilitator's, then the bots' and hooks' notes).
// Keeping both halves here is what makes a scenario with hooks play the same
// served as headless.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/lua/bot.h"
#include "engine/lua/scenario_hooks.h"
#include "engine/match.h"

namespace leadtime::game {

// What the bots and the hooks played in a round, decided off the game's
// thread: orders per seat (only bot seats are read) and the round's notes:
// bot faults as private notes, and the events the hooks fire.
struct BotOrders {
  RoundOrders orders;
  std::vector<Inject> notes;
  std::vector<std::string> faults;  // for the runner's log: bot and hook failures
};

class RoundDriver {
 public:
  // Loads the scenario's hooks; bots are loaded seat by seat. An error says
  // why the hooks do not load. With Restart::Offer the hooks and bots keep
  // snapshots, so restart() can play another match without loading them
  // again (for runners that play match after match on one thread).
  static std::variant<RoundDriver, std::string> load(const Scenario& scenario, std::uint64_t seed,
                                                     lua::BotLimits limits = {},
                                                     lua::Bot::Restart restart = lua::Bot::Restart::No);

  // Readies the driver for another match, as load() would: the hooks start
  // over (from their snapshot when they are the same script, else loaded
  // again) and every seat is left without a bot. Each seat's bot of the last
  // match is set aside, and load_bot() restarts it instead of loading when
  // it asks for the same unchanged file with the same memory cap
  // (lua::Bot::restart: the match plays exactly as with fresh bots). An
  // error says why the hooks do not load.
  std::optional<std::string> restart(const Scenario& scenario, std::uint64_t seed, lua::BotLimits limits = {});

  // Loads the bot at `path` for `seat` (replacing any); an error names the
  // file and what failed, and leaves the seat as it was.
  std::optional<std::string> load_bot(const Scenario& scenario, std::uint64_t seed, int seat, const std::string& path);
  // The seat is to be played by a bot that could not be loaded: each round
  // it should have played carries a bot_fault note saying why, and the seat
  // keeps its standing orders.
  void bot_missing(int seat, std::string path, std::string why);
  [[nodiscard]] bool has_bot(int seat) const;

  // The bots' and hooks' part of the round due on `state`, for the seats
  // that bots play now (`bot_seats`, one flag per seat).
  BotOrders decide(const State& state, const Scenario& scenario, const std::vector<bool>& bot_seats);
  // After the last round: the bots that played it hear how it went (their
  // failures go to `faults`; no round is left to carry a note).
  void finish(const State& state, const Scenario& scenario, std::vector<std::string>& faults);

  // Calls the CPU-time limit stopped so far, bots and hooks together: a
  // match with any is not reproducible.
  [[nodiscard]] std::uint64_t time_limit_trips() const;

 private:
  struct Seat {
    std::optional<lua::Bot> bot;
    std::optional<lua::Bot> spare;  // the seat's bot of the last match, for load_bot to restart
    bool played_last = false;       // hears the last round's result before deciding
    std::string missing_path;       // a bot that could not be loaded, and why
    std::string missing_why;
  };
  RoundDriver(lua::ScenarioHooks hooks, lua::BotLimits limits, std::size_t seats, lua::Bot::Restart restart);
  void tell_results(const State& state, const Scenario& scenario, BotOrders& out);
  void run_hooks(const State& state, const Scenario& scenario, BotOrders& out);

  lua::ScenarioHooks hooks_;
  lua::BotLimits limits_;
  std::vector<Seat> seats_;
  lua::Bot::Restart restart_;
};

// One round's orders and injects from people, a facilitator or an order
// line, before the bots' part.
struct RoundInputs {
  RoundOrders orders;           // per seat: a person's submission or a line's orders
  std::vector<Inject> injects;  // the facilitator's, in the order given
};

// Resolves the next round of `match`: each bot seat's orders join the
// seat's, and the injects are the facilitator's, then the bots' and hooks'
// notes.
const RoundRecord& resolve_round(Match& match, RoundInputs inputs, BotOrders bots);

}  // namespace leadtime::game

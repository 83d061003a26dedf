#include "client-cli/autoplay.h"

#include <thread>

#include "client-cli/render_json.h"

namespace leadtime::cli {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// The scenario a client-side bot is told about in init(info): the client
// knows the seats from its view and the rest from the game's summary, which
// is all push_info reads.
Scenario scenario_from(const ClientModel& model) {
  Scenario s;
  s.name = model.game ? model.game->scenario : "";
  s.rounds = model.total_rounds();
  s.start = model.view->quarter.plus(-model.view->round);
  s.initial = model.actors;
  return s;
}

}  // namespace

std::variant<AgentReply, std::string> LuaDecider::decide(const ClientModel& model, milliseconds) {
  if (!bot_) {
    const Scenario scenario = scenario_from(model);
    const std::uint64_t seed = model.game ? model.game->seed : 0;
    auto loaded = lua::Bot::load(path_, scenario, model.view->viewer, seed);
    if (auto* why = std::get_if<std::string>(&loaded)) {
      fatal_ = true;
      return *why;
    }
    bot_.emplace(std::move(std::get<lua::Bot>(loaded)));
  }
  // The budget is the bot's instruction count, as on the server; a wall
  // clock would make its play depend on this machine.
  if (last_round_ >= 0 && model.view->round > last_round_ && bot_->wants_results()) {
    if (auto why = bot_->on_result(*model.view, model.actors)) return "on_result: " + *why;
  }
  last_round_ = model.view->round;
  auto decided = bot_->decide(*model.view, model.actors);
  if (auto* why = std::get_if<std::string>(&decided)) return *why;
  AgentReply reply;
  reply.orders = std::get<std::vector<OrderDraft>>(std::move(decided));
  reply.keep_standing = reply.orders.empty();
  return reply;
}

std::variant<AgentReply, std::string> AgentDecider::decide(const ClientModel& model, milliseconds budget) {
  if (!process_.running()) {
    if (auto why = process_.start()) return *why;
  }
  std::vector<PressItem> press;
  for (std::size_t i = press_seen_; i < model.press.size(); ++i) press.push_back(model.press[i]);
  press_seen_ = model.press.size();
  const json line = agent_view(model, press, feedback_, budget.count() / 1000);
  feedback_ = {};
  if (auto why = process_.write_line(line.dump())) {
    return *why + "; it " + process_.stop() + " and is started again next round";
  }
  const AgentProcess::Read read = process_.read_line(budget);
  if (!read.ok) {
    // A hung agent would answer this round late and every later one out of
    // step: stop it and start afresh next round.
    const std::string how = process_.running() ? process_.stop() : "";
    return read.why + (how.empty() ? "" : " (it " + how + ")") + "; it is started again next round";
  }
  return parse_agent_reply(read.line);
}

namespace {

bool can_act(const ClientModel& model) {
  if (model.role != Role::Seat || !model.view || model.over()) return false;
  const std::string phase = model.phase();
  return phase == "orders" || phase.empty();  // empty: a server that sends no summaries
}

milliseconds budget_for(const ClientModel& model, const AutoplayOptions& options) {
  milliseconds budget = options.decision_timeout;
  if (model.game && model.game->has_deadline()) {
    // Leave two seconds to submit before the deadline.
    const auto left = milliseconds((model.game->seconds_left_at(Clock::now()) - 2) * 1000);
    budget = std::clamp(left, milliseconds(1000), budget);
  }
  return budget;
}

}  // namespace

int autoplay(Session& session, Decider& decider, Sink& sink, AutoplayOptions options) {
  ClientModel& model = session.model();
  int acted_round = -1;
  auto retry_at = Clock::now();
  sink.emit(Output::note("Playing " + model.seat + " with " + decider.name() + " until the game ends.", "autoplay"));
  while (!session.quit_requested()) {
    if (session.lost()) return 1;
    if (model.over()) {
      session.pump(milliseconds(200));  // the final summary and scores, if on their way
      sink.emit(Output::note("The game is over after round " + std::to_string(model.round()) + ".", "finished"));
      return 0;
    }
    if (can_act(model) && model.view->round != acted_round && Clock::now() >= retry_at) {
      const int round = model.view->round;
      auto decision = decider.decide(model, budget_for(model, options));
      session.pump(milliseconds(0));
      if (decider.fatal()) {
        sink.emit(Output::error_text(decider.name() + ": " + std::get<std::string>(decision)));
        return 1;
      }
      if (!model.view || model.view->round != round) {
        sink.emit(Output::error_text(decider.name() + " answered after round " + std::to_string(round + 1) +
                                     " had resolved; its orders were dropped"));
        continue;
      }
      bool phase_ok = true;
      if (auto* why = std::get_if<std::string>(&decision)) {
        const std::string text = decider.name() + ", round " + std::to_string(round + 1) + ": " + *why +
                                 ". The seat keeps its standing orders.";
        sink.emit(
            Output{text, typed("fault", {{"round", round + 1}, {"decider", decider.name()}, {"text", *why}}), true});
        decider.fault(*why);
      } else {
        const AgentReply& reply = std::get<AgentReply>(decision);
        for (const AgentPress& p : reply.press) session.send_press(p.to, p.text);
        if (!reply.keep_standing) {
          SubmitResult result;
          session.submit_orders(reply.orders, &result);
          decider.feedback(result);
        }
        if (reply.ready) phase_ok = session.set_ready(true);
      }
      if (decider.fatal()) return 1;
      if (phase_ok || !model.phase().empty()) {
        acted_round = round;
      } else {
        // Probably still in the lobby on a server that sends no summary:
        // try again shortly.
        retry_at = Clock::now() + std::chrono::seconds(2);
      }
      if (std::holds_alternative<std::string>(decision)) session.set_ready(true);
    }
    session.pump(milliseconds(200));
  }
  return 0;
}

}  // namespace leadtime::cli

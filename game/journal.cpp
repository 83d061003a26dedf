#include "game/journal.h"

#include <stdexcept>

#include "engine/catalogue.h"
#include "engine/events.h"
#include "engine/hash.h"

namespace leadtime::game {

using nlohmann::json;

json orders_to_json(const std::vector<Order>& orders) {
  json out = json::array();
  const auto actions = catalogue();
  for (const Order& o : orders) {
    out.push_back({{"action", std::string(actions[static_cast<std::size_t>(o.action)].name)}, {"args", o.args}});
  }
  return out;
}

std::variant<std::vector<Order>, std::string> orders_from_json(const json& j) {
  if (!j.is_array()) return std::string("orders: expected a list");
  std::vector<Order> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& o = j[i];
    const std::string where = "order " + std::to_string(i + 1);
    if (!o.is_object() || !o.contains("action") || !o["action"].is_string()) return where + ": no action name";
    const int index = action_index(o["action"].get<std::string>());
    if (index < 0) return where + ": unknown action '" + o["action"].get<std::string>() + "'";
    if (!o.contains("args") || !o["args"].is_array()) return where + ": no argument list";
    Order order{index, {}};
    for (const json& a : o["args"]) {
      if (!a.is_number()) return where + ": arguments must be numbers";
      order.args.push_back(a.get<double>());
    }
    if (order.args.size() != catalogue()[static_cast<std::size_t>(index)].params.size()) {
      return where + ": wrong number of arguments for " + o["action"].get<std::string>();
    }
    out.push_back(std::move(order));
  }
  return out;
}

json resolved_args(const RoundRecord& record, const std::vector<bool>& bot_seats, const std::vector<Inject>& notes) {
  json bots = json::object();
  for (std::size_t i = 0; i < bot_seats.size() && i < record.orders.size(); ++i) {
    if (bot_seats[i]) bots[std::to_string(i)] = orders_to_json(record.orders[i]);
  }
  json out_notes = json::array();
  for (const Inject& n : notes) {
    if (!n.event_id.empty()) {  // an event the scenario's hooks fired
      out_notes.push_back({{"event_id", n.event_id}});
      continue;
    }
    out_notes.push_back({{"kind", n.custom.id}, {"text", n.custom.text}, {"audience", n.custom.audience}});
  }
  return {{"round", record.round + 1}, {"hash", hash_hex(record.hash)}, {"bots", bots}, {"notes", out_notes}};
}

namespace {

TimePoint at(const JournalLine& line, const ReplayHooks& hooks) {
  if (hooks.clock) return hooks.clock(line.at_ms);
  return TimePoint{} + std::chrono::milliseconds(line.at_ms);
}

std::variant<BotOrders, std::string> recorded_bots(const Game& game, const json& args) {
  const State& state = game.match().state();
  BotOrders out;
  out.orders.resize(state.actors.size());
  if (args.contains("bots")) {
    for (const auto& [seat, orders] : args["bots"].items()) {
      const std::size_t i = std::stoul(seat);
      if (i >= out.orders.size()) return "bots: no seat " + seat;
      auto parsed = orders_from_json(orders);
      if (auto* error = std::get_if<std::string>(&parsed)) return "bots of seat " + seat + ": " + *error;
      out.orders[i] = std::get<std::vector<Order>>(std::move(parsed));
    }
  }
  if (args.contains("notes")) {
    for (const json& n : args["notes"]) {
      if (n.contains("event_id")) {
        Inject fired;
        fired.event_id = n["event_id"].get<std::string>();
        out.notes.push_back(std::move(fired));
        continue;
      }
      const auto audience = n.value("audience", std::vector<std::string>{});
      const int seat = audience.empty() ? kNoActor : state.find_actor(audience.front());
      if (seat == kNoActor) return std::string("notes: a note for no known seat");
      out.notes.push_back(private_note(state, seat, n.value("kind", "bot_fault"), n.value("text", "")));
    }
  }
  return out;
}

// Applies one line; an error says why the line cannot be applied.
std::optional<std::string> apply(Game& game, const JournalLine& line, const ReplayHooks& hooks) {
  const TimePoint t = at(line, hooks);
  const json& a = line.args;
  const std::string& k = line.kind;
  if (k == "started") return game.start(t);
  if (k == "paused") return game.pause(t);
  if (k == "resumed") return game.resume(t);
  if (k == "deadline") {
    // Read as a whole number: a float such as 1e300 (a damaged or edited
    // save) would not fit an integer, and converting it is undefined.
    const json by = a.value("by", json(0));
    if (!by.is_number_integer()) return "'by' is " + by.dump() + ", not a whole number of seconds";
    return game.move_deadline(Seconds{by.get<std::int64_t>()}, t);
  }
  if (k == "forced") return game.force(t);
  if (k == "deadline_passed") {
    game.pass_deadline(t);
    return std::nullopt;
  }
  if (k == "ended") {
    // "last round played" follows from the resolution itself.
    return game.phase() == Phase::Finished ? std::nullopt : game.end();
  }
  if (k == "rolled_back") return game.rollback(t);
  if (k == "kicked") return game.kick(line.seat);
  if (k == "ready") return game.set_ready(line.seat, a.value("ready", false), t);
  if (k == "injected") {
    if (!a.contains("event_id")) return std::string("custom injects are not journaled");
    Inject inject;
    inject.event_id = a["event_id"].get<std::string>();
    return game.inject(std::move(inject));
  }
  if (k == "swapped") {
    const bool to_bot = a.value("to_bot", false);
    const std::string path = a.value("bot_path", "");
    if (to_bot && hooks.bot_swapped) {
      if (auto error = hooks.bot_swapped(line.seat, path)) return error;
    }
    return game.swap(line.seat, to_bot, path, t);
  }
  if (k == "message") return game.send(line.seat, a.value("to", std::vector<int>{}), a.value("text", ""));
  if (k == "submitted") {
    auto orders = orders_from_json(a.value("orders", json::array()));
    if (auto* error = std::get_if<std::string>(&orders)) return *error;
    return game.restore_submission(line.seat, a.value("member", ""), std::get<std::vector<Order>>(orders));
  }
  if (k == "resolved") {
    if (game.phase() != Phase::Resolving) return std::nullopt;  // resolved by the line before, with no bots
    auto bots = recorded_bots(game, a);
    if (auto* error = std::get_if<std::string>(&bots)) return *error;
    if (hooks.bots_decide) hooks.bots_decide(std::get<BotOrders>(bots));
    game.complete_round(std::get<BotOrders>(std::move(bots)), t);
    return std::nullopt;
  }
  if (k == "resolving") return std::nullopt;  // follows from the line before
  return "unknown kind '" + k + "'";
}

// apply() with arguments of the wrong type as an error, not an exception: a
// journal comes from a save file too, which anyone can write. The arguments
// are read before the game is changed.
std::optional<std::string> apply_checked(Game& game, const JournalLine& line, const ReplayHooks& hooks) {
  try {
    if (!line.args.is_object()) return std::string("the arguments are not a JSON object");
    return apply(game, line, hooks);
  } catch (const nlohmann::json::exception& e) {
    return std::string("malformed arguments: ") + e.what();
  } catch (const std::logic_error& e) {  // std::stoul of a seat that is not a number
    return std::string("malformed arguments: ") + e.what();
  }
}

}  // namespace

ReplayResult replay(Game& game, const std::vector<JournalLine>& lines, const ReplayHooks& hooks) {
  ReplayResult result;
  for (const JournalLine& line : lines) {
    result.last_at = at(line, hooks);
    if (auto error = apply_checked(game, line, hooks)) {
      result.error = "journal line " + std::to_string(line.seq) + " (" + line.kind + "): " + *error;
      return result;
    }
    if (line.kind != "resolved") continue;
    const auto round_arg = line.args.find("round");
    const int round = round_arg != line.args.end() && round_arg->is_number_integer() ? round_arg->get<int>() : 0;
    const auto& history = game.match().history();
    if (round < 1 || static_cast<std::size_t>(round) > history.size()) {
      result.error = "journal line " + std::to_string(line.seq) + ": round " + std::to_string(round) +
                     " was recorded as resolved but the replay has not reached it";
      return result;
    }
    const std::string replayed = hash_hex(history[static_cast<std::size_t>(round) - 1].hash);
    const auto hash_arg = line.args.find("hash");
    const std::string recorded =
        hash_arg != line.args.end() && hash_arg->is_string() ? hash_arg->get<std::string>() : "";
    if (replayed != recorded && result.first_mismatch < 0) {
      result.first_mismatch = round;
      result.error =
          "round " + std::to_string(round) + " differs: recorded state hash " + recorded + ", replay " + replayed;
      return result;
    }
  }
  return result;
}

}  // namespace leadtime::game

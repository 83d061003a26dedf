#include "game/journal.h"

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/catalogue.h"
#include "engine/events.h"
#include "engine/hash.h"

namespace leadtime::game {

using nlohmann::json;

namespace {

// The stored names, in ChangeKind's order.
constexpr std::array<std::string_view, 17> kKindNames = {
    "started", "submitted", "ready",   "resolving", "resolved", "paused", "resumed",     "deadline", "deadline_passed",
    "forced",  "injected",  "swapped", "kicked",    "message",  "ended",  "rolled_back", "recovered"};
static_assert(kKindNames.size() == std::variant_size_v<ChangeData>);

json orders_to_json(const std::vector<Order>& orders) {
  json out = json::array();
  const auto actions = catalogue();
  for (const Order& o : orders) {
    out.push_back({{"action", std::string(actions[static_cast<std::size_t>(o.action)].name)}, {"args", o.args}});
  }
  return out;
}

// An error names the order and what is wrong with it.
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

// --- Writing: one payload per kind.

json payload(const change::Submitted& c) { return {{"member", c.member}, {"orders", orders_to_json(c.orders)}}; }
json payload(const change::Ready& c) { return {{"ready", c.ready}}; }
json payload(const change::DeadlineMoved& c) { return {{"by", c.by.count()}}; }
json payload(const change::Swapped& c) { return {{"to_bot", c.to_bot}, {"bot_path", c.bot_path}}; }
json payload(const change::Message& c) { return {{"to", c.to}, {"text", c.text}}; }
json payload(const change::Recovered& c) { return {{"downtime_ms", c.downtime.count()}}; }
json args_to_json(const NamedArgs& args) {
  json out = json::object();
  for (const auto& arg : args) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& name = arg.first;
    std::visit([&out, &name](const auto& v) { out[name] = v; }, arg.second);
  }
  return out;
}

json payload(const change::Injected& c) {
  if (!c.event_id.empty()) return {{"event_id", c.event_id}};
  if (!c.engine_id.empty()) return {{"engine", c.engine_id}, {"args", args_to_json(c.args)}};
  return {{"custom", c.custom_id}};
}
json payload(const change::Resolved& c) {
  json bots = json::object();
  for (const auto& [seat, orders] : c.bots) bots[std::to_string(seat)] = orders_to_json(orders);
  json notes = json::array();
  for (const change::Note& n : c.notes) {
    if (!n.event_id.empty()) {  // an event the scenario's hooks fired
      notes.push_back({{"event_id", n.event_id}});
    } else {
      notes.push_back({{"kind", n.kind}, {"text", n.text}, {"audience", n.audience}});
    }
  }
  return {{"round", c.round}, {"hash", hash_hex(c.hash)}, {"bots", bots}, {"notes", notes}};
}
template <typename T>
json payload(const T&) {
  return json::object();
}

// --- Reading: one reader per kind; a missing key reads as the writer's
// default, a key of the wrong type throws (caught in journal_line).

using Read = std::variant<ChangeData, std::string>;

Read read_deadline(const json& a) {
  // Read as a whole number: a float such as 1e300 (a damaged or edited
  // save) would not fit an integer, and converting it is undefined.
  const json by = a.value("by", json(0));
  if (!by.is_number_integer()) return "'by' is " + by.dump() + ", not a whole number of seconds";
  return change::DeadlineMoved{Seconds{by.get<std::int64_t>()}};
}

Read read_submitted(const json& a) {
  auto orders = orders_from_json(a.value("orders", json::array()));
  if (auto* error = std::get_if<std::string>(&orders)) return *error;
  return change::Submitted{a.value("member", ""), std::get<std::vector<Order>>(std::move(orders))};
}

Read read_recovered(const json& a) {
  const json ms = a.value("downtime_ms", json(0));
  if (!ms.is_number_integer() || ms.get<std::int64_t>() < 0) {
    return "'downtime_ms' is " + ms.dump() + ", not a whole number of milliseconds from 0";
  }
  return change::Recovered{std::chrono::milliseconds{ms.get<std::int64_t>()}};
}

// Values as the facilitator gave them: numbers, flags and names.
std::variant<NamedArgs, std::string> args_from_json(const json& j) {
  if (!j.is_object()) return std::string("'args' is not an object");
  NamedArgs out;
  for (const auto& [name, value] : j.items()) {
    if (value.is_boolean()) {
      out.emplace_back(name, value.get<bool>());
    } else if (value.is_number()) {
      out.emplace_back(name, value.get<double>());
    } else if (value.is_string()) {
      out.emplace_back(name, value.get<std::string>());
    } else {
      return "argument '" + name + "' is " + value.dump() + ", not a number, flag or name";
    }
  }
  return out;
}

Read read_injected(const json& a) {
  if (a.contains("engine")) {
    auto args = args_from_json(a.value("args", json::object()));
    if (auto* error = std::get_if<std::string>(&args)) return *error;
    return change::Injected{"", "", a["engine"].get<std::string>(), std::get<NamedArgs>(std::move(args))};
  }
  if (!a.contains("event_id")) return std::string("custom injects are not journaled");
  return change::Injected{a["event_id"].get<std::string>(), "", "", {}};
}

Read read_resolved(const json& a) {
  change::Resolved r;
  r.round = a.value("round", 0);
  const std::string hex = a.value("hash", "");
  r.hash = hex.empty() ? 0 : std::stoull(hex, nullptr, 16);
  if (a.contains("bots")) {
    for (const auto& [seat, orders] : a["bots"].items()) {
      auto parsed = orders_from_json(orders);
      if (auto* error = std::get_if<std::string>(&parsed)) return "bots of seat " + seat + ": " + *error;
      r.bots.emplace_back(std::stoi(seat), std::get<std::vector<Order>>(std::move(parsed)));
    }
  }
  if (a.contains("notes")) {
    for (const json& n : a["notes"]) {
      if (n.contains("event_id")) {
        r.notes.push_back({n["event_id"].get<std::string>(), "", "", {}});
      } else {
        r.notes.push_back(
            {"", n.value("kind", "bot_fault"), n.value("text", ""), n.value("audience", std::vector<std::string>{})});
      }
    }
  }
  return r;
}

Read read_payload(ChangeKind kind, const json& a) {
  switch (kind) {
    case ChangeKind::Started:
      return change::Started{};
    case ChangeKind::Submitted:
      return read_submitted(a);
    case ChangeKind::Ready:
      return change::Ready{a.value("ready", false)};
    case ChangeKind::Resolving:
      return change::Resolving{};
    case ChangeKind::Resolved:
      return read_resolved(a);
    case ChangeKind::Paused:
      return change::Paused{};
    case ChangeKind::Resumed:
      return change::Resumed{};
    case ChangeKind::DeadlineMoved:
      return read_deadline(a);
    case ChangeKind::DeadlinePassed:
      return change::DeadlinePassed{};
    case ChangeKind::Forced:
      return change::Forced{};
    case ChangeKind::Injected:
      return read_injected(a);
    case ChangeKind::Swapped:
      return change::Swapped{a.value("to_bot", false), a.value("bot_path", "")};
    case ChangeKind::Kicked:
      return change::Kicked{};
    case ChangeKind::Message:
      return change::Message{a.value("to", std::vector<int>{}), a.value("text", "")};
    case ChangeKind::Ended:
      return change::Ended{};
    case ChangeKind::RolledBack:
      return change::RolledBack{};
    case ChangeKind::Recovered:
      return read_recovered(a);
  }
  return std::string("unknown kind");
}

}  // namespace

std::string_view kind_name(ChangeKind kind) { return kKindNames.at(static_cast<std::size_t>(kind)); }

std::optional<ChangeKind> kind_named(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<ChangeKind>(i);
  }
  return std::nullopt;
}

std::string injected_id(const change::Injected& c) {
  if (!c.event_id.empty()) return c.event_id;
  if (!c.engine_id.empty()) return c.engine_id;
  return c.custom_id;
}

std::string describe(const Change& c) {
  std::string out(kind_name(c.kind()));
  if (const auto* s = std::get_if<change::Submitted>(&c.data)) {
    out += " by '" + s->member + "': " + std::to_string(s->orders.size()) + " orders";
  } else if (const auto* r = std::get_if<change::Resolved>(&c.data)) {
    out += " round " + std::to_string(r->round) + " " + hash_hex(r->hash);
  } else if (const auto* d = std::get_if<change::DeadlineMoved>(&c.data)) {
    out += (d->by.count() >= 0 ? " +" : " ") + std::to_string(d->by.count()) + "s";
  } else if (const auto* sw = std::get_if<change::Swapped>(&c.data)) {
    out += sw->to_bot ? " to bot " + sw->bot_path : " to person";
  } else if (const auto* i = std::get_if<change::Injected>(&c.data)) {
    out += " " + injected_id(*i);
  } else if (const auto* rec = std::get_if<change::Recovered>(&c.data)) {
    out += " after " + std::to_string(rec->downtime.count() / 1000) + "s down";
  }
  return out;
}

server::store::JournalEntry journal_entry(const Change& change, std::int64_t at_ms) {
  const json args = std::visit([](const auto& c) { return payload(c); }, change.data);
  // Texts from clients (press, member names) need not be UTF-8, which JSON
  // must be: invalid bytes are stored as U+FFFD rather than throwing, which
  // took the whole server down on a press message with a stray byte.
  return {change.seq, at_ms, std::string(kind_name(change.kind())), change.seat,
          args.dump(-1, ' ', false, json::error_handler_t::replace)};
}

std::variant<JournalLine, std::string> journal_line(const server::store::JournalEntry& e) {
  // Replay puts entries on a nanosecond clock and adds deadlines of up to
  // 2^32 s to them: times from 1970 to 2100 keep that inside 64 bits.
  constexpr std::int64_t kLatestMs = 4'102'444'800'000;  // 2100-01-01
  const std::string where = "journal line " + std::to_string(e.seq) + " (" + e.kind + "): ";
  if (e.at_ms < 0 || e.at_ms > kLatestMs) {
    return where + "its time " + std::to_string(e.at_ms) + " ms is not between 1970 and 2100";
  }
  const auto kind = kind_named(e.kind);
  if (!kind) return where + "unknown kind '" + e.kind + "'";
  const json args = json::parse(e.payload, nullptr, false);
  if (args.is_discarded() || !args.is_object()) return where + "the arguments are not a JSON object";
  try {
    Read read = read_payload(*kind, args);
    if (auto* error = std::get_if<std::string>(&read)) return where + *error;
    return JournalLine{e.seq, e.at_ms, e.seat, std::get<ChangeData>(std::move(read))};
  } catch (const json::exception& ex) {
    return where + "malformed arguments: " + ex.what();
  } catch (const std::logic_error& ex) {  // std::stoi/stoull of a seat or hash that is not a number
    return where + "malformed arguments: " + ex.what();
  }
}

std::variant<std::vector<JournalLine>, std::string> journal_lines(
    const std::vector<server::store::JournalEntry>& entries) {
  std::vector<JournalLine> out;
  out.reserve(entries.size());
  for (const server::store::JournalEntry& e : entries) {
    auto line = journal_line(e);
    if (auto* error = std::get_if<std::string>(&line)) return *error;
    out.push_back(std::get<JournalLine>(std::move(line)));
  }
  return out;
}

std::optional<std::size_t> branch_point(const std::vector<Change>& changes, int round) {
  std::optional<std::size_t> cut;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (round == 0 && changes[i].kind() == ChangeKind::Started) cut = i;
    const auto* resolved = std::get_if<change::Resolved>(&changes[i].data);
    if (round > 0 && resolved != nullptr && resolved->round == round) cut = i;
  }
  return cut;
}

namespace {

TimePoint at(const JournalLine& line, const ReplayHooks& hooks) {
  if (hooks.clock) return hooks.clock(line.at_ms);
  return TimePoint{} + std::chrono::milliseconds(line.at_ms);
}

std::variant<BotOrders, std::string> recorded_bots(const Game& game, const change::Resolved& r) {
  const State& state = game.match().state();
  BotOrders out;
  out.orders.resize(state.actors.size());
  for (const auto& [seat, orders] : r.bots) {
    if (seat < 0 || static_cast<std::size_t>(seat) >= out.orders.size()) return "bots: no seat " + std::to_string(seat);
    out.orders[static_cast<std::size_t>(seat)] = orders;
  }
  for (const change::Note& n : r.notes) {
    if (!n.event_id.empty()) {
      Inject fired;
      fired.event_id = n.event_id;
      out.notes.push_back(std::move(fired));
      continue;
    }
    const int seat = n.audience.empty() ? kNoActor : state.find_actor(n.audience.front());
    if (seat == kNoActor) return std::string("notes: a note for no known seat");
    out.notes.push_back(private_note(state, seat, n.kind, n.text));
  }
  return out;
}

// Applies one line with the same Game method that made it; an error says
// why the line cannot be applied.
struct Apply {
  Game& game;
  const JournalLine& line;
  const ReplayHooks& hooks;
  TimePoint t;

  Refused operator()(const change::Started&) const { return game.start(t); }
  Refused operator()(const change::Paused&) const { return game.pause(t); }
  Refused operator()(const change::Resumed&) const { return game.resume(t); }
  Refused operator()(const change::DeadlineMoved& c) const { return game.move_deadline(c.by, t); }
  Refused operator()(const change::Forced&) const { return game.force(t); }
  Refused operator()(const change::DeadlinePassed&) const {
    game.pass_deadline(t);
    return std::nullopt;
  }
  // "last round played" follows from the resolution itself.
  Refused operator()(const change::Ended&) const { return game.phase() == Phase::Finished ? std::nullopt : game.end(); }
  Refused operator()(const change::RolledBack&) const { return game.rollback(t); }
  Refused operator()(const change::Recovered& c) const {
    game.restarted(c.downtime, t);
    return std::nullopt;
  }
  Refused operator()(const change::Kicked&) const { return game.kick(line.seat); }
  Refused operator()(const change::Ready& c) const { return game.set_ready(line.seat, c.ready, t); }
  Refused operator()(const change::Injected& c) const {
    if (!c.engine_id.empty()) return game.inject_by_id(c.engine_id, c.args);
    Inject inject;
    inject.event_id = c.event_id;
    return game.inject(std::move(inject));
  }
  Refused operator()(const change::Swapped& c) const {
    if (c.to_bot && hooks.bot_swapped) {
      if (auto error = hooks.bot_swapped(line.seat, c.bot_path)) return Refusal{RefusalCode::Invalid, *error};
    }
    return game.swap(line.seat, c.to_bot, c.bot_path, t);
  }
  Refused operator()(const change::Message& c) const { return game.send(line.seat, c.to, c.text); }
  Refused operator()(const change::Submitted& c) const {
    return game.restore_submission(line.seat, c.member, c.orders);
  }
  Refused operator()(const change::Resolved& c) const {
    if (game.phase() != Phase::Resolving) return std::nullopt;  // resolved by the line before, with no bots
    auto bots = recorded_bots(game, c);
    if (auto* error = std::get_if<std::string>(&bots)) return Refusal{RefusalCode::Invalid, *error};
    if (hooks.bots_decide) hooks.bots_decide(std::get<BotOrders>(bots));
    game.complete_round(std::get<BotOrders>(std::move(bots)), t);
    return std::nullopt;
  }
  Refused operator()(const change::Resolving&) const { return std::nullopt; }  // follows from the line before
};

}  // namespace

ReplayResult replay(Game& game, const std::vector<JournalLine>& lines, const ReplayHooks& hooks) {
  ReplayResult result;
  for (const JournalLine& line : lines) {
    result.last_at = at(line, hooks);
    const std::string where =
        "journal line " + std::to_string(line.seq) + " (" + std::string(kind_name(kind_of(line.change))) + "): ";
    if (auto refused = std::visit(Apply{game, line, hooks, result.last_at}, line.change)) {
      result.error = where + refused->text;
      return result;
    }
    const auto* resolved = std::get_if<change::Resolved>(&line.change);
    if (resolved == nullptr) continue;
    const auto& history = game.match().history();
    if (resolved->round < 1 || static_cast<std::size_t>(resolved->round) > history.size()) {
      result.error = "journal line " + std::to_string(line.seq) + ": round " + std::to_string(resolved->round) +
                     " was recorded as resolved but the replay has not reached it";
      return result;
    }
    const std::uint64_t replayed = history[static_cast<std::size_t>(resolved->round) - 1].hash;
    if (replayed != resolved->hash && result.first_mismatch < 0) {
      result.first_mismatch = resolved->round;
      result.error = "round " + std::to_string(resolved->round) + " differs: recorded state hash " +
                     hash_hex(resolved->hash) + ", replay " + hash_hex(replayed);
      return result;
    }
  }
  return result;
}

}  // namespace leadtime::game

// The handlers of the client's commands (commands.h lists them). Each
// checks its arguments, says what was expected when they are wrong, and
// shows its result as text and JSON.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>

#include "client-cli/commands.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/wire_read.h"
#include "engine/lua/scenario_loader.h"

namespace leadtime::cli {

using Args = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

namespace {

std::string join_words(const Args& args, std::size_t from, std::string_view sep = " ") {
  std::string out;
  for (std::size_t i = from; i < args.size(); ++i) out += (i == from ? "" : std::string(sep)) + args[i];
  return out;
}

std::optional<long> parse_int(std::string_view text) {
  long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto part = text.substr(0, comma); !part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

const std::vector<std::pair<std::string_view, Session::Handler>>& Session::handlers() {
  static const std::vector<std::pair<std::string_view, Handler>> kHandlers = {
      {"help", &Session::cmd_help},       {"status", &Session::cmd_status}, {"events", &Session::cmd_events},
      {"wait", &Session::cmd_wait},       {"join", &Session::cmd_join},     {"quit", &Session::cmd_quit},
      {"actions", &Session::cmd_actions}, {"order", &Session::cmd_order},   {"draft", &Session::cmd_draft},
      {"edit", &Session::cmd_edit},       {"remove", &Session::cmd_remove}, {"clear", &Session::cmd_clear},
      {"submit", &Session::cmd_submit},   {"ready", &Session::cmd_ready},   {"unready", &Session::cmd_unready},
      {"send", &Session::cmd_send},       {"say", &Session::cmd_say},       {"inbox", &Session::cmd_inbox},
      {"create", &Session::cmd_create},   {"games", &Session::cmd_games},   {"seats", &Session::cmd_seats},
      {"tokens", &Session::cmd_tokens},   {"start", &Session::cmd_start},   {"pause", &Session::cmd_pause},
      {"resume", &Session::cmd_resume},   {"extend", &Session::cmd_extend}, {"shorten", &Session::cmd_shorten},
      {"force", &Session::cmd_force},     {"inject", &Session::cmd_inject}, {"bot", &Session::cmd_bot},
      {"person", &Session::cmd_person},   {"kick", &Session::cmd_kick},     {"end", &Session::cmd_end},
      {"export", &Session::cmd_export},   {"branch", &Session::cmd_branch}, {"rollback", &Session::cmd_rollback},
  };
  return kHandlers;
}

// --- General --------------------------------------------------------------------

bool Session::cmd_help(const Args& args) {
  const Actor* self = model_.self();
  const State* state = model_.actors.actors.empty() ? nullptr : &model_.actors;
  if (args.empty() || args[0] == "all") {
    const bool facilitator = args.size() == 1 || model_.role == Role::Facilitator || model_.role == Role::None;
    std::string text = commands_overview(facilitator);
    if (!facilitator) text += "\n(Facilitator commands: 'help all'.)";
    return ok(text, typed("help", {{"text", text}}));
  }
  if (args[0] == "actions") return cmd_actions({});
  if (const ActionSpec* action = find_action(args[0])) {
    return ok(action_help(*action, state, self), typed("action", action_json(*action)));
  }
  if (const CommandSpec* command = find_command(args[0])) {
    const std::string text = command_help(*command);
    return ok(text, typed("help", {{"text", text}}));
  }
  std::vector<std::string> names = command_names();
  for (auto& a : action_names(nullptr)) names.push_back(a);
  const std::string hint = did_you_mean(args[0], names);
  return fail("help: no command or action '" + args[0] + "'" +
              (hint.empty() ? " (type 'help' for commands, 'help actions' for actions)" : hint));
}

bool Session::cmd_status(const Args&) {
  const auto now = Clock::now();
  json body = {{"game_id", model_.game_id}, {"role", role_name(model_.role)},  {"seat", model_.seat},
               {"round", model_.round()},   {"rounds", model_.total_rounds()}, {"phase", model_.phase()},
               {"ready", model_.ready},     {"unread", model_.unread()},       {"draft", draft_json(model_.draft)}};
  if (model_.game) body["game"] = game_json(*model_.game, now);
  if (model_.view) body["view"] = view_json(*model_.view, model_.actors);
  if (model_.facilitator) body["facilitator_view"] = facilitator_json(*model_.facilitator);
  return ok(status_screen(model_, now), typed("status", body));
}

bool Session::cmd_events(const Args& args) {
  std::size_t n = 20;
  if (!args.empty()) {
    const auto v = parse_int(args[0]);
    if (!v || *v <= 0) return fail("events: expected a positive number of events, got '" + args[0] + "'");
    n = static_cast<std::size_t>(*v);
  }
  std::vector<std::pair<const RoundInfo*, const Event*>> all;
  for (const auto& [r, info] : model_.rounds) {
    for (const Event& e : info.events) all.emplace_back(&info, &e);
  }
  if (all.size() > n) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(n));
  std::string text = all.empty() ? "No events yet." : "";
  json list = json::array();
  for (const auto& [info, e] : all) {
    text += (text.empty() ? "" : "\n") + std::string("[") + info->quarter + "] " + e->kind + ": " + e->text;
    list.push_back({{"round", info->round}, {"quarter", info->quarter}, {"kind", e->kind}, {"text", e->text}});
  }
  return ok(text, typed("events", {{"events", list}}));
}

bool Session::cmd_wait(const Args& args) {
  const std::string usage =
      "expected 'wait round [N]', 'wait start', 'wait end' or 'wait press', then optionally SECONDS";
  if (args.empty()) return fail("wait: " + usage);
  std::chrono::seconds timeout = options_.wait_timeout;
  const std::string& what = args[0];
  std::size_t next = 1;
  // The round this seat last said ready in, if it has resolved since,
  // rather than one more: 'ready; status; wait round' must not wait a round
  // too many when the round resolved during 'status'.
  int target = ready_round_ == model_.round() - 1 ? model_.round() : model_.round() + 1;
  if (what == "round" && args.size() > 1 && parse_int(args[1])) {
    target = static_cast<int>(*parse_int(args[1]));
    next = 2;
  }
  if (args.size() > next) {
    std::string t = args[next];
    if (t.starts_with("timeout=")) t = t.substr(8);
    const auto s = parse_seconds(t);
    if (!s)
      return fail("wait: expected a time in seconds (90, 90s, 5m) after '" + what + "', got '" + args[next] + "'");
    timeout = std::chrono::seconds(*s);
    ++next;
  }
  if (args.size() > next) return fail("wait: unexpected '" + args[next] + "'; " + usage);
  if (what == "round") {
    if (!wait_until([&] { return model_.round() >= target || model_.over(); }, "round " + std::to_string(target),
                    timeout)) {
      return false;
    }
    if (model_.round() < target) {
      return fail("wait: the game ended after round " + std::to_string(model_.round()) + ", before round " +
                  std::to_string(target));
    }
    return ok("", typed("waited", {{"for", "round"}, {"round", model_.round()}}));
  }
  if (what == "start") {
    if (!wait_until([&] { return model_.phase() == "orders" || model_.round() > 0 || model_.over(); },
                    "the game to start", timeout)) {
      return false;
    }
    return ok("", typed("waited", {{"for", "start"}, {"round", model_.round()}}));
  }
  if (what == "end") {
    if (!wait_until([&] { return model_.over(); }, "the end of the game", timeout)) return false;
    return ok("", typed("waited", {{"for", "end"}, {"round", model_.round()}}));
  }
  if (what == "press") {
    const std::size_t before = model_.press.size();
    if (!wait_until([&] { return model_.press.size() > before; }, "press", timeout)) return false;
    return ok("", typed("waited", {{"for", "press"}, {"round", model_.round()}}));
  }
  return fail("wait: unknown '" + what + "'" + did_you_mean(what, {"round", "start", "end", "press"}) + "; " + usage);
}

bool Session::cmd_join(const Args& args) {
  if (args.size() != 1) return fail("join: expected one token (or the id of a game you created)");
  if (auto saved = tokens_.find(transport_.address(), args[0])) return join(saved->facilitator);
  return join(args[0]);
}

bool Session::cmd_quit(const Args&) {
  quit_ = true;
  return true;
}

// --- Orders ------------------------------------------------------------------------

bool Session::cmd_actions(const Args&) {
  const Actor* self = model_.self();
  json list = json::array();
  for (const ActionSpec& a : catalogue()) {
    if (self == nullptr || action_allowed(a, *self)) list.push_back(action_json(a));
  }
  return ok(actions_overview(self), typed("actions", {{"actions", list}}));
}

bool Session::cmd_order(const Args& args) {
  if (args.empty()) return fail("order: expected an action and its values, e.g. 'order set_export_tier CN 1'");
  return add_order(args);
}

bool Session::add_order(const Args& words) {
  auto parsed = parse_order(words);
  if (auto* why = std::get_if<std::string>(&parsed)) return fail(*why);
  OrderDraft order = std::get<OrderDraft>(std::move(parsed));
  // The engine's own check, on the actors this seat knows: the same
  // sentence the server would answer, before anything is sent.
  if (model_.view && model_.view->viewer >= 0 &&
      static_cast<std::size_t>(model_.view->viewer) < model_.actors.actors.size()) {
    const auto checked = validate_orders(model_.actors, model_.view->viewer, {order});
    if (!checked.errors.empty()) return fail(checked.errors.front().message);
  }
  const auto [number, replaced] = model_.draft.add(std::move(order));
  const std::string text = std::string(replaced ? "Replaced #" : "Added #") + std::to_string(number) + ": " +
                           format_order(model_.draft.entries()[number - 1].order) + "  (" +
                           std::to_string(model_.draft.size()) + " in the draft; 'submit' sends it)";
  return ok(text, typed("draft", draft_json(model_.draft)));
}

bool Session::cmd_draft(const Args&) {
  return ok(draft_text(model_.draft, model_.round()), typed("draft", draft_json(model_.draft)));
}

bool Session::cmd_edit(const Args& args) {
  if (args.size() < 2) return fail("edit: expected an order number and new values, e.g. 'edit 1 tier=2'");
  const auto n = parse_int(args[0]);
  if (!n) return fail("edit: expected an order number from 'draft', got '" + args[0] + "'");
  if (auto why = model_.draft.check_number(static_cast<std::size_t>(*n))) return fail("edit: " + *why);
  const std::size_t number = static_cast<std::size_t>(*n);
  const OrderDraft& old = model_.draft.entries()[number - 1].order;
  const ActionSpec* spec = find_action(old.action);
  if (spec == nullptr) return fail("edit: order #" + args[0] + " has an unknown action");
  // Start from the order's values; named ones replace theirs, plain ones
  // replace the parameters in catalogue order that were not named.
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& [name, value] : old.args) values.emplace_back(name, format_value(value));
  Args plain;
  std::set<std::string> named;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto eq = args[i].find('=');
    if (eq == std::string::npos) {
      plain.push_back(args[i]);
      continue;
    }
    const std::string name = args[i].substr(0, eq);
    const auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (it == values.end()) {
      std::vector<std::string> names;
      for (const auto& v : values) names.push_back(v.first);
      return fail("edit: " + old.action + " has no parameter '" + name + "'" + did_you_mean(name, names));
    }
    it->second = args[i].substr(eq + 1);
    named.insert(name);
  }
  std::size_t next = 0;
  for (const std::string& value : plain) {
    while (next < values.size() && named.contains(values[next].first)) ++next;
    if (next == values.size()) return fail("edit: too many values for " + old.action + "; usage: " + usage(*spec));
    values[next++].second = value;
  }
  Args words = {old.action};
  for (const auto& [name, value] : values) words.push_back(name + "=" + value);
  auto parsed = parse_order(words);
  if (auto* why = std::get_if<std::string>(&parsed)) return fail("edit: " + *why);
  OrderDraft order = std::get<OrderDraft>(std::move(parsed));
  if (model_.view && model_.view->viewer >= 0) {
    const auto checked = validate_orders(model_.actors, model_.view->viewer, {order});
    if (!checked.errors.empty()) return fail("edit: " + checked.errors.front().message);
  }
  model_.draft.replace(number, std::move(order));
  return ok("Changed #" + args[0] + ": " + format_order(model_.draft.entries()[number - 1].order),
            typed("draft", draft_json(model_.draft)));
}

bool Session::cmd_remove(const Args& args) {
  if (args.empty()) return fail("remove: expected order numbers from 'draft', e.g. 'remove 2'");
  std::vector<std::size_t> numbers;
  for (const std::string& a : args) {
    const auto n = parse_int(a);
    if (!n) return fail("remove: expected an order number from 'draft', got '" + a + "'");
    if (auto why = model_.draft.check_number(static_cast<std::size_t>(*n))) return fail("remove: " + *why);
    numbers.push_back(static_cast<std::size_t>(*n));
  }
  std::sort(numbers.rbegin(), numbers.rend());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  for (std::size_t n : numbers) model_.draft.remove(n);
  return ok("Removed " + std::to_string(numbers.size()) + "; " + std::to_string(model_.draft.size()) +
                " left in the draft ('submit' sends the change)",
            typed("draft", draft_json(model_.draft)));
}

bool Session::cmd_clear(const Args&) {
  const std::size_t n = model_.draft.size();
  model_.draft.clear();
  return ok("Cleared " + std::to_string(n) + " orders. 'submit' now withdraws any orders sent before.",
            typed("draft", draft_json(model_.draft)));
}

bool Session::cmd_submit(const Args&) {
  if (model_.draft.empty() && !model_.draft.dirty()) {
    return ok("Nothing to submit: the draft is empty, so your standing policy stays.",
              typed("orders_accepted", {{"accepted", 0}, {"rejected", json::array()}}));
  }
  const auto result = request_submit(model_.draft.orders());
  if (!result) return false;
  std::vector<Rejection> rejected;
  for (const auto& r : result->rejected) rejected.push_back({r.index, r.message});
  model_.draft.mark_submitted(rejected);
  emit(Output{submit_text(model_.draft, *result), typed("orders_accepted", submit_json(*result)),
              !result->rejected.empty()});
  return result->rejected.empty();
}

bool Session::cmd_ready(const Args&) {
  if (model_.draft.dirty()) {
    emit(Output::note("Your draft has changes not sent yet: submitting it first."));
    if (!cmd_submit({})) return fail("ready: not marked ready, because the submission failed");
  }
  // The server acknowledges once it has stored the flag, so the round may
  // resolve (and its results arrive) before the Ack: remember the round
  // the flag was for.
  const int round = model_.round();
  if (!set_ready(true)) return false;
  ready_round_ = round;
  const std::string text =
      model_.round() > round
          ? "Ready: round " + std::to_string(round + 1) + " has resolved already."
          : "Ready for round " + std::to_string(round + 1) +
                ". It resolves when every seat is ready or at the deadline ('unready' takes it back).";
  return ok(text, typed("ack", {{"command", "ready"}, {"round", round + 1}}));
}

bool Session::cmd_unready(const Args&) {
  if (!set_ready(false)) return false;
  return ok("Not ready any more.", typed("ack", {{"command", "unready"}}));
}

// --- Press -------------------------------------------------------------------------

bool Session::cmd_send(const Args& args) {
  if (args.size() < 2)
    return fail("send: expected recipients and a message, e.g. 'send cn,eu Shall we talk?' or 'send all Hello'");
  std::vector<std::string> to;
  if (args[0] != "all") {
    const std::vector<std::string> known = model_.seat_ids();
    for (const std::string& id : split_commas(args[0])) {
      if (!known.empty() && std::find(known.begin(), known.end(), id) == known.end()) {
        std::string hint = did_you_mean(id, known);
        return fail("send: no seat '" + id + "'" +
                    (hint.empty() ? "; seats are " + join_words(known, 0, ", ") + " (or 'all')" : hint));
      }
      to.push_back(id);
    }
    if (to.empty()) return fail("send: expected seat ids separated by commas, or 'all'");
  }
  const std::string text = join_words(args, 1);
  if (!send_press(to, text)) return false;
  return ok("Sent to " + (to.empty() ? std::string("everyone") : join_words(to, 0, ", ")) + ".",
            typed("ack", {{"command", "send"}, {"to", to}, {"text", text}}));
}

bool Session::cmd_say(const Args& args) {
  if (args.empty()) return fail("say: expected a message for everyone");
  Args all = {"all"};
  all.insert(all.end(), args.begin(), args.end());
  return cmd_send(all);
}

bool Session::cmd_inbox(const Args& args) {
  if (!args.empty() && args[0] != "all")
    return fail("inbox: expected nothing (unread) or 'all', got '" + args[0] + "'");
  const bool all = !args.empty();
  std::vector<const PressItem*> items;
  json list = json::array();
  for (PressItem& p : model_.press) {
    if (!all && p.read) continue;
    items.push_back(&p);
    list.push_back(press_json(p));
  }
  std::string text = inbox_text(items, model_.seat);
  if (items.empty() && !all) text = "No unread messages ('inbox all' shows every one).";
  for (PressItem& p : model_.press) p.read = true;
  return ok(text, typed("inbox", {{"messages", list}}));
}

// --- Facilitator ----------------------------------------------------------------------

bool Session::save_created(const wire::GameCreated& created, std::string_view what) {
  GameTokens t;
  t.game_id = created.game_id() ? created.game_id()->str() : "";
  t.facilitator = created.facilitator_token() ? created.facilitator_token()->str() : "";
  t.observer = created.observer_token() ? created.observer_token()->str() : "";
  json seats = json::object();
  if (created.seats() != nullptr) {
    for (const wire::SeatToken* s : *created.seats()) {
      t.seats.emplace_back(s->seat() ? s->seat()->str() : "", s->token() ? s->token()->str() : "");
      seats[t.seats.back().first] = t.seats.back().second;
    }
  }
  const auto error = tokens_.save(transport_.address(), t);
  std::string text = std::string(what) + " game " + t.game_id + ". Tokens (secret; hand each seat its own):\n" +
                     tokens_text(t) + "\n" +
                     (error ? "Could not save them (" + *error + "): copy them now."
                            : "Saved to " + tokens_.path() + " (readable only by you; 'tokens' shows them again).");
  return ok(text, typed("game_created", {{"game_id", t.game_id},
                                         {"facilitator_token", t.facilitator},
                                         {"observer_token", t.observer},
                                         {"seats", seats},
                                         {"tokens_file", error ? json(nullptr) : json(tokens_.path())}}));
}

bool Session::cmd_create(const Args& args) {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint32_t deadline = 0;
  std::vector<std::string> people;
  std::vector<std::pair<std::string, std::string>> bots;
  for (const std::string& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos) {
      if (!scenario.empty()) return fail("create: one scenario only, got '" + scenario + "' and '" + a + "'");
      scenario = a;
      continue;
    }
    const std::string key = a.substr(0, eq);
    const std::string value = a.substr(eq + 1);
    if (key == "seed") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seed);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        return fail("create: expected a whole number for seed=, got '" + value + "'");
      }
    } else if (key == "deadline") {
      const auto s = parse_seconds(value);
      if (!s) return fail("create: expected a time for deadline= (300, 90s, 5m, 1h; 0 for none), got '" + value + "'");
      deadline = *s;
    } else if (key == "people") {
      people = split_commas(value);
      if (people.empty()) return fail("create: expected seat ids or 'all' after people=");
    } else if (key == "bot") {
      const auto colon = value.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
        return fail("create: expected bot=SEAT:PATH (e.g. bot=us:scripts/bots/us_dealmaker.lua), got '" + a + "'");
      }
      bots.emplace_back(value.substr(0, colon), value.substr(colon + 1));
    } else {
      return fail("create: unknown option '" + key + "'" + did_you_mean(key, {"seed", "deadline", "people", "bot"}) +
                  " (options: seed=, deadline=, people=, bot=)");
    }
  }
  if (people.size() == 1 && people[0] == "all") {
    // The seat ids come from the scenario; read it here if we have it.
    const std::string path = scenario.empty() ? "scenarios/2028.lua" : scenario;
    const auto loaded = load_scenario_file(path);
    if (!loaded.scenario) {
      return fail("create: people=all needs the scenario here to list its seats (" + loaded.error +
                  "); name them instead: people=us,cn,...");
    }
    people.clear();
    for (const Actor& a : loaded.scenario->initial.actors) people.push_back(a.id);
  }
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatBot>> seat_bots;
  for (const std::string& seat : people) seat_bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), "none"));
  for (const auto& [seat, path] : bots) seat_bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
  const Reply reply = call(fbb, wire::CreateCreateGameDirect(fbb, scenario.c_str(), seed, deadline, &seat_bots,
                                                             options_.facilitator_key.c_str()));
  if (auto why = failure(reply, wire::Message::GameCreated)) return fail("create: " + *why);
  const auto* created = reply.envelope->message_as_GameCreated();
  save_created(*created, "Created");
  if (model_.role != Role::None) {
    return ok(
        "You are still in game " + model_.game_id + "; 'join " + created->game_id()->str() + "' to run the new one.",
        nullptr);
  }
  return join(created->facilitator_token()->str());
}

bool Session::cmd_games(const Args&) {
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply = call(fbb, wire::CreateListGamesDirect(fbb, options_.facilitator_key.c_str()));
  if (auto why = failure(reply, wire::Message::GameList)) return fail("games: " + *why);
  const auto now = Clock::now();
  std::vector<GameInfo> games;
  if (const auto* list = reply.envelope->message_as_GameList()->games()) {
    for (const wire::GameSummary* g : *list) games.push_back(read_game(*g, now));
  }
  const auto tokens = tokens_.games(transport_.address());
  json list = json::array();
  for (const GameInfo& g : games) {
    json item = game_json(g, now);
    for (const GameTokens& t : tokens) {
      if (t.game_id != g.game_id) continue;
      json seats = json::object();
      for (const auto& [seat, token] : t.seats) seats[seat] = token;
      item["tokens"] = {{"facilitator", t.facilitator}, {"observer", t.observer}, {"seats", seats}};
    }
    list.push_back(std::move(item));
  }
  return ok(games_table(games, tokens, now), typed("games", {{"games", list}}));
}

bool Session::cmd_seats(const Args&) {
  const auto saved = tokens_.find(transport_.address(), model_.game_id);
  const auto now = Clock::now();
  if (!model_.game && !saved) return fail("seats: the server has not sent this game's seats yet");
  json body = {{"game_id", model_.game_id}};
  if (model_.game) body["game"] = game_json(*model_.game, now);
  if (saved) {
    json seats = json::object();
    for (const auto& [seat, token] : saved->seats) seats[seat] = token;
    body["tokens"] = seats;
  }
  return ok(
      "Game " + model_.game_id + "\n" + seats_table(model_.game ? &*model_.game : nullptr, saved ? &*saved : nullptr),
      typed("seats", body));
}

bool Session::cmd_tokens(const Args& args) {
  std::vector<GameTokens> games;
  if (!args.empty()) {
    auto t = tokens_.find(transport_.address(), args[0]);
    if (!t) return fail("tokens: no saved tokens for game '" + args[0] + "' on " + transport_.address());
    games.push_back(*t);
  } else {
    games = tokens_.games(transport_.address());
  }
  if (games.empty())
    return ok("No saved tokens for " + transport_.address() + " in " + tokens_.path() + ".",
              typed("tokens", {{"games", json::array()}}));
  std::string text;
  json list = json::array();
  for (const GameTokens& t : games) {
    text += (text.empty() ? "" : "\n") + t.game_id + " (created " + t.created + ")\n" + tokens_text(t);
    json seats = json::object();
    for (const auto& [seat, token] : t.seats) seats[seat] = token;
    list.push_back(
        {{"game_id", t.game_id}, {"facilitator", t.facilitator}, {"observer", t.observer}, {"seats", seats}});
  }
  return ok(text, typed("tokens", {{"games", list}}));
}

bool Session::facilitate(wire::Command command, std::string_view name, std::string what, std::uint32_t seconds,
                         std::string seat, std::string event, std::string bot_path, int round) {
  flatbuffers::FlatBufferBuilder fbb;
  const std::uint64_t summaries = model_.game_updates;
  const Reply reply =
      call(fbb, wire::CreateFacilitatorCommandDirect(fbb, command, model_.game_id.c_str(), seconds, seat.c_str(),
                                                     event.c_str(), bot_path.c_str(), round));
  if (auto why = failure(reply, wire::Message::Ack)) return fail(std::string(name) + ": " + *why);
  ok(std::move(what), typed("ack", {{"command", name}}));
  await_summary(summaries);
  return true;
}

bool Session::cmd_start(const Args&) {
  return facilitate(wire::Command::Start, "start", "Started: round 1 is open for orders.");
}
bool Session::cmd_pause(const Args&) {
  return facilitate(wire::Command::Pause, "pause", "Paused: the clock is stopped.");
}
bool Session::cmd_resume(const Args&) {
  return facilitate(wire::Command::Resume, "resume", "Resumed: the clock runs again.");
}
bool Session::cmd_force(const Args&) {
  return facilitate(wire::Command::Force, "force", "Forced: the round resolves with the orders in hand.");
}
bool Session::cmd_end(const Args&) { return facilitate(wire::Command::End, "end", "Ended the game."); }
bool Session::cmd_rollback(const Args&) {
  return facilitate(wire::Command::Rollback, "rollback",
                    "Rolled back the last round; its orders can be changed again.");
}

bool Session::cmd_extend(const Args& args) {
  const auto s = args.size() == 1 ? parse_seconds(args[0]) : std::nullopt;
  if (!s)
    return fail("extend: expected one time to add (90, 90s, 5m, 1h)" +
                (args.empty() ? "" : ", got '" + join_words(args, 0) + "'"));
  return facilitate(wire::Command::Extend, "extend", "Deadline extended by " + clock(*s) + ".", *s);
}

bool Session::cmd_shorten(const Args& args) {
  const auto s = args.size() == 1 ? parse_seconds(args[0]) : std::nullopt;
  if (!s)
    return fail("shorten: expected one time to take off (90, 90s, 5m, 1h)" +
                (args.empty() ? "" : ", got '" + join_words(args, 0) + "'"));
  return facilitate(wire::Command::Shorten, "shorten", "Deadline shortened by " + clock(*s) + ".", *s);
}

bool Session::cmd_inject(const Args& args) {
  if (args.size() != 1) return fail("inject: expected one scenario event id, e.g. 'inject euv_breakthrough'");
  return facilitate(wire::Command::Inject, "inject", "Event '" + args[0] + "' fires at the next resolution.", 0, {},
                    args[0]);
}

namespace {

std::optional<std::string> unknown_seat(const std::string& seat, const std::vector<std::string>& known) {
  if (known.empty() || std::find(known.begin(), known.end(), seat) != known.end()) return std::nullopt;
  const std::string hint = did_you_mean(seat, known);
  std::string all;
  for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
  return "no seat '" + seat + "'" + (hint.empty() ? "; seats are " + all : hint);
}

}  // namespace

bool Session::cmd_bot(const Args& args) {
  if (args.empty() || args.size() > 2)
    return fail(
        "bot: expected a seat and optionally a bot file, e.g. 'bot cn' or 'bot cn scripts/bots/cn_builder.lua'");
  if (auto why = unknown_seat(args[0], model_.seat_ids())) return fail("bot: " + *why);
  const std::string path = args.size() == 2 ? args[1] : "";
  return facilitate(wire::Command::SwapToBot, "bot",
                    args[0] + " is played by " + (path.empty() ? "its default bot" : path) + " from now on.", 0,
                    args[0], {}, path);
}

bool Session::cmd_person(const Args& args) {
  if (args.size() != 1) return fail("person: expected one seat, e.g. 'person cn'");
  if (auto why = unknown_seat(args[0], model_.seat_ids())) return fail("person: " + *why);
  return facilitate(wire::Command::SwapToPerson, "person", args[0] + " is back in its players' hands.", 0, args[0]);
}

bool Session::cmd_kick(const Args& args) {
  if (args.size() != 1) return fail("kick: expected one seat, e.g. 'kick cn'");
  if (auto why = unknown_seat(args[0], model_.seat_ids())) return fail("kick: " + *why);
  return facilitate(wire::Command::Kick, "kick", "Disconnected whoever held " + args[0] + ".", 0, args[0]);
}

bool Session::cmd_export(const Args& args) {
  if (args.size() != 1) return fail("export: expected a file to write, e.g. 'export saves/workshop.ltsave'");
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply =
      call(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Export, model_.game_id.c_str()));
  if (auto why = failure(reply, wire::Message::SaveFile)) return fail("export: " + *why);
  const auto* save = reply.envelope->message_as_SaveFile();
  std::ofstream out(args[0], std::ios::binary | std::ios::trunc);
  if (!out) return fail("export: cannot write '" + args[0] + "'");
  const std::size_t size = save->data() ? save->data()->size() : 0;
  if (size > 0) out.write(reinterpret_cast<const char*>(save->data()->data()), static_cast<std::streamsize>(size));
  if (!out) return fail("export: writing '" + args[0] + "' failed");
  return ok("Saved game " + model_.game_id + " to " + args[0] + " (" + std::to_string(size) + " bytes).",
            typed("save_file", {{"game_id", model_.game_id}, {"path", args[0]}, {"bytes", size}}));
}

bool Session::cmd_branch(const Args& args) {
  const auto round = args.size() == 1 ? parse_int(args[0]) : std::nullopt;
  if (!round || *round < 0) return fail("branch: expected the number of rounds to keep, e.g. 'branch 3'");
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply =
      call(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Branch, model_.game_id.c_str(), 0, nullptr,
                                                     nullptr, nullptr, static_cast<int>(*round)));
  if (auto why = failure(reply, wire::Message::GameCreated)) return fail("branch: " + *why);
  const auto* created = reply.envelope->message_as_GameCreated();
  if (!save_created(*created, "Branched after round " + args[0] + ": new")) return false;
  return ok("'join " + created->game_id()->str() + "' to run it.", nullptr);
}

}  // namespace leadtime::cli

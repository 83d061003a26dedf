// The handlers of the general, order and press commands (commands.h lists
// them; the facilitator's are in session_facilitator.cpp). Each
// checks its arguments, says what was expected when they are wrong, and
// shows its result as text and JSON.
#include <algorithm>
#include <charconv>
#include <span>

#include "client-cli/commands.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_scenario.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/wire_read.h"
#include "client-cli/words.h"
#include "engine/text.h"

namespace leadtime::cli {

using Args = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

const std::vector<std::pair<std::string_view, Session::Handler>>& Session::handlers() {
  static const std::vector<std::pair<std::string_view, Handler>> kHandlers = {
      {"help", &Session::cmd_help},
      {"status", &Session::cmd_status},
      {"events", &Session::cmd_events},
      {"wait", &Session::cmd_wait},
      {"join", &Session::cmd_join},
      {"quit", &Session::cmd_quit},
      {"actions", &Session::cmd_actions},
      {"order", &Session::cmd_order},
      {"draft", &Session::cmd_draft},
      {"edit", &Session::cmd_edit},
      {"remove", &Session::cmd_remove},
      {"clear", &Session::cmd_clear},
      {"submit", &Session::cmd_submit},
      {"ready", &Session::cmd_ready},
      {"unready", &Session::cmd_unready},
      {"send", &Session::cmd_send},
      {"say", &Session::cmd_say},
      {"inbox", &Session::cmd_inbox},
      {"create", &Session::cmd_create},
      {"games", &Session::cmd_games},
      {"seats", &Session::cmd_seats},
      {"tokens", &Session::cmd_tokens},
      {"start", &Session::cmd_start},
      {"pause", &Session::cmd_pause},
      {"resume", &Session::cmd_resume},
      {"extend", &Session::cmd_extend},
      {"shorten", &Session::cmd_shorten},
      {"force", &Session::cmd_force},
      {"inject", &Session::cmd_inject},
      {"bot", &Session::cmd_bot},
      {"person", &Session::cmd_person},
      {"kick", &Session::cmd_kick},
      {"end", &Session::cmd_end},
      {"export", &Session::cmd_export},
      {"branch", &Session::cmd_branch},
      {"rollback", &Session::cmd_rollback},
      {"report", &Session::cmd_report},
      {"briefing", &Session::cmd_briefing},
      {"objectives", &Session::cmd_objectives},
      {"orders", &Session::cmd_orders},
      {"seat", &Session::cmd_seat},
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
  if (args[0] == "score") return cmd_objectives({});
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
  if (!model_.objectives.empty()) body["objectives"] = objectives_json(model_.objectives);
  return ok(status_screen(model_, now), typed("status", body));
}

bool Session::cmd_events(const Args& args) {
  std::size_t n = 20;
  if (!args.empty() && args[0] == "scenario") return show_scenario_events();
  if (!args.empty()) {
    const auto v = parse_int(args[0]);
    if (!v || *v <= 0) {
      return fail("events: expected a positive number of events or 'scenario', got '" + args[0] + "'");
    }
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
  // The game's actors say which seats may use each action.
  const auto details = protocol::describe_catalogue(model_.actors.actors.empty() ? nullptr : &model_.actors);
  json list = json::array();
  for (std::size_t i = 0; i < details.size(); ++i) {
    if (self == nullptr || action_allowed(catalogue()[i], *self)) list.push_back(catalogue_json(details[i]));
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
  // The new values replace the order's own, matched to parameters as in
  // an order (match_values); the rest keep theirs.
  auto matched = match_values(*spec, std::span<const std::string>(args).subspan(1));
  if (auto* why = std::get_if<std::string>(&matched)) return fail("edit: " + *why);
  const TypedValues& given = std::get<TypedValues>(matched);
  if (!given.extra.empty()) return fail("edit: " + too_many_values(*spec, given.extra.front()));
  Args words = {old.action};
  for (std::size_t i = 0; i < spec->params.size(); ++i) {
    const std::string name(spec->params[i].name);
    if (given.values[i]) {
      words.push_back(name + "=" + *given.values[i]);
      continue;
    }
    const auto it = std::find_if(old.args.begin(), old.args.end(), [&](const auto& a) { return a.first == name; });
    if (it != old.args.end()) words.push_back(name + "=" + format_value(it->second));
  }
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
  return ok("Cleared " + count_noun(n, "order") + ". 'submit' now withdraws any orders sent before.",
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
  remember_press_read();
  return ok(text, typed("inbox", {{"messages", list}}));
}

}  // namespace leadtime::cli

// The facilitator's commands: creating and listing games, seats and their
// tokens, the clock, injects, seat swaps and kicks, save files, branches and
// rollbacks. Each says what was expected when its arguments are wrong.
#include <algorithm>
#include <charconv>
#include <fstream>

#include "client-cli/create_options.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_scenario.h"
#include "client-cli/render_tables.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/wire_read.h"
#include "client-cli/words.h"
#include "engine/lua/scenario_loader.h"

namespace leadtime::cli {

using Args = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

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
  auto parsed = parse_create(args);
  if (auto* why = std::get_if<std::string>(&parsed)) return fail(*why);
  CreateOptions o = std::get<CreateOptions>(std::move(parsed));
  if (o.people.size() == 1 && o.people[0] == "all") {
    // The seat ids come from the scenario; read it here if we have it.
    const std::string path = o.scenario.empty() ? "scenarios/2028.lua" : o.scenario;
    const auto loaded = load_scenario_file(path);
    if (!loaded.scenario) {
      return fail("create: people=all needs the scenario here to list its seats (" + loaded.error +
                  "); name them instead: people=us,cn,...");
    }
    o.people.clear();
    for (const Actor& a : loaded.scenario->initial.actors) o.people.push_back(a.id);
  }
  const Reply reply = request_create(o);
  if (auto why = failure(reply, wire::Message::GameCreated)) return fail("create: " + *why);
  const auto* created = reply.envelope->message_as_GameCreated();
  save_created(*created, "Created");
  bool joined = true;
  if (model_.role != Role::None) {
    ok("You are still in game " + model_.game_id + "; 'join " + created->game_id()->str() + "' to run the new one.",
       nullptr);
  } else {
    joined = join(created->facilitator_token()->str());
  }
  std::string why;
  const auto scenario = new_game_scenario(created->game_id()->str(), o.scenario, why);
  write_game_handouts(*created, scenario ? &*scenario : nullptr, why, o.place);
  return joined;
}

Session::Reply Session::request_create(const CreateOptions& o) {
  flatbuffers::FlatBufferBuilder fbb;
  // Person seats in both of CreateGame's forms: named in `people`, and each
  // with a SeatBot saying "no bot", which is what a server that predates
  // `people` reads (protocol/README.md).
  std::vector<flatbuffers::Offset<wire::SeatBot>> seat_bots;
  std::vector<flatbuffers::Offset<flatbuffers::String>> people_ids;
  for (const std::string& seat : o.people) {
    seat_bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), "none"));
    people_ids.push_back(fbb.CreateString(seat));
  }
  for (const auto& [seat, path] : o.bots) {
    seat_bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
  }
  return call(fbb,
              wire::CreateCreateGameDirect(fbb, o.scenario.c_str(), o.seed, o.deadline_s, &seat_bots,
                                           options_.facilitator_key.c_str(), o.people.empty() ? nullptr : &people_ids));
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
                         std::string seat, std::string event, std::string bot_path, int round, const NamedArgs& args) {
  flatbuffers::FlatBufferBuilder fbb;
  const std::uint64_t summaries = model_.game_updates;
  const auto wire_args = args.empty() ? 0 : protocol::args_to_wire(fbb, args);
  const auto game_id = fbb.CreateString(model_.game_id);
  const auto seat_id = fbb.CreateString(seat);
  const auto event_id = fbb.CreateString(event);
  const auto bot = fbb.CreateString(bot_path);
  const Reply reply = call(
      fbb, wire::CreateFacilitatorCommand(fbb, command, game_id, seconds, seat_id, event_id, bot, round, wire_args));
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

namespace {

std::string unknown_event(const std::string& id, const std::vector<std::string>& scenario_ids) {
  std::vector<std::string> all = scenario_ids;
  for (const InjectSpec& s : inject_catalogue()) all.emplace_back(s.id);
  const std::string hint = did_you_mean(id, all);
  return "inject: no event '" + id + "'" +
         (hint.empty() ? "; the scenario's events are " + join_words(scenario_ids, 0, ", ") +
                             "; the engine's injects are " + join_words(all, scenario_ids.size(), ", ")
                       : hint) +
         " ('events scenario' says what each does)";
}

}  // namespace

// A scenario event by id, or one of the engine's injects with its
// parameters (named or in order, as orders are written); the server checks
// the values against the game's state.
bool Session::cmd_inject(const Args& args) {
  const protocol::ScenarioDetails* scenario = model_.scenario ? &*model_.scenario : nullptr;
  if (args.empty()) {
    std::string text =
        "inject: expected an event id, e.g. 'inject euv_breakthrough' or "
        "'inject supply_shock vendor=cn_vendor share=0.3'";
    if (scenario != nullptr && !scenario->events.empty()) text += "\n" + scenario_events_text(*scenario);
    return fail(text + "\n" + engine_injects_text(&model_.actors));
  }
  std::vector<std::string> ids;
  if (scenario != nullptr) {
    for (const auto& e : scenario->events) ids.push_back(e.id);
  }
  if (std::find(ids.begin(), ids.end(), args[0]) != ids.end()) {
    if (args.size() > 1) return fail("inject: the scenario's event '" + args[0] + "' takes no parameters");
    return facilitate(wire::Command::Inject, "inject", "Event '" + args[0] + "' fires at the next resolution.", 0, {},
                      args[0]);
  }
  const InjectSpec* engine = find_inject(args[0]);
  if (engine == nullptr) return fail(unknown_event(args[0], ids));
  auto parsed = parse_arguments(as_action(*engine), std::span<const std::string>(args).subspan(1));
  if (auto* why = std::get_if<std::string>(&parsed)) return fail("inject: " + *why);
  const OrderDraft& draft = std::get<OrderDraft>(parsed);
  return facilitate(wire::Command::Inject, "inject",
                    "Event '" + format_order(draft) + "' fires at the next resolution.", 0, {}, args[0], {}, 0,
                    draft.args);
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
  auto parsed = parse_branch(args);
  if (auto* why = std::get_if<std::string>(&parsed)) return fail(*why);
  const BranchOptions o = std::get<BranchOptions>(std::move(parsed));
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply = call(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Branch, model_.game_id.c_str(),
                                                                     0, nullptr, nullptr, nullptr, o.round));
  if (auto why = failure(reply, wire::Message::GameCreated)) return fail("branch: " + *why);
  const auto* created = reply.envelope->message_as_GameCreated();
  if (!save_created(*created, "Branched after round " + std::to_string(o.round) + ": new")) return false;
  ok("'join " + created->game_id()->str() + "' to run it (it starts paused: 'resume' when the room is ready).",
     nullptr);
  // A branch plays its parent's scenario, with new tokens for its people.
  std::string why;
  write_game_handouts(*created, scenario_details(why), why, o.place);
  return true;
}

}  // namespace leadtime::cli

#include "server/app/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <random>

#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "report/game_report.h"
#include "report/store_source.h"
#include "server/app/lobby.h"
#include "server/app/room.h"

namespace leadtime::server::app {

namespace {

TimePoint now() { return std::chrono::steady_clock::now(); }

// Finished games that have left memory in a facilitator's list: the newest
// this many (a list, not an archive; their links open any of them).
constexpr std::size_t kListedFinishedGames = 100;

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Failure failure_of(const Refusal& refusal, std::string_view prefix = {}) {
  return {error_code(refusal.code), std::string(prefix) + refusal.text};
}

// Replies once the room's changes so far are durable, or with the store's
// error instead; `show` then pushes what the change lets others see, so
// nothing leaves the server before the change behind it is stored.
template <class T>
void reply_when_saved(GameRoom& room, Reply<T> reply, T result, std::function<void()> show = {}) {
  room.persist(
      [reply = std::move(reply), result = std::move(result), show = std::move(show)](const store::Outcome& outcome) {
        if (show) show();
        if (outcome) {
          reply(Failure{wire::ErrorCode::Internal,
                        "not saved: " + *outcome +
                            ". The change stands in the running game and the server keeps trying to save it; the "
                            "facilitator has been told"});
          return;
        }
        reply(result);
      });
}

GameCreated created_of(const Game& game, const Tokens& tokens) {
  const State& initial = game.match().state();
  GameCreated out{game.id(), tokens.facilitator, tokens.observer, {}};
  for (std::size_t i = 0; i < tokens.seats.size(); ++i) {
    if (!game.is_bot(static_cast<int>(i))) out.seats.push_back({initial.actors[i].id, tokens.seats[i]});
  }
  return out;
}

// The scenario a CreateGame asks for: the server's default, or a file under
// the scenario folder (with its path and text, for the record).
struct ChosenScenario {
  std::shared_ptr<const Scenario> scenario;
  std::string path;
  std::string source;
};
Result<ChosenScenario> choose_scenario(Lobby& lobby, const std::string& relative) {
  if (relative.empty()) {
    return ChosenScenario{lobby.default_scenario(), lobby.options().scenario, lobby.default_scenario_source()};
  }
  const auto path = inside(lobby.options().scenario_root, relative);
  if (!path) return Failure{wire::ErrorCode::NotFound, "scenario paths are relative, without '..'"};
  auto loaded = load_scenario_file(*path);
  if (!loaded.scenario) return Failure{wire::ErrorCode::NotFound, loaded.error};
  return ChosenScenario{std::make_shared<const Scenario>(std::move(*loaded.scenario)), *path, save::read_text(*path)};
}

// Who plays each seat: protocol::seat_plan() of the request.
Result<std::vector<std::string>> bot_paths_for(const Scenario& scenario, const CreateGame& request) {
  auto plan = protocol::seat_plan(request.people, request.bots, scenario);
  if (auto* error = std::get_if<protocol::SeatPlanError>(&plan)) return Failure{error->code, error->text};
  return std::get<protocol::SeatPlan>(std::move(plan)).bot_paths;
}

// A new game's tokens go out only once it is on disk; a game that cannot be
// stored is not created. `then_in_room` runs on the room's strand once it is
// (a branch writes its copied journal there).
void store_new_game(Lobby& lobby, const std::shared_ptr<GameRoom>& room, GameCreated created, std::string what,
                    Reply<GameCreated> reply) {
  store::Store* store = lobby.store();
  if (store == nullptr) {
    reply(std::move(created));
    asio::post(room->strand(), [room] { room->after_change(); });
    return;
  }
  store->create_game(room->row(), [&lobby, room, created = std::move(created), what = std::move(what),
                                   reply = std::move(reply)](const store::Outcome& outcome) {
    asio::post(room->strand(), [&lobby, room, created, what, reply, outcome] {
      auto fail = [&lobby, room, what, reply](const std::string& why) {
        spdlog::error("game {}: {} not created: {}", room->id(), what, why);
        lobby.remove_room(room->id());
        room->abandon();
        reply(Failure{wire::ErrorCode::Internal,
                      fmt::format("{}: the game could not be stored ({}), so it was not created", what, why)});
      };
      if (outcome) return fail(*outcome);
      room->persist([room, created, reply, fail](const store::Outcome& saved) {
        if (saved) return fail(*saved);
        reply(created);
        room->after_change();
      });
    });
  });
}

}  // namespace

GameService::GameService(Lobby& lobby) : lobby_(lobby) {}

void GameService::create_game(const CreateGame& request, const std::shared_ptr<Participant>& caller,
                              Reply<GameCreated> reply) {
  if (!lobby_.facilitator_key_ok(request.facilitator_key)) {
    return reply(Failure{wire::ErrorCode::NotAuthorised, "creating a game needs the server's facilitator key"});
  }
  auto chosen = choose_scenario(lobby_, request.scenario_path);
  if (auto* f = std::get_if<Failure>(&chosen)) return reply(*f);
  const auto& [scenario, scenario_path, scenario_source] = std::get<ChosenScenario>(chosen);
  auto paths = bot_paths_for(*scenario, request);
  if (auto* f = std::get_if<Failure>(&paths)) return reply(*f);
  const auto& bot_paths = std::get<std::vector<std::string>>(paths);

  GameOptions options;
  options.seed = request.seed != 0 ? request.seed : std::random_device{}() | 1u;
  options.deadline = request.deadline_seconds != 0 ? Seconds{request.deadline_seconds} : Seconds{24 * 3600 * 365};
  options.bot_seats.assign(bot_paths.size(), false);
  auto driver_or_error = RoundDriver::load(*scenario, options.seed);
  if (auto* error = std::get_if<std::string>(&driver_or_error))
    return reply(Failure{wire::ErrorCode::NotFound, *error});
  auto& driver = std::get<RoundDriver>(driver_or_error);
  int bot_count = 0;
  for (std::size_t i = 0; i < bot_paths.size(); ++i) {
    if (bot_paths[i].empty()) continue;
    const auto path = inside(lobby_.options().bot_root, bot_paths[i]);
    if (!path) return reply(Failure{wire::ErrorCode::NotFound, "bot paths are relative, without '..'"});
    if (auto error = driver.load_bot(*scenario, options.seed, static_cast<int>(i), *path)) {
      return reply(Failure{wire::ErrorCode::NotFound, "seat " + scenario->initial.actors[i].id + ": " + *error});
    }
    options.bot_seats[i] = true;
    ++bot_count;
  }
  options.bot_paths = bot_paths;
  auto room = lobby_.new_room(lobby_.next_game_id());
  auto game = std::make_unique<Game>(room->id(), scenario, std::move(options), nullptr);
  const Tokens tokens = game->issue_tokens();
  room->install(std::move(game), std::move(driver),
                {lobby_.store(), scenario_path, scenario_source, wall_now_ms(), "", -1});
  if (auto refusal = lobby_.add_room(room, caller->address())) {
    spdlog::info("{}: CreateGame refused: {}", caller->peer(), *refusal);
    return reply(Failure{wire::ErrorCode::RateLimited, "CreateGame: " + *refusal});
  }
  spdlog::info("game {}: created by {} (scenario '{}' from {}, seed {}, {} bot seats)", room->id(), caller->peer(),
               scenario->name, scenario_path, room->game().match().seed(), bot_count);
  store_new_game(lobby_, room, created_of(room->game(), tokens), "CreateGame", std::move(reply));
}

// Each game's summary is taken on its own strand; the answer goes out when
// the last one is in.
void GameService::list_games(const ListGames& request, Reply<GameList> reply) {
  if (!lobby_.facilitator_key_ok(request.facilitator_key)) {
    return reply(Failure{wire::ErrorCode::NotAuthorised, "listing games needs the server's facilitator key"});
  }
  // The games in memory as they are now, then the newest finished games
  // that have left memory, as the store keeps them (a game unloaded between
  // the two reads is listed once).
  struct Collect {
    std::mutex mutex;
    GameList games;
    GameList stored;
    std::size_t left = 0;
    Reply<GameList> reply;
    void finish() {
      for (Summary& s : stored) {
        const auto same = [&](const Summary& g) { return g.game_id == s.game_id; };
        if (std::none_of(games.begin(), games.end(), same)) games.push_back(std::move(s));
      }
      reply(std::move(games));
    }
  };
  auto rooms = lobby_.rooms();
  auto collect = std::make_shared<Collect>();
  collect->stored = lobby_.finished_elsewhere(kListedFinishedGames);
  collect->reply = std::move(reply);
  if (rooms.empty()) return collect->finish();
  collect->left = rooms.size();
  for (auto& room : rooms) {
    asio::post(room->strand(), [room, collect] {
      const std::lock_guard lock(collect->mutex);
      collect->games.push_back(summarize(room->game(), room->attendance(), now()));
      if (--collect->left == 0) collect->finish();
    });
  }
}

namespace {

int asker_of(const Identity& who) {
  switch (who.role) {
    case Role::Facilitator:
      return protocol::kFullScenario;
    case Role::Seat:
      return who.seat;
    case Role::Observer:
      break;
  }
  return kNoActor;
}

}  // namespace

// The joined game's scenario is told as its member may know it; any other
// (the default before a Join, or a file) needs the key and is told whole.
void GameService::scenario_info(const ScenarioQuestion& request, const Membership* member, Reply<ScenarioOf> reply) {
  if (member != nullptr && request.scenario_path.empty()) {
    asio::post(member->room->strand(), [room = member->room, who = member->identity, reply = std::move(reply)] {
      reply(ScenarioOf{room->game().match().scenario_ptr(), asker_of(who)});
    });
    return;
  }
  if (!lobby_.facilitator_key_ok(request.facilitator_key)) {
    return reply(Failure{wire::ErrorCode::NotAuthorised,
                         member == nullptr ? "a scenario before joining a game needs the server's facilitator key"
                                           : "a scenario other than your game's needs the server's facilitator key"});
  }
  auto chosen = choose_scenario(lobby_, request.scenario_path);
  if (auto* f = std::get_if<Failure>(&chosen)) return reply(*f);
  reply(ScenarioOf{std::get<ChosenScenario>(chosen).scenario, protocol::kFullScenario});
}

void GameService::catalogue(const ScenarioQuestion& request, const Membership* member, Reply<CatalogueOf> reply) {
  scenario_info(request, member, [reply = std::move(reply)](Result<ScenarioOf> result) {
    if (auto* f = std::get_if<Failure>(&result)) return reply(*f);
    reply(CatalogueOf{std::get<ScenarioOf>(result).scenario});
  });
}

std::variant<TimePoint, std::string> GameService::join_turn(const std::string& address) {
  return lobby_.join_turn(address);
}

namespace {

// A finished game left memory (or, without a store, was unloaded to make
// room): with a store it comes back for the Join.
std::variant<Lobby::Found, Failure> load_unloaded(Lobby& lobby, const Lobby::Unloaded& game, const TokenHash& token,
                                                  const Participant& caller) {
  if (lobby.store() == nullptr) {
    spdlog::info("{}: join with a token of game {}, which ended", caller.peer(), game.game_id);
    return Failure{
        wire::ErrorCode::NotFound,
        fmt::format("game {} has ended and this server no longer hosts it (it keeps no database)", game.game_id)};
  }
  auto loaded = lobby.load_for_join(token, game);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    spdlog::error("{}: join: {}", caller.peer(), *error);
    return Failure{wire::ErrorCode::NotFound, *error};
  }
  return std::get<Lobby::Found>(std::move(loaded));
}

}  // namespace

Result<Membership> GameService::join(const Join& request, const std::shared_ptr<Participant>& caller) {
  const TokenHash token = hash_token(request.token);
  auto found = lobby_.find_for_join(token);
  if (!found) {
    if (auto unloaded = lobby_.unloaded_game_of(token)) {
      auto loaded = load_unloaded(lobby_, *unloaded, token, *caller);
      if (auto* failure = std::get_if<Failure>(&loaded)) return *failure;
      found = std::get<Lobby::Found>(std::move(loaded));
    }
  }
  if (!found) {
    const auto wait = lobby_.note_wrong_token(caller->address(), token);
    spdlog::warn("{}: join with an unknown token", caller->peer());
    return Failure{wire::ErrorCode::UnknownToken,
                   wait.count() == 0 ? std::string("no game knows that token")
                                     : fmt::format("no game knows that token (too many wrong tokens from {}: its next "
                                                   "Join is looked at in {} ms)",
                                                   caller->address(), wait.count())};
  }
  Membership member{found->room, found->identity, request.member};
  GameRoom::JoinRequest joining{request.request_id, member.identity, member.member, request.last_press_seq,
                                request.last_round};
  asio::post(member.room->strand(), [room = member.room, caller, joining] { room->join(caller, joining); });
  return member;
}

void GameService::leave(const Membership& member, const Participant* caller) {
  if (!member.room) return;
  asio::post(member.room->strand(), [room = member.room, caller] { room->leave(caller); });
}

void GameService::submit(const Membership& member, std::vector<OrderDraft> drafts, Reply<OrdersTaken> reply) {
  if (member.identity.role != Role::Seat) {
    return reply(Failure{wire::ErrorCode::NotAuthorised, "only a seat gives orders"});
  }
  const std::size_t limit = lobby_.options().max_orders_per_submission;
  if (drafts.size() > limit) {
    return reply(Failure{wire::ErrorCode::InvalidOrders,
                         fmt::format("{} orders in one submission; at most {}", drafts.size(), limit)});
  }
  asio::post(member.room->strand(), [member, drafts = std::move(drafts), reply = std::move(reply)] {
    GameRoom& room = *member.room;
    auto result = room.game().submit(member.identity.seat, member.member, drafts, now());
    if (auto* why = std::get_if<Refusal>(&result)) return reply(failure_of(*why));
    const auto& v = std::get<ValidatedOrders>(result);
    spdlog::info("game {} seat {}: {} orders accepted, {} rejected (by '{}')", room.id(),
                 room.seat_name(member.identity.seat), v.orders.size(), v.errors.size(), member.member);
    reply_when_saved(room, reply, OrdersTaken{static_cast<std::uint32_t>(v.orders.size()), v.errors},
                     [room = member.room] { room->refresh_facilitators(); });
    room.after_change();
  });
}

void GameService::ready(const Membership& member, bool ready, Reply<Done> reply) {
  if (member.identity.role != Role::Seat) {
    return reply(Failure{wire::ErrorCode::NotAuthorised, "only a seat can be ready"});
  }
  asio::post(member.room->strand(), [member, ready, reply = std::move(reply)] {
    GameRoom& room = *member.room;
    if (auto why = room.game().set_ready(member.identity.seat, ready, now())) return reply(failure_of(*why));
    spdlog::info("game {} seat {}: {}", room.id(), room.seat_name(member.identity.seat), ready ? "ready" : "not ready");
    reply_when_saved(room, reply, Done{});
    room.after_change();
  });
}

void GameService::press(const Membership& member, Press request, Reply<Done> reply) {
  if (member.identity.role == Role::Observer) {
    return reply(Failure{wire::ErrorCode::NotAuthorised, "observers cannot send press"});
  }
  const std::size_t limit = lobby_.options().max_message_chars;
  if (request.text.size() > limit) {
    return reply(Failure{wire::ErrorCode::BadMessage,
                         fmt::format("message of {} characters; at most {}", request.text.size(), limit)});
  }
  asio::post(member.room->strand(), [member, request = std::move(request), reply = std::move(reply)] {
    GameRoom& room = *member.room;
    const State& state = room.game().match().state();
    std::vector<int> seats;
    for (const std::string& id : request.to) {
      const int a = state.find_actor(id);
      if (a == kNoActor) return reply(Failure{wire::ErrorCode::NotFound, unknown_seat_text(state, id)});
      seats.push_back(a);
    }
    const int from = member.identity.role == Role::Seat ? member.identity.seat : kNoActor;
    if (auto why = room.game().send(from, seats, request.text)) return reply(failure_of(*why));
    reply_when_saved(room, reply, Done{},
                     [room = member.room, message = room.game().messages().back()] { room->relay(message); });
  });
}

namespace {

// The facilitator's commands that the game itself carries out.
Refused run_game_command(GameRoom& room, const Command& args, TimePoint t) {
  Game& g = room.game();
  switch (args.command) {
    case wire::Command::Start:
      return g.start(t);
    case wire::Command::Pause:
      return g.pause(t);
    case wire::Command::Resume:
      return g.resume(t);
    case wire::Command::Extend:
      return g.move_deadline(args.seconds, t);
    case wire::Command::Shorten:
      return g.move_deadline(-args.seconds, t);
    case wire::Command::Force:
      return g.force(t);
    case wire::Command::End:
      return g.end();
    case wire::Command::Rollback:
      return g.rollback(t);
    case wire::Command::Inject: {
      if (args.event_id.empty()) {
        return Refusal{RefusalCode::Invalid,
                       "Inject needs an event_id: one of the scenario's events or of the engine's injects"};
      }
      return g.inject_by_id(args.event_id, args.args);
    }
    default:
      break;
  }
  return Refusal{RefusalCode::Invalid, "that command is not supported by this server yet"};
}

Refused swap_to_bot(GameRoom& room, int seat, const Command& args, TimePoint t) {
  Game& g = room.game();
  if (g.phase() == Phase::Resolving) {
    return Refusal{RefusalCode::WrongPhase, "the round is resolving; try again in a moment"};
  }
  std::string path = args.bot_path;
  if (path.empty()) {
    const auto& defaults = g.match().scenario().default_bots;
    if (static_cast<std::size_t>(seat) < defaults.size()) path = defaults[static_cast<std::size_t>(seat)];
  }
  if (path.empty())
    return Refusal{RefusalCode::Invalid, "the scenario names no bot for " + args.seat + "; give bot_path"};
  if (auto error = room.load_bot(seat, path))
    return Refusal{RefusalCode::Invalid, "bot for " + args.seat + ": " + *error};
  return g.swap(seat, true, path, t);
}

Refused run_seat_command(GameRoom& room, const Command& args, TimePoint t) {
  Game& g = room.game();
  const int seat = g.match().state().find_actor(args.seat);
  if (seat == kNoActor) return Refusal{RefusalCode::NotFound, unknown_seat_text(g.match().state(), args.seat)};
  switch (args.command) {
    case wire::Command::SwapToBot:
      return swap_to_bot(room, seat, args, t);
    case wire::Command::SwapToPerson:
      return g.swap(seat, false, "", t);
    case wire::Command::Kick: {
      if (auto why = g.kick(seat)) return why;
      spdlog::info("game {} seat {}: {} client(s) kicked", room.id(), args.seat, room.kick(seat));
      return std::nullopt;
    }
    default:
      break;
  }
  return Refusal{RefusalCode::Invalid, "that command is not supported by this server yet"};
}

bool is_seat_command(wire::Command c) {
  return c == wire::Command::SwapToBot || c == wire::Command::SwapToPerson || c == wire::Command::Kick;
}

std::optional<Failure> not_facilitator(const Membership& member, std::string_view what) {
  if (member.identity.role == Role::Facilitator) return std::nullopt;
  return Failure{wire::ErrorCode::NotAuthorised, fmt::format("only the facilitator may {}", what)};
}

}  // namespace

void GameService::command(const Membership& member, Command request, Reply<Done> reply) {
  if (auto f = not_facilitator(member, "send that")) return reply(*f);
  asio::post(member.room->strand(), [member, args = std::move(request), reply = std::move(reply)] {
    GameRoom& room = *member.room;
    const TimePoint t = now();
    const Refused why =
        is_seat_command(args.command) ? run_seat_command(room, args, t) : run_game_command(room, args, t);
    const char* name = wire::EnumNameCommand(args.command);
    if (why) {
      spdlog::info("game {} seat facilitator: command {} refused: {}", room.id(), name, why->text);
      return reply(failure_of(*why, std::string(name) + ": "));
    }
    spdlog::info("game {} seat facilitator: command {}{}", room.id(), name,
                 args.seat.empty() ? std::string() : " " + args.seat);
    reply_when_saved(room, reply, Done{});
    room.after_change();
  });
}

void GameService::export_game(const Membership& member, Reply<SaveFile> reply) {
  if (auto f = not_facilitator(member, "export the game")) return reply(*f);
  asio::post(member.room->strand(), [member, reply = std::move(reply)] {
    GameRoom& room = *member.room;
    SaveFile file{room.id(), save::encode(room.save_data())};
    spdlog::info("game {} seat facilitator: exported ({} bytes)", room.id(), file.bytes.size());
    reply(std::move(file));
  });
}

namespace {

// Renders on the worker pool: a long game's replay must hold up no game.
void render_report(Lobby& lobby, save::SaveData game, Reply<ReportPage> reply) {
  asio::post(lobby.worker_pool(), [&lobby, game = std::move(game), reply = std::move(reply)] {
    std::optional<save::SaveData> parent;
    std::string note;
    if (!game.game.parent_id.empty()) {
      const std::string& db = lobby.options().db_path;
      auto loaded = db.empty() ? std::variant<save::SaveData, std::string>(std::string("the server keeps no store"))
                               : report::load_from_store(db, game.game.parent_id);
      if (auto* data = std::get_if<save::SaveData>(&loaded)) {
        parent = std::move(*data);
      } else {
        note = "its parent " + game.game.parent_id + " could not be read: " + std::get<std::string>(loaded);
      }
    }
    auto input = report::game_report_input(game, parent ? &*parent : nullptr, note);
    if (auto* error = std::get_if<std::string>(&input)) {
      return reply(Failure{wire::ErrorCode::Internal, "the report of game " + game.game.id + ": " + *error});
    }
    report::GameReportOptions options;
    options.generated_by = "leadtime-server, from the facilitator's console";
    reply(ReportPage{game.game.id, report::render_game_report(std::get<report::GameReportInput>(input), options)});
  });
}

}  // namespace

void GameService::report(const std::string& token, const std::string& address, Reply<ReportPage> reply) {
  const TokenHash hash = hash_token(token);
  if (auto found = lobby_.find_by_token(hash)) {
    if (found->identity.role != Role::Facilitator) {
      return reply(Failure{wire::ErrorCode::NotAuthorised, "only the facilitator's link opens the report"});
    }
    asio::post(found->room->strand(), [this, room = found->room, reply = std::move(reply)]() mutable {
      render_report(lobby_, room->save_data(), std::move(reply));
    });
    return;
  }
  // A game out of memory is read from the store as it is; not loaded.
  if (auto unloaded = lobby_.unloaded_game_of(hash)) {
    if (!unloaded->facilitator) {
      return reply(Failure{wire::ErrorCode::NotAuthorised, "only the facilitator's link opens the report"});
    }
    const std::string& db = lobby_.options().db_path;
    auto loaded = db.empty() ? std::variant<save::SaveData, std::string>(std::string("the server keeps no database"))
                             : report::load_from_store(db, unloaded->game_id);
    if (auto* error = std::get_if<std::string>(&loaded)) {
      return reply(Failure{wire::ErrorCode::Internal, "the report of game " + unloaded->game_id + ": " + *error});
    }
    return render_report(lobby_, std::get<save::SaveData>(std::move(loaded)), std::move(reply));
  }
  const auto wait = lobby_.note_wrong_token(address, hash);
  reply(Failure{wire::ErrorCode::UnknownToken,
                wait.count() == 0 ? std::string("no game knows that token")
                                  : fmt::format("no game knows that token (too many wrong tokens from {})", address)});
}

namespace {

// The parent's journal up to the moment its round `round` was resolved (the
// last time, if it was rolled back and played again), or up to its start.
std::optional<std::vector<store::JournalEntry>> journal_until(const Game& parent, const save::SaveData& saved,
                                                              int round) {
  const auto cut = branch_point(parent.changes(), round);
  if (!cut) return std::nullopt;
  return std::vector<store::JournalEntry>(saved.journal.begin(),
                                          saved.journal.begin() + static_cast<std::ptrdiff_t>(*cut + 1));
}

}  // namespace

void GameService::branch(const Membership& member, int round, const std::shared_ptr<Participant>& caller,
                         Reply<GameCreated> reply) {
  if (auto f = not_facilitator(member, "branch the game")) return reply(*f);
  asio::post(member.room->strand(), [this, parent_room = member.room, round, caller, reply = std::move(reply)] {
    const save::SaveData parent = parent_room->save_data();
    const auto prefix = journal_until(parent_room->game(), parent, round);
    if (round < 0 || !prefix) {
      return reply(Failure{wire::ErrorCode::NotFound,
                           fmt::format("Branch: round {} has not been played in game {}", round, parent_room->id())});
    }
    store::GameRow row = parent.game;
    row.id = lobby_.next_game_id();
    row.parent_id = parent_room->id();
    row.branch_round = round;
    row.finished = false;
    auto rebuilt = lobby_.rebuild_room(row, *prefix, wall_now_ms());
    if (auto* error = std::get_if<std::string>(&rebuilt)) {
      return reply(Failure{wire::ErrorCode::Internal, "Branch: " + *error});
    }
    const auto child = std::get<Lobby::Rebuilt>(rebuilt).room;
    child->game().shift_clock(std::get<Lobby::Rebuilt>(rebuilt).idle);
    // A what-if starts paused: nobody has joined it yet, and its clock must
    // not play its rounds meanwhile.
    if (child->game().phase() == Phase::Orders && !child->game().paused()) (void)child->game().pause(now());
    const Tokens tokens = child->game().issue_tokens();
    if (auto refusal = lobby_.add_room(child, caller->address())) {
      return reply(Failure{wire::ErrorCode::RateLimited, "Branch: " + *refusal});
    }
    spdlog::info("game {}: branched from game {} after round {}", child->id(), parent_room->id(), round);
    // Its journal copies the parent's up to the branch point, written once
    // the game's row is in; the tokens go out once both are on disk.
    store_new_game(lobby_, child, created_of(child->game(), tokens), "Branch", reply);
  });
}

}  // namespace leadtime::server::app

#pragma once

// The game service: everything a client may ask of the server (create,
// list, join, orders, ready, press, every facilitator command, export,
// branch) as typed requests with typed results, and no socket in sight.
// Transports (raw TCP, WebSocket) decode a message into a request, call the
// service, and encode the result it hands back; rooms push everything else
// to the participant directly.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/game_messages.h"
#include "protocol/leadtime_generated.h"
#include "server/app/frames.h"
#include "server/app/participant.h"
#include "server/game_names.h"

namespace leadtime::server::app {

class Lobby;
class GameRoom;

// Why a request was not carried out, with the wire's code for it.
struct Failure {
  wire::ErrorCode code = wire::ErrorCode::Internal;
  std::string text;
};
template <class T>
using Result = std::variant<T, Failure>;
// Called once with the request's result, on any thread. A change is answered
// only once it is durable (or with the store's error).
template <class T>
using Reply = std::function<void(Result<T>)>;

struct Done {};

// --- Requests and results.

struct CreateGame {
  std::string facilitator_key;
  std::string scenario_path;  // relative to the scenario folder; "": the server's default
  // Who plays each seat, as protocol::seat_plan() reads CreateGame.
  std::vector<std::string> people;
  std::vector<protocol::SeatBotChoice> bots;
  std::uint64_t seed = 0;              // 0: the server draws one
  std::uint32_t deadline_seconds = 0;  // 0: no practical deadline
};
struct SeatToken {
  std::string seat;
  std::string token;
};
struct GameCreated {
  std::string game_id;
  std::string facilitator_token;
  std::string observer_token;
  std::vector<SeatToken> seats;  // person seats only
};

struct ListGames {
  std::string facilitator_key;
};
using GameList = std::vector<Summary>;

struct Join {
  std::string token;
  std::string member;
  std::uint64_t last_press_seq = 0;
  int last_round = 0;
  std::uint32_t request_id = 0;  // the Joined that the room sends answers it
};
// A participant's place in a game, kept by its transport and handed back
// with every later request.
struct Membership {
  std::shared_ptr<GameRoom> room;
  Identity identity;
  std::string member;
};

struct OrdersTaken {
  std::uint32_t accepted = 0;
  std::vector<OrderError> errors;
};

struct Press {
  std::vector<std::string> to;  // seat ids; empty: everyone
  std::string text;
};

struct Command {
  wire::Command command = wire::Command::Start;
  Seconds seconds{0};
  std::string seat;
  std::string event_id;
  std::string bot_path;
  int round = 0;   // Branch
  NamedArgs args;  // Inject of one of the engine's injects
};
struct SaveFile {
  std::string game_id;
  std::vector<std::uint8_t> bytes;
};

// CatalogueRequest and ScenarioInfoRequest: which scenario, and the key
// that a scenario other than the joined game's needs.
struct ScenarioQuestion {
  std::string scenario_path;  // relative to the scenario folder; "": the joined game's, or the default
  std::string facilitator_key;
};
// A scenario and who asks (protocol::kFullScenario, a seat's actor index,
// or kNoActor for an observer): what the answer may tell.
struct ScenarioOf {
  std::shared_ptr<const Scenario> scenario;
  int asker = protocol::kFullScenario;
};
struct CatalogueOf {
  std::shared_ptr<const Scenario> scenario;
};

// The after-action report of a game: a self-contained HTML page.
struct ReportPage {
  std::string game_id;
  std::string html;
};

class GameService {
 public:
  explicit GameService(Lobby& lobby);

  void create_game(const CreateGame& request, const std::shared_ptr<Participant>& caller, Reply<GameCreated> reply);
  void list_games(const ListGames& request, Reply<GameList> reply);
  // `member` is the caller's game, or null before a Join.
  void scenario_info(const ScenarioQuestion& request, const Membership* member, Reply<ScenarioOf> reply);
  void catalogue(const ScenarioQuestion& request, const Membership* member, Reply<CatalogueOf> reply);
  // Whether the caller's address may try a Join now, later (after wrong
  // tokens), or not at all; transports hold the connection's reading until
  // the turn comes.
  std::variant<TimePoint, std::string> join_turn(const std::string& address);
  // The room then sends Joined and the state; the result is what the
  // transport keeps for the participant's later requests.
  Result<Membership> join(const Join& request, const std::shared_ptr<Participant>& caller);
  void leave(const Membership& member, const Participant* caller);
  void submit(const Membership& member, std::vector<OrderDraft> drafts, Reply<OrdersTaken> reply);
  void ready(const Membership& member, bool ready, Reply<Done> reply);
  void press(const Membership& member, Press request, Reply<Done> reply);
  // Every facilitator command but Export and Branch.
  void command(const Membership& member, Command request, Reply<Done> reply);
  void export_game(const Membership& member, Reply<SaveFile> reply);
  // The after-action report for the holder of a game's facilitator token,
  // running or ended (then read back from the store). A wrong token counts
  // against `address` as a Join's does.
  void report(const std::string& token, const std::string& address, Reply<ReportPage> reply);
  // A what-if: a new game with the parent's history up to `round`, new
  // tokens, its own future; it starts paused.
  void branch(const Membership& member, int round, const std::shared_ptr<Participant>& caller,
              Reply<GameCreated> reply);

 private:
  Lobby& lobby_;
};

}  // namespace leadtime::server::app
